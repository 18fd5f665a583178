"""Who in HR reads evaluation results (Typical cl. 14, justice cl. 26): every use case that
shows HR individual results, scores or grades asks here (``scoring.confidentiality``)."""

from __future__ import annotations

from datetime import date

from storage import surveys
from storage.db import Connection

from .context import Context
from .errors import Reason, Rejected


async def hr_reads(ctx: Context, conn: Connection, servant_id: int, *,
                   hr: bool) -> bool:
    """Whether this servant of the personnel service is in the methodology's HR circle."""
    return ctx.methodology.confidentiality.hr_reads(
        hr=hr, hr_head=await surveys.is_hr_head(conn, servant_id))


async def require_hr_reader(ctx: Context, conn: Connection, servant_id: int, *,
                            hr: bool = True) -> None:
    """Refuse an HR officer outside the circle (an ordinary officer in justice)."""
    if not await hr_reads(ctx, conn, servant_id, hr=hr):
        raise Rejected(Reason.RESULTS_HR_HEAD_ONLY,
                       clause=ctx.methodology.confidentiality.clause)


async def hr_readers(ctx: Context, conn: Connection, today: date) -> list[int]:
    """The active HR officers in the circle: the recipients of results sent to HR."""
    return await surveys.personnel_readers(
        conn, today, heads_only=ctx.methodology.confidentiality.heads_only)
