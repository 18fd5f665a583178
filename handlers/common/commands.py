"""The command menu each user sees, in his language and for his roles."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from services.accounts import Role


def _commands(roles: frozenset[Role]) -> list[BotCommand]:
    commands = [BotCommand(command="start", description=_("What I can do for you"))]
    if Role.EVALUATOR in roles:
        commands.append(BotCommand(command="sheets",
                                   description=_("Evaluation sheets to fill in")))
        commands.append(BotCommand(command="plans", description=_("KPI work plans")))
        commands.append(BotCommand(command="review", description=_("Annual reviews")))
    if Role.EVALUATEE in roles:
        commands.append(BotCommand(command="results", description=_("My evaluation results")))
    commands.append(BotCommand(command="surveys", description=_("Anonymous surveys")))
    commands.append(BotCommand(command="language", description=_("Change the language")))
    if Role.HR in roles:
        commands += [
            BotCommand(command="campaign", description=_("Evaluation campaigns and progress")),
            BotCommand(command="actuals", description=_("Actual KPI values")),
            BotCommand(command="roster", description=_("Import the staff roster")),
            BotCommand(command="invites", description=_("Invitation links for the staff")),
            BotCommand(command="unbind", description=_("Unlink a servant's Telegram account")),
        ]
    commands += [BotCommand(command="help", description=_("How to use the bot")),
                 BotCommand(command="cancel", description=_("Cancel the current action"))]
    return commands


async def set_user_commands(bot: Bot, chat_id: int, roles: frozenset[Role]) -> None:
    """The menu for one private chat, in the current locale."""
    await bot.set_my_commands(_commands(roles), scope=BotCommandScopeChat(chat_id=chat_id))


async def set_default_commands(bot: Bot, i18n: I18n) -> None:
    """The menu of users the bot does not know yet, in each interface language."""
    with i18n.context():
        for language in i18n.available_locales:
            with i18n.use_locale(language):
                await bot.set_my_commands(_commands(frozenset()),
                                          scope=BotCommandScopeDefault(), language_code=language)
        with i18n.use_locale(i18n.default_locale):
            await bot.set_my_commands(_commands(frozenset()), scope=BotCommandScopeDefault())
