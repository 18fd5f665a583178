"""Messages this feature starts, rendered when the outbox worker sends them: HR's daily digest,
the servant's annual score, HR's warning before the annual scores are formed."""

from __future__ import annotations

from datetime import datetime
from html import escape

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from handlers.common.notices import Document, Edit, NoticeRenderer, Rendered
from handlers.common.render import format_date, format_score, grade_label, quarter_name
from scoring import Quarter
from services import campaigns, jobs
from services.context import Context
from services.notices import Notice, NoticeKind

from . import views
from .views import late_lines

LISTED = 15  # names per list: the digest stays one message


async def hr_file(ctx: Context, message: Notice) -> Rendered:
    """The workbook an export job built, replacing its "preparing…" message."""
    job = await jobs.get(ctx, message.payload["job"])
    content = await jobs.output(ctx, message.payload["job"])
    if job is None or content is None or job.output_name is None:
        return None
    quarter = Quarter.parse(job.result["quarter"])
    ready = Edit(job.message_id, views.export_ready(quarter)) if job.message_id else None
    return Document(content, job.output_name, views.export_caption(quarter, job.result["rows"]),
                    then_edit=ready)


async def hr_file_sent(ctx: Context, message: Notice, sent_at: datetime) -> None:
    await jobs.sent(ctx, message.payload["job"])


async def hr_digest(ctx: Context, message: Notice) -> Rendered:
    found = await campaigns.digest(ctx, message.recipient_id)
    if not found:
        return None
    lines: list[str] = []
    if found.sessions:
        lines.append(_("<b>Needs action today</b>"))
    for session in found.sessions:
        lines.append(_("Calibration session no. {id} is overdue: {step}.").format(
            id=session.id, step=_step(session)))
    for late in found.campaigns:
        lines.append(_("<b>{quarter}: overdue since {date}</b>").format(
            quarter=quarter_name(late.campaign.quarter),
            date=format_date(late.campaign.deadline)))
        if late.late:
            lines += late_lines(late.late[:LISTED])
            if len(late.late) > LISTED:
                lines.append(_("… and {n} more: see Progress.").format(
                    n=len(late.late) - LISTED))
        else:
            lines.append(ngettext(
                "{n} sheet still pending (the evaluators are listed on Mondays; close the "
                "quarter when nothing more can be done).",
                "{n} sheets still pending (the evaluators are listed on Mondays; close the "
                "quarter when nothing more can be done).", late.pending).format(n=late.pending))
    if found.unreachable:
        lines.append(_("<b>Not reachable in Telegram</b> (blocked the bot): "
                       "tell them in person or by phone"))
        lines += [f"{escape(name)} ({no})" for name, no in found.unreachable[:LISTED]]
        if len(found.unreachable) > LISTED:
            lines.append(_("… and {n} more.").format(n=len(found.unreachable) - LISTED))
    return "\n".join(lines), None


def _step(session: campaigns.OverdueSession) -> str:
    """The step a late session is stuck at, with the day it was due."""
    if session.status == "requested":
        return _("the panel was due by {date}").format(date=format_date(session.due))
    if session.status == "voting":
        return _("the session was due by {date}").format(date=format_date(session.due))
    return _("the protocol was due by {date}").format(date=format_date(session.due))


async def annual(ctx: Context, message: Notice) -> Rendered:
    year = message.payload["year"]
    row = await campaigns.annual_of(ctx, year, message.recipient_id)
    if row is None:
        return None
    return ngettext(
        "Your annual score for {year}: <b>{score}</b> — {grade} (the average of {n} "
        "quarter, cl. 5).",
        "Your annual score for {year}: <b>{score}</b> — {grade} (the average of {n} "
        "quarters, cl. 5).", row.quarters).format(
        year=year, score=format_score(row.average),
        grade=grade_label(ctx.methodology, row.grade), n=row.quarters), None


async def annual_missing(ctx: Context, message: Notice) -> Rendered:
    year = message.payload["year"]
    names = message.payload.get("pending", [])
    if not names:
        return None
    return "\n".join([
        _("The annual scores for {year} are formed on {date}. These servants still have "
          "unsubmitted quarterly sheets, so their score would miss a quarter:").format(
            year=year, date=format_date(campaigns.annual_deadline(ctx, year))),
        *(f"• {escape(name)}" for name in names)]), None


NOTICES: dict[NoticeKind, NoticeRenderer] = {
    NoticeKind.HR_DIGEST: NoticeRenderer(hr_digest),
    NoticeKind.HR_FILE: NoticeRenderer(hr_file, after_sent=hr_file_sent),
    NoticeKind.ANNUAL: NoticeRenderer(annual),
    NoticeKind.ANNUAL_MISSING: NoticeRenderer(annual_missing),
}
