"""KPI work plans in the chat: the direct supervisor drafts, the superior manager approves or
returns with a reason, HR enters the actual values (justice cl. 27–33; legacy seeds 001, 002).
Each handler parses the tap or the text, calls one use case of ``services.kpi_plans`` and
draws the answer with ``views``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TypeVar

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InaccessibleMessage, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _

from handlers.common.callbacks import MenuAction, MenuCb, PlanAction, PlanCb
from handlers.common.filters import KnownServant
from handlers.common.refusals import Refusal, out_of_date
from scoring import Quarter, ScoreError
from services import kpi_plans
from services.context import Context
from services.errors import Reason, Rejected
from services.kpi_plans import PlanStatus, Servant

from . import views
from .states import Drafting, EnteringActuals, PlanInput, Returning, Typed

HR = "hr"
T = TypeVar("T", bound=Typed)


@dataclass(frozen=True, slots=True)
class Tap:
    """A press of a plan button, with what every plan action needs."""

    callback: CallbackQuery
    data: PlanCb
    context: Context
    servant: Servant
    roles: frozenset[str]
    state: FSMContext
    answer: CallbackAnswer

    async def reply(self, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
        """A new message below the button's (which stays as it was)."""
        message = self.callback.message
        if message is None:
            raise Refusal(out_of_date())
        await message.answer(text, reply_markup=markup)


async def _typed(state: FSMContext, kind: type[T]) -> T:
    """What the user is typing; a stored state that is not ours starts over."""
    typed = await kind.of(state)
    if typed is None:
        await state.clear()
        raise Refusal(out_of_date())
    return typed


def _text(message: Message) -> str:
    return message.text or ""


def _quarter(text: str) -> Quarter:
    try:
        return Quarter.parse(text)
    except ValueError:
        raise Refusal(out_of_date()) from None


# ------------------------------------------------------------------ the supervisor's list
async def plans(message: Message, context: Context, servant: Servant) -> None:
    """The supervisor's subordinates whose methodology evaluates them by KPI."""
    text, markup = views.plan_list(await kpi_plans.overview(context, servant))
    await message.answer(text, reply_markup=markup)


# ------------------------------------------------------------------ plan buttons
async def create(tap: Tap) -> None:
    screen = await kpi_plans.open_plan(tap.context, tap.servant, tap.data.id)
    await tap.reply(*views.plan_screen(screen))


async def view(tap: Tap) -> None:
    screen = await kpi_plans.view(tap.context, tap.servant, tap.data.id, hr=HR in tap.roles)
    await tap.reply(*views.plan_screen(screen))


async def add(tap: Tap) -> None:
    found = await kpi_plans.editable(tap.context, tap.servant, tap.data.id)
    await Drafting(found.id).begin(tap.state, PlanInput.name)
    await tap.reply(views.ask_name(found))


async def drop(tap: Tap) -> None:
    screen = await kpi_plans.drop_last_item(tap.context, tap.servant, tap.data.id)
    if screen is not None:
        await tap.reply(*views.plan_screen(screen))


async def submit(tap: Tap) -> None:
    await kpi_plans.submit(tap.context, tap.servant, tap.data.id)
    tap.answer.text = _("Sent for approval.")


async def approve(tap: Tap) -> None:
    await kpi_plans.approve(tap.context, tap.servant, tap.data.id)
    tap.answer.text, tap.answer.show_alert = _("Approved."), True


async def ask_reason(tap: Tap) -> None:
    found = await kpi_plans.awaiting(tap.context, tap.servant, tap.data.id)
    await Returning(found.id).begin(tap.state, PlanInput.reason)
    await tap.reply(views.ask_reason())


async def start_actuals(tap: Tap) -> None:
    found = await kpi_plans.approved(tap.context, tap.data.id)
    if HR not in tap.roles:
        raise Refusal(_("Only the HR service enters actual values."))
    quarter = _quarter(tap.data.value)
    await EnteringActuals(found.id, str(quarter)).begin(tap.state, PlanInput.actual)
    await tap.reply(views.ask_actual(found, 0, quarter))


ACTIONS: dict[PlanAction, Callable[[Tap], Awaitable[None]]] = {
    PlanAction.CREATE: create, PlanAction.VIEW: view, PlanAction.ADD: add,
    PlanAction.DROP: drop, PlanAction.SUBMIT: submit, PlanAction.APPROVE: approve,
    PlanAction.RETURN: ask_reason, PlanAction.ACTUALS: start_actuals,
}


async def on_plan_button(callback: CallbackQuery, callback_data: PlanCb, context: Context,
                         servant: Servant, roles: frozenset[str], state: FSMContext,
                         callback_answer: CallbackAnswer) -> None:
    """Every plan button: the action it names. A plan no longer in drafting says where it is."""
    tap = Tap(callback, callback_data, context, servant, roles, state, callback_answer)
    try:
        await ACTIONS[callback_data.action](tap)
    except Rejected as rejected:
        status = rejected.detail.get("status")
        if rejected.reason is Reason.PLAN_NOT_EDITABLE and isinstance(status, PlanStatus):
            raise Refusal(views.not_editable(status)) from None
        raise


# ------------------------------------------------------------------ typing a KPI
async def typed_name(message: Message, state: FSMContext) -> None:
    drafting = await _typed(state, Drafting)
    await replace(drafting, name=_text(message)).begin(state, PlanInput.unit)
    await message.answer(views.ask_unit())


async def typed_unit(message: Message, state: FSMContext, context: Context) -> None:
    drafting = await _typed(state, Drafting)
    await replace(drafting, unit=_text(message)).begin(state, PlanInput.planned)
    await message.answer(views.ask_planned(kpi_plans.rules(context).quarterly))


async def typed_planned(message: Message, state: FSMContext, context: Context) -> None:
    drafting = await _typed(state, Drafting)
    try:
        values = kpi_plans.rules(context).parse_planned(_text(message))
    except ScoreError:
        await message.answer(views.bad_planned())
        return
    await replace(drafting, planned=[str(v) for v in values]).begin(state, PlanInput.deadline)
    await message.answer(views.ask_deadline())


async def typed_deadline(message: Message, state: FSMContext) -> None:
    drafting = await _typed(state, Drafting)
    await replace(drafting, deadline=_text(message)).begin(state, PlanInput.expected)
    await message.answer(views.ask_expected())


async def typed_expected(message: Message, state: FSMContext, context: Context,
                         servant: Servant) -> None:
    drafting = await _typed(state, Drafting)
    draft = kpi_plans.ItemDraft(drafting.name, drafting.unit,
                                tuple(Decimal(v) for v in drafting.planned), drafting.deadline,
                                _text(message))
    try:
        screen = await kpi_plans.add_item(context, servant, drafting.plan, draft)
    except Rejected:
        raise Refusal(_("This plan cannot be edited now.")) from None
    finally:
        await state.clear()
    text, markup = views.plan_screen(screen)
    await message.answer(text, reply_markup=markup)


# ------------------------------------------------------------------ returning a plan
async def typed_reason(message: Message, state: FSMContext, context: Context,
                       servant: Servant) -> None:
    returning = await _typed(state, Returning)
    await state.clear()
    try:
        await kpi_plans.return_for_rework(context, servant, returning.plan, _text(message))
    except Rejected:
        return  # decided or taken back meanwhile: nothing to say
    await message.answer(_("Returned for rework."))


# ------------------------------------------------------------------ actual values (HR)
async def _actuals_menu(message: Message | InaccessibleMessage, context: Context,
                        roles: frozenset[str]) -> None:
    if HR not in roles:
        await message.answer(_("Only the HR service enters actual values."))
        return
    text, markup = views.actuals_menu(await kpi_plans.actuals_menu(context))
    await message.answer(text, reply_markup=markup)


async def actuals_command(message: Message, context: Context, roles: frozenset[str]) -> None:
    await _actuals_menu(message, context, roles)


async def actuals_from_menu(callback: CallbackQuery, context: Context,
                            roles: frozenset[str]) -> None:
    if callback.message is None:
        raise Refusal(out_of_date())
    await _actuals_menu(callback.message, context, roles)


async def typed_actual(message: Message, state: FSMContext, context: Context,
                       servant: Servant) -> None:
    entering = await _typed(state, EnteringActuals)
    quarter = _quarter(entering.period)
    try:
        saved = await kpi_plans.record_actual(context, servant, entering.plan, quarter,
                                              entering.next, _text(message))
    except ScoreError:
        await message.answer(_("That is not a number. Send the actual value."))
        return
    except Rejected:
        await state.clear()
        raise
    if saved.following is not None:
        await replace(entering, next=saved.following).begin(state, PlanInput.actual)
        await message.answer(views.ask_actual(saved.plan, saved.following, quarter))
        return
    await state.clear()
    await message.answer(views.actuals_saved(quarter))


def create_router() -> Router:
    """A fresh router (an app restarted in-process needs new ones)."""
    router = Router(name="kpi_plans")
    router.message.filter(KnownServant())
    router.callback_query.filter(KnownServant())
    router.message.register(plans, Command("plans"))
    router.message.register(actuals_command, Command("actuals"))
    router.callback_query.register(actuals_from_menu,
                                   MenuCb.filter(F.action == MenuAction.ACTUALS))
    router.callback_query.register(on_plan_button, PlanCb.filter())
    router.message.register(typed_name, StateFilter(PlanInput.name), F.text)
    router.message.register(typed_unit, StateFilter(PlanInput.unit), F.text)
    router.message.register(typed_planned, StateFilter(PlanInput.planned), F.text)
    router.message.register(typed_deadline, StateFilter(PlanInput.deadline), F.text)
    router.message.register(typed_expected, StateFilter(PlanInput.expected), F.text)
    router.message.register(typed_reason, StateFilter(PlanInput.reason), F.text)
    router.message.register(typed_actual, StateFilter(PlanInput.actual), F.text)
    return router
