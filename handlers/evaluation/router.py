"""The evaluator's sheet in the chat: the list, one item at a time, typed values, comments,
the summary, submission and hand-over (cl. 18). Each handler parses the tap or the text,
calls one use case of ``services.evaluation`` and draws the answer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _

from handlers.common.callbacks import MenuAction, MenuCb, SheetAction, SheetCb
from handlers.common.filters import KnownServant
from handlers.common.refusals import Refusal, out_of_date
from handlers.common.render import format_number
from services import evaluation
from services.accounts import Servant
from services.context import Context
from services.errors import Reason, Rejected

from . import views
from .states import SheetInput, Typing


@dataclass(frozen=True, slots=True)
class Tap:
    """A press of a sheet button, with what every sheet action needs."""

    callback: CallbackQuery
    data: SheetCb
    context: Context
    servant: Servant
    state: FSMContext
    raw_state: str | None
    answer: CallbackAnswer


async def _show(callback: CallbackQuery, view: views.View) -> None:
    """Edit the sheet message in place; an identical view (a double tap) is fine."""
    text, markup = view
    with suppress(TelegramBadRequest):  # "message is not modified"
        await callback.message.edit_text(text, reply_markup=markup)


async def _replace(message: Message, typing: Typing, view: views.View) -> None:
    """After typed input: a fresh sheet message below it, the old one removed."""
    text, markup = view
    await message.answer(text, reply_markup=markup)
    with suppress(TelegramBadRequest):
        await message.bot.delete_message(message.chat.id, typing.message_id)


async def _leave_input(state: FSMContext, raw_state: str | None) -> None:
    """Drop a half-typed value or comment when the evaluator moves on with a button."""
    if raw_state is not None:
        await state.clear()


async def _pending(tap: Tap) -> evaluation.SheetState:
    return await evaluation.pending_state(tap.context, tap.servant, tap.data.sheet)


async def _typing(state: FSMContext) -> Typing:
    typing = await Typing.of(state)
    if typing is None:
        await state.clear()
        raise Refusal(out_of_date())
    return typing


# ------------------------------------------------------------------ the list
async def list_command(message: Message, context: Context, servant: Servant) -> None:
    sheets = await evaluation.evaluator_sheets(context, servant)
    text, markup = views.sheet_list(sheets, context.methodology, context.clock.today())
    await message.answer(text, reply_markup=markup)


async def list_from_menu(callback: CallbackQuery, context: Context, servant: Servant,
                         state: FSMContext, raw_state: str | None) -> None:
    await _leave_input(state, raw_state)
    sheets = await evaluation.evaluator_sheets(context, servant)
    await _show(callback, views.sheet_list(sheets, context.methodology, context.clock.today()))


# ------------------------------------------------------------------ moving through the sheet
async def open_sheet(tap: Tap) -> None:
    opened = await evaluation.open_sheet(tap.context, tap.servant, tap.data.sheet)
    await _leave_input(tap.state, tap.raw_state)
    sheet = opened.state.sheet
    if sheet.status == "submitted":
        await _show(tap.callback, views.submitted(sheet, tap.context.methodology))
    else:
        await _show(tap.callback, views.intro(opened.state, opened.may_hand_over))


async def go(tap: Tap) -> None:
    await _leave_input(tap.state, tap.raw_state)
    moved, index = await evaluation.go_to(tap.context, tap.servant, tap.data.sheet,
                                          tap.data.index)
    if moved.missing:
        raise Refusal(views.missing_text(moved))
    await _show(tap.callback, views.item_screen(moved, index))


async def score(tap: Tap) -> None:
    scored = await evaluation.record_score(tap.context, tap.servant, tap.data.sheet,
                                           tap.data.index, tap.data.value)
    tap.answer.text = _("Saved: {score}").format(score=format_number(scored.value))
    await _show(tap.callback, views.item_screen(scored.state, tap.data.index + 1))


async def ask_exact(tap: Tap) -> None:
    sheet = await _pending(tap)
    item = sheet.item(tap.data.index)
    await Typing(sheet.sheet.id, tap.callback.message.message_id, tap.data.index).begin(
        tap.state, SheetInput.value)
    await tap.callback.message.answer(views.prompt_value(item))


async def typed_value(message: Message, state: FSMContext, context: Context,
                      servant: Servant) -> None:
    typing = await _typing(state)
    try:
        scored = await evaluation.record_score(context, servant, typing.sheet, typing.index,
                                               message.text or "")
    except Rejected:
        await state.clear()
        raise
    await _replace(message, typing, views.item_screen(scored.state, typing.index + 1))
    await state.clear()


async def ask_comment(tap: Tap) -> None:
    sheet = await _pending(tap)
    item = sheet.item(tap.data.index)
    if item.id not in sheet.sheet.answers:
        raise Rejected(Reason.SCORE_FIRST)
    await Typing(sheet.sheet.id, tap.callback.message.message_id, tap.data.index).begin(
        tap.state, SheetInput.comment)
    await tap.callback.message.answer(views.prompt_comment(item, evaluation.MAX_COMMENT))


async def typed_comment(message: Message, state: FSMContext, context: Context,
                        servant: Servant) -> None:
    typing = await _typing(state)
    try:
        saved = await evaluation.save_comment(context, servant, typing.sheet, typing.index,
                                              message.text or "")
    except Rejected as rejected:
        if rejected.reason is not Reason.COMMENT_TOO_LONG:  # he may shorten it and resend
            await state.clear()
        raise
    await _replace(message, typing, views.item_screen(saved, typing.index))
    await state.clear()


async def not_text(message: Message) -> None:
    await message.answer(_("Please type it as a text message, or /cancel."))


# ------------------------------------------------------------------ summary and submission
async def show_summary(tap: Tap) -> None:
    await _show(tap.callback, views.summary(await _pending(tap)))


async def ask_submit(tap: Tap) -> None:
    sheet = await _pending(tap)
    if sheet.result is None:
        raise Rejected(Reason.INCOMPLETE)
    await _show(tap.callback, views.confirm(sheet))


async def submit(tap: Tap) -> None:
    submitted = await evaluation.submit_sheet(tap.context, tap.servant, tap.data.sheet)
    tap.answer.text = _("Submitted.") if submitted.done else _("Already submitted.")
    await _show(tap.callback, views.submitted(submitted.sheet, tap.context.methodology))


# ------------------------------------------------------------------ handing over (cl. 18)
async def ask_colleague(tap: Tap) -> None:
    sheet = await _pending(tap)
    await Typing(sheet.sheet.id, tap.callback.message.message_id).begin(
        tap.state, SheetInput.colleague)
    await tap.callback.message.answer(_(
        "You have more than twenty evaluatees, so a corps “B” colleague you choose may evaluate "
        "some of them (cl. 18). Send the colleague's personnel number, or /cancel."))


async def typed_colleague(message: Message, state: FSMContext, context: Context,
                          servant: Servant) -> None:
    typing = await _typing(state)
    try:
        handed = await evaluation.hand_over(context, servant, typing.sheet, message.text or "")
    except Rejected as rejected:
        if rejected.reason is not Reason.NOT_A_COLLEAGUE:  # he may send another number
            await state.clear()
        raise
    await state.clear()
    await message.answer(_("{name} will evaluate {evaluatee}.").format(
        name=handed.colleague.full_name, evaluatee=handed.sheet.evaluatee_name))


ACTIONS: dict[SheetAction, Callable[[Tap], Awaitable[None]]] = {
    SheetAction.OPEN: open_sheet, SheetAction.GO: go, SheetAction.SCORE: score,
    SheetAction.EXACT: ask_exact, SheetAction.COMMENT: ask_comment,
    SheetAction.SUMMARY: show_summary, SheetAction.SUBMIT: ask_submit,
    SheetAction.CONFIRM: submit, SheetAction.HANDOVER: ask_colleague,
}


async def on_sheet_button(callback: CallbackQuery, callback_data: SheetCb, context: Context,
                          servant: Servant, state: FSMContext, raw_state: str | None,
                          callback_answer: CallbackAnswer) -> None:
    """Every sheet button: one filter check per tap, then the action it names. A sheet
    submitted meanwhile is shown as submitted, with the refusal."""
    tap = Tap(callback, callback_data, context, servant, state, raw_state, callback_answer)
    try:
        await ACTIONS[callback_data.action](tap)
    except Rejected as rejected:
        submitted = rejected.detail.get("sheet")
        if isinstance(submitted, evaluation.Sheet):
            await _show(callback, views.submitted(submitted, context.methodology))
        raise


def create_router() -> Router:
    """A fresh router (an app restarted in-process needs new ones)."""
    router = Router(name="evaluation")
    router.message.filter(KnownServant())
    router.callback_query.filter(KnownServant())
    router.message.register(list_command, Command("sheets"))
    router.callback_query.register(list_from_menu, MenuCb.filter(F.action == MenuAction.SHEETS))
    router.callback_query.register(on_sheet_button, SheetCb.filter())
    router.message.register(typed_value, StateFilter(SheetInput.value), F.text)
    router.message.register(typed_comment, StateFilter(SheetInput.comment), F.text)
    router.message.register(typed_colleague, StateFilter(SheetInput.colleague), F.text)
    router.message.register(not_text, StateFilter(SheetInput))
    return router
