"""What the evaluator sees: the list of sheets, one parameter at a time, the summary."""

from __future__ import annotations

from datetime import date
from html import escape

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from handlers.common.callbacks import MenuCb, SheetCb
from handlers.common.keyboards import inline
from handlers.common.render import (
    format_date,
    format_number,
    format_score,
    grade_label,
    official,
    quarter_name,
)
from scoring import Methodology
from storage.evaluation import Sheet

from .items import Items

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
        builder.button(text=label, callback_data=SheetCb(sheet=s.id, action="open"))
    builder.button(text=_("☰ Menu"), callback_data=MenuCb(action="home"))
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


def intro(sheet: Sheet, methodology: Methodology, items: Items, can_hand_over: bool) -> View:
    form = methodology.forms[sheet.form]
    parts = [_heading(sheet), f"<b>{escape(official(form.title))}</b>",
             escape(official(form.preamble))]
    rows = []
    if items.missing:
        parts.append("⚠ " + escape(items.missing))
    else:
        rows.append([(_("Begin ▶") if not sheet.answers else _("Continue ▶"),
                      SheetCb(sheet=sheet.id, action="go",
                              index=min(sheet.position, len(items.items))))])
    if can_hand_over:
        rows.append([(_("Hand over to a colleague"), SheetCb(sheet=sheet.id, action="handover"))])
    rows.append([(_("☰ Sheets"), MenuCb(action="sheets"))])
    return "\n\n".join(parts), inline(rows)


def parameter(sheet: Sheet, items: Items, index: int) -> View:
    item = items.items[index]
    lines = [_heading(sheet),
             _("Parameter {number} of {total}").format(number=index + 1,
                                                       total=len(items.items)),
             f"<b>{escape(item.title)}</b>",
             f"<i>{escape(item.hint)}</i>"]
    if item.note:
        lines.append("⚠ " + escape(item.note))
    answer = sheet.answers.get(item.id)
    if answer:
        lines.append(_("Score: <b>{score}</b>").format(score=format_number(answer.score)))
        if answer.comment:
            lines.append(_("Comment: {comment}").format(comment=escape(answer.comment)))
    else:
        lines.append(_("Choose a score from {low} to {high}, or type an exact value like 4,75.")
                     .format(low=format_number(item.low), high=format_number(item.high)))
    score_row = [(f"{'• ' if answer and answer.score == v else ''}{format_number(v)}",
                  SheetCb(sheet=sheet.id, action="score", index=index, value=str(v)))
                 for v in item.buttons]
    moves = [(_("◀ Back"), SheetCb(sheet=sheet.id, action="go" if index else "open",
                                   index=max(index - 1, 0)))]
    if answer:
        moves.append((_("Next ▶"), SheetCb(sheet=sheet.id, action="go", index=index + 1)))
    markup = inline([
        score_row,
        [(_("✏ Exact value"), SheetCb(sheet=sheet.id, action="exact", index=index)),
         (_("💬 Comment"), SheetCb(sheet=sheet.id, action="comment", index=index))],
        moves,
    ])
    return "\n".join(lines), markup


def summary(sheet: Sheet, methodology: Methodology, items: Items, result) -> View:
    lines = [_heading(sheet), _("<b>Summary</b>")]
    edits = []
    for number, item in enumerate(items.items, start=1):
        answer = sheet.answers.get(item.id)
        score = format_number(answer.score) if answer else "—"
        lines.append(f"{number}. {escape(item.title)}: <b>{score}</b>")
        if answer and answer.comment:
            lines.append(f"    <i>{escape(answer.comment)}</i>")
        edits.append((_("Edit {number}").format(number=number),
                      SheetCb(sheet=sheet.id, action="go", index=number - 1)))
    rows = [edits]
    if result:
        lines.append(_("Average: <b>{average}</b> — {grade}").format(
            average=format_score(result.average), grade=grade_label(methodology, result.grade)))
        rows.append([(_("Submit…"), SheetCb(sheet=sheet.id, action="submit"))])
    else:
        lines.append(_("Some parameters have no score yet."))
    rows.append([(_("☰ Sheets"), MenuCb(action="sheets"))])
    return "\n".join(lines), inline(rows)


def confirm(sheet: Sheet, methodology: Methodology, result) -> View:
    text = "\n".join((_heading(sheet), _(
        "Submit the sheet with the average <b>{average}</b> ({grade})? After submitting it "
        "cannot be changed, and {name} receives the result.").format(
        average=format_score(result.average), grade=grade_label(methodology, result.grade),
        name=escape(sheet.evaluatee_name))))
    return text, inline([[(_("Yes, submit"), SheetCb(sheet=sheet.id, action="confirm")),
                          (_("◀ Back"), SheetCb(sheet=sheet.id, action="summary"))]])


def submitted(sheet: Sheet, methodology: Methodology) -> View:
    text = "\n".join((_heading(sheet), _("Submitted: <b>{average}</b> — {grade}.").format(
        average=format_score(sheet.average), grade=grade_label(methodology, sheet.grade))))
    return text, inline([[(_("☰ Sheets"), MenuCb(action="sheets"))]])
