"""Evaluation periods: calendar quarters and years, and deadlines counted from their end."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from .workdays import WorkCalendar


@dataclass(frozen=True, order=True, slots=True)
class Quarter:
    """A calendar quarter, the evaluated period of the Typical methodology (cl. 3 p. 7)."""

    year: int
    number: int

    def __post_init__(self) -> None:
        if self.number not in (1, 2, 3, 4):
            raise ValueError(f"a quarter is numbered 1–4, got {self.number}")

    @classmethod
    def containing(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """Read '2026Q1' or '2026-Q1'."""
        year, _, number = text.strip().upper().replace("-", "").partition("Q")
        if not (year.isdigit() and number.isdigit()):
            raise ValueError(f"not a quarter: {text!r} (write 2026Q1)")
        return cls(int(year), int(number))

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        month = 3 * self.number
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    def next(self) -> Quarter:
        return Quarter(self.year + self.number // 4, self.number % 4 + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - (self.number == 1), (self.number - 2) % 4 + 1)

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"


def day_of_next_month(period_end: date, day: int) -> date:
    """The ``day``-th of the month after ``period_end`` (the 20th after a quarter, cl. 5)."""
    year, month = (period_end.year + 1, 1) if period_end.month == 12 else (
        period_end.year, period_end.month + 1)
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def deadline_after(period_end: date, day: int, cal: WorkCalendar) -> date:
    """The ``day``-th of the next month, moved to the next working day if it is a day off."""
    return cal.roll_forward(day_of_next_month(period_end, day))


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
