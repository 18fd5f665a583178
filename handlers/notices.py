"""Messages the bot starts, rendered when the outbox worker sends them — in the recipient's
language, from the current state (a reminder about a sheet submitted since is dropped)."""

from __future__ import annotations

from datetime import date
from html import escape

from aiogram.utils.i18n import I18n, ngettext
from aiogram.utils.i18n import gettext as _

from bot.notifier import Document, Rendered
from scoring import Methodology, WorkCalendar
from services.clock import Clock
from storage import accounts, evaluation, kpi, org, outbox, reports, surveys
from storage import calibration as calibrations
from storage import legacy as legacy_store
from storage.db import Database

from .callbacks import CalibrationCb, LegacyCb, MenuCb, PlanCb, ResultCb, SurveyCb
from .keyboards import inline
from .legacy import result_text as legacy_result_text
from .protocol import ProtocolFacts, render_protocol
from .render import format_date, format_score, grade_label, official, quarter_name
from .result_views import result_screen
from .surveys import items as survey_items


class Notices:
    """Renders outbox messages by kind; ``on_sent`` records what a delivery means."""

    def __init__(self, db: Database, i18n: I18n, clock: Clock, calendar: WorkCalendar,
                 methodology: Methodology) -> None:
        self.db, self.i18n, self.clock = db, i18n, clock
        self.calendar, self.methodology = calendar, methodology

    async def render(self, message: outbox.Message) -> Rendered:
        async with self.db.reading() as conn:
            language = await accounts.language_of(conn, message.recipient_id)
        with self.i18n.context(), self.i18n.use_locale(language or self.i18n.default_locale):
            return await getattr(self, f"_{message.kind}")(message)

    async def on_sent(self, message: outbox.Message, sent_at) -> None:
        if message.kind == "result":
            async with self.db.transaction() as conn:
                await evaluation.mark_delivered(conn, message.payload["sheet"], at=sent_at)

    async def _sheet(self, message: outbox.Message):
        async with self.db.reading() as conn:
            return await evaluation.sheet(conn, message.payload["sheet"])

    async def _result(self, message: outbox.Message) -> Rendered:
        sheet = await self._sheet(message)
        if sheet is None or sheet.status != "submitted":
            return None
        return await result_screen(self.db, sheet, self.methodology, self.clock,
                                   self.calendar)

    async def _handover(self, message: outbox.Message) -> Rendered:
        sheet = await self._sheet(message)
        if sheet is None or sheet.status != "pending" or sheet.evaluator_id != \
                message.recipient_id:
            return None
        return _("You have been asked to evaluate {name} for {quarter} (cl. 18).").format(
            name=escape(sheet.evaluatee_name), quarter=quarter_name(sheet.campaign.quarter)), \
            inline([[(_("Evaluation sheets"), MenuCb(action="sheets"))]])

    async def _pending(self, message: outbox.Message):
        async with self.db.reading() as conn:
            campaign = await evaluation.campaign(conn, message.payload["campaign"])
            count = await reports.pending_by_evaluator(conn, campaign.id, message.recipient_id) \
                if campaign and not campaign.closed else 0
        return campaign, count

    async def _campaign_opened(self, message: outbox.Message) -> Rendered:
        campaign, count = await self._pending(message)
        if not count:
            return None
        return ngettext(
            "{quarter}: you have {n} evaluation sheet to fill in by {date}.",
            "{quarter}: you have {n} evaluation sheets to fill in by {date}.", count).format(
            quarter=quarter_name(campaign.quarter), n=count,
            date=format_date(campaign.deadline)), \
            inline([[(_("Evaluation sheets"), MenuCb(action="sheets"))]])

    async def _deadline_reminder(self, message: outbox.Message) -> Rendered:
        campaign, count = await self._pending(message)
        if not count:
            return None
        left = self.calendar.working_days_between(self.clock.today(), campaign.deadline)
        text = _("Reminder: the evaluation for {quarter} is due today, {date}.") if left <= 1 \
            else _("Reminder: the evaluation for {quarter} is due on {date}.")
        return "\n".join((
            text.format(quarter=quarter_name(campaign.quarter),
                        date=format_date(campaign.deadline)),
            ngettext("You have {n} sheet left to fill in.", "You have {n} sheets left to fill in.",
                     count).format(n=count))), \
            inline([[(_("Evaluation sheets"), MenuCb(action="sheets"))]])

    async def _kpi_actuals(self, message: outbox.Message) -> Rendered:
        async with self.db.reading() as conn:
            campaign = await evaluation.campaign(conn, message.payload["campaign"])
            missing = await kpi.missing_actuals(conn, campaign.quarter.year,
                                                campaign.quarter.number) if campaign else 0
        if not missing or campaign.closed:
            return None
        due = date.fromisoformat(message.payload["due"])
        text = ngettext(
            "KPI actual values for {quarter} are due by {date} so that the evaluators can "
            "score by {deadline}: {n} approved plan still lacks them.",
            "KPI actual values for {quarter} are due by {date} so that the evaluators can "
            "score by {deadline}: {n} approved plans still lack them.", missing) \
            if self.clock.today() <= due else ngettext(
            "KPI actual values for {quarter} were due on {date}; the evaluators must score by "
            "{deadline}: {n} approved plan still lacks them.",
            "KPI actual values for {quarter} were due on {date}; the evaluators must score by "
            "{deadline}: {n} approved plans still lack them.", missing)
        return text.format(quarter=quarter_name(campaign.quarter), date=format_date(due),
                           deadline=format_date(campaign.deadline), n=missing), \
            inline([[(_("Enter actual values"), MenuCb(action="actuals"))]])

    async def _hr_digest(self, message: outbox.Message) -> Rendered:
        lines: list[str] = []
        async with self.db.reading() as conn:
            for campaign in await evaluation.open_campaigns(conn):
                if self.clock.today() <= campaign.deadline:
                    continue
                late = await reports.late_evaluators(conn, campaign.id)
                if late:
                    lines.append(_("<b>{quarter}: overdue since {date}</b>").format(
                        quarter=quarter_name(campaign.quarter),
                        date=format_date(campaign.deadline)))
                    lines += [ngettext("{name}: {n} sheet", "{name}: {n} sheets", e.pending)
                              .format(name=escape(e.name), n=e.pending)
                              + ("" if e.reachable else " — " + _("not reachable in Telegram"))
                              for e in late]
            lost = await reports.unreachable(conn)
            late_sessions = [c for c in await calibrations.in_progress(conn)
                             if _calibration_overdue(c, self.clock.today())]
        for found in late_sessions:
            lines.append(_("Calibration session no. {id} is overdue: {step}.").format(
                id=found.id, step=_step(found)))
        if lost:
            lines.append(_("<b>Not reachable in Telegram</b> (blocked the bot): "
                           "tell them in person or by phone"))
            lines += [f"{escape(name)} ({no})" for name, no in lost]
        return ("\n".join(lines), None) if lines else None

    async def _calibration_window(self, message: outbox.Message) -> Rendered:
        sheet = await self._sheet(message)
        rules = self.methodology.calibration
        async with self.db.reading() as conn:
            requested = await calibrations.by_sheet(conn, sheet.id) if sheet else None
        if sheet is None or requested is not None or rules is None:
            return None
        delivered = sheet.delivered_at.astimezone(self.clock.tz).date()
        acknowledged = sheet.acknowledged_at.astimezone(self.clock.tz).date() \
            if sheet.acknowledged_at else None
        deadline = rules.request_deadline(delivered, acknowledged, self.calendar)
        return _("If you disagree with your evaluation for {quarter}, the last day to request a "
                 "calibration session is {date}.").format(
            quarter=quarter_name(sheet.campaign.quarter), date=format_date(deadline)), \
            inline([[(_("I disagree: request a calibration session"),
                      ResultCb(sheet=sheet.id, action="calibrate"))]])

    async def _calibration_session_due(self, message: outbox.Message) -> Rendered:
        found, sheet = await self._calibration(message)
        if found is None or found.status != "voting":
            return None
        async with self.db.reading() as conn:
            voted = await calibrations.votes(conn, found.id, found.round)
        return _("Calibration session no. {id} ({name}) must be held by {date} (cl. 21): {voted} "
                 "of {members} members have voted in round {round}.").format(
            id=found.id, name=escape(sheet.evaluatee_name), date=format_date(found.session_due),
            voted=len(voted), members=len(found.members), round=found.round), None

    async def _calibration_protocol_due(self, message: outbox.Message) -> Rendered:
        found, sheet = await self._calibration(message)
        if found is None or found.protocol_posted:
            return None
        return _("Post the protocol of calibration session no. {id} ({name}) by {date} "
                 "(cl. 23).").format(id=found.id, name=escape(sheet.evaluatee_name),
                                     date=format_date(found.protocol_due)), \
            inline([[(_("The protocol is posted"),
                      CalibrationCb(id=found.id, action="protocol_posted"))]])

    # ------------------------------------------------------------------ surveys
    async def _survey_invitation(self, message: outbox.Message) -> Rendered:
        invitation = await surveys.invitation(self.db, message.payload["invitation"])
        if invitation is None or invitation.done or invitation.survey.closed:
            return None
        count = len(survey_items(self.methodology, invitation))
        if invitation.survey.kind != "360":
            text = _("You are invited to the anonymous working-conditions survey ({n} "
                     "questions, a few minutes) by {date}. Nobody can see what you answer: "
                     "answers are only counted.")
        elif invitation.role == "self":
            text = _("Please assess yourself for the 360 survey ({n} statements, about "
                     "{minutes} minutes) by {date}. Your self-assessment is shown beside your "
                     "colleagues' answers but does not count.")
        else:
            text = _("You are invited to the anonymous 360 survey about {name} ({n} statements, "
                     "about {minutes} minutes) by {date}. Your answers are only added to totals: "
                     "nobody — not HR, not {name} — can see what you answered.")
        return text.format(n=count, minutes=max(count // 4, 2), name=escape(
            invitation.subject_name), date=format_date(invitation.survey.closes_on)), \
            inline([[(_("Begin"), SurveyCb(id=invitation.id, action="go",
                                           index=invitation.position))]])

    async def _survey_reminder(self, message: outbox.Message) -> Rendered:
        invitation = await surveys.invitation(self.db, message.payload["invitation"])
        if invitation is None or invitation.done or invitation.survey.closed:
            return None
        return _("A reminder: the survey closes on {date}. Your answers stay anonymous.").format(
            date=format_date(invitation.survey.closes_on)), \
            inline([[(_("Continue"), SurveyCb(id=invitation.id, action="go",
                                              index=invitation.position))]])

    async def _survey_report(self, message: outbox.Message) -> Rendered:
        return _("Your 360 report is ready: each competency's average from your colleagues, "
                 "your self-assessment beside it and the radar chart."), \
            inline([[(_("My 360 report"), SurveyCb(id=message.payload["target"],
                                                   action="report"))]])

    # ------------------------------------------------------------------ KPI work plans
    async def _kpi_plan(self, message: outbox.Message):
        async with self.db.reading() as conn:
            return await kpi.plan(conn, message.payload["plan"])

    async def _kpi_plan_submitted(self, message: outbox.Message) -> Rendered:
        plan = await self._kpi_plan(message)
        if plan is None or plan.status != "submitted":
            return None
        return _("The KPI work plan of {name} for {year} awaits your approval.").format(
            name=escape(plan.servant_name), year=plan.year), \
            inline([[(_("Review the plan"), PlanCb(id=plan.id, action="view"))]])

    async def _kpi_plan_decided(self, message: outbox.Message) -> Rendered:
        plan = await self._kpi_plan(message)
        if plan is None or plan.status not in ("approved", "returned"):
            return None
        if plan.status == "approved":
            return _("The KPI work plan of {name} for {year} is approved.").format(
                name=escape(plan.servant_name), year=plan.year), None
        return _("The KPI work plan of {name} for {year} is returned for rework: {reason}. "
                 "Resubmit it by {date}.").format(
            name=escape(plan.servant_name), year=plan.year, reason=escape(plan.return_reason),
            date=format_date(plan.resubmit_due)), \
            inline([[(_("Open the plan"), PlanCb(id=plan.id, action="view"))]])

    # ------------------------------------------------------------------ the older model
    async def _legacy(self, message: outbox.Message):
        async with self.db.reading() as conn:
            return await legacy_store.review(conn, message.payload["review"])

    async def _legacy_review(self, message: outbox.Message) -> Rendered:
        review = await self._legacy(message)
        if review is None or review.status != "submitted":
            return None
        return _("The annual review of {name} for {year} awaits your agreement.").format(
            name=escape(review.servant_name), year=review.year), \
            inline([[(_("Open the review"), LegacyCb(id=review.id, action="review"))]])

    async def _legacy_vote(self, message: outbox.Message) -> Rendered:
        review = await self._legacy(message)
        if review is None or review.status != "agreed":
            return None
        grades = self.methodology.kpi_plan.grades
        label = {g.code: official(g.label) for g in grades}
        return _("Commission: the annual result of {name} for {year} is “{grade}”. Approve it, "
                 "or vote for another result (an open vote).").format(
            name=escape(review.servant_name), year=review.year, grade=label[review.grade]), \
            inline([[(_("Approve"), LegacyCb(id=review.id, action="vote", value="approve"))]] + [
                [(_("Revise: {grade}").format(grade=label[g.code]),
                  LegacyCb(id=review.id, action="vote", value=g.code))]
                for g in grades if g.code != review.grade])

    async def _legacy_result(self, message: outbox.Message) -> Rendered:
        review = await self._legacy(message)
        if review is None or review.status != "decided":
            return None
        return legacy_result_text(self.methodology, review, self.calendar,
                                  self.clock.today()), \
            inline([[(_("I have read it"), LegacyCb(id=review.id, action="acquaint")),
                     (_("I refuse to sign"), LegacyCb(id=review.id, action="refuse"))]])

    async def _legacy_decided(self, message: outbox.Message) -> Rendered:
        review = await self._legacy(message)
        if review is None or review.status != "decided":
            return None
        label = {g.code: official(g.label) for g in self.methodology.kpi_plan.grades}
        text = _("Commission {year}: {name} — “{grade}”.").format(
            year=review.year, name=escape(review.servant_name), grade=label[review.final_grade])
        if review.final_grade != review.grade:
            text += " " + _("Revised (the evaluator's was “{grade}”).").format(
                grade=label[review.grade])
        return text + "\n" + _("Record the commission's recommendation for the protocol, if "
                               "it made one."), \
            inline([[(_("Add a recommendation"), LegacyCb(id=review.id, action="recommend"))],
                    [(_("The protocol (PDF)"), LegacyCb(id=review.year, action="protocol"))]])

    async def _annual(self, message: outbox.Message) -> Rendered:
        year = message.payload["year"]
        async with self.db.reading() as conn:
            rows = [r for r in await reports.annual_scores(conn, year)
                    if r.servant_id == message.recipient_id]
        if not rows:
            return None
        row = rows[0]
        return ngettext(
            "Your annual score for {year}: <b>{score}</b> — {grade} (the average of {n} "
            "quarter, cl. 5).",
            "Your annual score for {year}: <b>{score}</b> — {grade} (the average of {n} "
            "quarters, cl. 5).", row.quarters).format(
            year=year, score=format_score(row.average),
            grade=grade_label(self.methodology, row.grade), n=row.quarters), None

    async def _annual_missing(self, message: outbox.Message) -> Rendered:
        year = message.payload["year"]
        names = message.payload.get("pending", [])
        if not names:
            return None
        deadline = self.methodology.annual_deadline(year, self.calendar)
        return "\n".join([
            _("The annual scores for {year} are formed on {date}. These servants still have "
              "unsubmitted quarterly sheets, so their score would miss a quarter:").format(
                year=year, date=format_date(deadline)),
            *(f"• {escape(name)}" for name in names)]), None

    # ------------------------------------------------------------------ calibration
    async def _calibration(self, message: outbox.Message):
        async with self.db.reading() as conn:
            found = await calibrations.get(conn, message.payload["calibration"])
            sheet = await evaluation.sheet(conn, found.sheet_id) if found else None
        return found, sheet

    async def _calibration_request(self, message: outbox.Message) -> Rendered:
        found, sheet = await self._calibration(message)
        if found is None or found.status != "requested":
            return None
        return _("{name} requests a calibration session on the evaluation for {quarter} "
                 "(score {score}). Decide and approve the panel by {date} (cl. 20).").format(
            name=escape(sheet.evaluatee_name), quarter=quarter_name(sheet.campaign.quarter),
            score=format_score(found.original_score), date=format_date(found.decision_due)), \
            inline([[(_("Review the request"), CalibrationCb(id=found.id, action="review"))]])

    async def _calibration_member(self, message: outbox.Message) -> Rendered:
        found, sheet = await self._calibration(message)
        if found is None or found.status != "voting":
            return None
        return _("You are a member of the calibration session on {name}'s evaluation for "
                 "{quarter}. Read the materials and vote by {date}.").format(
            name=escape(sheet.evaluatee_name), quarter=quarter_name(sheet.campaign.quarter),
            date=format_date(found.session_due)), inline([[
                (_("Materials"), CalibrationCb(id=found.id, action="materials")),
                (_("Vote"), CalibrationCb(id=found.id, action="vote"))]])

    async def _calibration_evaluator(self, message: outbox.Message) -> Rendered:
        found, sheet = await self._calibration(message)
        if found is None or found.status == "decided":
            return None
        return _("{name} disagrees with your evaluation for {quarter}; the calibration session "
                 "is held by {date}. Describe his work briefly and argue your score for the "
                 "panel (cl. 23).").format(
            name=escape(sheet.evaluatee_name), quarter=quarter_name(sheet.campaign.quarter),
            date=format_date(found.session_due)), inline([[
                (_("Write my argumentation"), CalibrationCb(id=found.id, action="argue")),
                (_("Materials"), CalibrationCb(id=found.id, action="materials"))]])

    async def _calibration_approved(self, message: outbox.Message) -> Rendered:
        found, _sheet = await self._calibration(message)
        if found is None or found.status == "decided":
            return None
        return _("The panel for your calibration session is approved; the session is held by "
                 "{date}. You may argue your disagreement in writing (cl. 23).").format(
            date=format_date(found.session_due)), inline([[
                (_("Add my written argument"), CalibrationCb(id=found.id, action="argue"))]])

    async def _calibration_revote(self, message: outbox.Message) -> Rendered:
        found, sheet = await self._calibration(message)
        if found is None or found.status != "voting":
            return None
        return _("No score had a majority: please vote again (round {round}) on {name}'s "
                 "evaluation.").format(round=found.round, name=escape(sheet.evaluatee_name)), \
            inline([[(_("Vote"), CalibrationCb(id=found.id, action="vote"))]])

    async def _calibration_result(self, message: outbox.Message) -> Rendered:
        found, sheet = await self._calibration(message)
        if found is None or found.status != "decided":
            return None
        return "\n".join((
            _("The calibration session has decided: your score for {quarter} is <b>{final}</b> "
              "— {grade} (the evaluator's score was {original}).").format(
                quarter=quarter_name(sheet.campaign.quarter),
                final=format_score(found.final_score),
                grade=grade_label(self.methodology, sheet.final_grade),
                original=format_score(found.original_score)),
            _("The decision may be appealed under the Administrative Procedural Code of the "
              "Republic of Kazakhstan (cl. 12)."))), None

    async def _calibration_feedback(self, message: outbox.Message) -> Rendered:
        found, sheet = await self._calibration(message)
        if found is None or found.status != "decided" or found.feedback_held_on:
            return None
        rules = self.methodology.calibration
        topics = "\n".join(f"• {official(t)}" for t in rules.feedback_topics)
        return "\n".join((
            _("The calibration session set {name}'s score for {quarter} at {final}. Hold a "
              "feedback meeting with him in an open and friendly manner (cl. 24) on:").format(
                name=escape(sheet.evaluatee_name), quarter=quarter_name(sheet.campaign.quarter),
                final=format_score(found.final_score)), topics)), \
            inline([[(_("The meeting was held"),
                      CalibrationCb(id=found.id, action="feedback_held"))]])

    async def _calibration_decided(self, message: outbox.Message) -> Rendered:
        found, sheet = await self._calibration(message)
        if found is None or found.status != "decided":
            return None
        return _("The calibration session on {name}'s evaluation has decided: {final}. Thank "
                 "you.").format(name=escape(sheet.evaluatee_name),
                                final=format_score(found.final_score)), None

    async def _calibration_protocol(self, message: outbox.Message) -> Rendered:
        found, sheet = await self._calibration(message)
        if found is None or found.status != "decided":
            return None
        async with self.db.reading() as conn:
            body = await org.body(conn)
            ids = {*found.members, sheet.evaluator_id}
            names = {r[0]: r[1] for r in await conn.execute_fetchall(
                f"SELECT id, full_name FROM servant WHERE id IN ({','.join('?' * len(ids))})",
                tuple(ids))}
            votes = await calibrations.all_votes(conn, found.id)
        rounds = tuple(
            (number, tuple((names[member], score) for r, member, score in votes if r == number))
            for number in sorted({r for r, _m, _s in votes}))
        content = render_protocol(ProtocolFacts(
            body=body.name, servant=sheet.evaluatee_name, position=sheet.evaluatee_position,
            quarter=(sheet.campaign.quarter.year, sheet.campaign.quarter.number),
            requested_on=found.requested_on, decided_on=found.decided_on,
            original=found.original_score, final=found.final_score,
            members=tuple(names[m] for m in found.members),
            evaluator=names[sheet.evaluator_id], evaluator_argument=found.evaluator_argument,
            appellant_argument=found.appellant_argument, statement=found.statement,
            rounds=rounds))
        return Document(content, f"protocol-calibration-{found.id}.pdf", _(
            "Protocol of the calibration session on {name}'s evaluation for {quarter}. Post it "
            "by {date} (cl. 23).").format(
            name=escape(sheet.evaluatee_name), quarter=quarter_name(sheet.campaign.quarter),
            date=format_date(found.protocol_due)),
            inline([[(_("The protocol is posted"),
                      CalibrationCb(id=found.id, action="protocol_posted"))]]))


def _calibration_overdue(found: calibrations.Calibration, today) -> bool:
    if found.status == "requested":
        return today > found.decision_due
    if found.status == "voting":
        return today > found.session_due
    return not found.protocol_posted and today > found.protocol_due


def _step(found: calibrations.Calibration) -> str:
    if found.status == "requested":
        return _("the panel was due by {date}").format(date=format_date(found.decision_due))
    if found.status == "voting":
        return _("the session was due by {date}").format(date=format_date(found.session_due))
    return _("the protocol was due by {date}").format(date=format_date(found.protocol_due))
