"""KPI tables: justice app. 3 and corps "A" app. 4 (maximum) / app. 5 (allowed range), taken
from the methodology given; the KPI work plan's rules (justice cl. 28; legacy cl. 9–18)."""

from datetime import date
from decimal import Decimal

import pytest

from scoring import (
    KpiTable,
    Quarter,
    ScoreError,
    achievement_percent,
    kpi_allowed_range,
    kpi_max_score,
)
from scoring.kpi import KpiRow, allowed_range_table, max_score_table
from scoring.kpi_plans import evaluated_by_kpi, plan_rules

D = Decimal
# Every row edge of the allowed-range table (justice app. 3 = corps "A" app. 5): step 5 % / 0.25.
ROW_EDGES = [("100", "5", "5"), ("150", "5", "5"), ("99.99", "4.75", "4.99")]
for i in range(19, -1, -1):
    low = D(5) * i
    ROW_EDGES += [(str(low), str(D("0.25") * i), str(D("0.25") * i + D("0.24"))),
                  (str(low + D("4.99")), str(D("0.25") * i), str(D("0.25") * i + D("0.24")))]


@pytest.mark.parametrize(("percent", "low", "high"), ROW_EDGES)
def test_allowed_range_row_edges(justice, percent, low, high):
    assert kpi_allowed_range(percent) == (D(low), D(high))
    assert justice.kpi.table.allowed_range(percent) == (D(low), D(high))


@pytest.mark.parametrize(("percent", "low", "high"), ROW_EDGES)
def test_max_score_is_the_lower_end_of_the_allowed_range(percent, low, high):
    """SPEC §2: the app. 4 maximum equals the lower end of the app. 5 range for the same %."""
    assert kpi_max_score(percent) == D(low)


def test_the_issue_example():
    assert kpi_allowed_range(Decimal("87.5")) == (Decimal("4.25"), Decimal("4.49"))


def test_the_40_row_is_read_as_40_to_44_99():
    """The acts print "40-44,49"; 44.5–44.99 would otherwise fall in no row."""
    assert kpi_allowed_range("44.75") == (D("2"), D("2.24"))


def test_percent_is_cut_not_rounded_up():
    assert kpi_allowed_range("99.999") == (D("4.75"), D("4.99"))
    assert kpi_allowed_range("94,995") == (D("4.5"), D("4.74"))


def test_negative_percent_is_refused():
    with pytest.raises(ScoreError) as exc:
        kpi_allowed_range("-1")
    assert exc.value.code == "negative_percent"


@pytest.mark.parametrize(
    ("planned", "actual", "percent"),
    [("8", "7", "87.5"), ("3", "2", "66.66"), ("100", "120", "120"), ("5", "0", "0")],
)
def test_achievement_percent(planned, actual, percent):
    assert achievement_percent(planned, actual) == D(percent)


def test_a_plan_of_zero_is_refused():
    with pytest.raises(ScoreError) as exc:
        achievement_percent("0", "5")
    assert exc.value.code == "bad_plan"


def test_check_score_against_the_row(justice):
    table = justice.kpi.table
    assert table.check("87.5", "4,30") == D("4.3")
    for bad in ("4.24", "4.5"):
        with pytest.raises(ScoreError) as exc:
            table.check("87.5", bad)
        assert exc.value.code == "outside_kpi_range"
        assert "4.25–4.49" in str(exc.value)


# ------------------------------------------------------------------ whose tables
def test_the_tables_are_those_of_the_methodology_given(typical, justice):
    assert allowed_range_table(justice) is justice.kpi.table
    assert allowed_range_table(typical) is typical.corps_a.allowed_range_table
    assert max_score_table(typical) is typical.corps_a.max_score_table
    assert kpi_allowed_range("87.5", justice) == justice.kpi.table.allowed_range("87.5")


def test_a_table_passed_is_used_as_it_is():
    own = KpiTable("own", "cl. 1", (KpiRow(D(50), None, D(4), D(5)),
                                    KpiRow(D(0), D("49.99"), D(0), D(1))))
    assert kpi_allowed_range("87.5", own) == (D(4), D(5))
    assert kpi_max_score("10", own) == D(1)


def test_without_a_methodology_typical_2025_corps_a_is_used(typical):
    assert kpi_allowed_range("87.5") == kpi_allowed_range("87.5", typical)
    assert kpi_max_score("87.5") == kpi_max_score("87.5", typical) == D("4.25")


def test_a_methodology_without_the_table_says_so(justice, legacy):
    for call in (lambda: kpi_max_score("87.5", justice),  # justice has app. 3 only
                 lambda: kpi_allowed_range("87.5", legacy)):
        with pytest.raises(ScoreError) as exc:
            call()
        assert exc.value.code == "no_kpi"


# ------------------------------------------------------------------ work plans
def test_justice_plan_rules(justice, cal):
    rules = plan_rules(justice)
    assert (rules.min_count, rules.max_count, rules.quarterly) == (3, 5, True)
    assert rules.due_on(rules.period_start(2026, date(2019, 1, 1)), cal) == date(2026, 1, 19)
    assert rules.period_start(2026, date(2026, 3, 2)) == date(2026, 3, 2)
    assert rules.resubmit_due(date(2026, 1, 12), cal) == date(2026, 1, 14)
    assert not rules.accepts(2) and rules.accepts(3) and rules.accepts(5)
    assert rules.may_add(4) and not rules.may_add(5)
    assert rules.period(Quarter(2026, 3)) == 3


def test_no_kpi_with_less_than_three_months_left(justice):
    """Cl. 28: appointed on 1 October, three months remain; on 2 October, fewer."""
    rules = plan_rules(justice)
    assert rules.no_kpi_when_months_left_below == 3
    assert not rules.too_late(2026, date(2026, 10, 1))
    assert rules.too_late(2026, date(2026, 10, 2))


def test_legacy_plan_rules(legacy, cal):
    rules = plan_rules(legacy)
    assert (rules.min_count, rules.max_count, rules.quarterly) == (5, 5, False)
    assert rules.resubmit_working_days == 2
    assert not rules.too_late(2026, date(2026, 12, 1))
    assert rules.period(Quarter(2026, 3)) == 0


def test_planned_values(justice, legacy):
    quarterly, annual = plan_rules(justice), plan_rules(legacy)
    assert quarterly.parse_planned("10; 10; 12,5; 15") == (D(10), D(10), D("12.5"), D(15))
    assert quarterly.parse_planned("100") == (D(100),)
    assert annual.parse_planned(" 8 ") == (D(8),)
    for rules, bad in ((quarterly, "1; 2"), (quarterly, "0"), (quarterly, "-1"),
                       (quarterly, "abc"), (quarterly, ";"), (annual, "1; 2; 3; 4")):
        with pytest.raises(ScoreError):
            rules.parse_planned(bad)


def test_who_has_a_plan(justice, legacy, typical):
    assert evaluated_by_kpi(justice, category="C-3", managerial=True, unit_head=True)
    assert not evaluated_by_kpi(justice, category="C-4", managerial=False, unit_head=False)
    assert evaluated_by_kpi(legacy, category="C-4", managerial=False, unit_head=False)
    assert plan_rules(typical) is None
