"""Outer middlewares: who the user is, his language, and private chats only."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Chat, Message, TelegramObject, Update
from aiogram.utils.i18n import gettext as _

from services import accounts
from services.accounts import Identity
from services.context import Context

from .i18n import telegram_language

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class AccountMiddleware(BaseMiddleware):
    """Puts ``account``, ``servant`` and ``roles`` of the sender into the handler data. It
    writes only for a known account in a private chat: a stranger, or anyone in a group the
    bot refuses, leaves no row behind."""

    async def __call__(self, handler: Handler, event: TelegramObject,
                       data: dict[str, Any]) -> Any:
        context: Context = data["context"]
        user = data.get("event_from_user")
        chat: Chat | None = data.get("event_chat")
        identity = await accounts.identify(context, user.id) if user else \
            Identity(None, None, frozenset())
        account = identity.account
        if user is not None and account is not None and chat is not None \
                and chat.type == "private":  # a refused chat records nothing; a stranger neither
            if account.unreachable:
                await accounts.mark_reachable(context, user.id)  # he writes to the bot again
            language = telegram_language(user, "")
            if language and account.telegram_language != language:
                await accounts.remember_telegram_language(context, user.id, language)
        data.update(account=identity.account, servant=identity.servant, roles=identity.roles)
        return await handler(event, data)


class PrivateChatGuard(BaseMiddleware):
    """Outside a private chat the bot says it works only in private and reveals nothing."""

    async def __call__(self, handler: Handler, event: TelegramObject,
                       data: dict[str, Any]) -> Any:
        chat: Chat | None = data.get("event_chat")
        if chat is None or chat.type == "private":
            return await handler(event, data)
        inner = event.event if isinstance(event, Update) else event
        if isinstance(inner, CallbackQuery):
            await inner.answer(_("I only work in a private chat."), show_alert=True)
        elif isinstance(inner, Message) and (inner.text or "").startswith("/"):
            await inner.reply(_("I only work in a private chat. Please write to me directly."))
        return None
