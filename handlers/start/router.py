"""/start: binding by invitation link or phone number, then the menu of what the user can do."""

from __future__ import annotations

import re

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove
from aiogram.utils.i18n import gettext as _

from handlers.common import keyboards
from handlers.common.callbacks import MenuAction, MenuCb
from handlers.common.commands import set_user_commands
from services import accounts
from services.accounts import Binding, BindOutcome, Role, Servant
from services.context import Context

from . import views
from .help import help_text

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


async def show_menu(message: Message, bot: Bot, context: Context, servant: Servant,
                    roles: frozenset[Role]) -> None:
    text, markup = views.home(servant, roles, await accounts.home(context, servant))
    await message.answer(text, reply_markup=markup)
    await set_user_commands(bot, message.chat.id, roles)


async def _linked(message: Message, bot: Bot, context: Context, binding: Binding) -> None:
    """Welcome a newly linked servant (one already linked needs no welcome), then the menu."""
    assert binding.servant is not None
    if binding.outcome is BindOutcome.BOUND:
        await message.answer(views.welcome(binding.servant), reply_markup=ReplyKeyboardRemove())
    await show_menu(message, bot, context, binding.servant, binding.roles)


async def start_with_invite(message: Message, command: CommandObject, bot: Bot,
                            context: Context, state: FSMContext) -> None:
    await state.clear()
    token = command.args or ""
    if not _TOKEN.match(token):
        await message.answer(views.invalid_link())
        return
    binding = await accounts.redeem_invite(context, message.from_user.id, token)
    if not binding.linked:
        await message.answer(views.refusal(binding.outcome), reply_markup=ReplyKeyboardRemove())
        return
    await _linked(message, bot, context, binding)


async def start(message: Message, bot: Bot, context: Context, servant: Servant | None,
                roles: frozenset[Role], state: FSMContext) -> None:
    await state.clear()
    if servant is None:
        await message.answer(views.greeting(), reply_markup=keyboards.share_contact())
        return
    await show_menu(message, bot, context, servant, roles)


async def help_command(message: Message, servant: Servant | None, roles: frozenset[Role],
                       state: FSMContext) -> None:
    """What each of his roles does here; a stranger is told how to begin."""
    await state.clear()
    if servant is None:
        await message.answer(views.greeting(), reply_markup=keyboards.share_contact())
        return
    await message.answer(help_text(roles))


async def contact(message: Message, bot: Bot, context: Context, servant: Servant | None,
                  roles: frozenset[Role]) -> None:
    if servant is not None:
        await show_menu(message, bot, context, servant, roles)
        return
    shared = message.contact
    binding = await accounts.bind_by_phone(context, message.from_user.id, shared.user_id,
                                           shared.phone_number or "")
    if binding.outcome is BindOutcome.NOT_OWN:
        await message.answer(views.refusal(binding.outcome),
                             reply_markup=keyboards.share_contact())
        return
    if not binding.linked:
        await message.answer(views.refusal(binding.outcome), reply_markup=ReplyKeyboardRemove())
        return
    await _linked(message, bot, context, binding)


async def home(callback: CallbackQuery, bot: Bot, context: Context, servant: Servant | None,
               roles: frozenset[Role], state: FSMContext) -> None:
    await state.clear()
    if servant is not None:
        await show_menu(callback.message, bot, context, servant, roles)


async def cancel(message: Message, state: FSMContext) -> None:
    await state.clear()
    await message.answer(_("Cancelled. Send /start to see what you can do."),
                         reply_markup=ReplyKeyboardRemove())


def create_router() -> Router:
    """A fresh router (an app restarted in-process needs new ones)."""
    router = Router(name="start")
    router.message.register(start_with_invite, CommandStart(deep_link=True))
    router.message.register(start, CommandStart())
    router.message.register(help_command, Command("help"))
    router.message.register(contact, F.contact)
    router.callback_query.register(home, MenuCb.filter(F.action == MenuAction.HOME))
    router.message.register(cancel, Command("cancel"))
    return router
