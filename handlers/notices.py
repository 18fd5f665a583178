"""Messages the bot starts, rendered when the outbox worker sends them — in the recipient's
language, from the current state (a reminder about a sheet submitted since is dropped)."""

from __future__ import annotations

from html import escape

from aiogram.utils.i18n import I18n, ngettext
from aiogram.utils.i18n import gettext as _

from bot.clock import Clock
from bot.notifier import Rendered
from scoring import Methodology, WorkCalendar
from storage import accounts, evaluation, outbox, reports
from storage.db import Database

from .callbacks import MenuCb
from .keyboards import inline
from .render import format_date, format_score, grade_label, quarter_name
from .result_views import calibration_window_text, result_view


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
        return result_view(sheet, self.methodology, calibration_window_text(
            sheet, self.methodology, self.clock, self.calendar))

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
        if lost:
            lines.append(_("<b>Not reachable in Telegram</b> (blocked the bot): "
                           "tell them in person or by phone"))
            lines += [f"{escape(name)} ({no})" for name, no in lost]
        return ("\n".join(lines), None) if lines else None

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
