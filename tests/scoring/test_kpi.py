"""KPI tables: justice app. 3 and corps "A" app. 4 (maximum) / app. 5 (allowed range)."""

from decimal import Decimal

import pytest

from scoring import ScoreError, achievement_percent, kpi_allowed_range, kpi_max_score

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
