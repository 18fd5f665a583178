"""Messages this feature starts, rendered when the outbox worker sends them."""

from __future__ import annotations

from html import escape

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from handlers.common.callbacks import MenuCb
from handlers.common.keyboards import inline
from handlers.common.notices import NoticeRenderer, Rendered
from handlers.common.render import format_date, quarter_name
from services import evaluation as evaluation_service
from services.context import Context
from services.notices import NoticeKind
from storage import evaluation, outbox, reports


async def handover(ctx: Context, message: outbox.Message) -> Rendered:
    sheet = await evaluation_service.sheet(ctx, message.payload["sheet"])
    if sheet is None or sheet.status != "pending" or sheet.evaluator_id != \
            message.recipient_id:
        return None
    return _("You have been asked to evaluate {name} for {quarter} (cl. 18).").format(
        name=escape(sheet.evaluatee_name), quarter=quarter_name(sheet.campaign.quarter)), \
        inline([[(_("Evaluation sheets"), MenuCb(action="sheets"))]])


async def _pending(ctx: Context, message: outbox.Message):
    async with ctx.db.reading() as conn:
        campaign = await evaluation.campaign(conn, message.payload["campaign"])
        count = await reports.pending_by_evaluator(conn, campaign.id, message.recipient_id) \
            if campaign and not campaign.closed else 0
    return campaign, count


async def campaign_opened(ctx: Context, message: outbox.Message) -> Rendered:
    campaign, count = await _pending(ctx, message)
    if not count:
        return None
    return ngettext(
        "{quarter}: you have {n} evaluation sheet to fill in by {date}.",
        "{quarter}: you have {n} evaluation sheets to fill in by {date}.", count).format(
        quarter=quarter_name(campaign.quarter), n=count,
        date=format_date(campaign.deadline)), \
        inline([[(_("Evaluation sheets"), MenuCb(action="sheets"))]])


async def deadline_reminder(ctx: Context, message: outbox.Message) -> Rendered:
    campaign, count = await _pending(ctx, message)
    if not count:
        return None
    left = ctx.calendar.working_days_between(ctx.clock.today(), campaign.deadline)
    text = _("Reminder: the evaluation for {quarter} is due today, {date}.") if left <= 1 \
        else _("Reminder: the evaluation for {quarter} is due on {date}.")
    return "\n".join((
        text.format(quarter=quarter_name(campaign.quarter),
                    date=format_date(campaign.deadline)),
        ngettext("You have {n} sheet left to fill in.", "You have {n} sheets left to fill in.",
                 count).format(n=count))), \
        inline([[(_("Evaluation sheets"), MenuCb(action="sheets"))]])


NOTICES: dict[NoticeKind, NoticeRenderer] = {
    NoticeKind.HANDOVER: NoticeRenderer(handover),
    NoticeKind.CAMPAIGN_OPENED: NoticeRenderer(campaign_opened),
    NoticeKind.DEADLINE_REMINDER: NoticeRenderer(deadline_reminder),
}
