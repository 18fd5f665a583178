"""What the evaluators are told: the quarter is open, the deadline nears, a sheet handed over."""

from __future__ import annotations

from html import escape

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from handlers.common.callbacks import MenuAction, MenuCb
from handlers.common.keyboards import inline
from handlers.common.notices import NoticeRenderer, Rendered
from handlers.common.render import format_date, quarter_name
from services import evaluation
from services.context import Context
from services.notices import Notice, NoticeKind


async def handover(ctx: Context, message: Notice) -> Rendered:
    sheet = await evaluation.sheet(ctx, message.payload["sheet"])
    if sheet is None or sheet.status != "pending" or sheet.evaluator_id != \
            message.recipient_id:
        return None
    return _("You have been asked to evaluate {name} for {quarter} (cl. 18).").format(
        name=escape(sheet.evaluatee_name), quarter=quarter_name(sheet.campaign.quarter)), \
        inline([[(_("Evaluation sheets"), MenuCb(action=MenuAction.SHEETS))]])


async def campaign_opened(ctx: Context, message: Notice) -> Rendered:
    pending = await evaluation.pending_for(ctx, message.payload["campaign"],
                                           message.recipient_id)
    if pending is None:
        return None
    campaign, count = pending.campaign, pending.count
    return ngettext(
        "{quarter}: you have {n} evaluation sheet to fill in by {date}.",
        "{quarter}: you have {n} evaluation sheets to fill in by {date}.", count).format(
        quarter=quarter_name(campaign.quarter), n=count,
        date=format_date(campaign.deadline)), \
        inline([[(_("Evaluation sheets"), MenuCb(action=MenuAction.SHEETS))]])


async def deadline_reminder(ctx: Context, message: Notice) -> Rendered:
    pending = await evaluation.pending_for(ctx, message.payload["campaign"],
                                           message.recipient_id)
    if pending is None:
        return None
    campaign, count = pending.campaign, pending.count
    text = _("Reminder: the evaluation for {quarter} is due today, {date}.") \
        if pending.working_days_left <= 1 \
        else _("Reminder: the evaluation for {quarter} is due on {date}.")
    return "\n".join((
        text.format(quarter=quarter_name(campaign.quarter),
                    date=format_date(campaign.deadline)),
        ngettext("You have {n} sheet left to fill in.", "You have {n} sheets left to fill in.",
                 count).format(n=count))), \
        inline([[(_("Evaluation sheets"), MenuCb(action=MenuAction.SHEETS))]])


NOTICES: dict[NoticeKind, NoticeRenderer] = {
    NoticeKind.HANDOVER: NoticeRenderer(handover),
    NoticeKind.CAMPAIGN_OPENED: NoticeRenderer(campaign_opened),
    NoticeKind.DEADLINE_REMINDER: NoticeRenderer(deadline_reminder),
}
