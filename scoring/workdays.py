"""Kazakhstan working days (SPEC §5): weekends, holidays, day-off transfers, Asia/Almaty time.

Holidays and the Ministry of Labour's transfers come from the ``holidays`` package (KZ); a
transfer ordered after its release goes into an overrides file (built-in
``calendars/kz.toml`` plus any file HR keeps), without a new release of bagalau.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays
from holidays.countries.kazakhstan import KazakhstanStaticHolidays

from .errors import MethodologyError

KAZAKHSTAN_OFFSET = timedelta(hours=5)
"""All of Kazakhstan keeps UTC+5 since 1 March 2024."""
_DAY = timedelta(days=1)


def shipped_zone(key: str) -> ZoneInfo:
    """The time zone from the ``tzdata`` package bagalau depends on, never the system's
    database, which may predate Kazakhstan's move to UTC+5. ``ValueError`` if it has no such
    zone."""
    parts = key.split("/")
    if not key or any(part in ("", ".", "..") for part in parts):
        raise ValueError(f"not a time zone name: {key!r}")
    try:
        with resources.files("tzdata.zoneinfo").joinpath(*parts).open("rb") as data:
            return ZoneInfo.from_file(data, key=key)
    except (OSError, ValueError):
        raise ValueError(f"the tzdata package has no time zone {key!r}") from None


def zone_problem(tz: ZoneInfo, moment: datetime) -> str | None:
    """One line if ``tz`` is not UTC+5 at ``moment``: working days and deadlines would be
    counted on the wrong dates."""
    offset = moment.astimezone(tz).utcoffset()
    if offset == KAZAKHSTAN_OFFSET:
        return None
    hours = (offset or timedelta()).total_seconds() / 3600
    return (f"The time zone {tz.key} is UTC{hours:+g} on {moment.date()}, but all of "
            "Kazakhstan keeps UTC+5 since 1 March 2024: set TIMEZONE=Asia/Almaty, or update "
            "the tzdata package (pip install -U tzdata).")


ALMATY = shipped_zone("Asia/Almaty")


PACKAGE = "holidays package"
"""The source of a holiday or transfer that no overrides file set."""


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    """A day off, or a weekend day worked, and where the calendar got it."""

    day: date
    worked: bool
    reason: str
    source: str  # "weekend", the holidays package, or the overrides file that set it
    estimated: bool = False  # a rule-based date not yet decreed (e.g. Kurban Ait)


@dataclass(frozen=True, slots=True)
class Unsettled:
    """What a year's calendar still guesses: dates the package estimates, and whether any
    transfer order of the Government (Labour Code art. 85 p. 3) is recorded for it."""

    year: int
    estimated: tuple[date, ...]
    transfers_recorded: bool

    @property
    def settled(self) -> bool:
        return not self.estimated and self.transfers_recorded


class WorkCalendar:
    """Which days are worked, and deadlines counted in working days."""

    def __init__(
        self,
        public_holidays: holidays.HolidayBase,
        *,
        days_off: Mapping[date, str] | None = None,
        working_days: Iterable[date] = (),
        tz: ZoneInfo = ALMATY,
        confirmed: holidays.HolidayBase | None = None,
        decreed_years: Iterable[int] = (),
        sources: Mapping[date, str] | None = None,
    ) -> None:
        """``confirmed``: the same holidays without estimated dates; ``decreed_years``: the
        years whose transfer order the package has; ``sources``: the overrides file of each
        day in ``days_off`` and ``working_days``."""
        self._holidays = public_holidays
        self._days_off = dict(days_off or {})
        self._working_days = frozenset(working_days)
        self.tz = tz
        self._confirmed = confirmed
        self._decreed_years = frozenset(decreed_years)
        self._sources = dict(sources or {})
        self._worked: dict[int, tuple[bool, ...]] = {}  # year -> worked?, by day of year
        self._counts: dict[int, tuple[int, ...]] = {}  # year -> working days before each day

    @classmethod
    def kazakhstan(cls, overrides: Iterable[str | Path] = ()) -> WorkCalendar:
        """The KZ calendar with the built-in overrides and then each file in ``overrides``."""
        days_off: dict[date, str] = {}
        working: set[date] = set()
        origin: dict[date, str] = {}
        builtin = resources.files("scoring") / "calendars" / "kz.toml"
        sources = [("calendars/kz.toml", builtin.read_text(encoding="utf-8"))]
        sources += [(str(p), Path(p).read_text(encoding="utf-8")) for p in overrides]
        for name, text in sources:
            extra_off, extra_working = _read_overrides(name, text)
            for day in extra_off:
                working.discard(day)
            for day in extra_working:
                days_off.pop(day, None)
            days_off.update(extra_off)
            working.update(extra_working)
            origin.update(dict.fromkeys([*extra_off, *extra_working], name))
        return cls(holidays.country_holidays("KZ"), days_off=days_off, working_days=working,
                   confirmed=holidays.country_holidays("KZ", islamic_show_estimated=False),
                   decreed_years=KazakhstanStaticHolidays.special_public_holidays,
                   sources=origin)

    def entries(self, year: int) -> list[CalendarEntry]:
        """Every day off of ``year`` and every weekend day worked instead, with its source."""
        found = []
        for offset in range((date(year + 1, 1, 1) - date(year, 1, 1)).days):
            day = date(year, 1, 1) + timedelta(days=offset)
            worked = self.is_working_day(day)
            if worked and day.weekday() < 5:
                continue
            if worked:
                reason = self._holidays.get(day) or "transferred working day"
            else:
                reason = self.day_off_reason(day) or "weekend"
            source = self._sources.get(day) or ("weekend" if reason == "weekend" else PACKAGE)
            found.append(CalendarEntry(day, worked, reason, source,
                                       source == PACKAGE and self._is_estimated(day)))
        return found

    def _is_estimated(self, day: date) -> bool:
        return self._confirmed is not None and day in self._holidays and \
            self._confirmed.get(day) != self._holidays.get(day)

    def unsettled(self, year: int) -> Unsettled:
        """What ``year``'s calendar still guesses (issue 15 item 9): HR adds the decreed
        dates and the transfer order to the overrides file."""
        estimated = tuple(e.day for e in self.entries(year) if e.estimated)
        recorded = year in self._decreed_years or any(d.year == year for d in self._sources)
        return Unsettled(year, estimated, recorded)

    def is_working_day(self, day: date) -> bool:
        """True on a day people work: a weekday that is no holiday, or a transferred workday."""
        return self._year(day.year)[day.timetuple().tm_yday - 1]

    def _year(self, year: int) -> tuple[bool, ...]:
        if year not in self._worked:
            first = date(year, 1, 1)
            days = (first + timedelta(days=i) for i in range((date(year + 1, 1, 1) - first).days))
            self._worked[year] = tuple(self._decide(d) for d in days)
        return self._worked[year]

    def _decide(self, day: date) -> bool:
        if day in self._working_days:
            return True
        if day in self._days_off:
            return False
        return self._holidays.is_working_day(day)

    def _before(self, day: date) -> int:
        """Working days from 1 January of ``day``'s year up to ``day``, ``day`` excluded."""
        if day.year not in self._counts:
            counts, total = [], 0
            for worked in self._year(day.year):
                counts.append(total)
                total += worked
            counts.append(total)
            self._counts[day.year] = tuple(counts)
        return self._counts[day.year][day.timetuple().tm_yday - 1]

    def day_off_reason(self, day: date) -> str | None:
        """The holiday or transfer that makes ``day`` a day off, if any."""
        if self.is_working_day(day):
            return None
        return self._days_off.get(day) or self._holidays.get(day) or "weekend"

    def add_working_days(self, day: date, n: int) -> date:
        """The n-th working day after ``day`` (``day`` itself not counted), n >= 1."""
        if n < 1:
            raise ValueError(f"n must be at least 1, got {n}")
        current = day
        while n:
            current += _DAY
            if self.is_working_day(current):
                n -= 1
        return current

    def subtract_working_days(self, day: date, n: int) -> date:
        """The n-th working day before ``day`` (``day`` itself not counted), n >= 1."""
        if n < 1:
            raise ValueError(f"n must be at least 1, got {n}")
        current = day
        while n:
            current -= _DAY
            if self.is_working_day(current):
                n -= 1
        return current

    def roll_forward(self, day: date) -> date:
        """``day`` if it is worked, else the next working day (a deadline on a day off moves)."""
        while not self.is_working_day(day):
            day += _DAY
        return day

    def working_days_between(self, first: date, last: date) -> int:
        """How many working days lie in ``first`` … ``last``, both included."""
        if first > last:
            return 0
        end = last + _DAY
        count = 0
        for year in range(first.year, end.year):  # whole years between the two
            count += self._year_total(year)
        return count + self._before(end) - self._before(first)

    def _year_total(self, year: int) -> int:
        return self._before(date(year, 12, 31)) + self._year(year)[-1]

    def next_window(self, moment: datetime, opens: time, closes: time) -> datetime:
        """``moment`` if it falls on a working day between ``opens`` and ``closes`` local time,
        else the next such opening (quiet hours: nothing at night or on days off)."""
        local = moment.astimezone(self.tz)
        day = local.date()
        if self.is_working_day(day) and opens <= local.time() < closes:
            return moment
        if not (self.is_working_day(day) and local.time() < opens):
            day = self.add_working_days(day, 1)
        return datetime.combine(day, opens, self.tz)

    def local_date(self, moment: datetime) -> date:
        """The calendar date of an aware ``moment`` in the calendar's time zone."""
        if moment.tzinfo is None:
            raise ValueError("moment must be timezone-aware")
        return moment.astimezone(self.tz).date()


def _read_overrides(name: str, text: str) -> tuple[dict[date, str], set[date]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MethodologyError(name, "", f"not valid TOML: {exc}") from None
    days_off: dict[date, str] = {}
    working: set[date] = set()
    for key, target in (("day_off", days_off), ("working_day", working)):
        entries = data.get(key, [])
        if not isinstance(entries, list):
            raise MethodologyError(name, key, "must be a list of tables")
        for i, entry in enumerate(entries):
            where = f"{key}[{i}]"
            day = entry.get("date") if isinstance(entry, dict) else None
            if not isinstance(day, date) or isinstance(day, datetime):
                raise MethodologyError(name, f"{where}.date", "must be a date like 2026-03-20")
            reason = entry.get("reason", "")
            if not isinstance(reason, str) or not reason:
                raise MethodologyError(name, f"{where}.reason", "must say which order set it")
            if isinstance(target, dict):
                target[day] = reason
            else:
                target.add(day)
    unknown = set(data) - {"day_off", "working_day"}
    if unknown:
        raise MethodologyError(name, sorted(unknown)[0], "unknown key")
    if set(days_off) & working:
        day = min(set(days_off) & working)
        raise MethodologyError(name, str(day), "is both a day off and a working day")
    return days_off, working
