"""What the drafter, the superior manager and HR see of a KPI work plan: pure functions of the
use cases' outcomes."""

from __future__ import annotations

from html import escape

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from handlers.common.callbacks import PlanAction, PlanCb
from handlers.common.keyboards import Row, inline
from handlers.common.render import format_date, format_number, quarter_name
from scoring import Quarter
from services.kpi_plans import ActualsMenu, Overview, Plan, PlanScreen, PlanStatus

View = tuple[str, InlineKeyboardMarkup | None]


def status_name(status: PlanStatus) -> str:
    return {PlanStatus.DRAFT: _("draft"), PlanStatus.SUBMITTED: _("awaiting approval"),
            PlanStatus.RETURNED: _("returned for rework"),
            PlanStatus.APPROVED: _("approved")}[status]


def not_editable(status: PlanStatus) -> str:
    return _("The plan is {status}; it cannot be edited now.").format(
        status=status_name(status))


def plan_text(plan: Plan) -> str:
    lines = [_("<b>KPI work plan {year}: {name}</b> — {status}").format(
        year=plan.year, name=escape(plan.servant_name), status=status_name(plan.status))]
    for item in plan.items:
        planned = "; ".join(format_number(v) for v in item.planned)
        lines.append(_("{n}. {name} ({unit}): plan {planned}; by {deadline}; expected: "
                       "{expected}").format(n=item.position, name=escape(item.name),
                                            unit=escape(item.unit), planned=planned,
                                            deadline=escape(item.deadline),
                                            expected=escape(item.expected)))
    if plan.status is PlanStatus.RETURNED and plan.return_reason and plan.resubmit_due:
        lines.append(_("Returned: {reason}. Resubmit by {date}.").format(
            reason=escape(plan.return_reason), date=format_date(plan.resubmit_due)))
    if plan.status.editable:
        lines.append(_("To be set by {date}.").format(date=format_date(plan.due_on)))
    return "\n".join(lines)


def plan_screen(screen: PlanScreen) -> View:
    """The plan with the buttons its viewer may press: the drafter's, or the approver's."""
    plan = screen.plan
    rows: list[Row] = []
    if screen.may_add:
        rows.append([(_("Add a KPI"), PlanCb(id=plan.id, action=PlanAction.ADD))])
    if screen.may_drop:
        rows.append([(_("Remove the last KPI"), PlanCb(id=plan.id, action=PlanAction.DROP))])
    if screen.may_submit:
        rows.append([(_("Submit for approval"), PlanCb(id=plan.id, action=PlanAction.SUBMIT))])
    if screen.may_decide:
        rows.append([(_("Approve"), PlanCb(id=plan.id, action=PlanAction.APPROVE)),
                     (_("Return for rework"), PlanCb(id=plan.id, action=PlanAction.RETURN))])
    return plan_text(plan), inline(rows) if rows else None


def plan_list(overview: Overview) -> View:
    """The supervisor's subordinates evaluated by KPI: open a plan, or start one."""
    rows: list[Row] = []
    for subordinate in overview.subordinates:
        found = subordinate.plan
        label = f"{subordinate.servant.full_name}: " + (status_name(found.status) if found
                                                        else _("no plan yet"))
        rows.append([(label, PlanCb(id=found.id, action=PlanAction.VIEW) if found else
                      PlanCb(id=subordinate.servant.id, action=PlanAction.CREATE))])
    if not rows:
        return _("None of your subordinates is evaluated by KPI."), None
    return _("KPI work plans for {year}:").format(year=overview.year), inline(rows)


# ------------------------------------------------------------------ typing a KPI
def ask_name(plan: Plan) -> str:
    return _("KPI {n}: its name (what is to be achieved)?").format(n=len(plan.items) + 1)


def ask_unit() -> str:
    return _("The unit of measurement (%, documents, days…)?")


def ask_planned(quarterly: bool) -> str:
    return _("The planned value for each quarter, separated by “;” (like 10; 10; 12; 15), or "
             "one value for all quarters.") if quarterly else _("The planned value for the year?")


def bad_planned() -> str:
    return _("Send positive numbers: one, or four separated by “;”.")


def ask_deadline() -> str:
    return _("By when (a date or a period)?")


def ask_expected() -> str:
    return _("The expected result?")


def ask_reason() -> str:
    return _("Why is it returned (for example, a KPI is not specific or measurable)?")


# ------------------------------------------------------------------ actual values (HR)
def actuals_menu(menu: ActualsMenu) -> View:
    rows: list[Row] = [[(p.servant_name, PlanCb(id=p.id, action=PlanAction.ACTUALS,
                                                value=str(menu.quarter)))]
                       for p in menu.plans]
    if not rows:
        return _("No approved KPI plans."), None
    return _("Actual KPI values for {quarter}: choose the plan.").format(
        quarter=quarter_name(menu.quarter)), inline(rows)


def ask_actual(plan: Plan, index: int, quarter: Quarter) -> str:
    item = plan.items[index]
    return _("{n}. {name}: the actual value for {quarter} ({unit}; plan {plan})?").format(
        n=item.position, name=escape(item.name), quarter=quarter_name(quarter),
        unit=escape(item.unit), plan=format_number(item.plan_for(quarter.number)))


def actuals_saved(quarter: Quarter) -> str:
    return _("All actual values for {quarter} are saved; the evaluator can score the KPIs "
             "now.").format(quarter=quarter_name(quarter))
