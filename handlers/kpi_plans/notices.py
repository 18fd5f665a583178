"""Messages this feature starts, rendered when the outbox worker sends them: HR is reminded of
the quarter's actual values, the superior manager of a plan to approve, the drafter of the
decision. Each reads the current state through ``services.kpi_plans``."""

from __future__ import annotations

from datetime import date
from html import escape

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from handlers.common.callbacks import MenuAction, MenuCb, PlanAction, PlanCb
from handlers.common.keyboards import inline
from handlers.common.notices import NoticeRenderer, Rendered
from handlers.common.render import format_date, quarter_name
from services import kpi_plans
from services.context import Context
from services.kpi_plans import PlanStatus
from services.notices import Notice, NoticeKind


async def kpi_actuals(ctx: Context, message: Notice) -> Rendered:
    reminder = await kpi_plans.actuals_reminder(ctx, message.payload["campaign"],
                                                date.fromisoformat(message.payload["due"]))
    if reminder is None:
        return None
    missing = reminder.missing
    text = ngettext(
        "KPI actual values for {quarter} are due by {date} so that the evaluators can "
        "score by {deadline}: {n} approved plan still lacks them.",
        "KPI actual values for {quarter} are due by {date} so that the evaluators can "
        "score by {deadline}: {n} approved plans still lack them.", missing) \
        if not reminder.overdue else ngettext(
        "KPI actual values for {quarter} were due on {date}; the evaluators must score by "
        "{deadline}: {n} approved plan still lacks them.",
        "KPI actual values for {quarter} were due on {date}; the evaluators must score by "
        "{deadline}: {n} approved plans still lack them.", missing)
    return text.format(quarter=quarter_name(reminder.quarter), date=format_date(reminder.due),
                       deadline=format_date(reminder.deadline), n=missing), \
        inline([[(_("Enter actual values"), MenuCb(action=MenuAction.ACTUALS))]])


async def kpi_plan_submitted(ctx: Context, message: Notice) -> Rendered:
    plan = await kpi_plans.plan(ctx, message.payload["plan"])
    if plan is None or plan.status is not PlanStatus.SUBMITTED:
        return None
    return _("The KPI work plan of {name} for {year} awaits your approval.").format(
        name=escape(plan.servant_name), year=plan.year), \
        inline([[(_("Review the plan"), PlanCb(id=plan.id, action=PlanAction.VIEW))]])


async def kpi_plan_decided(ctx: Context, message: Notice) -> Rendered:
    plan = await kpi_plans.plan(ctx, message.payload["plan"])
    if plan is None:
        return None
    if plan.status is PlanStatus.APPROVED:
        return _("The KPI work plan of {name} for {year} is approved.").format(
            name=escape(plan.servant_name), year=plan.year), None
    if plan.status is not PlanStatus.RETURNED or plan.resubmit_due is None:
        return None
    return _("The KPI work plan of {name} for {year} is returned for rework: {reason}. "
             "Resubmit it by {date}.").format(
        name=escape(plan.servant_name), year=plan.year,
        reason=escape(plan.return_reason or ""), date=format_date(plan.resubmit_due)), \
        inline([[(_("Open the plan"), PlanCb(id=plan.id, action=PlanAction.VIEW))]])


NOTICES: dict[NoticeKind, NoticeRenderer] = {
    NoticeKind.KPI_ACTUALS: NoticeRenderer(kpi_actuals),
    NoticeKind.KPI_PLAN_SUBMITTED: NoticeRenderer(kpi_plan_submitted),
    NoticeKind.KPI_PLAN_DECIDED: NoticeRenderer(kpi_plan_decided),
}
