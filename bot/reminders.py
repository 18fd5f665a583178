"""The scheduler's caller: every few minutes (and at start, so that what was missed while the
bot was down goes out once) it closes the surveys past their legal date and asks
``services.reminders`` to enqueue what is due today."""

from __future__ import annotations

import logging

from services import reminders, surveys
from services.context import Context
from services.reminders import Schedule

log = logging.getLogger("bagalau.reminders")


class Reminders:
    def __init__(self, context: Context, schedule: Schedule) -> None:
        self.context, self.schedule = context, schedule

    async def tick(self) -> int:
        """Close the surveys past their date, then enqueue everything due today; returns how
        many messages were added (the outbox worker is woken once they are committed)."""
        closed = await surveys.close_due(self.context)
        if closed:
            log.info("%s surveys closed on their date", closed)
        added = await reminders.enqueue_due(self.context, self.schedule)
        if added:
            log.info("%s reminders enqueued", added)
        return added
