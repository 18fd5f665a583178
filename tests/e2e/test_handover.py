"""Cl. 18: an evaluator with more than twenty evaluatees hands a sheet to a colleague; a closed
quarter refuses every change."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest_asyncio

from scoring import Quarter
from services.clock import Clock
from storage import accounts, evaluation, roster
from storage.roster_file import parse
from tests.harness import FakeTelegram

from .bots import RunningBot

ALMATY = ZoneInfo("Asia/Almaty")
APRIL_6 = datetime(2026, 4, 6, 10, 0, tzinfo=ALMATY)
HEADER = ("personnel_no,full_name,position,category,unit,appointed_on,managerial,unit_head,"
          "supervisor")
ROWS = ["1,Head Of Unit,Director,C-1,Unit,2020-01-01,yes,yes,",
        "2,Colleague Expert,Chief expert,C-4,Unit,2020-01-01,no,no,1",
        '3,"Ә & <Б>",Chief expert,C-4,Unit,2020-01-01,no,no,1'] + [
    f"{n},Expert {n:02d},Expert,C-5,Unit,2020-01-01,no,no,1" for n in range(10, 31)]


@pytest_asyncio.fixture
async def bot(telegram: FakeTelegram, tmp_path) -> AsyncIterator[RunningBot]:
    database = tmp_path / "bagalau.sqlite3"
    running = await RunningBot(telegram, database,
                               clock=Clock.starting_at(APRIL_6, ALMATY)).start()
    app = running.app
    async with app.db.transaction() as conn:
        await roster.apply(conn, parse("\n".join([HEADER, *ROWS]).encode(), "r.csv"),
                           at=APRIL_6, actor="test")
        await accounts.bind(conn, 8001, 1, at=APRIL_6, how="test")
        await accounts.bind(conn, 8002, 2, at=APRIL_6, how="test")
        await evaluation.open_campaign(conn, app.methodology, Quarter(2026, 1), app.calendar,
                                       at=APRIL_6, today=APRIL_6.date(), actor="test")
    for telegram_id in (8001, 8002):
        await telegram.user(telegram_id, "User", language_code="en").send("/start")
    yield running
    await running.stop()


async def test_hand_a_sheet_to_a_colleague(telegram: FakeTelegram, bot: RunningBot) -> None:
    head = telegram.user(8001, "Head", language_code="en")
    await head.send("/sheets")
    await head.expect("Q1 2026: 0 of 23 done")
    await head.press("Expert 10 — 0/5")
    await head.press("Hand over to a colleague")
    await head.send("999")
    await head.expect("not a colleague who can take this sheet")
    await head.send("2")
    done = await head.expect("Done: Colleague Expert will evaluate Expert 10 (Q1 2026).")
    assert "I have told him." in done.text
    colleague = telegram.user(8002, "Colleague", language_code="en")
    notice = await colleague.wait_for(lambda m: "asked to evaluate" in m.text)
    assert "You have been asked to evaluate Expert 10 for Q1 2026 (cl. 18)." in notice.text
    await colleague.press("Evaluation sheets", message=notice)
    sheets = await colleague.expect("Q1 2026: 0 of 1 done")
    assert "Expert 10 — 0/5" in sheets.button_labels()
    await head.send("/sheets")
    await head.expect("Q1 2026: 0 of 22 done")


async def test_a_closed_quarter_refuses_changes(telegram: FakeTelegram, bot: RunningBot) -> None:
    head = telegram.user(8001, "Head", language_code="en")
    await head.send("/sheets")
    await head.press("Expert 11 — 0/5")
    await head.press("Begin ▶")
    sheet_message = await head.expect("Parameter 1 of 5")
    async with bot.app.db.transaction() as conn:
        campaign = await evaluation.campaign_for(conn, Quarter(2026, 1))
        await evaluation.close_campaign(conn, campaign.id, at=APRIL_6, actor="test")
    answer = await head.press("4", message=sheet_message)
    assert answer == "This evaluation campaign is closed."
    async with bot.app.db.reading() as conn:
        assert (await conn.execute_fetchall("SELECT count(*) FROM answer"))[0][0] == 0


async def test_the_hand_over_is_found_in_the_list_and_says_who_cannot_be_told(
        telegram: FakeTelegram, bot: RunningBot) -> None:
    head = telegram.user(8001, "Head", language_code="en")
    await head.send("/sheets")
    listed = await head.expect("more than twenty evaluatees", "(cl. 18)")
    assert "↪ Hand sheets over to a colleague" in listed.button_labels()
    await head.press("↪ Hand sheets over to a colleague")
    choice = await head.expect("Whose sheet should a colleague fill in?")
    assert "↪ Expert 12" in choice.button_labels()
    await head.press("↪ Expert 12")
    await head.expect("Who should evaluate Expert 12 (Q1 2026)?")
    await head.send("3")  # a colleague whose name needs HTML escaping and who has no account
    done = await head.expect("will evaluate Expert 12")
    assert done.text.startswith("Done: Ә & <Б> will evaluate Expert 12 (Q1 2026).")
    assert "has not linked his Telegram account to the bot, so I cannot tell him" in done.text
    assert "↪ Hand over another sheet" in done.button_labels()
    async with bot.app.db.reading() as conn:
        rows = await conn.execute_fetchall(
            "SELECT s.evaluator_id FROM sheet s JOIN servant e ON e.id = s.evaluatee_id "
            "WHERE e.full_name = 'Expert 12'")
        colleague = await conn.execute_fetchall(
            "SELECT id FROM servant WHERE personnel_no = '3'")
    assert rows[0][0] == colleague[0][0]
