"""The servant's results: reading them, confirming he has read one (cl. 10, 11)."""

from __future__ import annotations

from contextlib import suppress

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from handlers.common.callbacks import MenuCb, ResultCb
from handlers.common.render import format_score, quarter_name
from handlers.results.views import result_screen
from scoring import Methodology, WorkCalendar
from services.clock import Clock
from storage import evaluation
from storage.db import Database
from storage.models import Servant


async def _list(servant: Servant | None, db: Database):
    builder = InlineKeyboardBuilder()
    if servant is None:
        return _("Send /start to begin."), None
    async with db.reading() as conn:
        sheets = await evaluation.evaluatee_sheets(conn, servant.id)
    for sheet in sheets:
        builder.button(text=f"{quarter_name(sheet.campaign.quarter)} — "
                            f"{format_score(sheet.score)}",
                       callback_data=ResultCb(sheet=sheet.id, action="view"))
    builder.button(text=_("☰ Menu"), callback_data=MenuCb(action="home"))
    builder.adjust(1)
    text = _("Your evaluation results:") if sheets else _("You have no evaluation results yet.")
    return text, builder.as_markup()


async def results_command(message: Message, servant: Servant | None, db: Database) -> None:
    text, markup = await _list(servant, db)
    await message.answer(text, reply_markup=markup)


async def results_from_menu(callback: CallbackQuery, servant: Servant | None,
                            db: Database) -> None:
    await callback.answer()
    text, markup = await _list(servant, db)
    await callback.message.answer(text, reply_markup=markup)


async def _own(callback: CallbackQuery, db: Database, sheet_id: int, servant: Servant | None):
    async with db.reading() as conn:
        sheet = await evaluation.sheet(conn, sheet_id)
    if sheet is None or servant is None or sheet.evaluatee_id != servant.id \
            or sheet.status != "submitted":
        await callback.answer(_("This result is not available to you."), show_alert=True)
        return None
    return sheet


async def view(callback: CallbackQuery, callback_data: ResultCb, db: Database, clock: Clock,
               calendar: WorkCalendar, methodology: Methodology,
               servant: Servant | None) -> None:
    sheet = await _own(callback, db, callback_data.sheet, servant)
    if sheet is None:
        return
    await callback.answer()
    text, markup = await result_screen(db, sheet, methodology, clock, calendar)
    await callback.message.answer(text, reply_markup=markup)


async def acknowledge(callback: CallbackQuery, callback_data: ResultCb, db: Database,
                      clock: Clock, calendar: WorkCalendar, methodology: Methodology,
                      servant: Servant | None) -> None:
    sheet = await _own(callback, db, callback_data.sheet, servant)
    if sheet is None:
        return
    async with db.transaction() as conn:
        await evaluation.acknowledge(conn, sheet.id, at=clock.now(),
                                     actor=f"servant:{servant.id}")
        sheet = await evaluation.sheet(conn, sheet.id)
    await callback.answer(_("Thank you: noted that you have read it."))
    text, markup = await result_screen(db, sheet, methodology, clock, calendar)
    with suppress(TelegramBadRequest):
        await callback.message.edit_text(text, reply_markup=markup)


def create_router() -> Router:
    """A fresh router (an app restarted in-process needs new ones)."""
    router = Router(name="results")
    router.message.register(results_command, Command("results"))
    router.callback_query.register(results_from_menu, MenuCb.filter(F.action == "results"))
    router.callback_query.register(view, ResultCb.filter(F.action == "view"))
    router.callback_query.register(acknowledge, ResultCb.filter(F.action == "ack"))
    return router
