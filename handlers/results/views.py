"""The servant's result as he reads it, with the last day to ask for a calibration session."""

from __future__ import annotations

from datetime import date
from html import escape

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from handlers.common.callbacks import MenuAction, MenuCb, ResultAction, ResultCb
from handlers.common.keyboards import inline
from handlers.common.render import (
    format_date,
    format_number,
    format_score,
    grade_label,
    official,
    quarter_name,
)
from scoring import Methodology, Text
from services.calibration import Calibration, CalibrationStatus
from services.evaluation import Sheet
from services.results import Result

View = tuple[str, InlineKeyboardMarkup]


def results_list(sheets: list[Sheet]) -> View:
    builder = InlineKeyboardBuilder()
    for sheet in sheets:
        builder.button(text=f"{quarter_name(sheet.campaign.quarter)} — "
                            f"{format_score(sheet.score)}",
                       callback_data=ResultCb(sheet=sheet.id, action=ResultAction.VIEW))
    builder.button(text=_("☰ Menu"), callback_data=MenuCb(action=MenuAction.HOME))
    builder.adjust(1)
    text = _("Your evaluation results:") if sheets else _("You have no evaluation results yet.")
    return text, builder.as_markup()


def _title(title: Text | str) -> str:
    return title if isinstance(title, str) else official(title)


def result_view(result: Result, methodology: Methodology) -> View:
    """The result; a KPI sheet's items are named by its plan, parameters name themselves."""
    sheet = result.sheet
    form = methodology.forms[sheet.form]
    lines = [_("<b>Your evaluation for {quarter}</b>").format(
        quarter=quarter_name(sheet.campaign.quarter)), escape(official(form.title))]
    names = {k: _title(v) for k, v in result.titles.items()} if result.titles is not None \
        else {p.id: official(p.title) for p in form.parameters}
    for number, (item_id, title) in enumerate(names.items(), start=1):
        answer = sheet.answers.get(item_id)
        lines.append(f"{number}. {escape(title)}: "
                     f"<b>{format_number(answer.score) if answer else '—'}</b>")
        if answer and answer.comment:
            lines.append(f"    <i>{escape(answer.comment)}</i>")
    grade = sheet.final_grade or sheet.grade
    lines.append(_("Average: <b>{average}</b> — {grade}").format(
        average=format_score(sheet.score), grade=grade_label(methodology, grade)))
    if sheet.final_average is not None:
        lines.append(_("This is the score adopted by the calibration session."))
    window = _window_text(result)
    if window:
        lines.append(window)
    rows = []
    if sheet.acknowledged_at is None:
        rows.append([(_("I have read it"), ResultCb(sheet=sheet.id, action=ResultAction.ACK))])
    if result.can_request:
        rows.append([(_("I disagree: request a calibration session"),
                      ResultCb(sheet=sheet.id, action=ResultAction.CALIBRATE))])
    rows.append([(_("☰ Menu"), MenuCb(action=MenuAction.HOME))])
    return "\n".join(lines), inline(rows)


def _window_text(result: Result) -> str | None:
    """Where his calibration request stands, or until when he may make one (cl. 11)."""
    if result.sheet.final_average is not None:
        return None
    if result.calibration is not None:
        return _request_status(result.calibration, result.today)
    if result.window_days is None:
        return None
    if result.window_closed:
        assert result.deadline is not None
        return _("The time to request a calibration session ended on {date}.").format(
            date=format_date(result.deadline))
    if result.deadline is None:
        return _("If you disagree, you may request a calibration session within {days} working "
                 "days of confirming that you have read the result.").format(
            days=result.window_days)
    return _("If you disagree, you may request a calibration session until {date} inclusive "
             "({days} working days, cl. 11).").format(date=format_date(result.deadline),
                                                      days=result.window_days)


def _request_status(calibration: Calibration, today: date) -> str:
    """His request as it stands: with the official, with the panel, or past its deadline."""
    if today > calibration.session_due:
        return _("You requested a calibration session on {requested}. It was due by {date}, "
                 "but no decision has been taken yet; the HR service has been told.").format(
            requested=format_date(calibration.requested_on),
            date=format_date(calibration.session_due))
    if calibration.status is CalibrationStatus.REQUESTED:
        return _("You requested a calibration session on {requested}. The official approves "
                 "the panel by {decision}; the session is held by {session}.").format(
            requested=format_date(calibration.requested_on),
            decision=format_date(calibration.decision_due),
            session=format_date(calibration.session_due))
    return _("You requested a calibration session on {requested}. The panel is approved; "
             "the session is held by {session}.").format(
        requested=format_date(calibration.requested_on),
        session=format_date(calibration.session_due))
