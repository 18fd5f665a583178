"""Retention (Typical cl. 13): three years from the completion of the evaluation — its last
step, a calibration if any — and never a shorter period (issue 15 item 6)."""

from datetime import date

import pytest

from scoring.retention import CalibrationSteps, RetentionTooShort, completed_on, purge_cutoff

DEADLINE = date(2026, 4, 30)


@pytest.mark.parametrize(
    ("calibrations", "completed"),
    [
        ((), DEADLINE),
        ((CalibrationSteps(True, date(2026, 5, 20)),), date(2026, 5, 20)),
        ((CalibrationSteps(True, date(2026, 5, 20), date(2026, 5, 22), date(2026, 6, 1)),),
         date(2026, 6, 1)),  # the evaluator's feedback meeting came last (cl. 24)
        ((CalibrationSteps(True, date(2026, 5, 20)), CalibrationSteps(True, date(2026, 7, 3))),
         date(2026, 7, 3)),
        ((CalibrationSteps(True, date(2026, 5, 20)), CalibrationSteps(False)), None),  # pending
        ((CalibrationSteps(True),), DEADLINE),  # decided before the day was kept
    ],
)
def test_an_evaluation_is_completed_at_its_last_step(calibrations, completed):
    assert completed_on(DEADLINE, calibrations) == completed


@pytest.mark.parametrize(
    ("today", "years", "cutoff"),
    [
        (date(2026, 12, 2), 3, date(2023, 12, 2)),
        (date(2026, 12, 2), 5, date(2021, 12, 2)),  # longer is allowed
        (date(2027, 2, 28), 3, date(2024, 2, 28)),  # completed 29 Feb 2024: still kept
        (date(2027, 3, 1), 3, date(2024, 3, 1)),
    ],
)
def test_the_purge_cutoff(today, years, cutoff):
    assert purge_cutoff(today, years, law_years=3) == cutoff


@pytest.mark.parametrize("years", [0, 1, 2])
def test_a_period_shorter_than_the_methodologys_is_refused(years):
    with pytest.raises(RetentionTooShort, match="3 years"):
        purge_cutoff(date(2026, 12, 2), years, law_years=3)
