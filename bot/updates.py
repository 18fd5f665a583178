"""The outermost middleware: a duplicate delivery of an update is skipped, quietly."""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update

from services import updates
from services.context import Context

log = logging.getLogger("bagalau.updates")
REMEMBERED = 10_000  # update ids kept in memory (a webhook retry comes within minutes)


class SkipDuplicates(BaseMiddleware):
    """An update seen by this process, or recorded as handled before a restart, is not
    handled again. Only ids up to the newest one recorded at start can be old duplicates,
    so a fresh update costs no database round trip."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.recent: OrderedDict[int, None] = OrderedDict()
        self.recorded_up_to: int | None = None

    async def __call__(self, handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
                       event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)
        update_id = event.update_id
        if self.recorded_up_to is None:
            self.recorded_up_to = await updates.newest_handled(self.ctx)
        if update_id in self.recent or (update_id <= self.recorded_up_to
                                        and await updates.was_handled(self.ctx, update_id)):
            log.info("update %s was already handled; skipped", update_id)
            return None
        self.recent[update_id] = None
        if len(self.recent) > REMEMBERED:
            self.recent.popitem(last=False)
        token = updates.CURRENT_UPDATE.set(update_id)
        try:
            return await handler(event, data)
        finally:
            updates.CURRENT_UPDATE.reset(token)
