"""Messages this feature starts, rendered when the outbox worker sends them."""

from __future__ import annotations

from html import escape

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from handlers.common.notices import NoticeRenderer, Rendered
from handlers.common.render import format_date, format_score, grade_label, quarter_name
from services.context import Context
from services.notices import NoticeKind
from storage import calibration as calibrations
from storage import evaluation, outbox, reports


async def hr_digest(ctx: Context, message: outbox.Message) -> Rendered:
    lines: list[str] = []
    async with ctx.db.reading() as conn:
        for campaign in await evaluation.open_campaigns(conn):
            if ctx.clock.today() <= campaign.deadline:
                continue
            late = await reports.late_evaluators(conn, campaign.id)
            if late:
                lines.append(_("<b>{quarter}: overdue since {date}</b>").format(
                    quarter=quarter_name(campaign.quarter),
                    date=format_date(campaign.deadline)))
                lines += [ngettext("{name}: {n} sheet", "{name}: {n} sheets", e.pending)
                          .format(name=escape(e.name), n=e.pending)
                          + ("" if e.reachable else " — " + _("not reachable in Telegram"))
                          for e in late]
        lost = await reports.unreachable(conn)
        late_sessions = [c for c in await calibrations.in_progress(conn)
                         if _calibration_overdue(c, ctx.clock.today())]
    for found in late_sessions:
        lines.append(_("Calibration session no. {id} is overdue: {step}.").format(
            id=found.id, step=_step(found)))
    if lost:
        lines.append(_("<b>Not reachable in Telegram</b> (blocked the bot): "
                       "tell them in person or by phone"))
        lines += [f"{escape(name)} ({no})" for name, no in lost]
    return ("\n".join(lines), None) if lines else None


async def annual(ctx: Context, message: outbox.Message) -> Rendered:
    year = message.payload["year"]
    async with ctx.db.reading() as conn:
        rows = [r for r in await reports.annual_scores(conn, year)
                if r.servant_id == message.recipient_id]
    if not rows:
        return None
    row = rows[0]
    return ngettext(
        "Your annual score for {year}: <b>{score}</b> — {grade} (the average of {n} "
        "quarter, cl. 5).",
        "Your annual score for {year}: <b>{score}</b> — {grade} (the average of {n} "
        "quarters, cl. 5).", row.quarters).format(
        year=year, score=format_score(row.average),
        grade=grade_label(ctx.methodology, row.grade), n=row.quarters), None


async def annual_missing(ctx: Context, message: outbox.Message) -> Rendered:
    year = message.payload["year"]
    names = message.payload.get("pending", [])
    if not names:
        return None
    deadline = ctx.methodology.annual_deadline(year, ctx.calendar)
    return "\n".join([
        _("The annual scores for {year} are formed on {date}. These servants still have "
          "unsubmitted quarterly sheets, so their score would miss a quarter:").format(
            year=year, date=format_date(deadline)),
        *(f"• {escape(name)}" for name in names)]), None


def _calibration_overdue(found: calibrations.Calibration, today) -> bool:
    if found.status == "requested":
        return today > found.decision_due
    if found.status == "voting":
        return today > found.session_due
    return not found.protocol_posted and today > found.protocol_due


def _step(found: calibrations.Calibration) -> str:
    if found.status == "requested":
        return _("the panel was due by {date}").format(date=format_date(found.decision_due))
    if found.status == "voting":
        return _("the session was due by {date}").format(date=format_date(found.session_due))
    return _("the protocol was due by {date}").format(date=format_date(found.protocol_due))


NOTICES: dict[NoticeKind, NoticeRenderer] = {
    NoticeKind.HR_DIGEST: NoticeRenderer(hr_digest),
    NoticeKind.ANNUAL: NoticeRenderer(annual),
    NoticeKind.ANNUAL_MISSING: NoticeRenderer(annual_missing),
}
