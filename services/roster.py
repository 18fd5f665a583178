"""The staff roster: a CSV or XLSX file checked whole (in the worker thread), then applied in
one transaction. A file HR sends is recorded before it is processed, so that a crash midway
resumes it after the restart."""

from __future__ import annotations

import dataclasses
import logging

from storage import jobs, roster, roster_file
from storage.jobs import JobKind, JobStatus
from storage.models import Servant
from storage.roster import ImportReport
from storage.roster_file import RosterError, RowError

from .context import Context, Tx
from .notices import NoticeKind

__all__ = ["MAX_BYTES", "SUFFIXES", "ImportReport", "RosterError", "RowError", "import_roster",
           "receive", "run_import"]

log = logging.getLogger("bagalau.roster")
MAX_BYTES = 10 * 1024 * 1024  # a larger file is refused before it is downloaded
SUFFIXES = (".csv", ".xlsx")


async def _parse(ctx: Context, content: bytes, filename: str) -> roster_file.Roster:
    """Check the file in the worker thread against the methodology's categories and the
    servants already in the bot."""
    async with ctx.reading() as conn:
        in_bot = await roster.personnel_numbers(conn)
    return await ctx.jobs.in_thread(lambda: roster_file.parse(
        content, filename, categories=ctx.methodology.routing.categories, in_bot=in_bot))


async def _apply(tx: Tx, parsed: roster_file.Roster, by: Servant | int | None) -> ImportReport:
    actor = "cli" if by is None else f"servant:{by if isinstance(by, int) else by.id}"
    return await roster.apply(tx.conn, parsed, at=tx.now, actor=actor)


async def import_roster(ctx: Context, content: bytes, filename: str, *,
                        by: Servant | None) -> ImportReport:
    """Check every row first (``RosterError`` lists what to fix, nothing is changed), then
    add, update and dismiss servants by personnel number; a re-import changes nothing.
    ``by``: the HR officer who sent the file, ``None`` for the command line."""
    parsed = await _parse(ctx, content, filename)
    async with ctx.transaction(aside=True) as tx:
        return await _apply(tx, parsed, by)


async def receive(ctx: Context, hr: Servant, content: bytes, filename: str,
                  language: str) -> int:
    """Record the file HR sent before anything is done with it; returns the job."""
    async with ctx.transaction() as tx:
        return await jobs.record(tx.conn, JobKind.ROSTER, hr.id, language=language,
                                 subject=filename, at=tx.now, content=content)


async def run_import(ctx: Context, job_id: int) -> None:
    """Import a recorded file; the outcome (the report, the rows to fix, or a failure) is
    enqueued for HR in the transaction that settles the job."""
    async with ctx.reading() as conn:
        job = await jobs.get(conn, job_id)
        content = await jobs.input_of(conn, job_id)
    if job is None or job.status != JobStatus.RECEIVED:
        return
    try:
        parsed = await _parse(ctx, content, job.subject)
        async with ctx.transaction(aside=True) as tx:
            report = await _apply(tx, parsed, job.servant_id)
            await _settle(tx, job_id, job.servant_id, JobStatus.DELIVERED,
                          {"report": dataclasses.asdict(report)})
    except RosterError as rejected:
        async with ctx.transaction() as tx:
            await _settle(tx, job_id, job.servant_id, JobStatus.DELIVERED,
                          {"errors": [dataclasses.asdict(e) for e in rejected.errors]})
    except Exception:
        log.exception("roster job %s failed", job_id)
        async with ctx.transaction() as tx:
            await _settle(tx, job_id, job.servant_id, JobStatus.FAILED, {})


async def _settle(tx: Tx, job_id: int, hr_id: int, status: JobStatus,
                  result: dict[str, object]) -> None:
    await jobs.finish(tx.conn, job_id, status, at=tx.now, result=result)
    await tx.notify(NoticeKind.HR_JOB, f"job:{job_id}", hr_id, payload={"job": job_id})
