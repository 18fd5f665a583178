"""Retention (Typical cl. 13, justice cl. 20, seed 001 cl. 8): evaluation documents are kept
three years «from the completion of the evaluation», then purged."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .periods import add_months


@dataclass(frozen=True, slots=True)
class CalibrationSteps:
    """The steps of one calibration of a quarter's result (Typical cl. 19–24)."""

    decided: bool
    decided_on: date | None = None
    protocol_posted_on: date | None = None
    feedback_held_on: date | None = None

    def last(self) -> date | None:
        days = [d for d in (self.decided_on, self.protocol_posted_on, self.feedback_held_on) if d]
        return max(days) if days else None


def completed_on(deadline: date, calibrations: Iterable[CalibrationSteps]) -> date | None:
    """The day a quarter's evaluation is completed: its last step — the evaluation deadline,
    or the latest step of a calibration of one of its results, whichever is later. ``None``
    while a calibration is still undecided: nothing of the quarter may be purged then."""
    last = deadline
    for steps in calibrations:
        if not steps.decided:
            return None
        last = max(last, steps.last() or last)
    return last


class RetentionTooShort(ValueError):
    """A purge asked to keep documents for less than the methodology's period."""


def purge_cutoff(today: date, years: int, *, law_years: int) -> date:
    """Documents completed before the returned day may be purged; ``years`` (default: the
    methodology's period) may be longer than the law's, never shorter."""
    if years < law_years:
        raise RetentionTooShort(
            f"the methodology keeps evaluation documents {law_years} years from the "
            f"completion of the evaluation; a purge cannot keep them {years}")
    return add_months(today, -12 * years)
