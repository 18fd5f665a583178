"""Exactly one worker sends the outbox and runs the reminders tick.

On SQLite the one bot process leads from its start. On PostgreSQL every worker tries the
database's leader lock every few seconds; the one holding it runs the outbox sender (so the
Telegram limit holds for the whole deployment) and the tick. Killed outright, it loses the lock
with its connection, and another worker takes over at its next try: what is pending in the
outbox stays there for it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import suppress
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # asyncpg is imported only where PostgreSQL is used
    from storage.postgres import Leadership

log = logging.getLogger("bagalau.leader")
TRY_EVERY = 5.0  # seconds between tries, and between checks that the lock is still held


class Leader:
    def __init__(self, leadership: Leadership, *, begin: Callable[[], Awaitable[None]],
                 end: Callable[[], Awaitable[None]], wake: Callable[[], None]) -> None:
        self.leadership = leadership
        self.begin, self.end, self.wake = begin, end, wake
        self.leading = False
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="bagalau-leader")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self.leading:
            await self._step_down()
        await self.leadership.close()

    async def _run(self) -> None:
        while True:
            try:
                if not self.leading and await self.leadership.try_lead(self.wake):
                    log.info("this worker leads: it sends the outbox and runs the tick")
                    self.leading = True
                    await self.begin()
                elif self.leading and not await self.leadership.alive():
                    log.warning("the leader lock was lost with its connection")
                    await self._step_down()
            except (OSError, TimeoutError) as error:
                log.warning("leadership: the database did not answer (%s)", error)
            except Exception:  # nothing here may end the loop
                log.exception("leadership check failed")
            await asyncio.sleep(TRY_EVERY)

    async def _step_down(self) -> None:
        self.leading = False
        await self.end()
