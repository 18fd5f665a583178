"""What the evaluator sees: the list of sheets, one parameter at a time, the summary."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from html import escape

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from handlers.common.callbacks import MenuAction, MenuCb, SheetAction, SheetCb
from handlers.common.keyboards import Row, inline
from handlers.common.render import (
    format_date,
    format_number,
    format_score,
    grade_label,
    official,
    quarter_name,
)
from scoring import Methodology, Text
from services.evaluation import EvaluatorSheets, HandedOver, Missing, Sheet, SheetItem, SheetState

View = tuple[str, InlineKeyboardMarkup]


def sheet_list(found: EvaluatorSheets, methodology: Methodology, today: date) -> View:
    """His sheets by quarter; the quarter is named on each button when more than one is open,
    and the hand-over (cl. 18) is offered here when he may use it."""
    sheets = found.sheets
    builder = InlineKeyboardBuilder()
    lines = []
    campaigns = sorted({s.campaign for s in sheets}, key=lambda c: c.quarter)
    for campaign in campaigns:
        own = [s for s in sheets if s.campaign == campaign]
        done = sum(s.status == "submitted" for s in own)
        lines.append(_("<b>{quarter}</b>: {done} of {total} done, due {date}.").format(
            quarter=quarter_name(campaign.quarter), done=done, total=len(own),
            date=format_date(campaign.deadline)))
        if today > campaign.deadline and done < len(own):
            lines.append(_("The deadline has passed: please finish the remaining sheets."))
    if found.may_hand_over:
        lines.append(_("You have more than twenty evaluatees: a corps “B” colleague you choose "
                       "may evaluate some of them (cl. 18)."))
    for s in sheets:
        form = methodology.forms[s.form]
        total = len(form.parameters) if form.kind == "parameters" else "…"
        label = f"✓ {s.evaluatee_name} — {format_score(s.average)}" if s.status == "submitted" \
            else f"{s.evaluatee_name} — {len(s.answers)}/{total}"
        if len(campaigns) > 1:
            label = f"{quarter_name(s.campaign.quarter)} · {label}"
        builder.button(text=label, callback_data=SheetCb(sheet=s.id, action=SheetAction.OPEN))
    if found.may_hand_over:
        builder.button(text=_("↪ Hand sheets over to a colleague"),
                       callback_data=MenuCb(action=MenuAction.HANDOVER))
    builder.button(text=_("☰ Menu"), callback_data=MenuCb(action=MenuAction.HOME))
    builder.adjust(1)
    return "\n".join(lines) or _("No evaluation sheets are waiting for you."), \
        builder.as_markup()


def handover_choice(found: EvaluatorSheets) -> View:
    """The pending sheets he may hand over, one button each."""
    sheets = found.pending_to_hand_over()
    several = len({s.campaign for s in sheets}) > 1
    rows: list[Row] = [[(f"↪ {quarter_name(s.campaign.quarter)} · {s.evaluatee_name}" if several
              else f"↪ {s.evaluatee_name}",
              SheetCb(sheet=s.id, action=SheetAction.HANDOVER))] for s in sheets]
    rows.append([(_("☰ Sheets"), MenuCb(action=MenuAction.SHEETS))])
    text = _("Whose sheet should a colleague fill in? Choose the evaluatee; then send the "
             "colleague's personnel number (cl. 18).") if sheets else \
        _("You have no sheets to hand over: only an evaluator with more than twenty pending "
          "evaluatees in a quarter may (cl. 18).")
    return text, inline(rows)


def prompt_colleague(sheet: Sheet) -> str:
    return _("Who should evaluate {name} ({quarter})? Send the colleague's personnel number, "
             "or /cancel.").format(name=escape(sheet.evaluatee_name),
                                    quarter=quarter_name(sheet.campaign.quarter))


def handed_over(handed: HandedOver) -> View:
    lines = [_("Done: {name} will evaluate {evaluatee} ({quarter}).").format(
        name=escape(handed.colleague.full_name), evaluatee=escape(handed.sheet.evaluatee_name),
        quarter=quarter_name(handed.sheet.campaign.quarter))]
    if handed.colleague_linked:
        lines.append(_("I have told him."))
    else:
        lines.append(_("He has not linked his Telegram account to the bot, so I cannot tell "
                       "him: please let him know yourself."))
    return "\n".join(lines), inline([
        [(_("↪ Hand over another sheet"), MenuCb(action=MenuAction.HANDOVER))],
        [(_("☰ Sheets"), MenuCb(action=MenuAction.SHEETS))]])


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


def _instruction(item: SheetItem, answered: bool) -> str:
    """The one line that says what to do, with an example the item allows; under a sanction
    cap it is the line that states the cap."""
    example = format_number(item.example)
    if item.cap is not None:
        return _("⚠ A disciplinary sanction in the quarter: the score may not exceed {cap}. "
                 "Press a score or type one, like {example}.").format(
            cap=format_number(item.high), example=example)
    if answered:
        return _("To change it, press another score or type one, like {example}.").format(
            example=example)
    return _("Press a score from {low} to {high} or type one, like {example}.").format(
        low=format_number(item.low), high=format_number(item.high), example=example)


def intro(state: SheetState, can_hand_over: bool) -> View:
    sheet = state.sheet
    form = state.methodology.forms[sheet.form]
    parts = [_heading(sheet), f"<b>{escape(official(form.title))}</b>",
             escape(official(form.preamble))]
    rows: list[Row] = []
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


def saved_line(number: int, value: Decimal, *, with_comment: bool = False) -> str:
    """What a typed score saved, said back (a pressed one is said in the toast)."""
    if with_comment:
        return _("✓ Saved for parameter {number}: {score}, with the comment.").format(
            number=number, score=format_number(value))
    return _("✓ Saved for parameter {number}: {score}.").format(number=number,
                                                              score=format_number(value))


def item_screen(state: SheetState, index: int, *, draft: str | None = None,
                notice: str | None = None) -> View:
    """One item to score (pressed or typed on this very screen), or the summary once past the
    last. ``draft`` is a comment written before the score; ``notice`` a line said first."""
    if index >= len(state.items):
        view = summary(state)
        return (f"{notice}\n\n{view[0]}", view[1]) if notice else view
    sheet, item = state.sheet, state.items[index]
    lines = [notice, ""] if notice else []
    lines += [_heading(sheet),
              _("Parameter {number} of {total}").format(number=index + 1,
                                                        total=len(state.items)),
              f"<b>{escape(_text(item.title))}</b>",
              f"<i>{escape(_hint(item))}</i>"]
    answer = sheet.answers.get(item.id)
    if answer:
        lines.append(_("Score: <b>{score}</b>").format(score=format_number(answer.score)))
        if answer.comment:
            lines.append(_("Comment: {comment}").format(comment=escape(answer.comment)))
    elif draft:
        lines.append(_("Comment (saved with the score): {comment}").format(
            comment=escape(draft)))
    lines.append(escape(_instruction(item, answer is not None)))
    values = list(item.buttons)
    if item.high not in values:  # the cap itself (2,99) is a button too
        values.append(item.high)
    score_row = [(f"{'• ' if answer and answer.score == v else ''}{format_number(v)}",
                  SheetCb(sheet=sheet.id, action=SheetAction.SCORE, index=index, value=str(v)))
                 for v in values]
    back = SheetAction.GO if index else SheetAction.OPEN
    moves = [(_("◀ Back"), SheetCb(sheet=sheet.id, action=back, index=max(index - 1, 0)))]
    if answer:
        moves.append((_("Next ▶"), SheetCb(sheet=sheet.id, action=SheetAction.GO,
                                           index=index + 1)))
    markup = inline([
        score_row,
        [(_("💬 Comment"), SheetCb(sheet=sheet.id, action=SheetAction.COMMENT, index=index))],
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
    rows: list[Row] = [edits]
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
             "decimals, like {example}.").format(
        title=escape(_text(item.title)), low=format_number(item.low),
        high=format_number(item.high), example=format_number(item.example))


def prompt_comment(item: SheetItem, limit: int, *, scored: bool) -> str:
    if scored:
        return _("Type the comment for “{title}” (up to {limit} characters), or “-” to remove "
                 "it.").format(title=escape(_text(item.title)), limit=limit)
    return _("Type the comment for “{title}” (up to {limit} characters). It is saved together "
             "with the score you give next.").format(title=escape(_text(item.title)),
                                                     limit=limit)


def submitted(sheet: Sheet, methodology: Methodology) -> View:
    text = "\n".join((_heading(sheet), _("Submitted: <b>{average}</b> — {grade}.").format(
        average=format_score(sheet.average), grade=grade_label(methodology, sheet.grade))))
    return text, inline([[(_("☰ Sheets"), MenuCb(action=MenuAction.SHEETS))]])
