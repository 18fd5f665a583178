"""/language: the user picks kk, ru or en; the menu and commands follow."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from handlers.common import keyboards
from handlers.common.callbacks import LanguageCb, MenuAction, MenuCb
from services import accounts
from services.accounts import Role, Servant
from services.context import Context

from .router import show_menu


async def ask(message: Message) -> None:
    await message.answer(_("Choose the language:"), reply_markup=keyboards.languages())


async def ask_from_menu(callback: CallbackQuery) -> None:
    await callback.message.answer(_("Choose the language:"), reply_markup=keyboards.languages())


async def choose(callback: CallbackQuery, callback_data: LanguageCb, bot: Bot, context: Context,
                 i18n: I18n, servant: Servant | None, roles: frozenset[Role],
                 callback_answer: CallbackAnswer) -> None:
    await accounts.set_language(context, callback.from_user.id, callback_data.code)
    with i18n.use_locale(callback_data.code):
        chosen = _("Language: {name}").format(name=keyboards.LANGUAGE_NAMES[callback_data.code])
        callback_answer.text = chosen
        await callback.message.edit_text(chosen)
        if servant is not None:
            await show_menu(callback.message, bot, context, servant, roles)
        else:
            await callback.message.answer(_("Send /start to begin."))


def create_router() -> Router:
    """A fresh router (an app restarted in-process needs new ones)."""
    router = Router(name="language")
    router.message.register(ask, Command("language"))
    router.callback_query.register(ask_from_menu, MenuCb.filter(F.action == MenuAction.LANGUAGE))
    router.callback_query.register(choose, LanguageCb.filter(F.code.in_(keyboards.LANGUAGE_NAMES)))
    return router
