"""Who a Telegram user is: the account, the servant and the roles."""

from __future__ import annotations

from storage import accounts
from storage.models import Account, Servant

from .context import Context

__all__ = ["Account", "Servant", "language_of"]


async def language_of(ctx: Context, servant_id: int) -> str | None:
    """The language a servant reads the bot in, if he has chosen or been given one."""
    async with ctx.reading() as conn:
        return await accounts.language_of(conn, servant_id)
