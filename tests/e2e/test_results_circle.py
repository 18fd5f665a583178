"""Who in HR reads results (Typical cl. 14, justice cl. 26): in justice an ordinary HR officer
organises the evaluation but is refused the results export and the annual scores — by the
menu and against a forged button — while the head of the personnel service gets them; under
the Typical methodology every HR officer does. The annual workbook formed automatically on
30 January goes to the circle only."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from handlers.common.callbacks import CampaignAction, CampaignCb
from scoring import ALMATY, Quarter
from services.clock import Clock
from storage import evaluation
from tests.harness import ChatMessage, FakeTelegram, FakeUser

from . import org
from .bots import RunningBot

APRIL_6 = datetime(2026, 4, 6, 10, 0, tzinfo=ALMATY)
OFFICER = "202"  # made an ordinary HR officer here; officer 100 heads the personnel service
REFUSED = ("Согласно методике органа (cl. 26) результаты оценки и баллы видит только "
           "руководитель службы управления персоналом")


@asynccontextmanager
async def body(telegram: FakeTelegram, tmp_path: Path, methodology: str,
               ) -> AsyncIterator[RunningBot]:
    """The shared roster under ``methodology``, Q1 2026 open with two submitted sheets, and
    Иванов Алексей (202) an HR officer besides the head (100)."""
    async with RunningBot(telegram, tmp_path / "bagalau.sqlite3",
                          clock=Clock.starting_at(APRIL_6, ALMATY),
                          methodology=methodology) as running:
        running.ids = await org.load(running.app.db, APRIL_6)
        app = running.app
        async with app.db.transaction() as conn:
            await conn.execute("UPDATE servant SET is_hr = 1 WHERE personnel_no = ?",
                               (OFFICER,))
            report = await evaluation.open_campaign(
                conn, app.methodology, Quarter(2026, 1), app.calendar, at=app.clock.now(),
                today=app.clock.today(), actor="test")
            sheets = {r[1]: r[0] for r in await conn.execute_fetchall(
                "SELECT id, evaluatee_id FROM sheet WHERE campaign_id = ?",
                (report.campaign.id,))}
            for number in ("201", "203"):
                await evaluation.submit(conn, sheets[running.ids[number]],
                                        average=Decimal("3.60"), grade="proper",
                                        at=app.clock.now(), actor="test")
        for number, language in org.LANGUAGES.items():
            await telegram.user(org.TELEGRAM[number], number,
                                language_code=language).send("/start")
        await app.notifier.wait_idle()
        yield running


def person(telegram: FakeTelegram, number: str, language: str = "ru"):
    return telegram.user(org.TELEGRAM[number], number, language_code=language)


async def _export(bot: RunningBot, user, label: str):
    await user.send("/campaign")
    await user.press(label)
    await bot.app.context.jobs.wait_idle()
    await bot.app.notifier.wait_idle()
    return await user.wait_for(lambda m: m.document is not None)


async def test_in_justice_only_the_head_of_the_personnel_service_exports_results(
        telegram: FakeTelegram, tmp_path: Path) -> None:
    async with body(telegram, tmp_path, "justice-2023") as bot:
        officer = person(telegram, OFFICER)
        await officer.send("/campaign")
        menu = await officer.expect("Оценка за кварталы", "руководитель службы")
        labels = [b.text for row in menu.buttons for b in row]
        assert "Выгрузить результаты (XLSX)" not in labels
        assert not [label for label in labels if label.startswith("Итоговая оценка")]
        await officer.press("Ход оценки", message=menu)  # counts, no scores: his job
        await officer.expect("Листы: выполнено 2 из")
        for forged in (CampaignCb(action=CampaignAction.EXPORT),
                       CampaignCb(action=CampaignAction.ANNUAL, period="2026")):
            answer = await officer.press_data(forged.pack(), menu)
            assert answer is not None and answer.startswith(REFUSED), answer
        await bot.app.context.jobs.wait_idle()
        await bot.app.notifier.wait_idle()
        assert all(m.document is None for m in officer.bot_messages)
        async with bot.app.db.reading() as conn:
            assert not await conn.execute_fetchall(
                "SELECT 1 FROM hr_job WHERE servant_id = ?", (bot.ids[OFFICER],))
            assert not await conn.execute_fetchall("SELECT 1 FROM annual_score")
        head = person(telegram, "100", "kk")
        export = await _export(bot, head, "Нәтижелерді экспорттау (XLSX)")
        assert export.document[0] == "results-2026Q1.xlsx"


async def test_under_the_typical_methodology_every_hr_officer_exports_results(
        telegram: FakeTelegram, tmp_path: Path) -> None:
    async with body(telegram, tmp_path, "typical-2025") as bot:
        officer = person(telegram, OFFICER)
        export = await _export(bot, officer, "Выгрузить результаты (XLSX)")
        name, content = export.document
        assert name == "results-2026Q1.xlsx"
        cover = {r[0]: r[1] for r in load_workbook(io.BytesIO(content)).worksheets[0]
                 .iter_rows(values_only=True)}
        assert cover["Кем сформировано"] == "Иванов Алексей"


@pytest.mark.parametrize(("methodology", "receivers"), [
    ("justice-2023", {"100"}),  # cl. 26: the head only
    ("typical-2025", {"100", OFFICER}),  # cl. 14: the personnel service
])
async def test_the_annual_workbook_formed_on_30_january_goes_to_the_circle(
        telegram: FakeTelegram, tmp_path: Path, methodology: str, receivers: set[str]) -> None:
    async with body(telegram, tmp_path, methodology) as bot:
        clock = bot.app.clock
        for moment in (datetime(2027, 1, 30, 11, tzinfo=ALMATY),
                       datetime(2027, 2, 1, 11, tzinfo=ALMATY)):
            clock.advance(moment - clock.now())
            await bot.app.reminders.tick()
            await bot.app.notifier.wait_idle()
        got = {number for number in ("100", OFFICER) if any(
            m.document is not None and m.document[0] == "annual-2026.xlsx"
            for m in person(telegram, number).bot_messages)}
        assert got == receivers


@pytest.mark.parametrize(("methodology", "officer_reads"), [
    ("justice-2023", False), ("typical-2025", True)])
async def test_calibration_materials_reach_hr_as_far_as_the_circle_goes(
        telegram: FakeTelegram, tmp_path: Path, methodology: str, officer_reads: bool) -> None:
    """The materials show the servant's scores: in justice the head of the personnel service
    reads them, an ordinary officer pressing a forged button is refused."""
    async with body(telegram, tmp_path, methodology) as bot:
        async with bot.app.db.transaction() as conn:
            sheet = (await conn.execute_fetchall(
                "SELECT id FROM sheet WHERE evaluatee_id = ?", (bot.ids["201"],)))[0][0]
            cursor = await conn.execute(
                "INSERT INTO calibration (sheet_id, appellant_id, statement, requested_at, "
                "requested_on, decision_due, session_due, status, original_score) VALUES "
                "(?, ?, 's', ?, '2026-04-06', '2026-04-09', '2026-04-22', 'voting', '3.60')",
                (sheet, bot.ids["201"], APRIL_6.isoformat()))
            calibration_id = cursor.lastrowid
        data = f"k1:{calibration_id}:materials:"
        officer, head = person(telegram, OFFICER), person(telegram, "100", "kk")
        answer = await officer.press_data(data, await _carrier(officer))
        if officer_reads:
            await officer.expect("Материалы калибровки")
        else:
            assert answer == "Эти материалы вам недоступны."
        await head.press_data(data, await _carrier(head))
        await head.expect("Калибрлеу материалдары")


async def _carrier(user: FakeUser) -> ChatMessage:
    """A message of the bot's in his chat to carry a forged button: the first one (the reply
    to /start), whatever notices arrive meanwhile."""
    return await user.wait_for(lambda message: True)
