"""Typical cl. 6 (a month in the post, 15 worked days), cl. 7 (dismissed: no participation)."""

from datetime import date

import pytest

from scoring import Quarter

Q1 = Quarter(2026, 1)  # 1 January – 31 March 2026


@pytest.mark.parametrize(
    ("appointed", "dismissed", "worked", "eligible", "reason", "without_participation"),
    [
        (date(2020, 5, 4), None, 55, True, None, False),
        (date(2026, 3, 1), None, 15, True, None, False),  # 1–31 March: a full month
        (date(2026, 3, 2), None, 15, False, "too_short_in_position", False),
        (date(2026, 2, 28), None, 15, True, None, False),  # 28 Feb – 27 Mar is a month
        (date(2020, 1, 1), None, 14, False, "too_few_worked_days", False),
        (date(2020, 1, 1), None, 15, True, None, False),
        (date(2026, 4, 1), None, 0, False, "not_in_position", False),
        (date(2020, 1, 1), date(2026, 2, 27), 38, True, None, True),  # cl. 7
        (date(2020, 1, 1), date(2026, 1, 30), 20, False, "too_short_in_position", True),
        (date(2020, 1, 1), date(2026, 1, 31), 20, True, None, True),
        (date(2020, 1, 1), date(2025, 12, 31), 0, False, "not_in_position", True),
        (date(2020, 1, 1), date(2026, 3, 31), 55, True, None, False),  # the last day: full
    ],
)
def test_typical_eligibility(typical, appointed, dismissed, worked, eligible, reason,
                             without_participation):
    result = typical.eligibility(period_start=Q1.start, period_end=Q1.end, appointed_on=appointed,
                                 worked_days=worked, dismissed_on=dismissed)
    assert (result.eligible, result.reason, result.without_participation) == (
        eligible, reason, without_participation)


def test_month_is_counted_with_month_end_clamping(typical):
    # appointed 31 January: one month later is 28 February (2026 is not a leap year)
    q = Quarter(2026, 1)
    result = typical.eligibility(period_start=q.start, period_end=date(2026, 2, 27),
                                 appointed_on=date(2026, 1, 31), worked_days=20,
                                 dismissed_on=date(2026, 2, 27))
    assert result.reason == "too_short_in_position"
    result = typical.eligibility(period_start=q.start, period_end=q.end,
                                 appointed_on=date(2026, 1, 31), worked_days=20,
                                 dismissed_on=date(2026, 2, 27))
    assert result.reason == "too_short_in_position"
    result = typical.eligibility(period_start=q.start, period_end=q.end,
                                 appointed_on=date(2026, 1, 31), worked_days=20,
                                 dismissed_on=date(2026, 2, 28))
    assert result.eligible


def test_justice_has_no_worked_days_minimum(justice):
    result = justice.eligibility(period_start=Q1.start, period_end=Q1.end,
                                 appointed_on=date(2020, 1, 1), worked_days=3)
    assert result.eligible


def test_legacy_needs_three_months(legacy):
    year_end = date(2026, 12, 31)
    ok = legacy.eligibility(period_start=date(2026, 1, 1), period_end=year_end,
                            appointed_on=date(2026, 10, 1), worked_days=60)
    short = legacy.eligibility(period_start=date(2026, 1, 1), period_end=year_end,
                               appointed_on=date(2026, 10, 2), worked_days=60)
    assert ok.eligible and short.reason == "too_short_in_position"
