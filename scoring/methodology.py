"""A methodology as data: forms, scale, grades, caps, routing, deadlines — and scoring a sheet."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .calibration import CalibrationRules
from .confidentiality import Confidentiality
from .decimals import format_plain, parse_decimal, round_score
from .eligibility import Eligibility, EligibilityRules, check_eligibility
from .errors import ScoreError
from .kpi import KpiTable
from .legacy import CommissionRules, CompetencyAssessmentRules, KpiPlanRules
from .periods import Quarter, deadline_after
from .routing import Route, Routing
from .survey import Survey360Rules, WorkingConditionsSurvey
from .text import Text
from .workdays import WorkCalendar

SANCTIONS = ("remark", "reprimand", "severe_reprimand", "other")
"""Disciplinary sanction codes; "other" is any sanction but the first three."""

HAND_OVER_ABOVE = 20
"""Typical cl. 18: an evaluator of more than twenty servants may have a colleague evaluate
some of them."""


def may_hand_over(evaluatees: int) -> bool:
    """Whether an evaluator with this many pending evaluatees may hand sheets over (cl. 18)."""
    return evaluatees > HAND_OVER_ABOVE


@dataclass(frozen=True, slots=True)
class Scale:
    min: Decimal
    max: Decimal


@dataclass(frozen=True, slots=True)
class GradeBand:
    code: str
    min: Decimal  # the band runs up to the next better band's min, exclusive
    label: Text


@dataclass(frozen=True, slots=True)
class Parameter:
    id: str
    title: Text
    hint: Text


@dataclass(frozen=True, slots=True)
class Form:
    """An evaluation sheet (appendices 1, 2 of the Typical methodology)."""

    id: str
    kind: str  # parameters | kpi | kpi_count | competencies
    title: Text
    preamble: Text
    footnote: Text | None
    scale: Scale
    parameters: tuple[Parameter, ...]

    def parameter(self, parameter_id: str) -> Parameter:
        for parameter in self.parameters:
            if parameter.id == parameter_id:
                return parameter
        raise ScoreError(
            "unknown_parameter",
            f"form {self.id!r} has no parameter {parameter_id!r} "
            f"(it has {', '.join(p.id for p in self.parameters)})",
            parameter=parameter_id,
        )


@dataclass(frozen=True, slots=True)
class SanctionCap:
    sanctions: frozenset[str]
    max: Decimal
    reason: Text


@dataclass(frozen=True, slots=True)
class Sanctions:
    """Caps for a disciplinary sanction in the quarter, on one parameter or on the average."""

    clause: str
    scope: str  # "parameter" | "overall"
    parameter: str | None
    caps: tuple[SanctionCap, ...]

    def cap_for(self, sanction: str | Iterable[str] | None) -> SanctionCap | None:
        """The strictest cap among the quarter's sanctions (``None``: no sanction, no cap)."""
        codes = [sanction] if isinstance(sanction, str) else list(sanction or ())
        caps = []
        for code in codes:
            if code not in SANCTIONS:
                raise ScoreError(
                    "unknown_sanction",
                    f"unknown sanction {code!r} (use one of {', '.join(SANCTIONS)})",
                    sanction=code,
                )
            caps += [cap for cap in self.caps if code in cap.sanctions]
        return min(caps, key=lambda cap: cap.max, default=None)


@dataclass(frozen=True, slots=True)
class Deadlines:
    clause: str
    evaluation_day: int
    annual_final_month: int
    annual_final_day: int
    results_delivery_working_days: int | None


@dataclass(frozen=True, slots=True)
class KpiRules:
    """KPI evaluation of unit heads (justice cl. 27–33)."""

    clause: str
    min_count: int
    max_count: int
    table: KpiTable
    plan_within_working_days: int
    plan_posting_working_days: int
    no_kpi_when_months_left_below: int
    actuals_before_deadline_working_days: int
    head_notice_day: int


@dataclass(frozen=True, slots=True)
class CorpsARules:
    """Corps "A" (004 app. 1): other bands, 3 months in the post, the two KPI tables."""

    clause: str
    min_months_in_position: int
    min_worked_days: int
    kpi_count: int
    evaluation_month: int
    evaluation_day: int
    grades: tuple[GradeBand, ...]
    max_score_table: KpiTable
    allowed_range_table: KpiTable


@dataclass(frozen=True, slots=True)
class ScoreResult:
    """A scored sheet: the exact scores, the average (2 places, half-up) and its grade."""

    form: str
    scores: Mapping[str, Decimal]
    average: Decimal
    grade: str
    cap: SanctionCap | None
    capped: bool  # the average was lowered to an overall cap


@dataclass(frozen=True, slots=True)
class KpiResult:
    scores: tuple[Decimal, ...]
    average: Decimal
    grade: str


def band_for(bands: Sequence[GradeBand], value: Decimal) -> GradeBand:
    """The band of a score after rounding half-up to 0.01 (3.995 -> 4.00 -> the top band)."""
    rounded = round_score(value)
    for band in bands:
        if rounded >= band.min:
            return band
    raise ScoreError("below_scale", f"{value} is below the lowest grade band",
                     value=str(value), limit=bands[-1].min)


@dataclass(frozen=True, slots=True)
class Methodology:
    """Everything a body's methodology decides, loaded from its TOML file."""

    id: str
    title: Text
    source: str
    corps: str
    period: str  # quarter | year
    official_languages: tuple[str, ...]
    notes: tuple[str, ...]
    scale: Scale | None
    grades: tuple[GradeBand, ...]
    forms: Mapping[str, Form]
    routing: Routing
    eligibility_rules: EligibilityRules
    deadlines: Deadlines
    retention_years: int
    confidentiality: Confidentiality
    sanctions: Sanctions | None
    calibration: CalibrationRules | None
    kpi_tables: Mapping[str, KpiTable]
    kpi: KpiRules | None
    survey360: Survey360Rules | None
    working_conditions: WorkingConditionsSurvey | None
    corps_a: CorpsARules | None
    kpi_plan: KpiPlanRules | None
    competency_assessment: CompetencyAssessmentRules | None
    commission: CommissionRules | None

    # ------------------------------------------------------------------ routing, grades
    def route(self, *, category: str, managerial: bool, unit_head: bool) -> Route:
        """Which form and which evaluator (cl. 17), first matching rule wins."""
        return self.routing.route(category=category, managerial=managerial, unit_head=unit_head)

    def grade(self, average: Decimal) -> str:
        """The grade code of a score, rounded half-up to 0.01 first."""
        return self.grade_band(average).code

    def grade_band(self, average: Decimal) -> GradeBand:
        if not self.grades:
            raise ScoreError("no_grades", f"{self.id} grades by KPI count, not by a score")
        return band_for(self.grades, average)

    # ------------------------------------------------------------------ one answer
    def form(self, form_id: str) -> Form:
        try:
            return self.forms[form_id]
        except KeyError:
            raise ScoreError(
                "unknown_form",
                f"{self.id} has no form {form_id!r} (it has {', '.join(self.forms)})",
            ) from None

    def cap(self, form_id: str, parameter_id: str,
            sanction: str | Iterable[str] | None) -> SanctionCap | None:
        """The cap on one parameter for the quarter's sanctions, if the cap applies to it."""
        if self.sanctions is None or self.sanctions.scope != "parameter":
            return None
        if parameter_id != self.sanctions.parameter:
            self.sanctions.cap_for(sanction)  # still refuse an unknown sanction code
            return None
        self.form(form_id).parameter(parameter_id)
        return self.sanctions.cap_for(sanction)

    def max_score(self, form_id: str, parameter_id: str,
                  sanction: str | Iterable[str] | None = None) -> Decimal:
        """The highest score the evaluator may give this parameter (for the keyboard)."""
        form = self.form(form_id)
        form.parameter(parameter_id)
        cap = self.cap(form_id, parameter_id, sanction)
        return min(form.scale.max, cap.max) if cap else form.scale.max

    def parse_score(self, form_id: str, parameter_id: str, value: object,
                    sanction: str | Iterable[str] | None = None) -> Decimal:
        """Read one typed score and check it against the scale and the sanction cap."""
        form = self.form(form_id)
        form.parameter(parameter_id)
        score = parse_decimal(value, what=parameter_id)
        cap = self.cap(form_id, parameter_id, sanction)
        low, high = form.scale.min, form.scale.max
        allowed = min(high, cap.max) if cap else high
        if score < low or score > high:
            raise ScoreError(
                "below_min" if score < low else "above_max",
                f"{parameter_id}: {format_plain(score)} is outside the scale "
                f"{format_plain(low)}–{format_plain(high)}",
                parameter=parameter_id, value=str(value), low=low, high=allowed,
                limit=low if score < low else allowed,
            )
        if cap and score > cap.max:
            raise ScoreError(
                "above_cap",
                f"{parameter_id}: {format_plain(score)} is above {format_plain(cap.max)}, the "
                f"cap for a disciplinary sanction in the quarter ({cap.reason.en})",
                parameter=parameter_id, value=str(value), limit=cap.max, low=low, high=cap.max,
                sanction=next(iter(sorted(cap.sanctions))),
            )
        return score

    def best_with(self, sanction: str) -> ScoreResult | None:
        """The best result a sheet can reach in a quarter with ``sanction`` (every parameter
        at its highest allowed score, the best form): what the body's reading of the sanction
        caps means (app. 1, 2, parameter 5; ``sanctions.scope``). ``None`` without parameter
        forms."""
        results = [self.score(form.id, {p.id: self.max_score(form.id, p.id, sanction)
                                        for p in form.parameters}, sanction)
                   for form in self.forms.values() if form.kind == "parameters"]
        return max(results, key=lambda r: r.average, default=None)

    # ------------------------------------------------------------------ a whole sheet
    def score(self, form_id: str, scores: Mapping[str, object],
              sanction: str | Iterable[str] | None = None) -> ScoreResult:
        """Score a complete sheet: every parameter once, average = sum / count (cl. 18)."""
        form = self.form(form_id)
        if form.kind != "parameters":
            raise ScoreError("wrong_form_kind", f"form {form_id!r} is scored by {form.kind}")
        for parameter_id in scores:
            form.parameter(parameter_id)
        missing = [p.id for p in form.parameters if p.id not in scores]
        if missing:
            raise ScoreError(
                "missing_parameter",
                f"form {form_id!r}: no score for {', '.join(missing)}",
                parameter=missing[0],
            )
        parsed = {p.id: self.parse_score(form_id, p.id, scores[p.id], sanction)
                  for p in form.parameters}
        average = round_score(sum(parsed.values(), Decimal(0)) / len(parsed))
        sanctions = self.sanctions
        cap = sanctions.cap_for(sanction) if sanctions else None
        if cap and sanctions and sanctions.scope == "parameter" and (
                sanctions.parameter is None or sanctions.parameter not in parsed):
            cap = None
        capped = False
        if cap and sanctions and sanctions.scope == "overall" and average > cap.max:
            average, capped = cap.max, True
        return ScoreResult(form_id, parsed, average, self.grade(average), cap, capped)

    def score_kpis(self, items: Sequence[tuple[object, object]]) -> KpiResult:
        """Score KPIs given as (achievement %, score): each within its table row, then the mean."""
        if self.kpi is None:
            raise ScoreError("no_kpi", f"{self.id} has no KPI evaluation")
        low, high = self.kpi.min_count, self.kpi.max_count
        if not low <= len(items) <= high:
            raise ScoreError("kpi_count", f"a work plan has {low}–{high} KPIs, got {len(items)}",
                             low=Decimal(low), high=Decimal(high))
        scores = tuple(self.kpi.table.check(pct, score, kpi=f"KPI {i}")
                       for i, (pct, score) in enumerate(items, start=1))
        average = round_score(sum(scores, Decimal(0)) / len(scores))
        return KpiResult(scores, average, self.grade(average))

    # ------------------------------------------------------------------ dates
    def eligibility(self, *, period_start: date, period_end: date, appointed_on: date,
                    worked_days: int, dismissed_on: date | None = None) -> Eligibility:
        """Whether a servant is evaluated for the period (cl. 6, 7)."""
        return check_eligibility(
            self.eligibility_rules, period_start=period_start, period_end=period_end,
            appointed_on=appointed_on, worked_days=worked_days, dismissed_on=dismissed_on,
        )

    def evaluation_deadline(self, quarter: Quarter, cal: WorkCalendar) -> date:
        """The quarter's evaluation is done by this day (cl. 5: the 20th of the next month)."""
        return deadline_after(quarter.end, self.deadlines.evaluation_day, cal)

    def annual_deadline(self, year: int) -> date:
        """The annual final score is formed by this day of the next year (cl. 5: «не позднее
        30 января»). It is the latest date of an automatic step, not a person's term, so a
        day off does not move it: the bot forms the scores that day and tells people when
        quiet hours end."""
        return date(year + 1, self.deadlines.annual_final_month, self.deadlines.annual_final_day)


def annual_score(quarterly: Iterable[Decimal]) -> Decimal | None:
    """The average of the quarters actually evaluated in the year (cl. 5), or ``None``."""
    values = list(quarterly)
    return round_score(sum(values, Decimal(0)) / len(values)) if values else None
