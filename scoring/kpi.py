"""KPI ("НМИ", "КЦИ") achievement tables: achievement % -> the score the evaluator may give."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise
from typing import TYPE_CHECKING

from .decimals import format_plain, parse_decimal, truncate_percent
from .errors import ScoreError

if TYPE_CHECKING:
    from .methodology import Methodology

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


DEFAULT_METHODOLOGY = "typical-2025"  # whose corps "A" tables are used when none is given


def allowed_range_table(methodology: Methodology) -> KpiTable:
    """The methodology's allowed-range table: its KPI table when that is one (justice app. 3),
    else corps "A" app. 5."""
    if methodology.kpi is not None and methodology.kpi.table.name == "allowed_range":
        return methodology.kpi.table
    if methodology.corps_a is not None:
        return methodology.corps_a.allowed_range_table
    raise ScoreError("no_kpi", f"{methodology.id} has no KPI allowed-range table")


def max_score_table(methodology: Methodology) -> KpiTable:
    """The methodology's maximum-score table: its KPI table when that is one, else corps "A"
    app. 4."""
    if methodology.kpi is not None and methodology.kpi.table.name == "max_score":
        return methodology.kpi.table
    if methodology.corps_a is not None:
        return methodology.corps_a.max_score_table
    raise ScoreError("no_kpi", f"{methodology.id} has no KPI maximum-score table")


def _table(source: Methodology | KpiTable | None,
           of: Callable[[Methodology], KpiTable]) -> KpiTable:
    if isinstance(source, KpiTable):
        return source
    if source is None:
        from .loader import load_methodology

        source = load_methodology(DEFAULT_METHODOLOGY)
    return of(source)


def kpi_allowed_range(percent: object, source: Methodology | KpiTable | None = None
                      ) -> tuple[Decimal, Decimal]:
    """The allowed score range for a KPI achievement % (004 app. 1 app. 5; justice app. 3) in
    ``source``: the methodology that runs, or the table itself; typical-2025's app. 5 when none
    is given."""
    return _table(source, allowed_range_table).allowed_range(percent)


def kpi_max_score(percent: object, source: Methodology | KpiTable | None = None) -> Decimal:
    """The maximum score for the instructions-execution KPI (004 app. 1 app. 4) in ``source``:
    the methodology that runs, or the table itself; typical-2025's app. 4 when none is given."""
    return _table(source, max_score_table).allowed_range(percent)[1]
