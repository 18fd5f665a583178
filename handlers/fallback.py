"""Whatever no other handler took: stale or forged buttons, unexpected messages."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

router = Router(name="fallback")


@router.callback_query()
async def stale_button(callback: CallbackQuery) -> None:
    await callback.answer(_("This button is out of date. Send /start for the current menu."),
                          show_alert=True)


@router.message()
async def unknown_message(message: Message) -> None:
    await message.answer(_("I did not understand that. Send /start to see what you can do."))
