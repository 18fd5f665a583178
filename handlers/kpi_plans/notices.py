"""Messages this feature starts, rendered when the outbox worker sends them."""

from __future__ import annotations

from datetime import date
from html import escape

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from handlers.common.callbacks import MenuCb, PlanCb
from handlers.common.keyboards import inline
from handlers.common.notices import NoticeRenderer, Rendered
from handlers.common.render import format_date, quarter_name
from services.context import Context
from services.notices import NoticeKind
from storage import evaluation, kpi, outbox


async def _kpi_plan(ctx: Context, message: outbox.Message):
    async with ctx.db.reading() as conn:
        return await kpi.plan(conn, message.payload["plan"])


async def kpi_actuals(ctx: Context, message: outbox.Message) -> Rendered:
    async with ctx.db.reading() as conn:
        campaign = await evaluation.campaign(conn, message.payload["campaign"])
        missing = await kpi.missing_actuals(conn, campaign.quarter.year,
                                            campaign.quarter.number) if campaign else 0
    if not missing or campaign.closed:
        return None
    due = date.fromisoformat(message.payload["due"])
    text = ngettext(
        "KPI actual values for {quarter} are due by {date} so that the evaluators can "
        "score by {deadline}: {n} approved plan still lacks them.",
        "KPI actual values for {quarter} are due by {date} so that the evaluators can "
        "score by {deadline}: {n} approved plans still lack them.", missing) \
        if ctx.clock.today() <= due else ngettext(
        "KPI actual values for {quarter} were due on {date}; the evaluators must score by "
        "{deadline}: {n} approved plan still lacks them.",
        "KPI actual values for {quarter} were due on {date}; the evaluators must score by "
        "{deadline}: {n} approved plans still lack them.", missing)
    return text.format(quarter=quarter_name(campaign.quarter), date=format_date(due),
                       deadline=format_date(campaign.deadline), n=missing), \
        inline([[(_("Enter actual values"), MenuCb(action="actuals"))]])


async def kpi_plan_submitted(ctx: Context, message: outbox.Message) -> Rendered:
    plan = await _kpi_plan(ctx, message)
    if plan is None or plan.status != "submitted":
        return None
    return _("The KPI work plan of {name} for {year} awaits your approval.").format(
        name=escape(plan.servant_name), year=plan.year), \
        inline([[(_("Review the plan"), PlanCb(id=plan.id, action="view"))]])


async def kpi_plan_decided(ctx: Context, message: outbox.Message) -> Rendered:
    plan = await _kpi_plan(ctx, message)
    if plan is None or plan.status not in ("approved", "returned"):
        return None
    if plan.status == "approved":
        return _("The KPI work plan of {name} for {year} is approved.").format(
            name=escape(plan.servant_name), year=plan.year), None
    return _("The KPI work plan of {name} for {year} is returned for rework: {reason}. "
             "Resubmit it by {date}.").format(
        name=escape(plan.servant_name), year=plan.year, reason=escape(plan.return_reason),
        date=format_date(plan.resubmit_due)), \
        inline([[(_("Open the plan"), PlanCb(id=plan.id, action="view"))]])


NOTICES: dict[NoticeKind, NoticeRenderer] = {
    NoticeKind.KPI_ACTUALS: NoticeRenderer(kpi_actuals),
    NoticeKind.KPI_PLAN_SUBMITTED: NoticeRenderer(kpi_plan_submitted),
    NoticeKind.KPI_PLAN_DECIDED: NoticeRenderer(kpi_plan_decided),
}
