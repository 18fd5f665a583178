"""Scoring a sheet: average = sum / number of parameters (typical cl. 18, app. 1–2 note)."""

from decimal import Decimal

import pytest

from scoring import ScoreError, load_methodology

NON_MANAGERIAL = {"quality": "4.5", "deadlines": "4", "independence": "4,75",
                  "labour_discipline": 5, "no_sanctions": "3"}


def test_average_and_grade(typical):
    result = typical.score("non_managerial", NON_MANAGERIAL)
    assert result.average == Decimal("4.25")
    assert result.grade == "effective"
    assert list(result.scores) == ["quality", "deadlines", "independence",
                                   "labour_discipline", "no_sanctions"]
    assert result.scores["independence"] == Decimal("4.75")


def test_average_is_rounded_half_up(typical):
    scores = {"quality": "4", "deadlines": "4", "leadership": "4",
              "labour_discipline": "4", "no_sanctions": "3.99"}
    result = typical.score("managerial", scores)  # 19.99 / 5 = 3.998
    assert result.average == Decimal("4.00")
    assert result.grade == "effective"


@pytest.mark.parametrize(
    ("scores", "code", "parameter"),
    [
        ({**NON_MANAGERIAL, "quality": "5.01"}, "above_max", "quality"),
        ({**NON_MANAGERIAL, "quality": "-0.01"}, "below_min", "quality"),
        ({**NON_MANAGERIAL, "quality": "4.755"}, "too_many_decimals", None),
        ({**NON_MANAGERIAL, "quality": "four"}, "not_a_number", None),
        ({k: v for k, v in NON_MANAGERIAL.items() if k != "deadlines"},
         "missing_parameter", "deadlines"),
        ({**NON_MANAGERIAL, "leadership": "4"}, "unknown_parameter", "leadership"),
    ],
)
def test_invalid_sheets_name_the_problem(typical, scores, code, parameter):
    with pytest.raises(ScoreError) as exc:
        typical.score("non_managerial", scores)
    assert exc.value.code == code
    if parameter:
        assert exc.value.parameter == parameter
        assert parameter in str(exc.value)


def test_out_of_range_message_names_the_bounds(typical):
    with pytest.raises(ScoreError, match=r"quality: 6 is outside the scale 0–5"):
        typical.parse_score("managerial", "quality", "6")


def test_unknown_form(typical):
    with pytest.raises(ScoreError) as exc:
        typical.score("kpi", NON_MANAGERIAL)
    assert exc.value.code == "unknown_form"


@pytest.mark.parametrize(
    ("typed", "value"),
    [("4,75", "4.75"), ("4.75", "4.75"), (" 4 ", "4"), ("4.50", "4.5"), ("0", "0"),
     ("5", "5"), (",5", "0.5"), ("4.", "4")],
)
def test_typed_scores(typical, typed, value):
    assert typical.parse_score("managerial", "quality", typed) == Decimal(value)


@pytest.mark.parametrize("typed", ["", "4,7,5", "4.7.5", "1e1", "NaN", "Infinity", "4 ,75x",
                                   "--1", "٤"])
def test_not_numbers(typical, typed):
    with pytest.raises(ScoreError) as exc:
        typical.parse_score("managerial", "quality", typed)
    assert exc.value.code == "not_a_number"


def test_justice_differentiation_scale_is_0_to_5(justice):
    """Justice cl. 37 says 0–5, its app. 4 form says 1–5: the clause wins (SPEC §2)."""
    scores = {"quality": "0", "deadlines": "5", "independence_initiative": "5",
              "labour_discipline": "5"}
    assert justice.score("differentiation", scores).average == Decimal("3.75")


def test_justice_has_no_sanction_caps(justice):
    assert justice.sanctions is None


def test_annual_score_averages_the_evaluated_quarters():
    from scoring import annual_score

    assert annual_score([Decimal("4"), Decimal("3.5"), Decimal("4.25")]) == Decimal("3.92")
    assert annual_score([]) is None


def test_kpi_form_scores_through_score_kpis(justice):
    result = justice.score_kpis([("100", "5"), ("87.5", "4.3"), ("42", "2.24")])
    assert result.average == Decimal("3.85")
    assert result.grade == "proper"


def test_kpi_score_outside_the_allowed_range(justice):
    with pytest.raises(ScoreError) as exc:
        justice.score_kpis([("100", "5"), ("87.5", "4.5"), ("42", "2")])
    assert exc.value.code == "outside_kpi_range"
    assert (exc.value.low, exc.value.high) == (Decimal("4.25"), Decimal("4.49"))
    assert "KPI 2" in str(exc.value)


@pytest.mark.parametrize("count", [2, 6])
def test_kpi_count(justice, count):
    with pytest.raises(ScoreError) as exc:
        justice.score_kpis([("100", "5")] * count)
    assert exc.value.code == "kpi_count"


def test_a_fresh_load_of_a_builtin_is_cached():
    assert load_methodology("typical-2025") is load_methodology("typical-2025")
