"""HR's quarterly campaigns: opening and closing a quarter, progress by unit, the results
export, the annual score (cl. 5) and the daily digest of what is overdue."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from scoring import Quarter
from scoring.calibration import overdue_since
from storage import calibration as calibrations
from storage import evaluation, exports, jobs, org, reports
from storage.evaluation import Campaign, OpenReport
from storage.exports import ExportRow, QuarterExport
from storage.jobs import JobKind, JobStatus
from storage.models import Servant
from storage.reports import AnnualRow, LateEvaluator, UnitProgress

from .confidentiality import hr_reads, require_hr_reader
from .context import Context
from .errors import Reason, Rejected
from .notices import NoticeKind
from .reminders import Schedule, notify_annual, notify_campaign_opened

log = logging.getLogger("bagalau.campaigns")

__all__ = [
    "AnnualRow",
    "Campaign",
    "CampaignProgress",
    "Digest",
    "ExportRequest",
    "ExportRow",
    "LateCampaign",
    "LateEvaluator",
    "OpenReport",
    "OverdueSession",
    "QuarterExport",
    "UnitProgress",
    "annual_deadline",
    "annual_of",
    "annual_scores",
    "close_quarter",
    "digest",
    "earliest_open_deadline",
    "form_annual",
    "open_campaigns",
    "open_quarter",
    "progress",
    "quarters_opened",
    "reads_results",
    "request_exports",
    "run_export",
]


# ------------------------------------------------------------------ reading
async def open_campaigns(ctx: Context) -> list[Campaign]:
    """The quarters under evaluation now, oldest first."""
    async with ctx.reading() as conn:
        return await evaluation.open_campaigns(conn)


async def quarters_opened(ctx: Context) -> dict[Quarter, bool]:
    """Every quarter that has a campaign, and whether it is closed (for HR's menu)."""
    async with ctx.reading() as conn:
        return await reports.quarters_opened(conn)


async def reads_results(ctx: Context, hr: Servant) -> bool:
    """Whether this HR officer is in the methodology's circle of results (cl. 14, 26): the
    menu offers the export and the annual workbook only to him."""
    async with ctx.reading() as conn:
        return await hr_reads(ctx, conn, hr.id, hr=hr.is_hr)


async def earliest_open_deadline(ctx: Context) -> date | None:
    """The nearest deadline among the open campaigns, if any is open."""
    campaigns = await open_campaigns(ctx)
    return min((c.deadline for c in campaigns), default=None)


@dataclass(frozen=True, slots=True)
class CampaignProgress:
    """An open quarter as HR follows it."""

    campaign: Campaign
    units: list[UnitProgress]
    late: list[LateEvaluator]  # evaluators with pending sheets, once the deadline has passed
    excluded: list[tuple[str, str, str]]  # (personnel no., name, reason code)
    by_letter: list[tuple[str, str, str | None]]  # dismissed, told by letter (cl. 10)


async def progress(ctx: Context) -> list[CampaignProgress]:
    """Every open quarter: sheets by unit, late evaluators, who is not evaluated and why, and
    the dismissed servants to acquaint by letter or SMS."""
    today = ctx.clock.today()
    found = []
    async with ctx.reading() as conn:
        for campaign in await evaluation.open_campaigns(conn):
            late = await reports.late_evaluators(conn, campaign.id)
            found.append(CampaignProgress(
                campaign, await reports.progress(conn, campaign.id, today),
                late if today > campaign.deadline else [],
                await reports.exclusions(conn, campaign.id),
                await reports.to_notify_by_letter(conn, campaign.id)))
    return found


@dataclass(frozen=True, slots=True)
class ExportRequest:
    """What the workbook builder is given in the worker thread."""

    data: QuarterExport
    generated_at: datetime
    by: str  # the HR officer who asked
    tz: tzinfo  # the body's time zone: the workbook shows local times


Builder = Callable[[ExportRequest], tuple[str, bytes]]  # -> (file name, content)


async def request_exports(ctx: Context, hr: Servant, language: str) -> list[tuple[int, Campaign]]:
    """Record one export job per open quarter (built in the background by ``run_export``):
    everyone's scores and grades, so only for the methodology's HR circle (cl. 14, 26)."""
    async with ctx.transaction() as tx:
        await require_hr_reader(ctx, tx.conn, hr.id)
        found = await evaluation.open_campaigns(tx.conn)
        return [(await jobs.record(tx.conn, JobKind.EXPORT, hr.id, language=language,
                                   subject=str(c.id), at=tx.now), c) for c in found]


async def run_export(ctx: Context, job_id: int, build: Builder) -> None:
    """Read the quarter from a snapshot and build its workbook in the worker thread (the
    bot's connection and lock stay free), then hand the file to the outbox."""
    async with ctx.reading() as conn:
        job = await jobs.get(conn, job_id)
        hr = await org.servant(conn, job.servant_id) if job else None
        reads = hr is not None and await hr_reads(ctx, conn, hr.id, hr=hr.is_hr)
    if job is None or job.status != JobStatus.RECEIVED or hr is None:
        return
    if not reads:  # he left the circle before a restart resumed the job: no file
        async with ctx.transaction() as tx:
            await jobs.finish(tx.conn, job_id, JobStatus.FAILED, at=tx.now)
            await tx.notify(NoticeKind.HR_JOB, f"job:{job_id}", job.servant_id,
                            payload={"job": job_id})
        return
    now = ctx.clock.now()

    def work() -> tuple[dict[str, object], str, bytes]:
        with ctx.db.snapshot() as snapshot:
            data = exports.quarter_export(snapshot, int(job.subject))
        found = {"quarter": str(data.quarter), "rows": len(data.rows)}
        return found, *build(ExportRequest(data, now, hr.full_name, ctx.clock.tz))

    try:
        found, name, content = await ctx.jobs.in_thread(work)
    except Exception:
        log.exception("export job %s failed", job_id)
        async with ctx.transaction() as tx:
            await jobs.finish(tx.conn, job_id, JobStatus.FAILED, at=tx.now)
            await tx.notify(NoticeKind.HR_JOB, f"job:{job_id}", job.servant_id,
                            payload={"job": job_id})
        return
    async with ctx.transaction() as tx:
        await jobs.finish(tx.conn, job_id, JobStatus.DELIVERED, at=tx.now, result=found,
                          output_name=name, output=content)
        await tx.notify(NoticeKind.HR_FILE, f"job:{job_id}", job.servant_id,
                        payload={"job": job_id})


# ------------------------------------------------------------------ changing
async def open_quarter(ctx: Context, hr: Servant, quarter: Quarter,
                       schedule: Schedule) -> OpenReport:
    """Open the quarter (or top it up with servants new in the roster) and, in the same
    transaction, tell each evaluator how many sheets he has and by when (a top-up tells only
    those whose count changed: one notice per day)."""
    async with ctx.transaction() as tx:
        report = await evaluation.open_campaign(tx.conn, ctx.methodology, quarter,
                                                ctx.calendar, at=tx.now, today=tx.today,
                                                actor=f"servant:{hr.id}")
        if report.sheets_added:
            await notify_campaign_opened(tx, report.campaign.id,
                                         schedule.window(ctx.calendar, ctx.clock.now()))
    return report


async def close_quarter(ctx: Context, hr: Servant, campaign_id: int) -> Campaign:
    """Stop all changes to the quarter's sheets; closing a closed one changes nothing."""
    async with ctx.transaction() as tx:
        campaign = await evaluation.campaign(tx.conn, campaign_id)
        if campaign is None:
            raise Rejected(Reason.OUT_OF_DATE)
        if not campaign.closed:
            await evaluation.close_campaign(tx.conn, campaign.id, at=tx.now,
                                            actor=f"servant:{hr.id}")
    return campaign


async def form_annual(ctx: Context, hr: Servant, year: int) -> list[AnnualRow]:
    """Cl. 5: each servant's annual score, the average of the year's evaluated quarters (a
    calibrated score replaces the quarter's); each servant is told his. The answer is
    everyone's score: only for the HR circle (cl. 14, 26)."""
    async with ctx.transaction() as tx:
        await require_hr_reader(ctx, tx.conn, hr.id)
        formed, _missing = await reports.form_annual(tx.conn, ctx.methodology, year,
                                                     at=tx.now, actor=f"servant:{hr.id}")
        await notify_annual(tx, year, [r.servant_id for r in formed], ctx.clock.now())
    return formed


# ------------------------------------------------------------------ for the notices
async def annual_of(ctx: Context, year: int, servant_id: int) -> AnnualRow | None:
    async with ctx.reading() as conn:
        return await reports.annual_score_of(conn, year, servant_id)


async def annual_scores(ctx: Context, year: int) -> list[AnnualRow]:
    """The year's annual scores as formed, by name."""
    async with ctx.reading() as conn:
        return await reports.annual_scores(conn, year)


def annual_deadline(ctx: Context, year: int) -> date:
    """The day the year's annual scores are formed (cl. 5)."""
    return ctx.methodology.annual_deadline(year)


@dataclass(frozen=True, slots=True)
class LateCampaign:
    """A quarter past its deadline; ``late`` lists its evaluators when the digest details
    them (the first digest after the deadline, then on Mondays), else it is one line."""

    campaign: Campaign
    pending: int
    late: list[LateEvaluator]


@dataclass(frozen=True, slots=True)
class OverdueSession:
    """A calibration session past a deadline: ``status`` says which step, ``due`` its day."""

    id: int
    status: str
    due: date


@dataclass(frozen=True, slots=True)
class Digest:
    """HR's daily digest, what needs action today first: calibration sessions past a
    deadline, quarters past theirs, and the servants found unreachable since the last one."""

    sessions: list[OverdueSession]
    campaigns: list[LateCampaign]
    unreachable: list[tuple[str, str]]  # (name, personnel no.)

    def __bool__(self) -> bool:
        """Worth a message: something HR can act on today, not only what he was told."""
        return bool(self.sessions or self.unreachable or any(c.late for c in self.campaigns))


async def digest(ctx: Context, hr_id: int) -> Digest:
    """The digest for one HR officer, from what he was told in his previous one."""
    today = ctx.clock.today()
    late_campaigns, sessions = [], []
    async with ctx.reading() as conn:
        previous = await reports.last_digest_day(conn, hr_id, today)
        for campaign in await evaluation.open_campaigns(conn):
            if today <= campaign.deadline:
                continue
            late = await reports.late_evaluators(conn, campaign.id)
            if late:
                detailed = previous is None or previous <= campaign.deadline or \
                    today.weekday() == 0
                late_campaigns.append(LateCampaign(campaign, sum(e.pending for e in late),
                                                   late if detailed else []))
        since = datetime.combine(previous, datetime.max.time(), ctx.clock.tz) \
            if previous else None
        lost = await reports.unreachable(conn, since)
        for found in await calibrations.in_progress(conn):
            due = overdue_since(found.status, today, decision_due=found.decision_due,
                                session_due=found.session_due,
                                protocol_due=found.protocol_due,
                                protocol_posted=found.protocol_posted)
            if due is not None:
                sessions.append(OverdueSession(found.id, found.status, due))
    return Digest(sessions, late_campaigns, lost)
