"""What an evaluator scores on a sheet, whatever the form: the methodology's parameters (with the
sanction cap) or the servant's KPIs (with the range the achievement % allows)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from aiogram.utils.i18n import gettext as _

from handlers.common.render import format_number, format_score, official
from scoring import KpiTable, Methodology, ScoreError, achievement_percent
from scoring.methodology import KpiResult, ScoreResult
from storage import kpi
from storage.db import Database
from storage.evaluation import Sheet

STEP = Decimal("0.05")


@dataclass(frozen=True, slots=True)
class SheetItem:
    id: str  # the parameter id, or "kpi<position>"
    title: str
    hint: str
    low: Decimal
    high: Decimal
    buttons: tuple[Decimal, ...]
    note: str | None  # the sanction cap, or nothing
    check: Callable[[str], Decimal]  # parse a typed or pressed value, or raise ScoreError
    percent: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Items:
    """The sheet's items, or why it cannot be scored yet (a KPI plan or actuals missing)."""

    items: tuple[SheetItem, ...]
    missing: str | None = None


async def load_items(db: Database, methodology: Methodology, sheet: Sheet) -> Items:
    form = methodology.forms[sheet.form]
    if form.kind == "kpi":
        return await _kpi_items(db, methodology, sheet)
    items = []
    for parameter in form.parameters:
        cap = methodology.cap(sheet.form, parameter.id, sheet.sanctions)
        high = methodology.max_score(sheet.form, parameter.id, sheet.sanctions)
        items.append(SheetItem(
            id=parameter.id, title=official(parameter.title), hint=official(parameter.hint),
            low=form.scale.min, high=high,
            buttons=tuple(Decimal(v) for v in range(int(form.scale.min), int(high) + 1)),
            note=_("A disciplinary sanction in the quarter: at most {cap} ({reason}).").format(
                cap=format_score(high), reason=official(cap.reason)) if cap else None,
            check=lambda text, p=parameter.id: methodology.parse_score(
                sheet.form, p, text, sheet.sanctions)))
    return Items(tuple(items))


async def _kpi_items(db: Database, methodology: Methodology, sheet: Sheet) -> Items:
    quarter = sheet.campaign.quarter
    async with db.reading() as conn:
        plan = await kpi.plan_of(conn, sheet.evaluatee_id, quarter.year)
        actual = await kpi.actuals(conn, plan.id, quarter.number) if plan else {}
    if plan is None or plan.status != "approved":
        return Items((), _("The KPI work plan for {year} is not approved yet.").format(
            year=quarter.year))
    if set(actual) != {i.position for i in plan.items}:
        return Items((), _("HR has not entered the actual KPI values for the quarter yet."))
    table = methodology.kpi.table
    items = []
    for item in plan.items:
        planned = item.plan_for(quarter.number)
        percent = achievement_percent(planned, actual[item.position])
        low, high = table.allowed_range(percent)
        items.append(SheetItem(
            id=f"kpi{item.position}", title=item.name,
            hint=_("Plan {plan} {unit}, actual {actual}: {percent}% achieved. Allowed score: "
                   "{low}–{high} ({clause}).").format(
                plan=format_number(planned), unit=item.unit,
                actual=format_number(actual[item.position]), percent=format_number(percent),
                low=format_number(low), high=format_number(high), clause=table.clause),
            low=low, high=high, buttons=_range_buttons(low, high), note=None,
            check=_kpi_check(table, percent, item.name), percent=percent))
    return Items(tuple(items))


def _kpi_check(table: KpiTable, percent: Decimal, name: str) -> Callable[[str], Decimal]:
    return lambda text: table.check(percent, text, kpi=name)


def _range_buttons(low: Decimal, high: Decimal) -> tuple[Decimal, ...]:
    """A handful of allowed values: the ends and steps of 0.05 between (4.25 … 4.49)."""
    values = [low]
    value = low + STEP
    while value < high and len(values) < 5:
        values.append(value)
        value += STEP
    if high != low:
        values.append(high)
    return tuple(values)


def result_of(methodology: Methodology, sheet: Sheet, items: Items
              ) -> ScoreResult | KpiResult | None:
    """The sheet's result once every item has a valid score, else ``None``."""
    if items.missing or any(i.id not in sheet.answers for i in items.items):
        return None
    try:
        if methodology.forms[sheet.form].kind == "kpi":
            return methodology.score_kpis([(i.percent, sheet.answers[i.id].score)
                                           for i in items.items])
        return methodology.score(sheet.form, {p: a.score for p, a in sheet.answers.items()},
                                 sanction=sheet.sanctions)
    except ScoreError:
        return None
