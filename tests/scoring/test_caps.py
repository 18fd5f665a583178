"""Parameter 5 caps: remark/reprimand/severe reprimand <= 2.99, any other sanction <= 1.99."""

from decimal import Decimal

import pytest

from scoring import ScoreError, load_methodology

FULL = {"quality": "5", "deadlines": "5", "leadership": "5", "labour_discipline": "5"}


@pytest.mark.parametrize(
    ("sanction", "cap"),
    [("remark", "2.99"), ("reprimand", "2.99"), ("severe_reprimand", "2.99"),
     ("other", "1.99"), (None, "5")],
)
def test_cap_on_parameter_five(typical, sanction, cap):
    assert typical.max_score("managerial", "no_sanctions", sanction) == Decimal(cap)
    assert typical.max_score("managerial", "quality", sanction) == Decimal("5")
    result = typical.score("managerial", {**FULL, "no_sanctions": cap}, sanction=sanction)
    assert result.scores["no_sanctions"] == Decimal(cap)


@pytest.mark.parametrize(("sanction", "above"), [("reprimand", "3"), ("other", "2")])
def test_above_the_cap_is_refused_with_the_reason(typical, sanction, above):
    with pytest.raises(ScoreError) as exc:
        typical.score("non_managerial", {"quality": "5", "deadlines": "5", "independence": "5",
                                         "labour_discipline": "5", "no_sanctions": above},
                      sanction=sanction)
    assert exc.value.code == "above_cap"
    assert exc.value.parameter == "no_sanctions"
    assert str(exc.value.limit) in str(exc.value)
    assert "sanction" in str(exc.value)


def test_several_sanctions_take_the_strictest_cap(typical):
    assert typical.max_score("managerial", "no_sanctions", ["remark", "other"]) == Decimal("1.99")


def test_unknown_sanction(typical):
    with pytest.raises(ScoreError) as exc:
        typical.max_score("managerial", "no_sanctions", "fine")
    assert exc.value.code == "unknown_sanction"


def test_overall_scope_caps_the_average(tmp_path):
    """An agency may read the cap as applying to the whole score (sanctions.scope = overall)."""
    path = tmp_path / "overall.toml"
    path.write_text('schema = 1\nextends = "typical-2025"\nid = "overall"\n'
                    '[sanctions]\nscope = "overall"\n', encoding="utf-8")
    methodology = load_methodology(path)
    result = methodology.score("managerial", {**FULL, "no_sanctions": "5"}, sanction="remark")
    assert (result.average, result.capped, result.grade) == (Decimal("2.99"), True, "satisfactory")
    assert methodology.max_score("managerial", "no_sanctions", "remark") == Decimal("5")


@pytest.mark.parametrize(
    ("scope", "sanction", "average", "grade"),
    [
        # the default reading caps parameter 5 only: a sanctioned servant can still be effective
        ("parameter", "remark", "4.60", "effective"),
        ("parameter", "severe_reprimand", "4.60", "effective"),
        ("parameter", "other", "4.40", "effective"),
        # read as a cap on the overall score, 2.99 and 1.99 are the tops of the lower bands
        ("overall", "remark", "2.99", "satisfactory"),
        ("overall", "severe_reprimand", "2.99", "satisfactory"),
        ("overall", "other", "1.99", "unsatisfactory"),
    ],
)
def test_what_each_reading_of_the_cap_means(tmp_path, typical, scope, sanction, average, grade):
    """Issue 15 item 8: the best a sanctioned servant can reach under each reading."""
    methodology = typical
    if scope == "overall":
        path = tmp_path / "overall.toml"
        path.write_text('schema = 1\nextends = "typical-2025"\nid = "overall"\n'
                        '[sanctions]\nscope = "overall"\n', encoding="utf-8")
        methodology = load_methodology(path)
    best = methodology.best_with(sanction)
    assert (best.average, best.grade) == (Decimal(average), grade)

