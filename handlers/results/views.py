"""The servant's result as he reads it, with the last day to ask for a calibration session."""

from __future__ import annotations

from html import escape

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from handlers.common.callbacks import MenuCb, ResultCb
from handlers.common.keyboards import inline
from handlers.common.render import (
    format_date,
    format_number,
    format_score,
    grade_label,
    official,
    quarter_name,
)
from handlers.evaluation.items import load_items
from scoring import Methodology, WorkCalendar
from services.clock import Clock
from storage import calibration as calibrations
from storage.db import Database
from storage.evaluation import Sheet


def result_view(sheet: Sheet, methodology: Methodology, deadline_text: str | None,
                can_request: bool = False, titles: dict[str, str] | None = None
                ) -> tuple[str, InlineKeyboardMarkup]:
    """The result; ``titles`` name the items of a KPI sheet (parameters name themselves)."""
    form = methodology.forms[sheet.form]
    lines = [_("<b>Your evaluation for {quarter}</b>").format(
        quarter=quarter_name(sheet.campaign.quarter)), escape(official(form.title))]
    names = titles or {p.id: official(p.title) for p in form.parameters}
    for number, (item_id, title) in enumerate(names.items(), start=1):
        answer = sheet.answers.get(item_id)
        lines.append(f"{number}. {escape(title)}: "
                     f"<b>{format_number(answer.score) if answer else '—'}</b>")
        if answer and answer.comment:
            lines.append(f"    <i>{escape(answer.comment)}</i>")
    score = sheet.score
    grade = sheet.final_grade or sheet.grade
    lines.append(_("Average: <b>{average}</b> — {grade}").format(
        average=format_score(score), grade=grade_label(methodology, grade)))
    if sheet.final_average is not None:
        lines.append(_("This is the score adopted by the calibration session."))
    if deadline_text:
        lines.append(deadline_text)
    rows = []
    if sheet.acknowledged_at is None:
        rows.append([(_("I have read it"), ResultCb(sheet=sheet.id, action="ack"))])
    if can_request:
        rows.append([(_("I disagree: request a calibration session"),
                      ResultCb(sheet=sheet.id, action="calibrate"))])
    rows.append([(_("☰ Menu"), MenuCb(action="home"))])
    return "\n".join(lines), inline(rows)


def calibration_window_text(sheet: Sheet, methodology: Methodology, clock: Clock,
                            calendar: WorkCalendar) -> str | None:
    """Until when a calibration session can be requested (cl. 11), if the window started."""
    rules = methodology.calibration
    if rules is None:
        return None
    delivered = sheet.delivered_at.astimezone(clock.tz).date() if sheet.delivered_at \
        else clock.today()
    acknowledged = sheet.acknowledged_at.astimezone(clock.tz).date() \
        if sheet.acknowledged_at else None
    last = rules.request_window_working_days
    deadline = rules.request_deadline(delivered, acknowledged, calendar)
    if deadline is None:
        return _("If you disagree, you may request a calibration session within {days} working "
                 "days of confirming that you have read the result.").format(days=last)
    return _("If you disagree, you may request a calibration session until {date} inclusive "
             "({days} working days, cl. 11).").format(date=format_date(deadline), days=last)


async def result_screen(db: Database, sheet: Sheet, methodology: Methodology, clock: Clock,
                        calendar: WorkCalendar) -> tuple[str, InlineKeyboardMarkup]:
    """The result with the request window; the request button while the window is open and
    nothing was requested yet."""
    async with db.reading() as conn:
        requested = await calibrations.by_sheet(conn, sheet.id) is not None
    rules = methodology.calibration
    can_request = False
    if rules is not None and not requested and sheet.final_average is None:
        delivered = sheet.delivered_at.astimezone(clock.tz).date() if sheet.delivered_at \
            else clock.today()
        acknowledged = sheet.acknowledged_at.astimezone(clock.tz).date() \
            if sheet.acknowledged_at else None
        deadline = rules.request_deadline(delivered, acknowledged, calendar)
        can_request = deadline is None or clock.today() <= deadline
    window = calibration_window_text(sheet, methodology, clock, calendar) \
        if sheet.final_average is None and not requested else None
    titles = None
    if methodology.forms[sheet.form].kind == "kpi":
        titles = {i.id: i.title for i in (await load_items(db, methodology, sheet)).items}
    return result_view(sheet, methodology, window, can_request, titles)
