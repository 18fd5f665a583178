"""Each Telegram update is handled once, even when it is delivered twice.

The update being handled is a context variable; every transaction of a use case records it, so
a duplicate delivered later (after a crash, or a webhook retry) is recognised and skipped.
"""

from __future__ import annotations

from datetime import timedelta

from storage import updates

from .context import CURRENT_UPDATE, Context

__all__ = ["CURRENT_UPDATE", "forget_old", "newest_handled", "was_handled"]
KEEP = timedelta(days=3)  # Telegram keeps an unconfirmed update for at most 24 hours


async def was_handled(ctx: Context, update_id: int) -> bool:
    async with ctx.reading() as conn:
        return await updates.was_handled(conn, update_id)


async def newest_handled(ctx: Context) -> int:
    async with ctx.reading() as conn:
        return await updates.newest(conn)


async def forget_old(ctx: Context) -> int:
    async with ctx.transaction() as tx:
        return await updates.forget_before(tx.conn, tx.now - KEEP)
