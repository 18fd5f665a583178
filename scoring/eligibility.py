"""Who is evaluated for a period (Typical cl. 6, 7): time in the position and days worked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .periods import add_months


def last_day_of_months(first: date, months: int) -> date:
    """The last day of ``months`` months that start on ``first`` (1 Mar -> 31 Mar).

    Without the same date in the last month, the month's last day (31 Jan -> 28 Feb), as the
    Civil Code counts terms in months.
    """
    same_date = add_months(first, months)
    return same_date if same_date.day != first.day else same_date - timedelta(days=1)


@dataclass(frozen=True, slots=True)
class EligibilityRules:
    """The methodology's thresholds: months in the position and actually worked days."""

    clause: str
    min_months_in_position: int
    min_worked_days: int


@dataclass(frozen=True, slots=True)
class Eligibility:
    """Whether a servant is evaluated for a period, and why not.

    ``reason`` is one of ``not_in_position`` (not in the post during the period),
    ``too_short_in_position`` and ``too_few_worked_days``; ``without_participation`` marks a
    servant dismissed before the period ended (cl. 7).
    """

    eligible: bool
    reason: str | None
    without_participation: bool
    held_from: date | None
    held_to: date | None
    worked_days: int


def check_eligibility(
    rules: EligibilityRules,
    *,
    period_start: date,
    period_end: date,
    appointed_on: date,
    worked_days: int,
    dismissed_on: date | None = None,
) -> Eligibility:
    """Apply cl. 6: in the post for at least N months within the period, and M worked days.

    The months are counted from the later of the appointment and the period start to the
    earlier of the dismissal and the period end, both days included (docs/decisions.md).
    """
    held_from = max(appointed_on, period_start)
    held_to = min(dismissed_on, period_end) if dismissed_on else period_end
    dismissed_early = dismissed_on is not None and dismissed_on < period_end
    if held_from > held_to:
        return Eligibility(False, "not_in_position", dismissed_early, None, None, worked_days)
    if held_to < last_day_of_months(held_from, rules.min_months_in_position):
        reason = "too_short_in_position"
    elif worked_days < rules.min_worked_days:
        reason = "too_few_worked_days"
    else:
        reason = None
    return Eligibility(reason is None, reason, dismissed_early, held_from, held_to, worked_days)
