"""The evaluator's sheet in the chat: the list, one item at a time, typed values, comments,
the summary, submission and hand-over (cl. 18). Each handler parses the tap or the text,
calls one use case of ``services.evaluation`` and draws the answer.

While an item is on screen the chat remembers it (``SheetInput.value``), so a score typed
there is that item's; a comment may be written before the score and is saved with it. Any
other command or button ends that, so a number typed later is never taken for a score.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass

from aiogram import F, Router
from aiogram.dispatcher.event.bases import SkipHandler
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
    answer: CallbackAnswer


async def _show(callback: CallbackQuery, view: views.View) -> None:
    """Edit the sheet message in place; an identical view (a double tap) is fine."""
    text, markup = view
    with suppress(TelegramBadRequest):  # "message is not modified"
        await callback.message.edit_text(text, reply_markup=markup)


async def _respond(tap: Tap, view: views.View, *also: Awaitable[None],
                   toast: str | None = None) -> None:
    """After the use case committed: the toast, the edited screen (and ``also``, e.g. the
    conversation's next step) at once — one round trip to Telegram instead of two in a row."""
    tap.answer.disable()  # answered here, not after the handler by the middleware

    async def answer() -> None:
        await tap.callback.answer(toast)

    await asyncio.gather(answer(), _show(tap.callback, view), *also)


def _message_id(tap: Tap) -> int:
    """The sheet message the tap was on (0: none we can edit)."""
    return tap.callback.message.message_id if tap.callback.message else 0


async def _replace(message: Message, typing: Typing, view: views.View) -> Message:
    """After typed input: a fresh sheet message below it, the old one removed."""
    text, markup = view
    sent = await message.answer(text, reply_markup=markup)
    with suppress(TelegramBadRequest):
        await message.bot.delete_message(message.chat.id, typing.message_id)
    return sent


async def _on_screen(state: FSMContext, sheet: evaluation.SheetState, message_id: int,
                     index: int, draft: str | None = None) -> None:
    """Remember the item on screen, so that a typed score is its; past the last item (the
    summary) nothing is typed."""
    if index < len(sheet.items) and not sheet.missing:
        await Typing(sheet.sheet.id, message_id, index, draft).begin(state, SheetInput.value)
    else:
        await state.clear()


async def _pending(tap: Tap) -> evaluation.SheetState:
    return await evaluation.pending_state(tap.context, tap.servant, tap.data.sheet)


async def _typing(state: FSMContext) -> Typing:
    typing = await Typing.of(state)
    if typing is None:
        await state.clear()
        raise Refusal(out_of_date())
    return typing


async def _draft(state: FSMContext, sheet_id: int, index: int) -> str | None:
    """The comment written before the score of this item, if any."""
    typing = await Typing.of(state)
    if typing is not None and (typing.sheet, typing.index) == (sheet_id, index):
        return typing.comment
    return None


# ------------------------------------------------------------------ the list
async def list_command(message: Message, context: Context, servant: Servant,
                       state: FSMContext) -> None:
    await state.clear()
    found = await evaluation.sheet_list(context, servant)
    text, markup = views.sheet_list(found, context.methodology, context.clock.today())
    await message.answer(text, reply_markup=markup)


async def list_from_menu(callback: CallbackQuery, context: Context, servant: Servant,
                         state: FSMContext) -> None:
    await state.clear()
    found = await evaluation.sheet_list(context, servant)
    await _show(callback, views.sheet_list(found, context.methodology, context.clock.today()))


async def handover_list(callback: CallbackQuery, context: Context, servant: Servant,
                        state: FSMContext) -> None:
    await state.clear()
    await _show(callback, views.handover_choice(await evaluation.sheet_list(context, servant)))


# ------------------------------------------------------------------ moving through the sheet
async def open_sheet(tap: Tap) -> None:
    opened = await evaluation.open_sheet(tap.context, tap.servant, tap.data.sheet)
    await tap.state.clear()
    sheet = opened.state.sheet
    if sheet.status == "submitted":
        await _show(tap.callback, views.submitted(sheet, tap.context.methodology))
    else:
        await _show(tap.callback, views.intro(opened.state, opened.may_hand_over))


async def go(tap: Tap) -> None:
    moved, index = await evaluation.go_to(tap.context, tap.servant, tap.data.sheet,
                                          tap.data.index)
    if moved.missing:
        await tap.state.clear()
        raise Refusal(views.missing_text(moved))
    draft = await _draft(tap.state, tap.data.sheet, index)
    await _respond(tap, views.item_screen(moved, index, draft=draft),
                   _on_screen(tap.state, moved, _message_id(tap), index, draft))


async def score(tap: Tap) -> None:
    draft = await _draft(tap.state, tap.data.sheet, tap.data.index)
    scored = await evaluation.record_score(tap.context, tap.servant, tap.data.sheet,
                                           tap.data.index, tap.data.value, comment=draft)
    index = tap.data.index + 1
    await _respond(tap, views.item_screen(scored.state, index),
                   _on_screen(tap.state, scored.state, _message_id(tap), index),
                   toast=_("Saved: {score}").format(score=format_number(scored.value)))


async def ask_exact(tap: Tap) -> None:
    """An "exact value" button of an older sheet message: the same as typing on the screen."""
    sheet = await _pending(tap)
    item = sheet.item(tap.data.index)
    await _on_screen(tap.state, sheet, _message_id(tap), tap.data.index)
    await tap.callback.message.answer(views.prompt_value(item))


async def typed_value(message: Message, state: FSMContext, context: Context,
                      servant: Servant) -> None:
    """A score typed on the item's screen: saved, said back, and the next item shown."""
    typing = await _typing(state)
    try:
        scored = await evaluation.record_score(context, servant, typing.sheet, typing.index,
                                               message.text or "", typed=True,
                                               comment=typing.comment)
    except Rejected as rejected:
        if rejected.reason not in (Reason.SCORE_SIGNED, Reason.SCORE_UNREADABLE,
                                   Reason.SCORE_DECIMALS):
            await state.clear()
        raise
    index = typing.index + 1
    notice = views.saved_line(index, scored.value, with_comment=scored.comment_saved)
    sent = await _replace(message, typing, views.item_screen(scored.state, index,
                                                             notice=notice))
    await _on_screen(state, scored.state, sent.message_id, index)


async def ask_comment(tap: Tap) -> None:
    sheet = await _pending(tap)
    item = sheet.item(tap.data.index)
    draft = await _draft(tap.state, tap.data.sheet, tap.data.index)
    await Typing(sheet.sheet.id, _message_id(tap), tap.data.index,
                 draft).begin(tap.state, SheetInput.comment)
    await tap.callback.message.answer(views.prompt_comment(
        item, evaluation.MAX_COMMENT, scored=item.id in sheet.sheet.answers))


async def typed_comment(message: Message, state: FSMContext, context: Context,
                        servant: Servant) -> None:
    """The comment of a scored item is saved now; before the score it waits for it."""
    typing = await _typing(state)
    text = message.text or ""
    try:
        sheet = await evaluation.pending_state(context, servant, typing.sheet)
        if sheet.item(typing.index).id in sheet.sheet.answers:
            sheet, draft = await evaluation.save_comment(context, servant, typing.sheet,
                                                         typing.index, text), None
        else:
            draft = await evaluation.draft_comment(context, servant, typing.sheet,
                                                   typing.index, text)
    except Rejected as rejected:
        if rejected.reason is not Reason.COMMENT_TOO_LONG:  # he may shorten it and resend
            await state.clear()
        raise
    sent = await _replace(message, typing, views.item_screen(sheet, typing.index, draft=draft))
    await _on_screen(state, sheet, sent.message_id, typing.index, draft)


async def not_text(message: Message) -> None:
    await message.answer(_("Please type it as a text message, or /cancel."))


async def leave_sheet(event: Message | CallbackQuery, state: FSMContext) -> None:
    """Another command or button: the item on screen no longer takes typed scores."""
    await state.clear()
    raise SkipHandler


# ------------------------------------------------------------------ summary and submission
async def show_summary(tap: Tap) -> None:
    await tap.state.clear()
    await _show(tap.callback, views.summary(await _pending(tap)))


async def ask_submit(tap: Tap) -> None:
    await tap.state.clear()
    sheet = await _pending(tap)
    if sheet.result is None:
        raise Rejected(Reason.INCOMPLETE)
    await _show(tap.callback, views.confirm(sheet))


async def submit(tap: Tap) -> None:
    await tap.state.clear()
    submitted = await evaluation.submit_sheet(tap.context, tap.servant, tap.data.sheet)
    tap.answer.text = _("Submitted.") if submitted.done else _("Already submitted.")
    await _show(tap.callback, views.submitted(submitted.sheet, tap.context.methodology))


# ------------------------------------------------------------------ handing over (cl. 18)
async def ask_colleague(tap: Tap) -> None:
    sheet = await _pending(tap)
    await Typing(sheet.sheet.id, _message_id(tap)).begin(
        tap.state, SheetInput.colleague)
    await tap.callback.message.answer(views.prompt_colleague(sheet.sheet))


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
    text, markup = views.handed_over(handed)
    await message.answer(text, reply_markup=markup)


ACTIONS: dict[SheetAction, Callable[[Tap], Awaitable[None]]] = {
    SheetAction.OPEN: open_sheet, SheetAction.GO: go, SheetAction.SCORE: score,
    SheetAction.EXACT: ask_exact, SheetAction.COMMENT: ask_comment,
    SheetAction.SUMMARY: show_summary, SheetAction.SUBMIT: ask_submit,
    SheetAction.CONFIRM: submit, SheetAction.HANDOVER: ask_colleague,
}


async def on_sheet_button(callback: CallbackQuery, callback_data: SheetCb, context: Context,
                          servant: Servant, state: FSMContext,
                          callback_answer: CallbackAnswer) -> None:
    """Every sheet button: one filter check per tap, then the action it names. A sheet
    submitted meanwhile is shown as submitted, with the refusal."""
    tap = Tap(callback, callback_data, context, servant, state, callback_answer)
    try:
        await ACTIONS[callback_data.action](tap)
    except Rejected as rejected:
        submitted = rejected.detail.get("sheet")
        if isinstance(submitted, evaluation.Sheet):
            await state.clear()
            await _show(callback, views.submitted(submitted, context.methodology))
        raise


def create_router() -> Router:
    """A fresh router (an app restarted in-process needs new ones)."""
    router = Router(name="evaluation")
    router.message.filter(KnownServant())
    router.callback_query.filter(KnownServant())
    router.message.register(list_command, Command("sheets"))
    router.message.register(leave_sheet, StateFilter(SheetInput), F.text.startswith("/"))
    router.callback_query.register(list_from_menu, MenuCb.filter(F.action == MenuAction.SHEETS))
    router.callback_query.register(handover_list,
                                   MenuCb.filter(F.action == MenuAction.HANDOVER))
    router.callback_query.register(on_sheet_button, SheetCb.filter())
    router.callback_query.register(leave_sheet, StateFilter(SheetInput))
    router.message.register(typed_value, StateFilter(SheetInput.value), F.text)
    router.message.register(typed_comment, StateFilter(SheetInput.comment), F.text)
    router.message.register(typed_colleague, StateFilter(SheetInput.colleague), F.text)
    router.message.register(not_text, StateFilter(SheetInput))
    return router
