"""Grade bands (typical cl. 8, justice cl. 13, corps "A" app. 1 cl. 21) and the rounding rule."""

from decimal import Decimal

import pytest

# Typical cl. 8: 4–5 effective, 3–3.99 proper, 2–2.99 satisfactory, 0–1.99 unsatisfactory.
# Half-up to 0.01 before banding: 3.995 is 4.00, 3.994 is 3.99.
BAND_EDGES = [
    ("0", "unsatisfactory"),
    ("1.99", "unsatisfactory"),
    ("1.994", "unsatisfactory"),
    ("1.995", "satisfactory"),
    ("2", "satisfactory"),
    ("2.99", "satisfactory"),
    ("2.994999", "satisfactory"),
    ("2.995", "proper"),
    ("3", "proper"),
    ("3.99", "proper"),
    ("3.994", "proper"),
    ("3.995", "effective"),
    ("4", "effective"),
    ("4.5", "effective"),
    ("5", "effective"),
]


@pytest.mark.parametrize(("value", "grade"), BAND_EDGES)
@pytest.mark.parametrize("name", ["typical", "trade", "justice"])
def test_band_edges(request, name, value, grade):
    methodology = request.getfixturevalue(name)
    assert methodology.grade(Decimal(value)) == grade


def test_grade_labels_are_the_official_wording(typical):
    band = typical.grade_band(Decimal("3.5"))
    assert band.label.ru == "Выполняет функциональные обязанности надлежащим образом"
    assert band.label.kk == "Функционалдық міндеттерін тиісті түрде атқарады"


@pytest.mark.parametrize(
    ("value", "grade"),
    [("0", "unsatisfactory"), ("2.99", "unsatisfactory"), ("2.995", "satisfactory"),
     ("3", "satisfactory"), ("3.99", "satisfactory"), ("4", "effective"), ("5", "effective")],
)
def test_corps_a_bands(typical, value, grade):
    from scoring.methodology import band_for

    assert band_for(typical.corps_a.grades, Decimal(value)).code == grade


def test_legacy_grades_by_kpi_count_not_by_average(legacy):
    from scoring import ScoreError

    with pytest.raises(ScoreError) as exc:
        legacy.grade(Decimal("4"))
    assert exc.value.code == "no_grades"
