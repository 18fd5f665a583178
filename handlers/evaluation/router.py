"""The evaluator's sheet: one parameter at a time, typed exact values, comments, summary, submit.

Every answer is saved at once (one transaction each); the sheet remembers the parameter the
evaluator is on, so he resumes there days later or after a restart. Actions carry the parameter
index, so a double tap or a duplicate update repeats the same change instead of adding one.
"""

from __future__ import annotations

import inspect
import logging
import sqlite3
from contextlib import suppress
from typing import Any

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.notifier import Notifier
from handlers.common.callbacks import MenuCb, SheetCb
from handlers.common.render import format_number, format_score
from scoring import Methodology, ScoreError
from services.clock import Clock
from storage import evaluation, org, outbox
from storage.db import Database
from storage.evaluation import Sheet
from storage.models import Servant

from . import views as sheet_views
from .items import Items, load_items, result_of

log = logging.getLogger("bagalau")
MAX_COMMENT = 1000
HAND_OVER_FROM = 20  # cl. 18: more than twenty evaluatees


class SheetInput(StatesGroup):
    value = State()
    comment = State()
    colleague = State()


async def _own_sheet(callback: CallbackQuery | Message, db: Database, sheet_id: int,
                     servant: Servant | None) -> Sheet | None:
    """The sheet if it is this evaluator's and its campaign is open; otherwise say why."""
    sheet = await evaluation.load_sheet(db, sheet_id)
    if sheet is None or servant is None or sheet.evaluator_id != servant.id:
        await _say(callback, _("This sheet is not available to you."))
        return None
    if sheet.campaign.closed:
        await _say(callback, _("This evaluation campaign is closed."))
        return None
    return sheet


async def _say(event: CallbackQuery | Message, text: str) -> None:
    if isinstance(event, CallbackQuery):
        await event.answer(text, show_alert=True)
    else:
        await event.answer(text)


async def _show(callback: CallbackQuery, view: sheet_views.View) -> None:
    """Edit the sheet message in place; an identical view (a double tap) is fine."""
    text, markup = view
    with suppress(TelegramBadRequest):  # "message is not modified"
        await callback.message.edit_text(text, reply_markup=markup)


async def _replace(message: Message, state: FSMContext, view: sheet_views.View) -> None:
    """After typed input: a fresh sheet message below it, the old one removed."""
    data = await state.get_data()
    old = data.get("message_id")
    text, markup = view
    await message.answer(text, reply_markup=markup)
    if old:
        with suppress(TelegramBadRequest):
            await message.bot.delete_message(message.chat.id, old)


def _item_view(sheet: Sheet, methodology: Methodology, items: Items,
               index: int) -> sheet_views.View:
    if index >= len(items.items):
        return _summary_view(sheet, methodology, items)
    return sheet_views.parameter(sheet, items, index)


def _summary_view(sheet: Sheet, methodology: Methodology, items: Items) -> sheet_views.View:
    return sheet_views.summary(sheet, methodology, items, result_of(methodology, sheet, items))


async def _reload(db: Database, sheet_id: int) -> Sheet:
    return await evaluation.load_sheet(db, sheet_id)


async def _leave_input(state: FSMContext, raw_state: str | None) -> None:
    """Drop a half-typed value or comment when the evaluator moves on with a button."""
    if raw_state is not None:
        await state.clear()


async def _record(event: CallbackQuery | Message, db: Database, sheet: Sheet, index: int,
                  parameter: str, value, servant: Servant, clock: Clock) -> Sheet | None:
    """Save a score; None (and say so) if the sheet was submitted in the meantime."""
    try:
        return await evaluation.record_answer(db, sheet, index, parameter, value,
                                              at=clock.now(), actor=f"servant:{servant.id}")
    except sqlite3.IntegrityError:
        await _say(event, _("This sheet is already submitted and cannot be changed."))
        return None


# ------------------------------------------------------------------ the list
async def list_command(message: Message, db: Database, clock: Clock, methodology: Methodology,
                       servant: Servant | None) -> None:
    if servant is None:
        await message.answer(_("Send /start to begin."))
        return
    async with db.reading() as conn:
        sheets = await evaluation.evaluator_sheets(conn, servant.id)
    text, markup = sheet_views.sheet_list(sheets, methodology, clock.today())
    await message.answer(text, reply_markup=markup)


async def list_from_menu(callback: CallbackQuery, db: Database, clock: Clock,
                         methodology: Methodology, servant: Servant | None,
                         state: FSMContext, raw_state: str | None) -> None:
    await _leave_input(state, raw_state)
    await callback.answer()
    if servant is None:
        return
    async with db.reading() as conn:
        sheets = await evaluation.evaluator_sheets(conn, servant.id)
    await _show(callback, sheet_views.sheet_list(sheets, methodology, clock.today()))


# ------------------------------------------------------------------ moving through the sheet
async def open_sheet(callback: CallbackQuery, callback_data: SheetCb, db: Database,
                     methodology: Methodology, servant: Servant | None,
                     state: FSMContext, raw_state: str | None) -> None:
    sheet = await _own_sheet(callback, db, callback_data.sheet, servant)
    if sheet is None:
        return
    await _leave_input(state, raw_state)
    await callback.answer()
    if sheet.status == "submitted":
        await _show(callback, sheet_views.submitted(sheet, methodology))
        return
    async with db.reading() as conn:
        pending = sum(s.status == "pending" and s.campaign == sheet.campaign
                      for s in await evaluation.evaluator_sheets(conn, servant.id))
    items = await load_items(db, methodology, sheet)
    await _show(callback, sheet_views.intro(sheet, methodology, items,
                                            pending > HAND_OVER_FROM))


async def go(callback: CallbackQuery, callback_data: SheetCb, db: Database,
             methodology: Methodology, servant: Servant | None, state: FSMContext,
             raw_state: str | None) -> None:
    sheet = await _pending(callback, db, callback_data.sheet, servant, methodology)
    if sheet is None:
        return
    await _leave_input(state, raw_state)
    items = await load_items(db, methodology, sheet)
    if items.missing:
        await callback.answer(items.missing, show_alert=True)
        return
    index = max(0, min(callback_data.index, len(items.items)))
    sheet = await evaluation.move(db, sheet, index)
    await callback.answer()
    await _show(callback, _item_view(sheet, methodology, items, index))


async def _pending(callback: CallbackQuery, db: Database, sheet_id: int, servant: Servant | None,
                   methodology: Methodology) -> Sheet | None:
    sheet = await _own_sheet(callback, db, sheet_id, servant)
    if sheet is None:
        return None
    if sheet.status != "pending":
        await callback.answer(_("This sheet is already submitted and cannot be changed."),
                              show_alert=True)
        await _show(callback, sheet_views.submitted(sheet, methodology))
        return None
    return sheet


async def _pending_item(callback: CallbackQuery, callback_data: SheetCb, db: Database,
                        servant: Servant | None, methodology: Methodology):
    """(sheet, items, item) for a button on one item of a pending sheet of his, or None once
    the user has been told why not."""
    sheet = await _pending(callback, db, callback_data.sheet, servant, methodology)
    if sheet is None:
        return None
    items = await load_items(db, methodology, sheet)
    if items.missing or not 0 <= callback_data.index < len(items.items):
        await callback.answer(_("This button is out of date. Send /start for the current "
                                "menu."), show_alert=True)
        return None
    return sheet, items, items.items[callback_data.index]


async def score(callback: CallbackQuery, callback_data: SheetCb, db: Database, clock: Clock,
                methodology: Methodology, servant: Servant | None) -> None:
    found = await _pending_item(callback, callback_data, db, servant, methodology)
    if found is None:
        return
    sheet, items, item = found
    try:
        value = item.check(callback_data.value)
    except ScoreError as error:
        await callback.answer(score_error(error), show_alert=True)
        return
    sheet = await _record(callback, db, sheet, callback_data.index, item.id, value, servant,
                          clock)
    if sheet is None:
        return
    await callback.answer(_("Saved: {score}").format(score=format_number(value)))
    await _show(callback, _item_view(sheet, methodology, items, callback_data.index + 1))


def score_error(error: ScoreError) -> str:
    """A typed or pressed score the methodology refuses, said so that the user can fix it."""
    low = format_number(error.low) if error.low is not None else ""
    high = format_number(error.high) if error.high is not None else ""
    if error.code in ("below_min", "above_max"):
        return _("The score must be from {low} to {high}. Nothing was saved.").format(
            low=low, high=high)
    if error.code == "above_cap":
        return _("With a disciplinary sanction in the quarter the score may not exceed {cap}. "
                 "Nothing was saved.").format(cap=format_score(error.limit))
    if error.code == "outside_kpi_range":
        return _("For this achievement the score must be from {low} to {high}. Nothing was "
                 "saved.").format(low=low, high=high)
    if error.code == "too_many_decimals":
        return _("Use at most two decimals, like 4,75. Nothing was saved.")
    return _("That is not a number. Type a score like 4 or 4,75. Nothing was saved.")


async def ask_exact(callback: CallbackQuery, callback_data: SheetCb, db: Database,
                    methodology: Methodology, servant: Servant | None,
                    state: FSMContext) -> None:
    found = await _pending_item(callback, callback_data, db, servant, methodology)
    if found is None:
        return
    sheet, _items, item = found
    await state.set_state(SheetInput.value)
    await state.set_data({"sheet": sheet.id, "index": callback_data.index,
                          "message_id": callback.message.message_id})
    await callback.answer()
    await callback.message.answer(_("Type the score for “{title}”: a number from {low} to {high} "
                                    "with up to two decimals, like 4,75.").format(
        title=item.title, low=format_number(item.low), high=format_number(item.high)))


async def typed_value(message: Message, state: FSMContext, db: Database, clock: Clock,
                      methodology: Methodology, servant: Servant | None) -> None:
    data = await state.get_data()
    sheet = await _own_sheet(message, db, data.get("sheet", 0), servant)
    if sheet is None or sheet.status != "pending":
        await state.clear()
        return
    items = await load_items(db, methodology, sheet)
    item = items.items[data["index"]]
    try:
        value = item.check(message.text)
    except ScoreError as error:
        await message.answer(score_error(error))
        return
    sheet = await _record(message, db, sheet, data["index"], item.id, value, servant, clock)
    if sheet is None:
        await state.clear()
        return
    await _replace(message, state, _item_view(sheet, methodology, items, data["index"] + 1))
    await state.clear()


async def ask_comment(callback: CallbackQuery, callback_data: SheetCb, db: Database,
                      methodology: Methodology, servant: Servant | None,
                      state: FSMContext) -> None:
    found = await _pending_item(callback, callback_data, db, servant, methodology)
    if found is None:
        return
    sheet, _items, item = found
    if item.id not in sheet.answers:
        await callback.answer(_("Give a score first, then add a comment."), show_alert=True)
        return
    await state.set_state(SheetInput.comment)
    await state.set_data({"sheet": sheet.id, "index": callback_data.index,
                          "message_id": callback.message.message_id})
    await callback.answer()
    await callback.message.answer(_("Type the comment for “{title}” (up to {limit} characters), "
                                    "or “-” to remove it.").format(title=item.title,
                                                                  limit=MAX_COMMENT))


async def typed_comment(message: Message, state: FSMContext, db: Database, clock: Clock,
                        methodology: Methodology, servant: Servant | None) -> None:
    data = await state.get_data()
    sheet = await _own_sheet(message, db, data.get("sheet", 0), servant)
    if sheet is None or sheet.status != "pending":
        await state.clear()
        return
    text = message.text.strip()
    if len(text) > MAX_COMMENT:
        await message.answer(_("The comment is {length} characters long; the limit is {limit}. "
                               "Nothing was saved: shorten it and send it again.").format(
            length=len(text), limit=MAX_COMMENT))
        return
    items = await load_items(db, methodology, sheet)
    item = items.items[data["index"]]
    async with db.transaction() as conn:
        await evaluation.save_comment(conn, sheet.id, item.id, None if text == "-" else text,
                                      at=clock.now(), actor=f"servant:{servant.id}")
    await _replace(message, state, _item_view(await _reload(db, sheet.id), methodology, items,
                                              data["index"]))
    await state.clear()


async def not_text(message: Message) -> None:
    await message.answer(_("Please type it as a text message, or /cancel."))


# ------------------------------------------------------------------ summary and submission
async def show_summary(callback: CallbackQuery, callback_data: SheetCb, db: Database,
                       methodology: Methodology, servant: Servant | None) -> None:
    sheet = await _pending(callback, db, callback_data.sheet, servant, methodology)
    if sheet is None:
        return
    await callback.answer()
    await _show(callback, _summary_view(sheet, methodology,
                                        await load_items(db, methodology, sheet)))


async def ask_submit(callback: CallbackQuery, callback_data: SheetCb, db: Database,
                     methodology: Methodology, servant: Servant | None) -> None:
    sheet = await _pending(callback, db, callback_data.sheet, servant, methodology)
    if sheet is None:
        return
    result = result_of(methodology, sheet, await load_items(db, methodology, sheet))
    if result is None:
        await callback.answer(_("Some parameters have no score yet."), show_alert=True)
        return
    await callback.answer()
    await _show(callback, sheet_views.confirm(sheet, methodology, result))


async def submit(callback: CallbackQuery, callback_data: SheetCb, db: Database, clock: Clock,
                 methodology: Methodology, notifier: Notifier,
                 servant: Servant | None) -> None:
    sheet = await _pending(callback, db, callback_data.sheet, servant, methodology)
    if sheet is None:
        return
    result = result_of(methodology, sheet, await load_items(db, methodology, sheet))
    if result is None:
        await callback.answer(_("Some parameters have no score yet."), show_alert=True)
        return
    now = clock.now()
    async with db.transaction() as conn:
        done = await evaluation.submit(conn, sheet.id, average=result.average,
                                       grade=result.grade, at=now,
                                       actor=f"servant:{servant.id}")
        if done:  # the result goes to the servant with the submission, or not at all
            await outbox.enqueue(conn, "result", f"sheet:{sheet.id}", sheet.evaluatee_id,
                                 due_on=clock.today(), not_before=now, at=now,
                                 payload={"sheet": sheet.id})
    notifier.wake()
    sheet = await _reload(db, sheet.id)
    await callback.answer(_("Submitted.") if done else _("Already submitted."))
    await _show(callback, sheet_views.submitted(sheet, methodology))


# ------------------------------------------------------------------ handing over (cl. 18)
async def ask_colleague(callback: CallbackQuery, callback_data: SheetCb, db: Database,
                        methodology: Methodology, servant: Servant | None,
                        state: FSMContext) -> None:
    sheet = await _pending(callback, db, callback_data.sheet, servant, methodology)
    if sheet is None:
        return
    await state.set_state(SheetInput.colleague)
    await state.set_data({"sheet": sheet.id, "message_id": callback.message.message_id})
    await callback.answer()
    await callback.message.answer(_(
        "You have more than twenty evaluatees, so a corps “B” colleague you choose may evaluate "
        "some of them (cl. 18). Send the colleague's personnel number, or /cancel."))


async def typed_colleague(message: Message, state: FSMContext, db: Database, clock: Clock,
                          notifier: Notifier, servant: Servant | None) -> None:
    data = await state.get_data()
    sheet = await _own_sheet(message, db, data.get("sheet", 0), servant)
    if sheet is None or sheet.status != "pending":
        await state.clear()
        return
    async with db.transaction() as conn:
        colleague = await org.by_personnel_no(conn, message.text)
        valid = colleague is not None and colleague.active_on(clock.today()) and \
            colleague.id not in (servant.id, sheet.evaluatee_id)
        if valid:
            await evaluation.hand_over(conn, sheet.id, colleague.id, at=clock.now(),
                                       actor=f"servant:{servant.id}")
            await outbox.enqueue(conn, "handover", f"sheet:{sheet.id}", colleague.id,
                                 due_on=clock.today(), not_before=clock.now(), at=clock.now(),
                                 payload={"sheet": sheet.id})
    if not valid:
        await message.answer(_("That is not a colleague who can take this sheet. Send another "
                               "personnel number, or /cancel."))
        return
    await state.clear()
    notifier.wake()
    await message.answer(_("{name} will evaluate {evaluatee}.").format(
        name=colleague.full_name, evaluatee=sheet.evaluatee_name))


async def on_sheet_button(callback: CallbackQuery, callback_data: SheetCb,
                          **data: Any) -> None:
    """One handler for every sheet button (one filter check instead of eleven per tap)."""
    action = SHEET_ACTIONS.get(callback_data.action)
    if action is None:
        await callback.answer(_("This button is out of date. Send /start for the current "
                                "menu."), show_alert=True)
        return
    await action(callback, callback_data, **{k: data[k] for k in _PARAMETERS[action]})


SHEET_ACTIONS = {
    "open": open_sheet, "go": go, "score": score, "exact": ask_exact, "comment": ask_comment,
    "summary": show_summary, "submit": ask_submit, "confirm": submit, "handover": ask_colleague,
}
_PARAMETERS = {
    action: [name for name in inspect.signature(action).parameters
             if name not in ("callback", "callback_data")]
    for action in SHEET_ACTIONS.values()
}


def create_router() -> Router:
    """A fresh router (an app restarted in-process needs new ones)."""
    router = Router(name="evaluation")
    router.message.register(list_command, Command("sheets"))
    router.callback_query.register(list_from_menu, MenuCb.filter(F.action == "sheets"))
    router.callback_query.register(on_sheet_button, SheetCb.filter())
    router.message.register(typed_value, StateFilter(SheetInput.value), F.text)
    router.message.register(typed_comment, StateFilter(SheetInput.comment), F.text)
    router.message.register(typed_colleague, StateFilter(SheetInput.colleague), F.text)
    router.message.register(not_text, StateFilter(SheetInput))
    return router
