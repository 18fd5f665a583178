"""/start: binding by invitation link or phone number, then the menu of what the user can do."""

from __future__ import annotations

import re
from html import escape

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, ReplyKeyboardRemove
from aiogram.utils.i18n import gettext as _

from handlers.common import keyboards
from handlers.common.callbacks import MenuCb
from handlers.common.commands import set_user_commands
from handlers.common.render import format_date, format_score, quarter_name
from services.clock import Clock
from storage import accounts, evaluation, invites, org
from storage.db import Database
from storage.models import Servant
from storage.roster_file import normalize_phone

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def role_names(roles: frozenset[str]) -> list[str]:
    names = {"hr": _("HR officer"), "appointing": _("appointing official"),
             "evaluator": _("evaluator"), "evaluatee": _("evaluated servant")}
    return [names[r] for r in ("hr", "appointing", "evaluator", "evaluatee") if r in roles]


async def menu(db: Database, clock: Clock, servant: Servant, roles: frozenset[str]
               ) -> tuple[str, InlineKeyboardMarkup]:
    """The home screen: who he is, his roles, what is waiting for him."""
    async with db.reading() as conn:
        sheets = await evaluation.evaluator_sheets(conn, servant.id)
        results = await evaluation.evaluatee_sheets(conn, servant.id)
    lines = [_("<b>{name}</b>, {position}").format(name=escape(servant.full_name),
                                                    position=escape(servant.position)),
             _("Your roles: {roles}.").format(roles=", ".join(role_names(roles)))]
    for campaign in sorted({s.campaign for s in sheets}, key=lambda c: c.quarter):
        own = [s for s in sheets if s.campaign == campaign]
        done = sum(s.status == "submitted" for s in own)
        lines.append(_("Evaluation sheets for {quarter}: {done} of {total} done, due {date}.")
                     .format(quarter=quarter_name(campaign.quarter), done=done,
                             total=len(own), date=format_date(campaign.deadline)))
    if results:
        latest = results[0]
        lines.append(_("Your latest result, {quarter}: {score}.").format(
            quarter=quarter_name(latest.campaign.quarter), score=format_score(latest.score)))
    if "hr" in roles:
        lines.append(_("To import or update the staff roster, send me the CSV or XLSX file."))
    if not sheets and not results and "hr" not in roles:
        lines.append(_("No evaluation sheets or results are waiting for you now."))
    return "\n".join(lines), keyboards.main_menu(roles, has_sheets=bool(sheets),
                                                 has_results=bool(results))


async def show_menu(message: Message, bot: Bot, db: Database, clock: Clock, servant: Servant,
                    roles: frozenset[str]) -> None:
    text, markup = await menu(db, clock, servant, roles)
    await message.answer(text, reply_markup=markup)
    await set_user_commands(bot, message.chat.id, roles)


async def _refresh(db: Database, clock: Clock, telegram_id: int
                   ) -> tuple[Servant | None, frozenset[str]]:
    async with db.reading() as conn:
        servant = await accounts.servant_of(conn, telegram_id)
        roles = await org.roles(conn, servant, clock.today()) if servant else frozenset()
    return servant, roles


async def start_with_invite(message: Message, command: CommandObject, bot: Bot, db: Database,
                            clock: Clock, state: FSMContext) -> None:
    await state.clear()
    token = command.args or ""
    if not _TOKEN.match(token):
        await message.answer(_("This invitation link is not valid. Ask your HR service for a "
                               "new one."))
        return
    async with db.transaction() as conn:
        result = await invites.redeem(conn, token, message.from_user.id, at=clock.now())
    if result.outcome not in ("bound", "already_bound"):
        await message.answer(_refusal(result.outcome), reply_markup=ReplyKeyboardRemove())
        return
    servant, roles = await _refresh(db, clock, message.from_user.id)
    if result.outcome == "bound":
        await message.answer(_("Welcome! Your Telegram account is now linked to {name}.").format(
            name=escape(servant.full_name)), reply_markup=ReplyKeyboardRemove())
    await show_menu(message, bot, db, clock, servant, roles)


def _refusal(outcome: str) -> str:
    return {
        "unknown": _("This invitation link is not valid. Ask your HR service for a new one."),
        "used": _("This invitation link has already been used. Ask your HR service for a new "
                  "one."),
        "expired": _("This invitation link has expired. Ask your HR service for a new one."),
        "dismissed": _("This invitation is for a servant who no longer works here."),
        "servant_taken": _("This person is already linked to another Telegram account. Only "
                           "the HR service can change that."),
        "account_taken": _("Your Telegram account is already linked to another person. Only "
                           "the HR service can change that."),
        "not_found": _("I could not find this phone number in the staff list. Ask your HR "
                       "service for an invitation link."),
        "not_own": _("Please share your own phone number with the button below."),
    }[outcome]


async def start(message: Message, bot: Bot, db: Database, clock: Clock,
                servant: Servant | None, roles: frozenset[str], state: FSMContext) -> None:
    await state.clear()
    if servant is None:
        await message.answer(
            _("Hello! I am bagalau, the performance evaluation assistant of your state body.\n"
              "To begin, open the personal invitation link your HR service sent you, or share "
              "your phone number and I will find you in the staff list."),
            reply_markup=keyboards.share_contact())
        return
    await show_menu(message, bot, db, clock, servant, roles)


async def contact(message: Message, bot: Bot, db: Database, clock: Clock,
                  servant: Servant | None, roles: frozenset[str]) -> None:
    if servant is not None:
        await show_menu(message, bot, db, clock, servant, roles)
        return
    shared = message.contact
    if shared.user_id != message.from_user.id:
        await message.answer(_refusal("not_own"), reply_markup=keyboards.share_contact())
        return
    phone = normalize_phone(shared.phone_number or "")
    async with db.transaction() as conn:
        found = await org.active_by_phone(conn, phone, clock.today()) if phone else []
        outcome = "not_found"
        if len(found) == 1:
            if await accounts.telegram_id_of(conn, found[0].id) is not None:
                outcome = "servant_taken"
            else:
                await accounts.bind(conn, message.from_user.id, found[0].id, at=clock.now(),
                                    how="phone")
                outcome = "bound"
    if outcome != "bound":
        await message.answer(_refusal(outcome), reply_markup=ReplyKeyboardRemove())
        return
    servant, roles = await _refresh(db, clock, message.from_user.id)
    await message.answer(_("Welcome! Your Telegram account is now linked to {name}.").format(
        name=escape(servant.full_name)), reply_markup=ReplyKeyboardRemove())
    await show_menu(message, bot, db, clock, servant, roles)


async def home(callback: CallbackQuery, bot: Bot, db: Database, clock: Clock,
               servant: Servant | None, roles: frozenset[str], state: FSMContext) -> None:
    await state.clear()
    await callback.answer()
    if servant is not None:
        await show_menu(callback.message, bot, db, clock, servant, roles)


async def cancel(message: Message, state: FSMContext) -> None:
    await state.clear()
    await message.answer(_("Cancelled. Send /start to see what you can do."),
                         reply_markup=ReplyKeyboardRemove())


def create_router() -> Router:
    """A fresh router (an app restarted in-process needs new ones)."""
    router = Router(name="start")
    router.message.register(start_with_invite, CommandStart(deep_link=True))
    router.message.register(start, CommandStart())
    router.message.register(start, Command("help"))
    router.message.register(contact, F.contact)
    router.callback_query.register(home, MenuCb.filter(F.action == "home"))
    router.message.register(cancel, Command("cancel"))
    return router
