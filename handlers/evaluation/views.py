"""What the evaluator sees: the list of sheets, one parameter at a time, the summary."""

from __future__ import annotations

from datetime import date
from html import escape

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from handlers.common.callbacks import MenuAction, MenuCb, SheetAction, SheetCb
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
from services.evaluation import Missing, Sheet, SheetItem, SheetState

View = tuple[str, InlineKeyboardMarkup]


def sheet_list(sheets: list[Sheet], methodology: Methodology, today: date) -> View:
    builder = InlineKeyboardBuilder()
    lines = []
    for campaign in sorted({s.campaign for s in sheets}, key=lambda c: c.quarter):
        own = [s for s in sheets if s.campaign == campaign]
        done = sum(s.status == "submitted" for s in own)
        lines.append(_("<b>{quarter}</b>: {done} of {total} done, due {date}.").format(
            quarter=quarter_name(campaign.quarter), done=done, total=len(own),
            date=format_date(campaign.deadline)))
        if today > campaign.deadline and done < len(own):
            lines.append(_("The deadline has passed: please finish the remaining sheets."))
    for s in sheets:
        form = methodology.forms[s.form]
        total = len(form.parameters) if form.kind == "parameters" else "…"
        label = f"✓ {s.evaluatee_name} — {format_score(s.average)}" if s.status == "submitted" \
            else f"{s.evaluatee_name} — {len(s.answers)}/{total}"
        builder.button(text=label, callback_data=SheetCb(sheet=s.id, action=SheetAction.OPEN))
    builder.button(text=_("☰ Menu"), callback_data=MenuCb(action=MenuAction.HOME))
    builder.adjust(1)
    return "\n".join(lines) or _("No evaluation sheets are waiting for you."), \
        builder.as_markup()


def _heading(sheet: Sheet) -> str:
    line = _("<b>{name}</b>, {position} · {quarter}").format(
        name=escape(sheet.evaluatee_name), position=escape(sheet.evaluatee_position),
        quarter=quarter_name(sheet.campaign.quarter))
    if sheet.without_participation:
        line += "\n" + _("Evaluated without his participation (dismissed, cl. 7).")
    return line


def missing_text(state: SheetState) -> str:
    """Why a KPI sheet cannot be scored yet."""
    if state.missing is Missing.PLAN_NOT_APPROVED:
        return _("The KPI work plan for {year} is not approved yet.").format(
            year=state.sheet.campaign.quarter.year)
    return _("HR has not entered the actual KPI values for the quarter yet.")


def _text(text: Text | str) -> str:
    return text if isinstance(text, str) else official(text)


def _hint(item: SheetItem) -> str:
    if item.kpi is None:
        return _text(item.hint) if item.hint else ""
    facts = item.kpi
    return _("Plan {plan} {unit}, actual {actual}: {percent}% achieved. Allowed score: "
             "{low}–{high} ({clause}).").format(
        plan=format_number(facts.planned), unit=facts.unit, actual=format_number(facts.actual),
        percent=format_number(facts.percent), low=format_number(item.low),
        high=format_number(item.high), clause=facts.clause)


def _note(item: SheetItem) -> str | None:
    if item.cap is None:
        return None
    return _("A disciplinary sanction in the quarter: at most {cap} ({reason}).").format(
        cap=format_score(item.high), reason=official(item.cap.reason))


def intro(state: SheetState, can_hand_over: bool) -> View:
    sheet = state.sheet
    form = state.methodology.forms[sheet.form]
    parts = [_heading(sheet), f"<b>{escape(official(form.title))}</b>",
             escape(official(form.preamble))]
    rows = []
    if state.missing:
        parts.append("⚠ " + escape(missing_text(state)))
    else:
        rows.append([(_("Begin ▶") if not sheet.answers else _("Continue ▶"),
                      SheetCb(sheet=sheet.id, action=SheetAction.GO,
                              index=min(sheet.position, len(state.items))))])
    if can_hand_over:
        rows.append([(_("Hand over to a colleague"), SheetCb(sheet=sheet.id,
                                                             action=SheetAction.HANDOVER))])
    rows.append([(_("☰ Sheets"), MenuCb(action=MenuAction.SHEETS))])
    return "\n\n".join(parts), inline(rows)


def item_screen(state: SheetState, index: int) -> View:
    """One item to score, or the summary once past the last."""
    if index >= len(state.items):
        return summary(state)
    sheet, item = state.sheet, state.items[index]
    lines = [_heading(sheet),
             _("Parameter {number} of {total}").format(number=index + 1,
                                                       total=len(state.items)),
             f"<b>{escape(_text(item.title))}</b>",
             f"<i>{escape(_hint(item))}</i>"]
    note = _note(item)
    if note:
        lines.append("⚠ " + escape(note))
    answer = sheet.answers.get(item.id)
    if answer:
        lines.append(_("Score: <b>{score}</b>").format(score=format_number(answer.score)))
        if answer.comment:
            lines.append(_("Comment: {comment}").format(comment=escape(answer.comment)))
    else:
        lines.append(_("Choose a score from {low} to {high}, or type an exact value like 4,75.")
                     .format(low=format_number(item.low), high=format_number(item.high)))
    score_row = [(f"{'• ' if answer and answer.score == v else ''}{format_number(v)}",
                  SheetCb(sheet=sheet.id, action=SheetAction.SCORE, index=index, value=str(v)))
                 for v in item.buttons]
    moves = [(_("◀ Back"), SheetCb(sheet=sheet.id, action=SheetAction.GO if index else "open",
                                   index=max(index - 1, 0)))]
    if answer:
        moves.append((_("Next ▶"), SheetCb(sheet=sheet.id, action=SheetAction.GO,
                                           index=index + 1)))
    markup = inline([
        score_row,
        [(_("✏ Exact value"), SheetCb(sheet=sheet.id, action=SheetAction.EXACT, index=index)),
         (_("💬 Comment"), SheetCb(sheet=sheet.id, action=SheetAction.COMMENT, index=index))],
        moves,
    ])
    return "\n".join(lines), markup


def summary(state: SheetState) -> View:
    sheet, methodology, result = state.sheet, state.methodology, state.result
    lines = [_heading(sheet), _("<b>Summary</b>")]
    edits = []
    for number, item in enumerate(state.items, start=1):
        answer = sheet.answers.get(item.id)
        score = format_number(answer.score) if answer else "—"
        lines.append(f"{number}. {escape(_text(item.title))}: <b>{score}</b>")
        if answer and answer.comment:
            lines.append(f"    <i>{escape(answer.comment)}</i>")
        edits.append((_("Edit {number}").format(number=number),
                      SheetCb(sheet=sheet.id, action=SheetAction.GO, index=number - 1)))
    rows = [edits]
    if result:
        lines.append(_("Average: <b>{average}</b> — {grade}").format(
            average=format_score(result.average), grade=grade_label(methodology, result.grade)))
        rows.append([(_("Submit…"), SheetCb(sheet=sheet.id, action=SheetAction.SUBMIT))])
    else:
        lines.append(_("Some parameters have no score yet."))
    rows.append([(_("☰ Sheets"), MenuCb(action=MenuAction.SHEETS))])
    return "\n".join(lines), inline(rows)


def confirm(state: SheetState) -> View:
    sheet, methodology, result = state.sheet, state.methodology, state.result
    assert result is not None
    text = "\n".join((_heading(sheet), _(
        "Submit the sheet with the average <b>{average}</b> ({grade})? After submitting it "
        "cannot be changed, and {name} receives the result.").format(
        average=format_score(result.average), grade=grade_label(methodology, result.grade),
        name=escape(sheet.evaluatee_name))))
    return text, inline([[(_("Yes, submit"), SheetCb(sheet=sheet.id, action=SheetAction.CONFIRM)),
                          (_("◀ Back"), SheetCb(sheet=sheet.id, action=SheetAction.SUMMARY))]])


def prompt_value(item: SheetItem) -> str:
    return _("Type the score for “{title}”: a number from {low} to {high} with up to two "
             "decimals, like 4,75.").format(title=_text(item.title), low=format_number(item.low),
                                             high=format_number(item.high))


def prompt_comment(item: SheetItem, limit: int) -> str:
    return _("Type the comment for “{title}” (up to {limit} characters), or “-” to remove "
             "it.").format(title=_text(item.title), limit=limit)


def submitted(sheet: Sheet, methodology: Methodology) -> View:
    text = "\n".join((_heading(sheet), _("Submitted: <b>{average}</b> — {grade}.").format(
        average=format_score(sheet.average), grade=grade_label(methodology, sheet.grade))))
    return text, inline([[(_("☰ Sheets"), MenuCb(action=MenuAction.SHEETS))]])
