"""KPI work plans: how many KPIs a plan has, by when it is set, when it is too late for one and
by when a returned plan is resubmitted (justice cl. 27–33; legacy seeds 001, 002 cl. 9–18)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from .decimals import parse_decimal
from .errors import ScoreError
from .periods import Quarter, add_months
from .workdays import WorkCalendar

if TYPE_CHECKING:
    from .methodology import Methodology

QUARTERS = 4
PLAN_FORMS = frozenset({"kpi", "kpi_count"})
# Justice sets no term for resubmitting a returned plan; the legacy seeds' two working days
# (001 cl. 12–13: "resubmitted within 2 working days") stand in for it.
DEFAULT_RESUBMIT_WORKING_DAYS = 2


@dataclass(frozen=True, slots=True)
class PlanRules:
    """A methodology's rules for the annual KPI work plan."""

    clause: str
    min_count: int
    max_count: int
    quarterly: bool  # a planned value per quarter (justice cl. 28–29), or the year's (legacy)
    plan_within_working_days: int
    resubmit_working_days: int
    no_kpi_when_months_left_below: int  # 0: a plan is always set

    def period_start(self, year: int, appointed_on: date) -> date:
        """The plan counts from the later of 1 January and the appointment."""
        return max(date(year, 1, 1), appointed_on)

    def too_late(self, year: int, start: date) -> bool:
        """Justice cl. 28: no KPI is set when less than N months of ``year`` remain after
        ``start`` (the period start or the appointment)."""
        months = self.no_kpi_when_months_left_below
        return bool(months) and add_months(start, months) > date(year, 12, 31) + timedelta(days=1)

    def due_on(self, start: date, calendar: WorkCalendar) -> date:
        """The plan is set within N working days of ``start`` (justice cl. 28; legacy cl. 9,
        14)."""
        return calendar.add_working_days(start, self.plan_within_working_days)

    def resubmit_due(self, returned_on: date, calendar: WorkCalendar) -> date:
        """A returned plan is resubmitted within N working days (legacy cl. 12–13)."""
        return calendar.add_working_days(returned_on, self.resubmit_working_days)

    def may_add(self, count: int) -> bool:
        return count < self.max_count

    def accepts(self, count: int) -> bool:
        """A plan of ``count`` KPIs may be submitted."""
        return self.min_count <= count <= self.max_count

    def parse_planned(self, text: str) -> tuple[Decimal, ...]:
        """The planned values typed as "10; 10; 12; 15", or one for the whole period: positive,
        one or (when the plan is quarterly) four of them."""
        parts = [p for p in text.split(";") if p.strip()]
        values = tuple(parse_decimal(p, what="planned value", places=None) for p in parts)
        counts = (1, QUARTERS) if self.quarterly else (1,)
        if not values or any(v <= 0 for v in values) or len(values) not in counts:
            raise ScoreError("bad_plan", f"planned values must be positive, "
                             f"{' or '.join(map(str, counts))} of them: {text!r}", value=text)
        return values

    def period(self, quarter: Quarter) -> int:
        """The period an actual value is entered for: the quarter's number, or 0 for the year."""
        return quarter.number if self.quarterly else 0


def plan_rules(methodology: Methodology) -> PlanRules | None:
    """The plan rules of a methodology that evaluates by KPI: justice's ``[kpi]`` (3–5 KPIs with
    quarterly values) or the legacy ``[kpi_plan]`` (a fixed count for the year); else None."""
    if methodology.kpi is not None:
        rules = methodology.kpi
        return PlanRules(rules.clause, rules.min_count, rules.max_count, True,
                         rules.plan_within_working_days, DEFAULT_RESUBMIT_WORKING_DAYS,
                         rules.no_kpi_when_months_left_below)
    if methodology.kpi_plan is not None:
        legacy = methodology.kpi_plan
        return PlanRules(legacy.clause, legacy.count, legacy.count, False,
                         legacy.plan_within_working_days, legacy.resubmit_working_days, 0)
    return None


def evaluated_by_kpi(methodology: Methodology, *, category: str, managerial: bool,
                     unit_head: bool) -> bool:
    """Whether the servant's sheet (cl. 17 routing) is a KPI form, so that he has a plan."""
    route = methodology.route(category=category, managerial=managerial, unit_head=unit_head)
    return methodology.forms[route.form].kind in PLAN_FORMS
