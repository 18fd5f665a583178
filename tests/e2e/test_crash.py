"""A crash loses nothing: the bot process killed with SIGKILL right after it acknowledged an
answer still has that answer, and the evaluator resumes where he was."""

from __future__ import annotations

import signal
from datetime import datetime
from zoneinfo import ZoneInfo

from storage.db import Database
from tests.harness import ChatMessage, FakeTelegram, FakeUser
from tests.harness.databases import target_for

from . import org
from .bots import BotProcess

APRIL_6 = datetime(2026, 4, 6, 10, 0, tzinfo=ZoneInfo("Asia/Almaty"))


async def _sheet_list(director: FakeUser, label: str) -> ChatMessage:
    """The reply to /sheets: the list offering ``label``, told apart by that button, since a
    deadline notice the running process may send reads alike ("…: выполнено 0 из …")."""
    return await director.wait_for(lambda m: label in m.button_labels())


async def test_sigkill_right_after_an_acknowledged_answer(telegram: FakeTelegram,
                                                          tmp_path) -> None:
    database = tmp_path / "bagalau.sqlite3"
    sheet_id = await org.sheet_of_kim_in_q1(target_for(database), APRIL_6)
    process = await BotProcess(telegram, database).start()
    director = telegram.user(org.TELEGRAM["200"], "Нұрлан", language_code="ru")
    await director.send("/sheets")
    sheets = await _sheet_list(director, "Ким Дмитрий — 0/5")
    await director.press("Ким Дмитрий — 0/5", message=sheets)
    intro = await director.expect("Ким Дмитрий, Заместитель директора")
    assert "Начать ▶" in intro.button_labels()
    await director.press("Начать ▶", message=intro)
    first = await director.expect("Параметр 1 из 5")
    since = len(telegram.requests)
    await director.press("4", message=first)
    await telegram.wait_for_request(
        "answerCallbackQuery", lambda r: r.params.get("text") == "Сохранено: 4", since=since)
    code, _ = await process.signal(signal.SIGKILL)  # no goodbye, no flush, no cleanup
    assert code == -signal.SIGKILL

    db = await Database.open(target_for(database))
    try:
        async with db.reading() as conn:
            answers = await conn.execute_fetchall(
                "SELECT parameter, score FROM answer WHERE sheet_id = ?", (sheet_id,))
    finally:
        await db.close()
    assert [tuple(r) for r in answers] == [("quality", "4")]

    process = await BotProcess(telegram, database).start()
    await director.send("/sheets")
    sheets = await _sheet_list(director, "Ким Дмитрий — 1/5")
    await director.press("Ким Дмитрий — 1/5", message=sheets)
    intro = await director.expect("Ким Дмитрий, Заместитель директора")
    assert "Продолжить ▶" in intro.button_labels()
    await director.press("Продолжить ▶", message=intro)
    resumed = await director.expect("Параметр 2 из 5")
    assert "Обеспечение соблюдения сроков выполнения задач" in resumed.text
    code, output = await process.signal(signal.SIGTERM)
    assert code == 0, output
