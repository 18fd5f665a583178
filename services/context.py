"""What every use case is given: the database, the clock, the body's rules and the outbox."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from scoring import Methodology, WorkCalendar
from storage import outbox, updates
from storage.db import Connection, Database
from storage.sealing import SurveyKeys

from .clock import Clock
from .jobs import Jobs
from .notices import NoticeKind

CURRENT_UPDATE: ContextVar[int | None] = ContextVar("bagalau_update", default=None)
"""The Telegram update being handled, if any: its transactions record it as handled."""


def _nothing() -> None:
    return None


@dataclass(slots=True)
class Tx:
    """One open transaction: its connection, the moment it started, and the notices it
    enqueues (sent only if it commits)."""

    conn: Connection
    now: datetime
    today: date
    enqueued: int = 0

    async def notify(self, kind: NoticeKind, subject: str, recipients: int | Iterable[int], *,
                     payload: dict[str, Any] | None = None, due_on: date | None = None,
                     not_before: datetime | None = None) -> int:
        """Enqueue ``kind`` about ``subject`` for each recipient, once per (kind, subject,
        recipient, day); returns how many were new."""
        targets = [recipients] if isinstance(recipients, int) else list(recipients)
        added = 0
        for recipient in targets:
            added += await outbox.enqueue(
                self.conn, kind.value, subject, recipient, due_on=due_on or self.today,
                not_before=not_before or self.now, at=self.now, payload=payload,
                priority=kind.priority)
        self.enqueued += added
        return added


@dataclass(frozen=True, slots=True)
class Context:
    """The body's database, clock, calendar and methodology, a way to wake the outbox worker
    after a transaction that enqueued something has committed, HR's background jobs and the
    survey keys (kept outside the database; None where nothing runs surveys, e.g. the CLI)."""

    db: Database
    clock: Clock
    calendar: WorkCalendar
    methodology: Methodology
    wake_outbox: Callable[[], None] = field(default=_nothing)
    jobs: Jobs = field(default_factory=Jobs)
    survey_keys: SurveyKeys | None = None

    @asynccontextmanager
    async def transaction(self, *, aside: bool = False) -> AsyncIterator[Tx]:
        """All or nothing; the outbox worker is woken once it committed. ``aside``: on a
        connection of its own, for a long one that must not keep the bot waiting."""
        async with self.db.aside() if aside else self.db.transaction() as conn:
            tx = Tx(conn, self.clock.now(), self.clock.today())
            yield tx
            update = CURRENT_UPDATE.get()
            if update is not None:  # a duplicate of this update will be skipped
                await updates.record(conn, update, at=tx.now)
        if tx.enqueued:
            self.wake_outbox()

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[Connection]:
        """A consistent read (no change)."""
        async with self.db.reading() as conn:
            yield conn
