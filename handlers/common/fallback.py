"""Whatever no other handler took: stale or forged buttons, unexpected messages."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from .refusals import Refusal, out_of_date


async def stale_button(callback: CallbackQuery) -> None:
    raise Refusal(out_of_date())


async def unknown_message(message: Message) -> None:
    await message.answer(_("I did not understand that. Send /start to see what you can do."))


def create_router() -> Router:
    """A fresh router (an app restarted in-process needs new ones)."""
    router = Router(name="fallback")
    router.callback_query.register(stale_button)
    router.message.register(unknown_message)
    return router
