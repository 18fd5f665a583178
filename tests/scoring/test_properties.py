"""Properties that must hold for every input, checked with hypothesis."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import SANCTIONS, ScoreError, WorkCalendar, load_methodology

TYPICAL = load_methodology("typical-2025")
CAL = WorkCalendar.kazakhstan()
scores = st.decimals(min_value=0, max_value=5, places=2, allow_nan=False, allow_infinity=False)
averages = st.decimals(min_value=0, max_value=5, places=4, allow_nan=False, allow_infinity=False)
ORDER = ["unsatisfactory", "satisfactory", "proper", "effective"]


@given(averages, averages)
def test_grade_is_monotone_in_the_average(a, b):
    low, high = sorted((a, b))
    assert ORDER.index(TYPICAL.grade(low)) <= ORDER.index(TYPICAL.grade(high))


@given(st.lists(scores, min_size=5, max_size=5), st.sampled_from([None, *SANCTIONS]),
       st.sampled_from(["managerial", "non_managerial"]))
def test_no_result_above_a_cap_and_average_within_the_scale(values, sanction, form):
    parameters = [p.id for p in TYPICAL.forms[form].parameters]
    sheet = dict(zip(parameters, values, strict=True))
    cap = TYPICAL.max_score(form, "no_sanctions", sanction)
    try:
        result = TYPICAL.score(form, sheet, sanction=sanction)
    except ScoreError as exc:
        assert exc.code == "above_cap"
        assert sheet["no_sanctions"] > cap
        return
    assert result.scores["no_sanctions"] <= cap
    assert Decimal(0) <= result.average <= Decimal(5)
    assert min(values) <= result.average <= max(values)
    assert result.average == result.average.quantize(Decimal("0.01"))


@settings(max_examples=200)
@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 1)),
       st.integers(min_value=1, max_value=30))
def test_add_working_days_lands_on_the_nth_working_day(start, n):
    end = CAL.add_working_days(start, n)
    assert end > start
    assert CAL.is_working_day(end)
    assert CAL.working_days_between(start + timedelta(days=1), end) == n
    assert CAL.subtract_working_days(end, n) <= start


@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 1)))
def test_roll_forward_is_the_first_working_day_on_or_after(day):
    rolled = CAL.roll_forward(day)
    assert CAL.is_working_day(rolled)
    assert CAL.working_days_between(day, rolled - timedelta(days=1)) == 0


@given(st.decimals(min_value=0, max_value=250, places=3, allow_nan=False, allow_infinity=False))
def test_kpi_tables_are_consistent(percent):
    from scoring import kpi_allowed_range, kpi_max_score

    low, high = kpi_allowed_range(percent)
    assert Decimal(0) <= low <= high <= Decimal(5)
    assert kpi_max_score(percent) == low
