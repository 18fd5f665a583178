"""The older model in the chat (seeds 001, 002): the year-end review — KPIs fully achieved and
behavioural indicators observed — agreed by the superior manager, then the commission. Each
handler parses the tap or the text, calls one use case of ``services.legacy`` and draws the
answer with ``views``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import suppress
from typing import TypeVar

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, InaccessibleMessage, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _

from handlers.common.callbacks import LegacyAction, LegacyCb
from handlers.common.filters import KnownServant
from handlers.common.refusals import Refusal, out_of_date
from services import legacy
from services.accounts import Servant
from services.context import Context
from services.errors import Reason, Rejected

from . import views
from .states import ForReview, ForYear, LegacyInput

T = TypeVar("T")
Typed = TypeVar("Typed", ForYear, ForReview)


def _chat(callback: CallbackQuery) -> Message | InaccessibleMessage:
    """Where to answer a button: the chat of the message it is on."""
    if callback.message is None:
        raise Refusal(out_of_date())
    return callback.message


async def _send(callback: CallbackQuery, view: views.View) -> None:
    text, markup = view
    await _chat(callback).answer(text, reply_markup=markup)


async def _typed(state: FSMContext, kind: type[Typed]) -> Typed:
    """The year or review the typed message answers; stored data that is not ours: start over."""
    typing = await kind.of(state)
    if typing is None:
        await state.clear()
        raise Refusal(out_of_date())
    return typing


async def _retryable(reason: Reason, state: FSMContext, call: Awaitable[T]) -> T:
    """Run the use case for a typed text: a refusal for ``reason`` he fixes by sending the
    text again, so the prompt stays; any other refusal ends it."""
    try:
        return await call
    except Rejected as rejected:
        if rejected.reason is not reason:
            await state.clear()
        raise


# ------------------------------------------------------------------ the menu and the year
async def menu(message: Message, context: Context, servant: Servant,
               roles: frozenset[str]) -> None:
    text, markup = views.menu(await legacy.annual_menu(context, servant, roles))
    await message.answer(text, reply_markup=markup)


async def open_year(callback: CallbackQuery, callback_data: LegacyCb, context: Context,
                    servant: Servant, roles: frozenset[str]) -> None:
    opened = await legacy.open_year(context, servant, roles, callback_data.id)
    await _chat(callback).answer(_("The {year} annual review is open: {n} reviews.").format(
        year=opened.year, n=opened.added))


# ------------------------------------------------------------------ the evaluator's review
async def open_review(callback: CallbackQuery, callback_data: LegacyCb, context: Context,
                      servant: Servant) -> None:
    """The superior manager agrees or returns a submitted review; the evaluator fills in a
    draft from the first KPI; anyone else of the two sees the summary."""
    state = await legacy.open_review(context, servant, callback_data.id)
    if not state.plan_approved:
        await _chat(callback).answer(views.plan_not_approved(state.review))
    elif state.awaits(servant):
        await _send(callback, views.approval(state))
    elif not state.editable:
        await _chat(callback).answer(views.summary(state))
    else:
        await _send(callback, views.kpi_question(state, 0))


async def kpi_answer(callback: CallbackQuery, callback_data: LegacyCb, context: Context,
                     servant: Servant) -> None:
    marked = await legacy.mark_kpi(context, servant, callback_data.id, callback_data.index,
                                   callback_data.value == "1")
    if marked.following is not None:
        await _send(callback, views.kpi_question(marked.state, marked.following))
    else:
        await _send(callback, views.competency_screen(marked.state, 0))


async def toggle(callback: CallbackQuery, callback_data: LegacyCb, context: Context,
                 servant: Servant) -> None:
    competency, _sep, number = callback_data.value.rpartition(".")
    try:
        indicator = int(number)
    except ValueError:
        raise Rejected(Reason.OUT_OF_DATE) from None
    state = await legacy.toggle_indicator(context, servant, callback_data.id, competency,
                                          indicator)
    text, markup = views.competency_screen(state, callback_data.index)
    message = _chat(callback)
    if isinstance(message, Message):
        with suppress(TelegramBadRequest):  # "message is not modified"
            await message.edit_text(text, reply_markup=markup)
    else:
        await message.answer(text, reply_markup=markup)


async def next_competency(callback: CallbackQuery, callback_data: LegacyCb, context: Context,
                          servant: Servant) -> None:
    state = await legacy.competency_step(context, servant, callback_data.id)
    await _send(callback, views.competency_screen(state, callback_data.index))


async def submit(callback: CallbackQuery, callback_data: LegacyCb, context: Context,
                 servant: Servant) -> None:
    state = await legacy.submit_review(context, servant, callback_data.id)
    await _chat(callback).answer(views.submitted(state))


async def agree(callback: CallbackQuery, callback_data: LegacyCb, context: Context,
                servant: Servant, callback_answer: CallbackAnswer) -> None:
    await legacy.agree(context, servant, callback_data.id)
    callback_answer.text = _("Agreed: the review goes to the commission.")
    callback_answer.show_alert = True


async def ask_return(callback: CallbackQuery, callback_data: LegacyCb, context: Context,
                     servant: Servant, state: FSMContext) -> None:
    found = await legacy.awaiting_agreement(context, servant, callback_data.id)
    await ForReview(found.id).begin(state, LegacyInput.reason)
    await _chat(callback).answer(_("Why is it returned?"))


async def typed_reason(message: Message, state: FSMContext, context: Context,
                       servant: Servant) -> None:
    typing = await _typed(state, ForReview)
    try:
        await legacy.return_review(context, servant, typing.review, message.text or "")
    finally:
        await state.clear()
    await message.answer(_("Returned for rework."))


# ------------------------------------------------------------------ the commission
async def ask_commission(callback: CallbackQuery, callback_data: LegacyCb, context: Context,
                         roles: frozenset[str], state: FSMContext) -> None:
    rules = legacy.may_set_up_commission(context, roles)
    await ForYear(callback_data.id).begin(state, LegacyInput.commission)
    await _chat(callback).answer(_(
        "Send the personnel numbers of the commission: the chair first, the secretary second, "
        "then the members — at least {n} in all.").format(n=rules.min_members))


async def typed_commission(message: Message, state: FSMContext, context: Context,
                           servant: Servant, roles: frozenset[str]) -> None:
    typing = await _typed(state, ForYear)
    numbers = list(dict.fromkeys((message.text or "").replace(",", " ").split()))
    set_up = await _retryable(
        Reason.LEGACY_COMMISSION_TOO_SMALL, state,
        legacy.set_up_commission(context, servant, roles, typing.year, numbers))
    await state.clear()
    await message.answer(_("The commission for {year} is set up: {n} members.").format(
        year=set_up.year, n=set_up.members))


async def ask_attendance(callback: CallbackQuery, callback_data: LegacyCb, context: Context,
                         servant: Servant, state: FSMContext) -> None:
    found = await legacy.commission_clerk(context, servant, callback_data.id)
    await ForYear(found.year).begin(state, LegacyInput.attendance)
    await _chat(callback).answer(_("Who is present? Send the personnel numbers."))


async def typed_attendance(message: Message, state: FSMContext, context: Context,
                           servant: Servant) -> None:
    typing = await _typed(state, ForYear)
    numbers = list(dict.fromkeys((message.text or "").split()))
    met = await _retryable(
        Reason.LEGACY_NO_QUORUM, state,
        legacy.record_attendance(context, servant, typing.year, numbers))
    await state.clear()
    await message.answer(_("Quorum: {present} of {members}. The members vote now on {n} "
                           "reviews.").format(present=met.present, members=met.members,
                                              n=met.reviews))


async def vote(callback: CallbackQuery, callback_data: LegacyCb, context: Context,
               servant: Servant, callback_answer: CallbackAnswer) -> None:
    voted = await legacy.vote(context, servant, callback_data.id, callback_data.value,
                              callback_data.index or 1)  # first ballots carried no round
    callback_answer.show_alert = True
    if voted.decided:
        callback_answer.text = _("Your vote is counted. The commission decided: {grade}."
                                 ).format(grade=views.grade_label(context.methodology,
                                                                  voted.decided))
    elif voted.repeat_between:
        callback_answer.text = _("Your vote is counted. No option had a majority (cl. 33): "
                                 "the commission votes again — {options}.").format(
            options=views.options_text(context.methodology, voted.review,
                                       voted.repeat_between))
    else:
        callback_answer.text = _("Your vote is counted.")


# ------------------------------------------------------------------ the protocol
async def ask_recommendation(callback: CallbackQuery, callback_data: LegacyCb,
                             context: Context, servant: Servant, state: FSMContext) -> None:
    found = await legacy.recommendation_for(context, servant, callback_data.id)
    await ForReview(found.id).begin(state, LegacyInput.recommendation)
    await _chat(callback).answer(views.recommendation_prompt(found,
                                                             legacy.RECOMMENDATION_LIMIT))


async def typed_recommendation(message: Message, state: FSMContext, context: Context,
                               servant: Servant) -> None:
    typing = await _typed(state, ForReview)
    found = await _retryable(
        Reason.LEGACY_RECOMMENDATION_TOO_LONG, state,
        legacy.recommend(context, servant, typing.review, message.text or ""))
    await state.clear()
    text, markup = views.recommended(found)
    await message.answer(text, reply_markup=markup)


async def protocol(callback: CallbackQuery, callback_data: LegacyCb, context: Context,
                   servant: Servant, roles: frozenset[str]) -> None:
    record = await legacy.commission_protocol(context, servant, roles, callback_data.id)
    from .protocol import commission_protocol, render_commission_protocol  # fpdf: on demand

    content = render_commission_protocol(commission_protocol(record, context.methodology))
    await _chat(callback).answer_document(
        BufferedInputFile(content, f"commission-protocol-{record.year}.pdf"),
        caption=views.protocol_caption(record))


async def acquaint(callback: CallbackQuery, callback_data: LegacyCb, context: Context,
                   servant: Servant, callback_answer: CallbackAnswer) -> None:
    refused = callback_data.action is LegacyAction.REFUSE
    done = await legacy.acquaint(context, servant, callback_data.id, refused=refused)
    callback_answer.show_alert = True
    if not done:
        callback_answer.text = _("Already noted.")
    elif refused:
        callback_answer.text = _("Your refusal to sign is recorded in an act.")
    else:
        callback_answer.text = _("Thank you: noted that you have read it.")


ACTIONS: dict[LegacyAction, Callable[..., Awaitable[None]]] = {
    LegacyAction.OPEN_YEAR: open_year, LegacyAction.REVIEW: open_review,
    LegacyAction.KPI: kpi_answer, LegacyAction.TOGGLE: toggle,
    LegacyAction.NEXT: next_competency, LegacyAction.SUBMIT: submit,
    LegacyAction.AGREE: agree, LegacyAction.RETURN: ask_return,
    LegacyAction.COMMISSION: ask_commission, LegacyAction.ATTENDANCE: ask_attendance,
    LegacyAction.VOTE: vote, LegacyAction.ACQUAINT: acquaint, LegacyAction.REFUSE: acquaint,
    LegacyAction.RECOMMEND: ask_recommendation, LegacyAction.PROTOCOL: protocol,
}


def create_router() -> Router:
    """A fresh router (an app restarted in-process needs new ones)."""
    router = Router(name="legacy")
    router.message.filter(KnownServant())
    router.callback_query.filter(KnownServant())
    router.message.register(menu, Command("review"))
    for action, handler in ACTIONS.items():
        router.callback_query.register(handler, LegacyCb.filter(F.action == action))
    router.message.register(typed_commission, StateFilter(LegacyInput.commission), F.text)
    router.message.register(typed_attendance, StateFilter(LegacyInput.attendance), F.text)
    router.message.register(typed_reason, StateFilter(LegacyInput.reason), F.text)
    router.message.register(typed_recommendation, StateFilter(LegacyInput.recommendation),
                            F.text)
    return router
