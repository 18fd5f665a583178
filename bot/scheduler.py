"""APScheduler in the bot process: the reminders tick, re-registered at every start.

The database is the source of truth for what is due, so there is no job store to keep; the
tick runs at start (catching up what was missed while down) and then every few minutes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from services.clock import Clock

TICK = timedelta(minutes=5)


def create_scheduler(tick: Callable[[], Awaitable[int]], clock: Clock) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone=clock.tz)
    scheduler.add_job(
        tick, "interval", seconds=TICK.total_seconds(), id="reminders",
        next_run_time=datetime.now(clock.tz), coalesce=True, max_instances=1,
        misfire_grace_time=int(TICK.total_seconds()),  # a late tick still runs, once
    )
    return scheduler
