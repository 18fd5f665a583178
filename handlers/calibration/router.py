"""Calibration sessions in the chat (Typical cl. 11, 19–24): the servant's request, the
appointing official's panel, arguments, rounds of votes, the protocol, the feedback meeting.
Each handler parses the tap or the text, calls one use case of ``services.calibration`` and
draws the answer with ``views``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import suppress
from html import escape
from typing import Any

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InaccessibleMessage, Message
from aiogram.utils.callback_answer import CallbackAnswer

from handlers.common.callbacks import CalibrationAction, CalibrationCb, ResultAction, ResultCb
from handlers.common.filters import KnownServant
from handlers.common.refusals import Refusal, out_of_date
from services import calibration
from services.accounts import Servant
from services.context import Context
from services.errors import Reason, Rejected

from . import views
from .states import Argument, Ballot, CalibrationInput, PanelDraft, Request


def _chat(callback: CallbackQuery) -> Message | InaccessibleMessage:
    """The chat message the button was on, to answer below it."""
    if callback.message is None:  # a button of an inline-mode message: not ours
        raise Refusal(out_of_date())
    return callback.message


async def _settle(callback: CallbackQuery, done: str) -> None:
    """A one-time button was used: its message says what was done and loses its buttons."""
    message = callback.message
    if not isinstance(message, Message):
        return
    addition = f"\n\n✓ {escape(done)}"
    with suppress(TelegramBadRequest):  # already settled by a double tap
        if message.text is not None and len(message.text) + len(addition) <= 4096:
            await message.edit_text(message.html_text + addition, reply_markup=None)
        elif message.caption is not None and len(message.caption) + len(addition) <= 1024:
            await message.edit_caption(caption=message.html_text + addition, reply_markup=None)
        else:
            await message.edit_reply_markup(reply_markup=None)


async def _drop_buttons(callback: CallbackQuery, message_ids: tuple[int, ...]) -> None:
    """Other copies of a one-time button (each "Attached" reply repeats it) go too."""
    if not isinstance(callback.message, Message) or callback.bot is None:
        return
    for message_id in message_ids:
        if message_id != callback.message.message_id:
            with suppress(TelegramBadRequest):
                await callback.bot.edit_message_reply_markup(
                    chat_id=callback.message.chat.id, message_id=message_id, reply_markup=None)


# ------------------------------------------------------------------ the servant's request
async def start_request(callback: CallbackQuery, callback_data: ResultCb, context: Context,
                        servant: Servant, state: FSMContext) -> None:
    sheet = await calibration.open_request(context, servant, callback_data.sheet)
    await Request(sheet.id).begin(state, CalibrationInput.statement)
    await _chat(callback).answer(views.request_prompt(calibration.MAX_TEXT))


async def statement(message: Message, state: FSMContext) -> None:
    text = calibration.check_text(message.text or "")
    request = await Request.of(state)
    if request is None:
        await state.clear()
        raise Refusal(out_of_date())
    prompt, markup = views.attach_prompt(request.sheet)
    sent = await message.answer(prompt, reply_markup=markup)
    await Request(request.sheet, request.documents, text, (sent.message_id,)).begin(
        state, CalibrationInput.documents)


async def document(message: Message, state: FSMContext) -> None:
    request = await Request.of(state)
    if request is None or message.document is None:
        await state.clear()
        raise Refusal(out_of_date())
    documents = calibration.attach_document(request.documents, message.document.file_id,
                                            message.document.file_name or "")
    text, markup = views.attached(message.document.file_name, request.sheet)
    sent = await message.answer(text, reply_markup=markup)
    await Request(request.sheet, documents, request.statement,
                  (*request.prompts, sent.message_id)).save(state)


async def send_request(callback: CallbackQuery, callback_data: ResultCb, context: Context,
                       servant: Servant, state: FSMContext) -> None:
    request = await Request.of(state)
    if request is None or request.sheet != callback_data.sheet or request.statement is None:
        raise Refusal(out_of_date())
    await state.clear()
    filed = await calibration.file_request(context, servant, request.sheet, request.statement,
                                           request.documents)
    await _settle(callback, views.request_sent())
    await _drop_buttons(callback, request.prompts)
    await _chat(callback).answer(views.filed(filed))


# ------------------------------------------------------------------ the official's decision
async def _send_documents(callback: CallbackQuery, found: calibration.Session) -> None:
    """The files the servant attached, to a reader entitled to the materials; one that
    cannot be sent is named, never dropped in silence."""
    chat = _chat(callback)
    for document in found.calibration.documents:
        try:
            await chat.answer_document(document.file_id, caption=document.name or None)
        except TelegramBadRequest:
            await chat.answer(views.document_failed(document.name))


async def review(callback: CallbackQuery, callback_data: CalibrationCb, context: Context,
                 roles: frozenset[str], state: FSMContext) -> None:
    found = await calibration.review(context, roles, callback_data.id)
    await PanelDraft(callback_data.id, found.panel).begin(state, None)
    text, markup = views.review(found)
    await _chat(callback).answer(text, reply_markup=markup)
    await _send_documents(callback, found.session)


async def change(callback: CallbackQuery, callback_data: CalibrationCb, roles: frozenset[str],
                 state: FSMContext) -> None:
    calibration.require_appointing(roles)
    draft = await PanelDraft.of(state)
    panel = draft.panel if draft is not None and draft.calibration == callback_data.id else ()
    await PanelDraft(callback_data.id, panel).begin(state, CalibrationInput.panel)
    if isinstance(callback.message, Message):  # the typed panel comes as a new review
        with suppress(TelegramBadRequest):
            await callback.message.edit_reply_markup(reply_markup=None)
    await _chat(callback).answer(views.panel_prompt())


async def typed_panel(message: Message, context: Context, state: FSMContext) -> None:
    draft = await PanelDraft.of(state)
    try:
        found = await calibration.choose_panel(context, draft.calibration if draft else 0,
                                               message.text or "")
    except Rejected:
        await state.clear()
        raise
    except calibration.PanelInvalid as invalid:  # he may send the numbers again
        raise Refusal(views.panel_refused(invalid.problems, typed=True)) from None
    await PanelDraft(found.session.calibration.id, found.panel).begin(state, None)
    text, markup = views.review(found)
    await message.answer(text, reply_markup=markup)


async def approve(callback: CallbackQuery, callback_data: CalibrationCb, context: Context,
                  servant: Servant, roles: frozenset[str], state: FSMContext,
                  callback_answer: CallbackAnswer) -> None:
    draft = await PanelDraft.of(state)
    if draft is None or draft.calibration != callback_data.id:
        raise Refusal(out_of_date())
    try:
        approval = await calibration.approve_panel(context, servant, roles, draft.calibration,
                                                   draft.panel)
    except calibration.PanelInvalid as invalid:
        raise Refusal(views.panel_refused(invalid.problems, typed=False)) from None
    await state.clear()
    callback_answer.text = views.approved_toast(approval.approved)
    await _settle(callback, views.approved_toast(approval.approved))
    if approval.approved:
        await _chat(callback).answer(views.approved(approval.calibration))


# ------------------------------------------------------------------ materials and arguments
async def materials(callback: CallbackQuery, callback_data: CalibrationCb, context: Context,
                    servant: Servant, roles: frozenset[str]) -> None:
    found = await calibration.materials(context, servant, roles, callback_data.id)
    texts, markup = views.materials(found)
    for number, text in enumerate(texts, start=1):
        await _chat(callback).answer(text, reply_markup=markup if number == len(texts) else None)
    await _send_documents(callback, found.session)


async def ask_argument(callback: CallbackQuery, callback_data: CalibrationCb, context: Context,
                       servant: Servant, state: FSMContext) -> None:
    side = await calibration.argument_side(context, servant, callback_data.id)
    await Argument(callback_data.id, side).begin(state, CalibrationInput.argument)
    await _chat(callback).answer(views.argument_prompt(calibration.MAX_TEXT))


async def typed_argument(message: Message, context: Context, servant: Servant,
                         state: FSMContext) -> None:
    argument = await Argument.of(state)
    if argument is None:
        await state.clear()
        raise Refusal(out_of_date())
    await calibration.save_argument(context, servant, argument.calibration, argument.side,
                                    message.text or "")
    await state.clear()
    await message.answer(views.argument_saved())


# ------------------------------------------------------------------ voting
async def ask_vote(callback: CallbackQuery, callback_data: CalibrationCb, context: Context,
                   servant: Servant) -> None:
    found = await calibration.open_ballot(context, servant, callback_data.id)
    text, markup = views.ballot(found, context.clock.today())
    await _chat(callback).answer(text, reply_markup=markup)


async def keep(callback: CallbackQuery, callback_data: CalibrationCb, context: Context,
               servant: Servant, callback_answer: CallbackAnswer) -> None:
    vote = await calibration.cast_vote(context, servant, callback_data.id, callback_data.value)
    callback_answer.text, callback_answer.show_alert = views.voted(vote), True


async def ask_score(callback: CallbackQuery, callback_data: CalibrationCb, context: Context,
                    servant: Servant, state: FSMContext) -> None:
    await calibration.propose_other(context, servant, callback_data.id)
    await Ballot(callback_data.id, callback_data.value).begin(state, CalibrationInput.score)
    await _chat(callback).answer(views.score_prompt())


async def typed_score(message: Message, context: Context, servant: Servant,
                      state: FSMContext) -> None:
    """A score the methodology refuses leaves the prompt open; anything else ends it."""
    ballot = await Ballot.of(state)
    if ballot is None:
        await state.clear()
        return
    try:
        vote = await calibration.cast_vote(context, servant, ballot.calibration, ballot.round,
                                           message.text or "")
    except Rejected as rejected:
        await state.clear()
        if rejected.reason is Reason.OUT_OF_DATE:  # the session is gone: nothing to say
            return
        raise
    await state.clear()
    await message.answer(views.voted(vote))


# ------------------------------------------------------------------ after the decision
async def protocol_posted(callback: CallbackQuery, callback_data: CalibrationCb,
                          context: Context, servant: Servant, roles: frozenset[str],
                          callback_answer: CallbackAnswer) -> None:
    done = await calibration.post_protocol(context, servant, roles, callback_data.id)
    callback_answer.text, callback_answer.show_alert = views.protocol_posted(done), True
    await _settle(callback, views.protocol_posted(done))


async def feedback_held(callback: CallbackQuery, callback_data: CalibrationCb,
                        context: Context, servant: Servant,
                        callback_answer: CallbackAnswer) -> None:
    held = await calibration.hold_feedback(context, servant, callback_data.id)
    callback_answer.text = views.feedback_held(held.done, held.held_on)
    callback_answer.show_alert = True
    await _settle(callback, views.feedback_held(held.done, held.held_on))


ACTIONS: dict[CalibrationAction, Callable[..., Awaitable[Any]]] = {
    CalibrationAction.REVIEW: review, CalibrationAction.CHANGE: change,
    CalibrationAction.APPROVE: approve, CalibrationAction.MATERIALS: materials,
    CalibrationAction.ARGUE: ask_argument, CalibrationAction.VOTE: ask_vote,
    CalibrationAction.KEEP: keep, CalibrationAction.OTHER: ask_score,
    CalibrationAction.PROTOCOL_POSTED: protocol_posted,
    CalibrationAction.FEEDBACK_HELD: feedback_held,
}


def create_router() -> Router:
    """A fresh router (an app restarted in-process needs new ones)."""
    router = Router(name="calibration")
    router.message.filter(KnownServant())
    router.callback_query.filter(KnownServant())
    router.callback_query.register(start_request,
                                   ResultCb.filter(F.action == ResultAction.CALIBRATE))
    router.callback_query.register(send_request,
                                   ResultCb.filter(F.action == ResultAction.SEND_REQUEST))
    for action, handler in ACTIONS.items():
        router.callback_query.register(handler, CalibrationCb.filter(F.action == action))
    router.message.register(statement, StateFilter(CalibrationInput.statement), F.text)
    router.message.register(document, StateFilter(CalibrationInput.documents), F.document)
    router.message.register(typed_panel, StateFilter(CalibrationInput.panel), F.text)
    router.message.register(typed_argument, StateFilter(CalibrationInput.argument), F.text)
    router.message.register(typed_score, StateFilter(CalibrationInput.score), F.text)
    return router
