"""What is due today, decided from the database: the scheduler calls ``tick`` every few minutes
(and at start, so what was missed while the bot was down goes out once). Every message is keyed
by (kind, subject, recipient, day) in the outbox, so a second tick enqueues nothing new."""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

from scoring import Methodology, Quarter, WorkCalendar
from services.clock import Clock
from storage import calibration as calibrations
from storage import evaluation, kpi, outbox, reports, surveys
from storage.db import Database

from .notifier import Notifier

log = logging.getLogger("bagalau.reminders")
SURVEY_REMINDER_EVERY = 3  # working days


class Reminders:
    def __init__(self, db: Database, clock: Clock, calendar: WorkCalendar,
                 methodology: Methodology, notifier: Notifier, *, quiet: tuple[time, time],
                 days_before: tuple[int, ...]) -> None:
        self.db, self.clock, self.calendar = db, clock, calendar
        self.methodology, self.notifier = methodology, notifier
        self.opens, self.closes = quiet
        self.days_before = days_before

    def window(self) -> datetime:
        """The first moment a reminder may go out: now, or when quiet hours end."""
        return self.calendar.next_window(self.clock.now(), self.opens, self.closes)

    async def tick(self) -> int:
        """Enqueue everything due today; returns how many messages were added."""
        today, now = self.clock.today(), self.clock.now()
        added = 0
        async with self.db.transaction() as conn:
            added += await self._open_quarter(conn, today, now)
            for campaign in await evaluation.open_campaigns(conn):
                added += await self._deadline(conn, campaign, today, now)
                added += await self._overdue(conn, campaign, today, now)
                added += await self._kpi_actuals(conn, campaign, today, now)
            added += await self._annual(conn, today, now)
            added += await self._calibrations(conn, today, now)
            added += await self._surveys(conn, today, now)
        if added:
            log.info("%s reminders enqueued", added)
            self.notifier.wake()
        return added

    async def _open_quarter(self, conn, today: date, now: datetime) -> int:
        """Cl. 5: on the first working day after a quarter ends, its evaluation opens."""
        quarter = Quarter.containing(today).previous()
        first_day = self.calendar.roll_forward(quarter.end + timedelta(days=1))
        deadline = self.methodology.evaluation_deadline(quarter, self.calendar)
        if not first_day <= today <= deadline or await evaluation.campaign_for(conn, quarter):
            return 0
        report = await evaluation.open_campaign(conn, self.methodology, quarter, self.calendar,
                                                at=now, today=today, actor="system")
        return await enqueue_campaign_opened(conn, report.campaign.id, today, now,
                                             self.window())

    async def _deadline(self, conn, campaign: evaluation.Campaign, today: date,
                        now: datetime) -> int:
        """Evaluators with unfinished sheets, N working days before the deadline."""
        if today > campaign.deadline:
            return 0
        dates = sorted(campaign.deadline if n == 0 else
                       self.calendar.subtract_working_days(campaign.deadline, n)
                       for n in self.days_before)
        passed = [d for d in dates if d <= today]
        if not passed:
            return 0
        added = 0
        for evaluator_id, count in (await evaluation.sheet_counts(conn, campaign.id)).items():
            if count:
                added += await outbox.enqueue(
                    conn, "deadline_reminder", f"campaign:{campaign.id}", evaluator_id,
                    due_on=passed[-1], not_before=self.window(), at=now,
                    payload={"campaign": campaign.id})
        return added

    async def _overdue(self, conn, campaign: evaluation.Campaign, today: date,
                       now: datetime) -> int:
        """After the deadline, a daily digest to HR on working days."""
        if today <= campaign.deadline or not await evaluation.sheet_counts(conn, campaign.id):
            return 0
        return await self._digest(conn, today, now)

    async def _kpi_actuals(self, conn, campaign: evaluation.Campaign, today: date,
                           now: datetime) -> int:
        """Justice cl. 28: HR enters the quarter's actual KPI values N working days before the
        evaluation deadline. HR is reminded every working day from two working days before
        that date until the deadline, while any approved plan lacks a value."""
        rules = self.methodology.kpi
        if rules is None or today > campaign.deadline or not self.calendar.is_working_day(today):
            return 0
        due = self.calendar.subtract_working_days(campaign.deadline,
                                                  rules.actuals_before_deadline_working_days)
        if today < self.calendar.subtract_working_days(due, 2) or not await kpi.missing_actuals(
                conn, campaign.quarter.year, campaign.quarter.number):
            return 0
        added = 0
        for hr in await reports.active_hr(conn, today):
            added += await outbox.enqueue(
                conn, "kpi_actuals", f"campaign:{campaign.id}", hr, due_on=today,
                not_before=self.window(), at=now,
                payload={"campaign": campaign.id, "due": due.isoformat()})
        return added

    async def _digest(self, conn, today: date, now: datetime) -> int:
        if not self.calendar.is_working_day(today):
            return 0
        added = 0
        for hr in await reports.active_hr(conn, today):
            added += await outbox.enqueue(conn, "hr_digest", "daily", hr, due_on=today,
                                          not_before=self.window(), at=now)
        return added

    async def _calibrations(self, conn, today: date, now: datetime) -> int:
        """Every calibration deadline (cl. 11, 20, 21, 23, 24): the servant before his window
        closes, the official before the decision, the panel and HR before the session, HR
        before the protocol, the evaluator until the feedback meeting; overdue steps to HR."""
        rules = self.methodology.calibration
        if rules is None or not self.calendar.is_working_day(today):
            return 0
        def eve(day: date) -> date:
            return self.calendar.subtract_working_days(day, 1)

        added, overdue = 0, False

        async def send(kind: str, subject: str, recipients, payload: dict) -> None:
            nonlocal added
            for recipient in recipients:
                added += await outbox.enqueue(conn, kind, subject, recipient, due_on=today,
                                              not_before=self.window(), at=now,
                                              payload=payload)

        for sheet in await calibrations.open_windows(conn):
            delivered = sheet.delivered_at.astimezone(self.clock.tz).date()
            acknowledged = sheet.acknowledged_at.astimezone(self.clock.tz).date() \
                if sheet.acknowledged_at else None
            deadline = rules.request_deadline(delivered, acknowledged, self.calendar)
            if deadline is not None and today == eve(deadline):
                await send("calibration_window", f"sheet:{sheet.id}", [sheet.evaluatee_id],
                           {"sheet": sheet.id})
        hr = await reports.active_hr(conn, today)
        for found in await calibrations.in_progress(conn):
            subject, payload = f"calibration:{found.id}", {"calibration": found.id}
            if found.status == "requested":
                if today in (eve(found.decision_due), found.decision_due):
                    await send("calibration_request", subject,
                               await calibrations.appointing_officials(conn, today), payload)
                overdue |= today > found.decision_due
            elif found.status == "voting":
                voted = await calibrations.votes(conn, found.id, found.round)
                if today in (eve(found.session_due), found.session_due):
                    await send("calibration_member", subject,
                               [m for m in found.members if m not in voted], payload)
                    await send("calibration_session_due", subject, hr, payload)
                overdue |= today > found.session_due
            else:
                if found.feedback_held_on is None:
                    sheet = await evaluation.sheet(conn, found.sheet_id)
                    await send("calibration_feedback", subject, [sheet.evaluator_id], payload)
                if not found.protocol_posted:
                    if today in (eve(found.protocol_due), found.protocol_due):
                        await send("calibration_protocol_due", subject, hr, payload)
                    overdue |= today > found.protocol_due
        if overdue:
            added += await self._digest(conn, today, now)
        return added

    async def _surveys(self, conn, today: date, now: datetime) -> int:
        """Non-responders, every third working day until the survey closes; nobody else
        learns who has not answered."""
        if not self.calendar.is_working_day(today):
            return 0
        added = 0
        for survey in await surveys.open_surveys(conn):
            if survey.started_on is None or today > survey.closes_on:
                continue
            elapsed = self.calendar.working_days_between(survey.started_on + timedelta(days=1),
                                                         today)
            if elapsed == 0 or elapsed % SURVEY_REMINDER_EVERY:
                continue
            for invitation_id, respondent in await surveys.pending_invitations(conn, survey.id):
                added += await outbox.enqueue(
                    conn, "survey_reminder", f"invitation:{invitation_id}", respondent,
                    due_on=today, not_before=self.window(), at=now,
                    payload={"invitation": invitation_id})
        return added

    async def _annual(self, conn, today: date, now: datetime) -> int:
        """The working day before the annual deadline HR learns whose score would miss a
        quarter; on the deadline the scores are formed and the servants told (cl. 5)."""
        year = today.year - 1
        deadline = self.methodology.annual_deadline(year, self.calendar)
        added = 0
        if today == self.calendar.subtract_working_days(deadline, 1):
            pending = await conn.execute_fetchall(
                "SELECT DISTINCT s.full_name FROM sheet sh JOIN campaign c "
                "ON c.id = sh.campaign_id JOIN servant s ON s.id = sh.evaluatee_id "
                "WHERE c.year = ? AND sh.status = 'pending' ORDER BY s.full_name", (year,))
            if pending:
                for hr in await reports.active_hr(conn, today):
                    added += await outbox.enqueue(
                        conn, "annual_missing", f"year:{year}", hr, due_on=today,
                        not_before=self.window(), at=now,
                        payload={"year": year, "pending": [r[0] for r in pending]})
        formed = await conn.execute_fetchall("SELECT 1 FROM annual_score WHERE year = ? LIMIT 1",
                                             (year,))
        if deadline <= today <= deadline + timedelta(days=60) and not formed:
            rows, _missing = await reports.form_annual(conn, self.methodology, year, at=now,
                                                       actor="system")
            added += await enqueue_annual(conn, year, [r.servant_id for r in rows], today, now,
                                          self.window())
        return added


async def enqueue_campaign_opened(conn, campaign_id: int, today: date, now: datetime,
                                  not_before: datetime) -> int:
    added = 0
    for evaluator_id, count in (await evaluation.sheet_counts(conn, campaign_id)).items():
        if count:
            added += await outbox.enqueue(conn, "campaign_opened", f"campaign:{campaign_id}",
                                          evaluator_id, due_on=today, not_before=not_before,
                                          at=now, payload={"campaign": campaign_id})
    return added


async def enqueue_annual(conn, year: int, servant_ids: list[int], today: date, now: datetime,
                         not_before: datetime) -> int:
    added = 0
    for servant_id in servant_ids:
        added += await outbox.enqueue(conn, "annual", f"year:{year}", servant_id, due_on=today,
                                      not_before=not_before, at=now, payload={"year": year})
    return added
