"""Anonymous surveys in the chat: HR sets up a 360 (or the working-conditions) survey, respondents
answer one statement at a time, reports appear only when enough answers exist. Each handler
parses the tap or the text, calls one use case of ``services.surveys`` and draws the answer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import suppress

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InaccessibleMessage,
    InlineKeyboardMarkup,
    Message,
)
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _

from handlers.common.callbacks import MenuAction, MenuCb, SurveyAction, SurveyCb
from handlers.common.filters import KnownServant
from handlers.common.refusals import Refusal
from services import surveys
from services.accounts import Servant
from services.context import Context
from services.errors import Reason, Rejected
from services.surveys import Results360

from . import views
from .states import Choosing, SurveyInput

ALL = ("all", "все", "барлығы")  # "all" typed instead of personnel numbers


def _is_hr(roles: frozenset[str]) -> bool:
    return "hr" in roles


def _hr_only(roles: frozenset[str]) -> None:
    if not _is_hr(roles):
        raise Refusal(_("Only the HR service runs surveys."))


def _numbers(text: str) -> list[str]:
    return text.replace(",", " ").split()


def _actor(servant: Servant) -> str:
    return f"servant:{servant.id}"


def _chat(callback: CallbackQuery) -> Message | InaccessibleMessage:
    """The message the button is under (always there: the bot has no inline mode)."""
    assert callback.message is not None
    return callback.message


async def _show(callback: CallbackQuery, text: str,
                markup: InlineKeyboardMarkup | None = None) -> None:
    """Edit the survey message in place; an identical view (a double tap) is fine."""
    message = callback.message
    assert isinstance(message, Message)
    with suppress(TelegramBadRequest):  # "message is not modified"
        await message.edit_text(text, reply_markup=markup)


# ------------------------------------------------------------------ the respondent
async def my_surveys(message: Message | InaccessibleMessage, context: Context, servant: Servant,
                     roles: frozenset[str]) -> None:
    text, markup = views.my_surveys(await surveys.my_surveys(context, servant),
                                    hr=_is_hr(roles))
    await message.answer(text, reply_markup=markup)


async def my_surveys_from_menu(callback: CallbackQuery, context: Context, servant: Servant,
                               roles: frozenset[str]) -> None:
    await my_surveys(_chat(callback), context, servant, roles)


async def go(callback: CallbackQuery, callback_data: SurveyCb, context: Context,
             servant: Servant) -> None:
    state = await surveys.go_to(context, servant, callback_data.id, callback_data.index)
    await _show(callback, *views.answering(state))


async def answer(callback: CallbackQuery, callback_data: SurveyCb, context: Context,
                 servant: Servant) -> None:
    state = await surveys.answer(context, servant, callback_data.id, callback_data.index,
                                 callback_data.value)
    await _show(callback, *views.answering(state))


async def submit(callback: CallbackQuery, callback_data: SurveyCb, context: Context,
                 servant: Servant, callback_answer: CallbackAnswer) -> None:
    submitted = await surveys.submit(context, servant, callback_data.id)
    callback_answer.text = _("Thank you!") if submitted.done else _(
        "You have already submitted this survey. Thank you!")
    await _show(callback, views.submitted())


# ------------------------------------------------------------------ reports
async def report(callback: CallbackQuery, callback_data: SurveyCb, context: Context,
                 servant: Servant, roles: frozenset[str]) -> None:
    found = await surveys.report(context, servant, callback_data.id, hr=_is_hr(roles))
    text, png = views.report_text(found), views.report_chart(found)
    await _chat(callback).answer_photo(BufferedInputFile(png, "360.png"))
    await _chat(callback).answer(text)


# ------------------------------------------------------------------ HR: setting up
async def hr_menu(callback: CallbackQuery, context: Context, roles: frozenset[str]) -> None:
    if not _is_hr(roles):
        await _chat(callback).answer(_("Only the HR service runs surveys."))
        return
    text, markup = views.hr_menu(context.methodology, context.clock.today().year,
                                 await surveys.open_surveys(context),
                                 await surveys.closed_surveys(context))
    await _chat(callback).answer(text, reply_markup=markup)


async def new_360(callback: CallbackQuery, state: FSMContext, roles: frozenset[str]) -> None:
    if not _is_hr(roles):
        return
    await state.set_state(SurveyInput.evaluatees)
    await _chat(callback).answer(views.ask_evaluatees())


async def typed_evaluatees(message: Message, state: FSMContext, context: Context,
                           servant: Servant) -> None:
    typed = message.text or ""
    wanted = None if typed.strip().lower() in ALL else _numbers(typed)
    # unknown numbers: he sends them again
    created = await surveys.create_360(context, wanted, actor=_actor(servant))
    await state.clear()
    text, markup = views.created_360(created)
    await message.answer(text, reply_markup=markup)


async def adjust(callback: CallbackQuery, callback_data: SurveyCb, state: FSMContext,
                 context: Context, roles: frozenset[str]) -> None:
    if not _is_hr(roles):
        return
    rules = context.methodology.survey360
    assert rules is not None
    await Choosing(callback_data.id).begin(state, SurveyInput.respondents)
    await _chat(callback).answer(views.ask_respondents(rules))


async def typed_respondents(message: Message, state: FSMContext, context: Context,
                            servant: Servant) -> None:
    choosing = await Choosing.of(state)
    try:
        count = await surveys.choose_respondents(context, choosing.target,
                                                 _numbers(message.text or ""),
                                                 actor=_actor(servant))
    except Rejected as rejected:
        if rejected.reason is Reason.RESPONDENTS_FIXED:  # nothing left to choose
            await state.clear()
        raise
    await state.clear()
    await message.answer(views.respondents_saved(count))


async def new_working_conditions(callback: CallbackQuery, context: Context,
                                 servant: Servant, roles: frozenset[str]) -> None:
    """The corps "A" survey about the chief of staff, for the staff of the apparatus."""
    if not _is_hr(roles):
        return
    text, markup = views.created_working_conditions(
        await surveys.create_working_conditions(context, actor=_actor(servant)))
    await _chat(callback).answer(text, reply_markup=markup)


# ------------------------------------------------------------------ HR: running
async def start(callback: CallbackQuery, callback_data: SurveyCb, context: Context,
                servant: Servant, roles: frozenset[str]) -> None:
    _hr_only(roles)
    started = await surveys.start_survey(context, callback_data.id, actor=_actor(servant))
    await _chat(callback).answer(views.started(started.invitations))


async def progress(callback: CallbackQuery, callback_data: SurveyCb, context: Context,
                   roles: frozenset[str]) -> None:
    _hr_only(roles)
    await _chat(callback).answer(
        views.progress(await surveys.progress(context, callback_data.id)))


async def close(callback: CallbackQuery, callback_data: SurveyCb, context: Context,
                servant: Servant, roles: frozenset[str]) -> None:
    _hr_only(roles)
    closed = await surveys.close_survey(context, callback_data.id, actor=_actor(servant),
                                        reader=servant, hr=True)
    if closed is None:
        await _chat(callback).answer(_("This survey is already closed."))
        return
    await _show_closed(_chat(callback), context, closed)


async def results(callback: CallbackQuery, callback_data: SurveyCb, context: Context,
                  servant: Servant, roles: frozenset[str]) -> None:
    """A closed survey's counts and, for whom the methodology lets read them, its results."""
    _hr_only(roles)
    closed = await surveys.closed_results(context, callback_data.id, servant, hr=True)
    if closed is None:
        raise Refusal(_("This survey is not closed yet."))
    await _show_closed(_chat(callback), context, closed)


async def _show_closed(message: Message | InaccessibleMessage, context: Context,
                       closed: surveys.Closed) -> None:
    await message.answer(views.closed(closed))
    results = closed.results
    if results is None:
        return
    if not isinstance(results, Results360):
        conditions = context.methodology.working_conditions
        assert conditions is not None
        await message.answer(views.working_conditions(conditions, results))
        return
    content, filename = views.workbook_360(results)
    await message.answer_document(BufferedInputFile(content, filename))
    weakest = views.weakest_360(results)
    if weakest is not None:
        await message.answer(weakest)


def create_router() -> Router:
    """A fresh router (an app restarted in-process needs new ones)."""
    router = Router(name="surveys")
    router.message.filter(KnownServant())
    router.callback_query.filter(KnownServant())
    router.message.register(my_surveys, Command("surveys"))
    router.callback_query.register(hr_menu, MenuCb.filter(F.action == MenuAction.SURVEYS_HR))
    router.callback_query.register(my_surveys_from_menu,
                                   MenuCb.filter(F.action == MenuAction.SURVEYS))
    actions: dict[SurveyAction, Callable[..., Awaitable[None]]] = {
        SurveyAction.GO: go, SurveyAction.ANSWER: answer, SurveyAction.SUBMIT: submit,
        SurveyAction.REPORT: report, SurveyAction.NEW_360: new_360,
        SurveyAction.ADJUST: adjust, SurveyAction.START: start,
        SurveyAction.PROGRESS: progress, SurveyAction.CLOSE: close,
        SurveyAction.NEW_WC: new_working_conditions, SurveyAction.RESULTS: results,
    }
    for action, handler in actions.items():
        router.callback_query.register(handler, SurveyCb.filter(F.action == action))
    router.message.register(typed_evaluatees, StateFilter(SurveyInput.evaluatees), F.text)
    router.message.register(typed_respondents, StateFilter(SurveyInput.respondents), F.text)
    return router
