"""The time, injectable: the bot asks the clock, tests and the sandbox move it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo


class Clock:
    """Aware UTC now, plus an offset the sandbox and tests can move forward."""

    def __init__(self, tz: ZoneInfo, offset: timedelta = timedelta()) -> None:
        self.tz = tz
        self.offset = offset

    @classmethod
    def starting_at(cls, moment: datetime, tz: ZoneInfo) -> Clock:
        """A clock that reads ``moment`` now and runs on from there (tests, the sandbox)."""
        return cls(tz, moment - datetime.now(UTC))

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def today(self) -> date:
        """Today's date in the body's time zone (Asia/Almaty)."""
        return self.now().astimezone(self.tz).date()

    def advance(self, delta: timedelta) -> None:
        self.offset += delta
