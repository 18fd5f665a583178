"""Router-level filters: who may reach a feature's handlers at all."""

from __future__ import annotations

from typing import Any

from aiogram.filters import Filter
from aiogram.types import TelegramObject

from services.accounts import Role, Servant


class KnownServant(Filter):
    """The sender is a servant on the roster: handlers get ``servant`` as a ``Servant``.
    Anyone else falls through to the fallback, which tells him to send /start."""

    async def __call__(self, event: TelegramObject, servant: Servant | None = None
                       ) -> bool | dict[str, Any]:
        return {"servant": servant} if servant is not None else False


class HasRole(Filter):
    """The sender has ``role`` today (HR, an appointing official, …): handlers get ``servant``
    as a ``Servant`` (only a servant has roles). Anyone else falls through to the fallback."""

    def __init__(self, role: Role) -> None:
        self.role = role

    async def __call__(self, event: TelegramObject, roles: frozenset[Role] = frozenset(),
                       servant: Servant | None = None) -> bool | dict[str, Any]:
        if self.role not in roles or servant is None:
            return False
        return {"servant": servant}
