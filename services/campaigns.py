"""Reading campaigns (the quarters under evaluation)."""

from __future__ import annotations

from datetime import date

from storage import evaluation

from .context import Context


async def earliest_open_deadline(ctx: Context) -> date | None:
    """The nearest deadline among the open campaigns, if any is open."""
    async with ctx.reading() as conn:
        campaigns = await evaluation.open_campaigns(conn)
    return min((c.deadline for c in campaigns), default=None)
