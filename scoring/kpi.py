"""KPI ("НМИ", "КЦИ") achievement tables: achievement % -> the score the evaluator may give."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from .decimals import format_plain, parse_decimal, truncate_percent
from .errors import ScoreError

HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class KpiRow:
    """Achievement ``low``–``high`` % (``high`` None: and above) allows min–max score."""

    low: Decimal
    high: Decimal | None
    min_score: Decimal
    max_score: Decimal

    def covers(self, percent: Decimal) -> bool:
        return self.low <= percent and (self.high is None or percent <= self.high)


@dataclass(frozen=True, slots=True)
class KpiTable:
    """One table of a methodology (rows from the highest % down)."""

    name: str
    clause: str
    rows: tuple[KpiRow, ...]

    def row_for(self, percent: object) -> KpiRow:
        """The row for an achievement %, cut to 0.01 (never rounded up into a better row)."""
        value = truncate_percent(parse_decimal(percent, what="achievement %", places=None))
        if value < 0:
            raise ScoreError(
                "negative_percent", f"achievement % cannot be negative: {percent}",
                value=str(percent),
            )
        for row in self.rows:
            if row.covers(value):
                return row
        raise AssertionError(f"table {self.name} validated on load covers every percent")

    def allowed_range(self, percent: object) -> tuple[Decimal, Decimal]:
        row = self.row_for(percent)
        return row.min_score, row.max_score

    def check(self, percent: object, score: object, *, kpi: str = "KPI") -> Decimal:
        """Parse ``score`` and refuse it outside the row for ``percent``."""
        value = parse_decimal(score, what=kpi)
        row = self.row_for(percent)
        if not row.min_score <= value <= row.max_score:
            raise ScoreError(
                "outside_kpi_range",
                f"{kpi}: {format_plain(value)} is outside {format_plain(row.min_score)}–"
                f"{format_plain(row.max_score)}, the range allowed at {percent}% "
                f"({self.clause})",
                parameter=kpi, value=str(score), low=row.min_score, high=row.max_score,
            )
        return value


def achievement_percent(planned: object, actual: object) -> Decimal:
    """Actual as a % of planned, cut to 0.01 (planned 8, actual 7 -> 87.5)."""
    plan = parse_decimal(planned, what="planned value", places=None)
    fact = parse_decimal(actual, what="actual value", places=None)
    if plan <= 0:
        raise ScoreError("bad_plan", f"planned value must be positive, got {planned}",
                         value=str(planned))
    if fact < 0:
        raise ScoreError("negative_actual", f"actual value cannot be negative, got {actual}",
                         value=str(actual))
    return truncate_percent(fact / plan * HUNDRED)


def validate_rows(rows: Sequence[KpiRow]) -> str | None:
    """Why ``rows`` do not cover 0 % … ∞ in order without gaps at 0.01, or ``None``."""
    if not rows:
        return "has no rows"
    if rows[0].high is not None:
        return "the first row must be open-ended (no 'to')"
    for upper, lower in pairwise(rows):
        if lower.high is None or lower.high + Decimal("0.01") != upper.low:
            return f"row from {lower.low} does not end 0.01 below {upper.low}"
    if rows[-1].low != 0:
        return "the last row must start at 0"
    for row in rows:
        if row.high is not None and row.high < row.low:
            return f"row from {row.low} ends below its start"
        if row.min_score > row.max_score:
            return f"row from {row.low} has min above max"
    return None


def _corps_a_table(attribute: str) -> KpiTable:
    from .loader import load_methodology

    corps_a = load_methodology("typical-2025").corps_a
    assert corps_a is not None
    table: KpiTable = getattr(corps_a, attribute)
    return table


def kpi_allowed_range(percent: object) -> tuple[Decimal, Decimal]:
    """The allowed score range for a KPI achievement % (004 app. 1 app. 5; justice app. 3)."""
    return _corps_a_table("allowed_range_table").allowed_range(percent)


def kpi_max_score(percent: object) -> Decimal:
    """The maximum score for the instructions-execution KPI (004 app. 1 app. 4)."""
    return _corps_a_table("max_score_table").allowed_range(percent)[1]
