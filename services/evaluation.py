"""The quarterly evaluation: an evaluator's sheets, answers, submission and hand-over."""

from __future__ import annotations

from datetime import datetime

from storage import evaluation
from storage.evaluation import Sheet

from .context import Context


async def sheet(ctx: Context, sheet_id: int) -> Sheet | None:
    async with ctx.reading() as conn:
        return await evaluation.sheet(conn, sheet_id)


async def mark_result_delivered(ctx: Context, sheet_id: int, sent_at: datetime) -> None:
    """The result reached the servant: the calibration request window counts from now."""
    async with ctx.transaction() as tx:
        await evaluation.mark_delivered(tx.conn, sheet_id, at=sent_at)
