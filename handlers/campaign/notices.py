"""Messages this feature starts, rendered when the outbox worker sends them: HR's daily digest,
the servant's annual score, HR's warning before the annual scores are formed, and HR's
December notice that the coming year's calendar is not settled."""

from __future__ import annotations

from datetime import date, datetime
from html import escape

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from handlers.common.callbacks import MenuAction, MenuCb
from handlers.common.keyboards import inline
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


async def calendar_unsettled(ctx: Context, message: Notice) -> Rendered:
    """From 1 December: the coming year's calendar still guesses some days (issue 15 item 9)."""
    year = message.payload["year"]
    lines = [_("<b>The working-day calendar for {year} is not settled yet.</b> Deadlines in "
               "{year} are counted on it.").format(year=year)]
    estimated = [date.fromisoformat(d) for d in message.payload.get("estimated", [])]
    if estimated:
        lines.append(_("Estimated dates, not yet decreed: {dates}.").format(
            dates=", ".join(format_date(d) for d in estimated)))
    if not message.payload.get("transfers", True):
        lines.append(_("No Government order transferring days off in {year} is recorded.")
                     .format(year=year))
    lines.append(_("When the dates are decreed, ask the administrator to add them to the "
                   "calendar overrides file (the CALENDAR_OVERRIDES setting, one entry per "
                   "day with the order that set it); <code>python -m bot calendar {year}</code> "
                   "lists every day off with its source.").format(year=year))
    return "\n".join(lines), None


async def substitution(ctx: Context, message: Notice) -> Rendered:
    """Typical cl. 4 ¶4: pending sheets moved to the absent evaluator's substitute, or back to
    him on his return; each of the two reads his side."""
    p = message.payload
    values = {"n": len(p["sheets"]), "quarter": quarter_name(Quarter.parse(p["quarter"])),
              "deadline": format_date(date.fromisoformat(p["deadline"])),
              "source": escape(p["from_name"]), "target": escape(p["to_name"])}
    receives = message.recipient_id == p["to"]
    if not p["back"] and receives:
        text = _("{source} is absent: as the person substituting, you now evaluate in that "
                 "place (cl. 4) — pending sheets for {quarter}: {n}, due {deadline}.")
    elif not p["back"]:
        text = _("While you are absent, {target} evaluates in your place (cl. 4) — your "
                 "pending sheets for {quarter}: {n}. They come back to you if you return "
                 "before {deadline}.")
    elif receives:
        text = _("You are back: your pending sheets for {quarter} ({n}, due {deadline}) are "
                 "yours again; {source} no longer evaluates them (cl. 4).")
    else:
        text = _("{target} is back at work, so the pending sheets for {quarter} you held as "
                 "the substitute ({n}) went back (cl. 4).")
    sheets = inline([[(_("Evaluation sheets"), MenuCb(action=MenuAction.SHEETS))]])
    markup = sheets if receives else None
    return text.format(**values), markup


CAPTION_LIMIT = 1024  # Telegram's limit for a document's caption


async def annual_formed(ctx: Context, message: Notice) -> Rendered:
    """HR's copy of the annual scores formed automatically (cl. 5), with what they lack."""
    year, payload = message.payload["year"], message.payload
    formed = await campaigns.annual_scores(ctx, year)
    lines = [ngettext(
        "<b>The annual scores for {year} were formed on {date}</b> (cl. 5): {n} servant. "
        "The servants have been told theirs.",
        "<b>The annual scores for {year} were formed on {date}</b> (cl. 5): {n} servants. "
        "The servants have been told theirs.", len(formed)).format(
        year=year, date=format_date(date.fromisoformat(payload["formed_on"])), n=len(formed))]
    unopened = payload.get("unopened", [])
    if unopened:
        lines.append(_("<b>Never opened</b>, so missing from every score: {quarters}.").format(
            quarters=", ".join(quarter_name(Quarter(year, n)) for n in unopened)))
    groups = (
        (payload.get("calibrating", []),
         _("<b>Calibration not decided yet</b> — the original quarterly score was counted; "
           "form the annual score again after the decision:")),
        (payload.get("pending", []),
         _("<b>Unsubmitted quarterly sheets</b> — the score misses that quarter:")))
    for names, heading in groups:
        if names:
            room = CAPTION_LIMIT - len("\n".join(lines)) - len(heading) - 2
            lines.append(f"{heading} {_fit(names, room)}")
    return Document(views.annual_workbook(formed, ctx.methodology), f"annual-{year}.xlsx",
                    "\n".join(lines))


def _fit(names: list[str], room: int) -> str:
    """As many names as fit in ``room`` characters of the caption, then "…"."""
    shown = escape(", ".join(names))
    while len(shown) > room and names:
        names = names[:-1]
        shown = escape(", ".join(names)) + " …"
    return shown


NOTICES: dict[NoticeKind, NoticeRenderer] = {
    NoticeKind.ANNUAL_FORMED: NoticeRenderer(annual_formed),
    NoticeKind.SUBSTITUTION: NoticeRenderer(substitution),
    NoticeKind.CALENDAR_UNSETTLED: NoticeRenderer(calendar_unsettled),
    NoticeKind.HR_DIGEST: NoticeRenderer(hr_digest),
    NoticeKind.HR_FILE: NoticeRenderer(hr_file, after_sent=hr_file_sent),
    NoticeKind.ANNUAL: NoticeRenderer(annual),
    NoticeKind.ANNUAL_MISSING: NoticeRenderer(annual_missing),
}
