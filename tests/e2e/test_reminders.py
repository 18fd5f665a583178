"""Reminders and delivery with a controllable clock: working days around New Year and Nauryz,
quiet hours, 429 and blocked users, a restart between "due" and "sent", the annual notice."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest_asyncio

from scoring import Quarter
from services.clock import Clock
from storage import evaluation, outbox
from tests.harness import FakeTelegram

from . import org
from .bots import RunningBot

ALMATY = ZoneInfo("Asia/Almaty")
DIRECTOR, HR, EXPERT = org.TELEGRAM["200"], org.TELEGRAM["100"], org.TELEGRAM["202"]


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=ALMATY)


@pytest_asyncio.fixture
async def bot(telegram: FakeTelegram, tmp_path) -> AsyncIterator[RunningBot]:
    database = tmp_path / "bagalau.sqlite3"
    running = await RunningBot(telegram, database,
                               clock=Clock.starting_at(at(2025, 12, 20, 12), ALMATY)).start()
    running.ids = await org.load(running.app.db, at(2025, 12, 20, 12))
    for number, language in org.LANGUAGES.items():
        await telegram.user(org.TELEGRAM[number], number, language_code=language).send("/start")
    yield running
    await running.stop()


async def _move(bot: RunningBot, moment: datetime) -> int:
    """Set the clock, run the scheduler's tick, and let the outbox worker finish."""
    clock = bot.app.clock
    clock.advance(moment - clock.now())
    added = await bot.app.reminders.tick()
    await bot.app.notifier.wait_idle()
    return added


def _texts(telegram: FakeTelegram, chat_id: int) -> list[str]:
    return [m.text for m in telegram.messages(chat_id) if m.from_bot]


async def _quarter_opened(bot: RunningBot, then: datetime | None = None) -> None:
    """The 4th quarter of 2025 opened on Monday 5 January 2026 and its notices went out after
    the quiet hours; then the clock moves on to ``then``."""
    await _move(bot, at(2026, 1, 5, 10, 0, 5))
    async with bot.app.db.reading() as conn:
        assert await evaluation.campaign_for(conn, Quarter(2025, 4)) is not None
    if then is not None:
        await _move(bot, then)


async def test_the_quarter_opens_on_the_first_working_day_after_new_year(telegram, bot):
    assert await _move(bot, at(2026, 1, 2, 12)) == 0  # 1–2 January are holidays
    async with bot.app.db.reading() as conn:
        assert await evaluation.campaign_for(conn, Quarter(2025, 4)) is None
    await _move(bot, at(2026, 1, 5, 8, 30))  # Monday, before the quiet hours end
    async with bot.app.db.reading() as conn:
        campaign = await evaluation.campaign_for(conn, Quarter(2025, 4))
    assert campaign is not None and str(campaign.deadline) == "2026-01-20"
    assert not any("оценочных листа" in t for t in _texts(telegram, DIRECTOR))
    await _move(bot, at(2026, 1, 5, 10, 0, 5))
    assert any("4-й квартал 2025 г.: у вас 4 оценочных листа, срок — 20 января 2026" in t
               for t in _texts(telegram, DIRECTOR))


async def test_deadline_reminders_come_once_on_their_working_days(telegram, bot):
    await _quarter_opened(bot)
    before = len(_texts(telegram, DIRECTOR))
    await _move(bot, at(2026, 1, 12, 11))  # 6 working days before: nothing yet
    assert len(_texts(telegram, DIRECTOR)) == before
    assert await _move(bot, at(2026, 1, 13, 11)) == 3  # 5 working days before: 300, 200, 201
    assert await _move(bot, at(2026, 1, 13, 15)) == 0  # the same day again: nothing new
    new = _texts(telegram, DIRECTOR)[before:]
    assert new == ["Напоминание: оценку за 4-й квартал 2025 г. нужно завершить до 20 января "
                   "2026.\nОсталось заполнить 4 листа."]
    await _move(bot, at(2026, 1, 20, 9, 0))  # the deadline day, still quiet hours
    assert len(_texts(telegram, DIRECTOR)) == before + 1
    await _move(bot, at(2026, 1, 20, 10, 30))
    due_today = [t for t in _texts(telegram, DIRECTOR)[before + 1:] if t.startswith(
        "Напоминание: оценку за 4-й квартал 2025 г. нужно завершить сегодня, 20 января 2026.")]
    assert len(due_today) == 1


async def test_a_blocked_user_is_marked_unreachable_and_listed_for_hr(telegram, bot):
    await _quarter_opened(bot, then=at(2026, 1, 20, 10, 30))
    telegram.block(EXPERT)
    app = bot.app
    async with app.db.transaction() as conn:
        sheet = (await conn.execute_fetchall(
            "SELECT sh.id FROM sheet sh JOIN campaign c ON c.id = sh.campaign_id "
            "WHERE sh.evaluatee_id = ? AND c.year = 2025", (bot.ids["202"],)))[0][0]
        await evaluation.submit(conn, sheet, average=Decimal("4.20"), grade="effective",
                                at=app.clock.now(), actor="test")
        await outbox.enqueue(conn, "result", f"sheet:{sheet}", bot.ids["202"],
                             due_on=app.clock.today(), not_before=app.clock.now(),
                             at=app.clock.now(), payload={"sheet": sheet})
    await _move(bot, at(2026, 1, 20, 11))
    async with app.db.reading() as conn:
        account = (await conn.execute_fetchall(
            "SELECT unreachable_at FROM account WHERE telegram_id = ?", (EXPERT,)))[0][0]
    assert account is not None
    counts = await outbox.counts(app.db)
    assert counts.get("unreachable") == 1
    # Nauryz 2026: 21–25 March are days off; the overdue digest waits for Thursday the 26th
    for day in (21, 23, 24, 25):
        await _move(bot, at(2026, 3, day, 11))
    assert not [t for t in _texts(telegram, HR) if "мерзімі 2026 жылғы 20 қаңтарда өтті" in t]
    await _move(bot, at(2026, 3, 26, 11))
    digests = [t for t in _texts(telegram, HR) if "мерзімі 2026 жылғы 20 қаңтарда өтті" in t]
    assert len(digests) == 1
    assert "Иванов Алексей (202)" in digests[0]
    assert "Telegram-да қолжетімсіз" in digests[0]


async def test_429_on_the_first_try_is_delivered_once_later(telegram, bot):
    await _quarter_opened(bot)
    since = len(telegram.requests)
    telegram.fail_next("sendMessage", status=429, retry_after=3, chat_id=DIRECTOR)
    await _move(bot, at(2026, 3, 27, 11))  # Friday: a new digest day, and a reminder below
    app = bot.app
    async with app.db.transaction() as conn:
        await outbox.enqueue(conn, "campaign_opened", "campaign:1", bot.ids["200"],
                             due_on=app.clock.today(), not_before=app.clock.now(),
                             at=app.clock.now(), payload={"campaign": 1})
    app.notifier.wake()
    await app.notifier.wait_idle()
    attempts = [r for r in telegram.requests[since:]
                if r.method == "sendMessage" and r.params.get("chat_id") == DIRECTOR]
    assert [r.status for r in attempts] == [429]
    await _move(bot, at(2026, 3, 27, 11, 0, 5))
    attempts = [r for r in telegram.requests[since:]
                if r.method == "sendMessage" and r.params.get("chat_id") == DIRECTOR]
    assert [r.status for r in attempts] == [429, 200]


async def test_a_restart_between_due_and_sent_sends_exactly_once(telegram, bot):
    await _quarter_opened(bot, then=at(2026, 3, 27, 11, 0, 5))
    app = bot.app
    async with app.db.transaction() as conn:
        await outbox.enqueue(conn, "deadline_reminder", "campaign:1", bot.ids["200"],
                             due_on=app.clock.today() + timedelta(days=1),
                             not_before=app.clock.now() + timedelta(hours=1),
                             at=app.clock.now(), payload={"campaign": 1})
    moment = app.clock.now()
    await bot.restart()
    before = len(_texts(telegram, DIRECTOR))
    await _move(bot, moment + timedelta(hours=1, seconds=1))
    await bot.restart()
    await _move(bot, moment + timedelta(hours=2))
    assert len(_texts(telegram, DIRECTOR)) == before + 1


async def test_the_annual_notice(telegram, bot):
    await _quarter_opened(bot, then=at(2026, 3, 27, 13, 0, 5))
    app = bot.app
    async with app.db.transaction() as conn:  # the director's Q1 2026 sheet, submitted
        report = await evaluation.open_campaign(conn, app.methodology, Quarter(2026, 1),
                                                app.calendar, at=app.clock.now(),
                                                today=app.clock.today(), actor="test")
        sheet = (await conn.execute_fetchall(
            "SELECT id FROM sheet WHERE campaign_id = ? AND evaluatee_id = ?",
            (report.campaign.id, bot.ids["201"])))[0][0]
        await evaluation.submit(conn, sheet, average=Decimal("3.60"), grade="proper",
                                at=app.clock.now(), actor="test")
    await _move(bot, at(2027, 1, 29, 11))  # the working day before the deadline (30 Jan)
    missing = [t for t in _texts(telegram, HR) if "2026 жылғы қорытынды бағалар" in t]
    assert len(missing) == 1 and "2027 жылғы 30 қаңтарда" in missing[0]
    # 30 January 2027 is a Saturday: formed that day («не позднее», cl. 5), told on Monday
    await _move(bot, at(2027, 1, 30, 11))
    async with app.db.reading() as conn:
        formed_at = (await conn.execute_fetchall(
            "SELECT DISTINCT formed_at FROM annual_score WHERE year = 2026"))
    assert [r[0][:10] for r in formed_at] == ["2027-01-30"]
    kim = [t for t in _texts(telegram, org.TELEGRAM["201"]) if "итоговая оценка за 2026" in t]
    assert kim == []  # quiet hours: not on a day off
    await _move(bot, at(2027, 2, 1, 11))
    kim = [t for t in _texts(telegram, org.TELEGRAM["201"]) if "итоговая оценка за 2026" in t]
    assert kim == ["Ваша итоговая оценка за 2026 год: 3,60 — Выполняет функциональные "
                   "обязанности надлежащим образом (среднее за 1 квартал, п. 5)."]


async def test_the_digest_is_not_repeated_when_nothing_new_can_be_done(telegram, bot):
    await _quarter_opened(bot)

    def digests() -> list[str]:
        return [t for t in _texts(telegram, HR) if "мерзімі 2026 жылғы 20 қаңтарда өтті" in t]

    await _move(bot, at(2026, 1, 21, 11))  # Wednesday, the first working day past the deadline
    assert len(digests()) == 1
    assert "Жақсылықов Нұрлан: 4 парақ" in digests()[0]  # the evaluators, named once
    await _move(bot, at(2026, 1, 22, 11))
    await _move(bot, at(2026, 1, 23, 11))
    assert len(digests()) == 1  # nothing HR did not already hear
    await _move(bot, at(2026, 1, 26, 11))  # Monday: the weekly reminder of who is late
    assert len(digests()) == 2 and "Жақсылықов Нұрлан: 4 парақ" in digests()[1]
