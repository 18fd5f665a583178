"""What is due today, decided from the database: the scheduler calls ``enqueue_due`` every few
minutes (and at start, so what was missed while the bot was down goes out once). Every message
is keyed by (kind, subject, recipient, day) in the outbox, so a second call enqueues nothing
new. Everything is decided and enqueued in one transaction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from scoring import Quarter, WorkCalendar
from scoring.calibration import overdue_since
from scoring.campaign import Absence, evaluator_on
from storage import calibration as calibrations
from storage import evaluation, kpi, org, reports, surveys
from storage import legacy as absences_store
from storage.calibration import Calibration
from storage.evaluation import Campaign

from .calibration import voting_opens_on
from .confidentiality import hr_readers
from .context import Context, Tx
from .notices import NoticeKind

SURVEY_REMINDER_EVERY = 3  # working days


@dataclass(frozen=True, slots=True)
class Schedule:
    """When the bot may start a conversation (quiet hours: between ``opens`` and ``closes`` on
    working days, local time) and how many working days before the evaluation deadline the
    evaluators are reminded."""

    opens: time
    closes: time
    days_before: tuple[int, ...]

    def window(self, calendar: WorkCalendar, moment: datetime) -> datetime:
        """The first moment a reminder may go out: ``moment``, or when quiet hours end."""
        return calendar.next_window(moment, self.opens, self.closes)


# ------------------------------------------------------------------ notices others start too
async def notify_campaign_opened(tx: Tx, campaign_id: int, not_before: datetime) -> int:
    """Each evaluator with sheets in the campaign learns how many and by when."""
    counts = await evaluation.sheet_counts(tx.conn, campaign_id)
    return await tx.notify(NoticeKind.CAMPAIGN_OPENED, f"campaign:{campaign_id}",
                           [evaluator for evaluator, count in counts.items() if count],
                           payload={"campaign": campaign_id}, not_before=not_before)


async def notify_annual(tx: Tx, year: int, servant_ids: Iterable[int],
                        not_before: datetime) -> int:
    """Each servant with an annual score formed learns it (cl. 5)."""
    return await tx.notify(NoticeKind.ANNUAL, f"year:{year}", servant_ids,
                           payload={"year": year}, not_before=not_before)


# ------------------------------------------------------------------ the tick
async def enqueue_due(ctx: Context, schedule: Schedule) -> int:
    """Enqueue everything due today; returns how many messages were added."""
    async with ctx.transaction() as tx:
        today = _Today(ctx, schedule, tx)
        await today.open_quarter()
        for campaign in await evaluation.open_campaigns(tx.conn):
            await today.substitutes(campaign)
            await today.deadline(campaign)
            await today.overdue(campaign)
            await today.kpi_actuals(campaign)
        await today.annual()
        await today.next_calendar()
        await today.calibrations()
        await today.surveys()
    return tx.enqueued


class _Today:
    """One tick's decisions, all in the tick's transaction."""

    def __init__(self, ctx: Context, schedule: Schedule, tx: Tx) -> None:
        self.ctx, self.schedule, self.tx = ctx, schedule, tx
        self.calendar, self.methodology = ctx.calendar, ctx.methodology
        self.conn, self.day, self.now = tx.conn, tx.today, tx.now

    def window(self) -> datetime:
        return self.schedule.window(self.calendar, self.ctx.clock.now())

    async def send(self, kind: NoticeKind, subject: str, recipients: Iterable[int],
                   payload: dict[str, Any] | None = None, *, due_on: date | None = None) -> int:
        return await self.tx.notify(kind, subject, list(recipients), payload=payload,
                                    due_on=due_on or self.day, not_before=self.window())

    async def open_quarter(self) -> None:
        """Cl. 5: on the first working day after a quarter ends, its evaluation opens."""
        quarter = Quarter.containing(self.day).previous()
        first_day = self.calendar.roll_forward(quarter.end + timedelta(days=1))
        deadline = self.methodology.evaluation_deadline(quarter, self.calendar)
        if not first_day <= self.day <= deadline or \
                await evaluation.campaign_for(self.conn, quarter):
            return
        report = await evaluation.open_campaign(self.conn, self.methodology, quarter,
                                                self.calendar, at=self.now, today=self.day,
                                                actor="system")
        await notify_campaign_opened(self.tx, report.campaign.id, self.window())

    async def substitutes(self, campaign: Campaign) -> None:
        """Typical cl. 4 ¶4: while an evaluator is absent, the substitute the roster names for
        the absence holds his pending sheets; they go back when he returns before the
        deadline. Both are told, each time."""
        if self.day > campaign.deadline:
            return
        by_servant: dict[int, list[Absence]] = defaultdict(list)
        for absence in await absences_store.absences(self.conn, campaign.quarter.start,
                                                     campaign.deadline):
            by_servant[absence.servant_id].append(absence)
        moves: dict[tuple[int, int, int], list[int]] = defaultdict(list)
        for sheet in await evaluation.pending_sheets(self.conn, campaign.id):
            routed = sheet.routed_evaluator_id
            wanted = evaluator_on(self.day, current=sheet.evaluator_id, routed=routed,
                                  routed_absences=by_servant.get(routed, ()))
            if wanted is not None:
                await evaluation.hand_over(self.conn, sheet.id, wanted, at=self.now,
                                           actor="system")
                moves[(sheet.evaluator_id, wanted, routed)].append(sheet.id)
        for (source, target, routed), sheets in moves.items():
            await self.send(NoticeKind.SUBSTITUTION,
                            f"substitution:{campaign.id}:{source}:{target}", [source, target],
                            {"campaign": campaign.id, "sheets": sheets, "from": source,
                             "to": target, "back": target == routed,
                             "from_name": await self.name(source),
                             "to_name": await self.name(target),
                             "quarter": str(campaign.quarter),
                             "deadline": campaign.deadline.isoformat()})

    async def name(self, servant_id: int) -> str:
        found = await org.servant(self.conn, servant_id)
        return found.full_name if found else "—"

    async def deadline(self, campaign: Campaign) -> None:
        """Evaluators with unfinished sheets, N working days before the deadline."""
        if self.day > campaign.deadline:
            return
        dates = sorted(campaign.deadline if n == 0 else
                       self.calendar.subtract_working_days(campaign.deadline, n)
                       for n in self.schedule.days_before)
        passed = [d for d in dates if d <= self.day]
        if not passed:
            return
        counts = await evaluation.sheet_counts(self.conn, campaign.id)
        await self.send(NoticeKind.DEADLINE_REMINDER, f"campaign:{campaign.id}",
                        [evaluator for evaluator, count in counts.items() if count],
                        {"campaign": campaign.id}, due_on=passed[-1])

    async def overdue(self, campaign: Campaign) -> None:
        """After the deadline, a daily digest to HR on working days."""
        if self.day <= campaign.deadline or \
                not await evaluation.sheet_counts(self.conn, campaign.id):
            return
        await self.digest()

    async def kpi_actuals(self, campaign: Campaign) -> None:
        """Justice cl. 28: HR enters the quarter's actual KPI values N working days before the
        evaluation deadline. HR is reminded every working day from two working days before
        that date until the deadline, while any approved plan lacks a value."""
        rules = self.methodology.kpi
        if rules is None or self.day > campaign.deadline or \
                not self.calendar.is_working_day(self.day):
            return
        due_on = self.calendar.subtract_working_days(campaign.deadline,
                                                     rules.actuals_before_deadline_working_days)
        if self.day < self.calendar.subtract_working_days(due_on, 2) or \
                not await kpi.missing_actuals(self.conn, campaign.quarter.year,
                                              campaign.quarter.number):
            return
        await self.send(NoticeKind.KPI_ACTUALS, f"campaign:{campaign.id}",
                        await reports.active_hr(self.conn, self.day),
                        {"campaign": campaign.id, "due": due_on.isoformat()})

    async def digest(self) -> None:
        if self.calendar.is_working_day(self.day):
            await self.send(NoticeKind.HR_DIGEST, "daily",
                            await reports.active_hr(self.conn, self.day))

    async def calibrations(self) -> None:
        """Every calibration deadline (cl. 11, 20, 21, 23, 24): the servant before his window
        closes, the official before the decision, the panel and HR before the session, HR
        before the protocol, the evaluator until the feedback meeting; overdue steps to HR."""
        rules = self.methodology.calibration
        if rules is None or not self.calendar.is_working_day(self.day):
            return
        tz = self.ctx.clock.tz
        for sheet in await calibrations.open_windows(self.conn):
            assert sheet is not None and sheet.delivered_at is not None
            delivered = sheet.delivered_at.astimezone(tz).date()
            acknowledged = sheet.acknowledged_at.astimezone(tz).date() \
                if sheet.acknowledged_at else None
            deadline = rules.request_deadline(delivered, acknowledged, self.calendar)
            if deadline is not None and self.day == self.eve(deadline):
                await self.send(NoticeKind.CALIBRATION_WINDOW, f"sheet:{sheet.id}",
                                [sheet.evaluatee_id], {"sheet": sheet.id})
        hr = await reports.active_hr(self.conn, self.day)
        overdue = False
        for found in await calibrations.in_progress(self.conn):
            assert found is not None
            await self.session_steps(found, hr)
            overdue |= overdue_since(found.status, self.day, decision_due=found.decision_due,
                                     session_due=found.session_due,
                                     protocol_due=found.protocol_due,
                                     protocol_posted=found.protocol_posted) is not None
        if overdue:
            await self.digest()

    def eve(self, deadline: date) -> date:
        """The working day before ``deadline``."""
        return self.calendar.subtract_working_days(deadline, 1)

    async def session_steps(self, found: Calibration, hr: list[int]) -> None:
        """Whoever the session waits for, on the eve of its next deadline and on the day."""
        subject, payload = f"calibration:{found.id}", {"calibration": found.id}
        day = self.day
        await self.session_overdue(found, hr)
        if found.status == "requested":
            if day in (self.eve(found.decision_due), found.decision_due):
                await self.send(NoticeKind.CALIBRATION_REQUEST, subject,
                                await calibrations.appointing_officials(self.conn, day), payload)
        elif found.status == "voting":
            if day == voting_opens_on(self.ctx, found) and not (
                    found.evaluator_argument and found.appellant_argument):
                await self.send(NoticeKind.CALIBRATION_VOTING_OPEN, subject,
                                found.members, payload)
            voted = await calibrations.votes(self.conn, found.id, found.round)
            if day in (self.eve(found.session_due), found.session_due):
                await self.send(NoticeKind.CALIBRATION_MEMBER, subject,
                                [m for m in found.members if m not in voted], payload)
                await self.send(NoticeKind.CALIBRATION_SESSION_DUE, subject, hr, payload)
        else:
            await self.feedback(found, hr)
            if not found.protocol_posted and found.protocol_due is not None and \
                    day in (self.eve(found.protocol_due), found.protocol_due):
                await self.send(NoticeKind.CALIBRATION_PROTOCOL_DUE, subject,
                                await hr_readers(self.ctx, self.conn, day), payload)

    async def session_overdue(self, found: Calibration, hr: list[int]) -> None:
        """The first working day after an undecided session's deadline (cl. 21), everyone it
        concerns hears it once: the officials, HR, the evaluator and the servant."""
        if found.status == "decided" or \
                self.day != self.calendar.add_working_days(found.session_due, 1):
            return
        appealed = await evaluation.sheet(self.conn, found.sheet_id)
        assert appealed is not None
        officials = [found.official_id] if found.official_id is not None else \
            await calibrations.appointing_officials(self.conn, self.day)
        recipients = dict.fromkeys([*officials, *hr, appealed.evaluator_id, found.appellant_id])
        await self.send(NoticeKind.CALIBRATION_OVERDUE, f"calibration:{found.id}", recipients,
                        {"calibration": found.id})

    async def feedback(self, found: Calibration, hr: list[int]) -> None:
        """No feedback meeting recorded yet (cl. 24): the evaluator is reminded once, HR told
        once later, then nobody (``CalibrationRules.feedback_follow_up``)."""
        rules = self.methodology.calibration
        if found.feedback_held_on is not None or found.decided_on is None or rules is None:
            return
        step = rules.feedback_follow_up(found.decided_on, self.day, self.calendar)
        subject, payload = f"calibration:{found.id}", {"calibration": found.id}
        if step == "remind":
            appealed = await evaluation.sheet(self.conn, found.sheet_id)
            assert appealed is not None
            await self.send(NoticeKind.CALIBRATION_FEEDBACK, subject, [appealed.evaluator_id],
                            payload)
        elif step == "escalate":
            await self.send(NoticeKind.CALIBRATION_FEEDBACK_OVERDUE, subject, hr, payload)

    async def surveys(self) -> None:
        """Non-responders, every third working day until the survey closes; nobody else
        learns who has not answered."""
        if not self.calendar.is_working_day(self.day):
            return
        for survey in await surveys.open_surveys(self.conn):
            started = survey.started_on
            if started is None or self.day > survey.closes_on:
                continue
            elapsed = self.calendar.working_days_between(started + timedelta(days=1), self.day)
            if elapsed == 0 or elapsed % SURVEY_REMINDER_EVERY:
                continue
            for invitation_id, respondent in await surveys.pending_invitations(self.conn,
                                                                              survey.id):
                await self.send(NoticeKind.SURVEY_REMINDER, f"invitation:{invitation_id}",
                                [respondent], {"invitation": invitation_id})

    async def next_calendar(self) -> None:
        """From 1 December, HR learns once if the coming year's calendar still guesses:
        estimated holiday dates, or no transfer order of the Government recorded (deadlines
        would be counted on them)."""
        if self.day.month != 12:
            return
        unsettled = self.calendar.unsettled(self.day.year + 1)
        if unsettled.settled:
            return
        await self.send(NoticeKind.CALENDAR_UNSETTLED, f"calendar:{unsettled.year}",
                        await reports.active_hr(self.conn, self.day),
                        {"year": unsettled.year,
                         "estimated": [d.isoformat() for d in unsettled.estimated],
                         "transfers": unsettled.transfers_recorded},
                        due_on=date(self.day.year, 12, 1))  # once a year

    async def annual(self) -> None:
        """The working day before the annual deadline HR learns whose score would miss a
        quarter. On the deadline — 30 January even on a day off (cl. 5, «не позднее») — the
        scores are formed; the servants and HR are told when quiet hours end, HR with the
        workbook, the year's quarters never opened and the undecided calibrations whose
        original score was counted."""
        year = self.day.year - 1
        deadline = self.methodology.annual_deadline(year)
        if self.day == self.calendar.subtract_working_days(deadline, 1):
            pending = await reports.pending_evaluatees(self.conn, year)
            if pending:
                await self.send(NoticeKind.ANNUAL_MISSING, f"year:{year}",
                                await reports.active_hr(self.conn, self.day),
                                {"year": year, "pending": pending})
        if deadline <= self.day <= deadline + timedelta(days=60) and \
                not await reports.annual_formed(self.conn, year):
            rows, _missing = await reports.form_annual(self.conn, self.methodology, year,
                                                       at=self.now, actor="system")
            await notify_annual(self.tx, year, [r.servant_id for r in rows], self.window())
            await self.send(NoticeKind.ANNUAL_FORMED, f"year:{year}",
                            await hr_readers(self.ctx, self.conn, self.day),
                            {"year": year, "formed_on": self.day.isoformat(),
                             "unopened": await self.unopened(year),
                             "calibrating": await self.calibrating(year),
                             "pending": await reports.pending_evaluatees(self.conn, year)})

    async def unopened(self, year: int) -> list[int]:
        """The year's quarters whose evaluation was never opened (the bot was down for its
        whole window, and HR did not open it)."""
        return [n for n in range(1, 5)
                if await evaluation.campaign_for(self.conn, Quarter(year, n)) is None]

    async def calibrating(self, year: int) -> list[str]:
        """Servants with an undecided calibration of a quarter of ``year``: their annual score
        counts the original score until HR forms it again after the decision."""
        names = set()
        for found in await calibrations.in_progress(self.conn):
            if found.status == "decided":
                continue
            sheet = await evaluation.sheet(self.conn, found.sheet_id)
            if sheet is not None and sheet.campaign.quarter.year == year:
                names.add(sheet.evaluatee_name)
        return sorted(names)
