"""HR: importing the roster, invitation links, unlinking an account. Each handler parses the
message or the tap, calls one use case and draws the answer."""

from __future__ import annotations

import io
from datetime import timedelta
from html import escape

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from handlers.common.callbacks import MenuAction, MenuCb
from handlers.common.filters import HasRole
from handlers.common.render import locale
from services import accounts, jobs, roster
from services.accounts import Role, Servant
from services.context import Context

from . import views
from .states import Unbind

__all__ = ["HasRole", "create_router", "start_import"]  # HasRole: handlers.common.filters


# ------------------------------------------------------------------ roster import
async def roster_help(message: Message) -> None:
    await message.answer(views.roster_help())


async def roster_help_from_menu(callback: CallbackQuery) -> None:
    await callback.message.answer(views.roster_help())


async def import_roster(message: Message, bot: Bot, context: Context, servant: Servant) -> None:
    document = message.document
    name = document.file_name or ""
    if not name.lower().endswith(roster.SUFFIXES):
        await message.answer(_("Please send the roster as a .csv or .xlsx file."))
        return
    if (document.file_size or 0) > roster.MAX_BYTES:
        await message.answer(_("The file is larger than 10 MB; please split or trim it."))
        return
    buffer = io.BytesIO()
    await bot.download(document, destination=buffer)
    job_id = await roster.receive(context, servant, buffer.getvalue(), name, locale())
    checking = await message.answer(views.checking(name))
    await jobs.set_message(context, job_id, checking.message_id)
    start_import(context, job_id)


def start_import(context: Context, job_id: int) -> None:
    """Check and import a recorded roster file in the background (also on a restart)."""
    context.jobs.start(roster.run_import(context, job_id))


# ------------------------------------------------------------------ invitation links
async def invites_command(message: Message, bot: Bot, context: Context, invite_ttl: timedelta,
                          servant: Servant) -> None:
    await _send_invites(message, bot, context, invite_ttl, servant)


async def invites_from_menu(callback: CallbackQuery, bot: Bot, context: Context,
                            invite_ttl: timedelta, servant: Servant) -> None:
    await _send_invites(callback.message, bot, context, invite_ttl, servant)


async def _send_invites(message: Message, bot: Bot, context: Context, ttl: timedelta,
                        servant: Servant) -> None:
    me = await bot.me()
    invitations = await accounts.issue_invites(context, servant, ttl)
    if not invitations.links:
        await message.answer(_("Everyone in the roster already uses the bot."))
        return
    await message.answer_document(
        BufferedInputFile(views.invitations_workbook(invitations, me.username),
                          f"invitations-{invitations.issued_on.isoformat()}.xlsx"),
        caption=views.invitations_caption(invitations))


# ------------------------------------------------------------------ unlinking
async def unbind_ask(message: Message, state: FSMContext) -> None:
    await state.set_state(Unbind.personnel_no)
    await message.answer(views.unbind_question())


async def unbind_ask_from_menu(callback: CallbackQuery, state: FSMContext) -> None:
    await state.set_state(Unbind.personnel_no)
    await callback.message.answer(views.unbind_question())


async def unbind(message: Message, state: FSMContext, context: Context,
                 servant: Servant) -> None:
    unbound = await accounts.unbind(context, servant, message.text or "")
    await state.clear()
    name = escape(unbound.servant.full_name)
    if unbound.telegram_id is None:
        await message.answer(_("{name} has no linked Telegram account.").format(name=name))
        return
    await message.answer(_("Done: {name}'s Telegram account is unlinked. Send him a new "
                           "invitation link (/invites) to link another one.").format(name=name))


def create_router() -> Router:
    """A fresh router (an app restarted in-process needs new ones)."""
    router = Router(name="hr")
    router.message.filter(HasRole(Role.HR))
    router.callback_query.filter(HasRole(Role.HR))
    router.message.register(roster_help, Command("roster"))
    router.callback_query.register(roster_help_from_menu,
                                   MenuCb.filter(F.action == MenuAction.ROSTER))
    router.message.register(import_roster, F.document)
    router.message.register(invites_command, Command("invites"))
    router.callback_query.register(invites_from_menu,
                                   MenuCb.filter(F.action == MenuAction.INVITES))
    router.message.register(unbind_ask, Command("unbind"))
    router.callback_query.register(unbind_ask_from_menu,
                                   MenuCb.filter(F.action == MenuAction.UNBIND))
    router.message.register(unbind, StateFilter(Unbind.personnel_no), F.text)
    return router
