"""HR: opening the quarter, progress by unit, exports, the annual score."""

from __future__ import annotations

from datetime import date
from html import escape

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.notifier import Notifier
from bot.reminders import Reminders, enqueue_annual, enqueue_campaign_opened
from handlers.common.callbacks import CampaignCb, MenuCb
from handlers.common.render import format_date, grade_label, official, quarter_name
from handlers.common.workbooks import xlsx
from handlers.hr.router import HasRole
from scoring import Methodology, Quarter, WorkCalendar
from services.clock import Clock
from storage import evaluation, reports
from storage.db import Database
from storage.models import Servant

LIMIT = 3900  # Telegram allows 4096 characters per message


def _reason(code: str) -> str:
    return {
        "not_in_position": _("not in the position during the quarter"),
        "too_short_in_position": _("less than a month in the position (cl. 6)"),
        "too_few_worked_days": _("fewer than 15 days actually worked (cl. 6)"),
        "no_evaluator": _("no evaluator: set the supervisor or the unit head in the roster"),
    }.get(code, code)


async def _send_long(message: Message, lines: list[str]) -> None:
    chunk: list[str] = []
    for line in lines:
        if sum(len(x) + 1 for x in chunk) + len(line) > LIMIT:
            await message.answer("\n".join(chunk))
            chunk = []
        chunk.append(line)
    if chunk:
        await message.answer("\n".join(chunk))


def _menu(today: date) -> tuple[str, object]:
    builder = InlineKeyboardBuilder()
    last = Quarter.containing(today).previous()
    for quarter in (last.previous(), last):
        builder.button(text=_("Open {quarter}").format(quarter=quarter_name(quarter)),
                       callback_data=CampaignCb(action="open", period=str(quarter)))
    builder.button(text=_("Progress"), callback_data=CampaignCb(action="progress"))
    builder.button(text=_("Export results (XLSX)"), callback_data=CampaignCb(action="export"))
    for year in (today.year - 1, today.year):
        builder.button(text=_("Annual score {year}").format(year=year),
                       callback_data=CampaignCb(action="annual", period=str(year)))
    builder.button(text=_("Close a quarter"), callback_data=CampaignCb(action="close"))
    builder.adjust(2, 2, 2, 1)
    return _("Evaluation campaigns: what would you like to do?"), builder.as_markup()


async def campaign_command(message: Message, clock: Clock) -> None:
    text, markup = _menu(clock.today())
    await message.answer(text, reply_markup=markup)


async def campaign_from_menu(callback: CallbackQuery, clock: Clock) -> None:
    await callback.answer()
    text, markup = _menu(clock.today())
    await callback.message.answer(text, reply_markup=markup)


async def open_quarter(callback: CallbackQuery, callback_data: CampaignCb, db: Database,
                       clock: Clock, calendar: WorkCalendar, methodology: Methodology,
                       reminders: Reminders, servant: Servant) -> None:
    try:
        quarter = Quarter.parse(callback_data.period)
    except ValueError:
        await callback.answer(_("This button is out of date. Send /start for the current "
                                "menu."), show_alert=True)
        return
    await callback.answer()
    report = await open_and_notify(db, clock, calendar, methodology, reminders, quarter,
                                   actor=f"servant:{servant.id}")
    key = _("{quarter} opened: {total} sheets, due {date}.") if report.created else \
        _("{quarter} was already open: {total} sheets, due {date}.")
    lines = [key.format(quarter=quarter_name(quarter), total=report.sheets_total,
                        date=format_date(report.campaign.deadline))]
    if not report.created:
        lines.append(ngettext("{n} new sheet added for servants new in the roster.",
                              "{n} new sheets added for servants new in the roster.",
                              report.sheets_added).format(n=report.sheets_added))
    lines.append(ngettext("{n} servant is not evaluated; see Progress for the reasons.",
                          "{n} servants are not evaluated; see Progress for the reasons.",
                          report.excluded).format(n=report.excluded))
    await callback.message.answer("\n".join(lines))


async def open_and_notify(db: Database, clock: Clock, calendar: WorkCalendar,
                          methodology: Methodology, reminders: Reminders, quarter: Quarter, *,
                          actor: str):
    """Open the quarter and, in the same transaction, tell each evaluator how many sheets he
    has and by when (a top-up tells only those whose count changed: one notice per day)."""
    async with db.transaction() as conn:
        report = await evaluation.open_campaign(conn, methodology, quarter, calendar,
                                                at=clock.now(), today=clock.today(),
                                                actor=actor)
        if report.sheets_added:
            await enqueue_campaign_opened(conn, report.campaign.id, clock.today(), clock.now(),
                                          reminders.window())
    reminders.notifier.wake()
    return report


async def progress(callback: CallbackQuery, db: Database, clock: Clock) -> None:
    await callback.answer()
    today = clock.today()
    async with db.reading() as conn:
        campaigns = await evaluation.open_campaigns(conn)
        lines: list[str] = []
        for campaign in campaigns:
            lines.append(_("<b>{quarter}</b>, due {date}").format(
                quarter=quarter_name(campaign.quarter), date=format_date(campaign.deadline)))
            for unit in await reports.progress(conn, campaign.id, today):
                lines.append(_("{unit}: done {done}, in progress {in_progress}, not started "
                               "{not_started}, overdue {overdue}").format(
                    unit=escape(unit.unit), done=unit.done, in_progress=unit.in_progress,
                    not_started=unit.not_started, overdue=unit.overdue))
            late = await reports.late_evaluators(conn, campaign.id)
            if late and today > campaign.deadline:
                lines.append(_("<b>Late evaluators</b>"))
                lines += [ngettext("{name}: {n} sheet", "{name}: {n} sheets", e.pending).format(
                    name=escape(e.name), n=e.pending)
                          + ("" if e.reachable else " — " + _("not reachable in Telegram"))
                          for e in late]
            excluded = await reports.exclusions(conn, campaign.id)
            if excluded:
                lines.append(_("<b>Not evaluated</b>"))
                lines += [f"{escape(name)} ({no}): {_reason(reason)}"
                          for no, name, reason in excluded]
            letters = await reports.to_notify_by_letter(conn, campaign.id)
            if letters:
                lines.append(_("<b>Dismissed: acquaint by letter or SMS within the month after "
                               "the quarter (cl. 10)</b>"))
                lines += [f"{escape(name)} ({no}): {'+' + phone if phone else '—'}"
                          for name, no, phone in letters]
    await _send_long(callback.message, lines or [_("No evaluation campaign is open.")])


async def export(callback: CallbackQuery, db: Database, methodology: Methodology) -> None:
    await callback.answer()
    async with db.reading() as conn:
        campaigns = await evaluation.open_campaigns(conn)
        if not campaigns:
            await callback.message.answer(_("No evaluation campaign is open."))
            return
        for campaign in campaigns:
            rows = await reports.quarter_results(conn, campaign.id)
            await callback.message.answer_document(BufferedInputFile(
                _results_workbook(rows, methodology), f"results-{campaign.quarter}.xlsx"),
                caption=quarter_name(campaign.quarter))


def _results_workbook(rows: list[reports.ResultRow], methodology: Methodology) -> bytes:
    parameters = []
    for form in methodology.forms.values():
        parameters += [p for p in form.parameters if p.id not in {q.id for q in parameters}]
    header = [_("Personnel no."), _("Full name"), _("Position"), _("Unit"), _("Form"),
              _("Evaluator"), _("Status"), *[official(p.title) for p in parameters],
              _("Average"), _("Calibrated score"), _("Grade"), _("Submitted"), _("Delivered"),
              _("Read"), _("Calibration")]
    body = []
    for r in rows:
        body.append([
            r.personnel_no, r.full_name, r.position, r.unit,
            official(methodology.forms[r.form].title), r.evaluator,
            _("submitted") if r.status == "submitted" else _("pending"),
            *[float(r.scores[p.id]) if p.id in r.scores else None for p in parameters],
            float(r.average) if r.average is not None else None,
            float(r.final_average) if r.final_average is not None else None,
            grade_label(methodology, r.grade) if r.grade else None,
            r.submitted_at, r.delivered_at, r.acknowledged_at,
            _("calibrated") if r.final_average is not None else "",
        ])
    return xlsx(_("Results"), header, body)


async def annual(callback: CallbackQuery, callback_data: CampaignCb, db: Database,
                 clock: Clock, methodology: Methodology, notifier: Notifier,
                 servant: Servant) -> None:
    if not callback_data.period.isdigit():
        await callback.answer(_("This button is out of date. Send /start for the current "
                                "menu."), show_alert=True)
        return
    await callback.answer()
    year = int(callback_data.period)
    async with db.transaction() as conn:
        formed, _missing = await reports.form_annual(conn, methodology, year, at=clock.now(),
                                                     actor=f"servant:{servant.id}")
        await enqueue_annual(conn, year, [r.servant_id for r in formed], clock.today(),
                             clock.now(), clock.now())
    notifier.wake()
    body = [[r.personnel_no, r.full_name, r.quarters, float(r.average),
             grade_label(methodology, r.grade)] for r in formed]
    header = [_("Personnel no."), _("Full name"), _("Quarters"), _("Annual score"), _("Grade")]
    await callback.message.answer_document(
        BufferedInputFile(xlsx(_("Annual"), header, body), f"annual-{year}.xlsx"),
        caption=ngettext("{year}: {n} annual score formed.", "{year}: {n} annual scores formed.",
                         len(formed)).format(year=year, n=len(formed)))


async def ask_close(callback: CallbackQuery, db: Database) -> None:
    await callback.answer()
    builder = InlineKeyboardBuilder()
    async with db.reading() as conn:
        for campaign in await evaluation.open_campaigns(conn):
            builder.button(text=_("Close {quarter}").format(
                quarter=quarter_name(campaign.quarter)),
                callback_data=CampaignCb(action="close_it", period=str(campaign.id)))
    builder.adjust(1)
    await callback.message.answer(_("Closing a quarter stops all changes to its sheets."),
                                  reply_markup=builder.as_markup())


async def close(callback: CallbackQuery, callback_data: CampaignCb, db: Database, clock: Clock,
                servant: Servant) -> None:
    async with db.transaction() as conn:
        campaign = await evaluation.campaign(conn, int(callback_data.period or 0))
        if campaign and not campaign.closed:
            await evaluation.close_campaign(conn, campaign.id, at=clock.now(),
                                            actor=f"servant:{servant.id}")
    if campaign is None:
        await callback.answer(_("This button is out of date. Send /start for the current "
                                "menu."), show_alert=True)
        return
    await callback.answer(_("{quarter} is closed.").format(
        quarter=quarter_name(campaign.quarter)), show_alert=True)


def create_router() -> Router:
    """A fresh router (an app restarted in-process needs new ones)."""
    router = Router(name="campaign")
    router.message.filter(HasRole("hr"))
    router.callback_query.filter(HasRole("hr"))
    router.message.register(campaign_command, Command("campaign"))
    router.callback_query.register(campaign_from_menu, MenuCb.filter(F.action == "campaign"))
    router.callback_query.register(open_quarter, CampaignCb.filter(F.action == "open"))
    router.callback_query.register(progress, CampaignCb.filter(F.action == "progress"))
    router.callback_query.register(export, CampaignCb.filter(F.action == "export"))
    router.callback_query.register(annual, CampaignCb.filter(F.action == "annual"))
    router.callback_query.register(ask_close, CampaignCb.filter(F.action == "close"))
    router.callback_query.register(close, CampaignCb.filter(F.action == "close_it"))
    return router
