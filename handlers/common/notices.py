"""The notice registry: one renderer per NoticeKind, each living with its feature.

A renderer turns an outbox row into what the recipient reads, in his language, from the
current state (a reminder about a sheet submitted since renders as ``None`` and is dropped).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import I18n

from services import accounts
from services.context import Context
from services.notices import Notice, NoticeKind


@dataclass(frozen=True, slots=True)
class Edit:
    """New text for a message the bot sent the recipient earlier (a "preparing…" message);
    sent as a new message if that one can no longer be edited."""

    message_id: int
    text: str
    markup: InlineKeyboardMarkup | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """A file to send instead of a text message (e.g. a calibration protocol); ``then_edit``
    replaces the "preparing…" message once the file is delivered."""

    content: bytes
    filename: str
    caption: str
    markup: InlineKeyboardMarkup | None = None
    then_edit: Edit | None = None


Rendered = tuple[str, InlineKeyboardMarkup | None] | Document | Edit | None
Render = Callable[[Context, Notice], Awaitable[Rendered]]
AfterSent = Callable[[Context, Notice, datetime], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class NoticeRenderer:
    """How one kind is rendered, and what its delivery means (``after_sent``), if anything."""

    render: Render
    after_sent: AfterSent | None = None


class RegistryError(Exception):
    """A notice kind with no renderer, or with two: the app refuses to start."""


class Notices:
    """Renders any outbox message by its kind in the recipient's language."""

    def __init__(self, ctx: Context, i18n: I18n,
                 registries: list[Mapping[NoticeKind, NoticeRenderer]]) -> None:
        self.ctx, self.i18n = ctx, i18n
        self.renderers: dict[NoticeKind, NoticeRenderer] = {}
        for registry in registries:
            for kind, renderer in registry.items():
                if kind in self.renderers:
                    raise RegistryError(f"notice kind {kind.value!r} has two renderers")
                self.renderers[kind] = renderer
        missing = sorted(k.value for k in NoticeKind if k not in self.renderers)
        if missing:
            raise RegistryError(f"notice kinds without a renderer: {', '.join(missing)}")

    async def render(self, message: Notice) -> Rendered:
        renderer = self.renderers[NoticeKind(message.kind)]
        language = await accounts.language_of(self.ctx, message.recipient_id)
        with self.i18n.context(), self.i18n.use_locale(language or self.i18n.default_locale):
            return await renderer.render(self.ctx, message)

    async def on_sent(self, message: Notice, sent_at: datetime) -> None:
        after = self.renderers[NoticeKind(message.kind)].after_sent
        if after is not None:
            await after(self.ctx, message, sent_at)
