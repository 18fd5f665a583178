"""The servant's results: reading them, confirming he has read one (cl. 10, 11)."""

from __future__ import annotations

from contextlib import suppress

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _

from handlers.common.callbacks import MenuAction, MenuCb, ResultAction, ResultCb
from handlers.common.filters import KnownServant
from services import results
from services.accounts import Servant
from services.context import Context

from . import views


async def results_command(message: Message, servant: Servant, context: Context) -> None:
    text, markup = views.results_list(await results.my_results(context, servant))
    await message.answer(text, reply_markup=markup)


async def results_from_menu(callback: CallbackQuery, servant: Servant,
                            context: Context) -> None:
    text, markup = views.results_list(await results.my_results(context, servant))
    await callback.message.answer(text, reply_markup=markup)


async def view(callback: CallbackQuery, callback_data: ResultCb, servant: Servant,
               context: Context) -> None:
    result = await results.own_result(context, servant, callback_data.sheet)
    text, markup = views.result_view(result, context.methodology)
    await callback.message.answer(text, reply_markup=markup)


async def acknowledge(callback: CallbackQuery, callback_data: ResultCb, servant: Servant,
                      context: Context, callback_answer: CallbackAnswer) -> None:
    result = await results.acknowledge(context, servant, callback_data.sheet)
    callback_answer.text = _("Thank you: noted that you have read it.")
    text, markup = views.result_view(result, context.methodology)
    with suppress(TelegramBadRequest):  # "message is not modified": a double tap
        await callback.message.edit_text(text, reply_markup=markup)


def create_router() -> Router:
    """A fresh router (an app restarted in-process needs new ones)."""
    router = Router(name="results")
    router.message.filter(KnownServant())
    router.callback_query.filter(KnownServant())
    router.message.register(results_command, Command("results"))
    router.callback_query.register(results_from_menu,
                                   MenuCb.filter(F.action == MenuAction.RESULTS))
    router.callback_query.register(view, ResultCb.filter(F.action == ResultAction.VIEW))
    router.callback_query.register(acknowledge, ResultCb.filter(F.action == ResultAction.ACK))
    return router
