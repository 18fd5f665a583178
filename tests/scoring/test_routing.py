"""Who evaluates with which form: Typical cl. 3 p. 3, cl. 17; trade (seed 000) the same clauses."""

import pytest

from scoring import ScoreError, normalize_category

M, N = "managerial", "non_managerial"
DS, UH = "direct_supervisor", "unit_head"

# (category, managerial, unit-head flag in the roster) -> (form, evaluator, clause)
TYPICAL = [
    # ¶1: unit heads by category alone ...
    ("B-1", True, False, M, DS, "cl. 17 ¶1"),
    ("D-1", True, False, M, DS, "cl. 17 ¶1"),
    ("C-O-1", True, False, M, DS, "cl. 17 ¶1"),
    ("D-O-1", False, False, M, DS, "cl. 17 ¶1"),
    ("D-R-1", True, False, M, DS, "cl. 17 ¶1"),
    ("C-R-1", True, False, M, DS, "cl. 17 ¶1"),
    ("E-1", True, False, M, DS, "cl. 17 ¶1"),
    ("E-2", True, False, M, DS, "cl. 17 ¶1"),
    ("E-R-1", True, False, M, DS, "cl. 17 ¶1"),
    # ... and C-1 / D-3 only when they head the unit (department director, head of unit)
    ("C-1", True, True, M, DS, "cl. 17 ¶1"),
    ("D-3", True, True, M, DS, "cl. 17 ¶1"),
    # ¶2: other managerial positions -> head of the structural unit / body, form 1
    ("C-3", True, False, M, UH, "cl. 17 ¶2"),
    ("C-1", True, False, M, UH, "cl. 17 ¶2"),  # overlap with ¶3: the earlier paragraph wins
    ("D-3", True, False, M, UH, "cl. 17 ¶2"),
    ("C-4", True, True, M, UH, "cl. 17 ¶2"),  # the flag does not make C-4 a unit head
    # ¶3: C-1 and D-3 other than unit heads -> direct supervisor, form 2
    ("C-1", False, False, N, DS, "cl. 17 ¶3"),
    ("D-3", False, False, N, DS, "cl. 17 ¶3"),
    # ¶4: everyone else -> head of the structural unit / body, form 2
    ("C-4", False, False, N, UH, "cl. 17 ¶4"),
    ("C-5", False, False, N, UH, "cl. 17 ¶4"),
    ("D-4", False, False, N, UH, "cl. 17 ¶4"),
    ("E-3", False, False, N, UH, "cl. 17 ¶4"),
]

TRADE = [
    ("C-1", True, True, M, DS, "cl. 17 ¶1"),
    ("C-O-1", True, False, M, DS, "cl. 17 ¶1"),
    # B-1, D-1, D-3 heads are not unit heads in seed 000: ¶2 if managerial
    ("B-1", True, False, M, UH, "cl. 17 ¶2"),
    ("D-3", True, True, M, UH, "cl. 17 ¶2"),
    ("C-1", True, False, M, UH, "cl. 17 ¶2"),
    ("C-1", False, False, N, DS, "cl. 17 ¶3"),
    # seed 000 ¶3 names only C-1: a non-managerial D-3 goes to ¶4
    ("D-3", False, False, N, UH, "cl. 17 ¶4"),
    ("C-4", False, False, N, UH, "cl. 17 ¶4"),
]


def _check(methodology, category, managerial, flag, form, evaluator, clause):
    route = methodology.route(category=category, managerial=managerial, unit_head=flag)
    assert (route.form, route.evaluator, route.clause) == (form, evaluator, clause)


@pytest.mark.parametrize(("category", "managerial", "flag", "form", "evaluator", "clause"),
                         TYPICAL)
def test_typical_routing(typical, category, managerial, flag, form, evaluator, clause):
    _check(typical, category, managerial, flag, form, evaluator, clause)


@pytest.mark.parametrize(("category", "managerial", "flag", "form", "evaluator", "clause"),
                         TRADE)
def test_trade_routing(trade, category, managerial, flag, form, evaluator, clause):
    _check(trade, category, managerial, flag, form, evaluator, clause)


@pytest.mark.parametrize(
    ("category", "flag", "form"),
    [("B-1", False, "kpi"), ("C-1", False, "kpi"), ("C-O-1", False, "kpi"),
     ("B-3", True, "kpi"), ("C-3", True, "kpi"), ("C-3", False, "differentiation"),
     ("C-4", False, "differentiation")],
)
def test_justice_routing(justice, category, flag, form):
    """Justice cl. 2 p. 4: unit heads are evaluated by KPI, the others by differentiation."""
    assert justice.route(category=category, managerial=flag, unit_head=flag).form == form


def test_every_legacy_servant_goes_to_the_direct_supervisor(legacy):
    route = legacy.route(category="C-4", managerial=False, unit_head=False)
    assert route.evaluator == "direct_supervisor"


@pytest.mark.parametrize(
    ("typed", "code"),
    [("C-O-1", "C-O-1"), ("с-о-1", "C-O-1"), ("С–1", "C-1"), (" d r 1 ", "D-R-1"),
     ("Е-2", "E-2"), ("В-1", "B-1"), ("Д-4", "D-4"), ("C_4", "C-4")],
)
def test_category_codes_are_normalised(typed, code):
    assert normalize_category(typed) == code


@pytest.mark.parametrize("typed", ["", "Z-1", "C", "C-", "manager", "C-1-1"])
def test_bad_category_codes(typed):
    with pytest.raises(ScoreError) as exc:
        normalize_category(typed)
    assert exc.value.code == "bad_category"
