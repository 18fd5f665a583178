"""The corps "A" working-conditions survey (004 app. 1 app. 7) on the same anonymous engine:
distributions only above the threshold, demographic answers never narrowing a group."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest_asyncio

from services.clock import Clock
from tests.harness import FakeTelegram, FakeUser

from . import org
from .bots import RunningBot

ALMATY = ZoneInfo("Asia/Almaty")
NOW = datetime(2026, 11, 16, 11, 0, tzinfo=ALMATY)


@pytest_asyncio.fixture
async def bot(telegram: FakeTelegram, tmp_path) -> AsyncIterator[RunningBot]:
    database = tmp_path / "bagalau.sqlite3"
    running = await RunningBot(telegram, database,
                               clock=Clock.starting_at(NOW, ALMATY)).start()
    running.ids = await org.load(running.app.db, NOW)
    for number in org.LANGUAGES:
        await telegram.user(org.TELEGRAM[number], number, language_code="ru").send("/start")
    yield running
    await running.stop()


async def _answer_every_question(user: FakeUser, choice: int, total: int) -> None:
    """Press the option at index ``choice`` on each question screen, 1 of ``total`` onwards."""
    for number in range(1, total + 1):
        question = await user.expect(f"\n{number} из {total}\n")
        await user.press(question.button_labels()[choice], message=question)


async def test_three_answers_give_distributions_and_the_favourable_share(telegram, bot):
    hr = telegram.user(org.TELEGRAM["100"], "HR", language_code="ru")
    await hr.send("/surveys")
    await hr.press("Сауалнамалар: кадр қызметі")
    await hr.press("Еңбек жағдайлары туралы сауалнама")
    await hr.expect("Еңбек жағдайлары сауалнамасы 7 қызметкерге құрылды")  # not 300 himself
    await hr.press("Сауалнаманы бастау")
    await bot.app.notifier.wait_idle()
    first_answers = {"200": 0, "201": 0, "202": 1}  # option index for every question
    for number, choice in first_answers.items():
        user = telegram.user(org.TELEGRAM[number], number, language_code="ru")
        invite = await user.wait_for(lambda m: "условиях труда" in m.text)
        await user.press("Начать", message=invite)
        await _answer_every_question(user, choice, 14)
        await user.press("Отправить")
        await user.expect("связать их с вами нельзя")
    await hr.send("/surveys")
    await hr.press("Сауалнамалар: кадр қызметі")
    await hr.press("Еңбек жағдайлары сауалнамасы 2026: жабу")
    report = await hr.expect("Еңбек жағдайлары: 3 жауап")
    results = report.text  # in the HR officer's language, Kazakh
    assert "Еңбек жағдайлары: 3 жауап" in results
    assert "Басшылықтың жазбаша өкімінсіз жұмыс уақыты аяқталғаннан кейін" in results
    assert "Қалмаймын: 2; Кейде қаламын: 1; Үнемі қаламын: 0" in results
    # 11 questions × 3 answers = 33; all favourable but the third answer to questions 1–2
    assert "Қолайлы жауаптар: 93,94%" in results
    # 2 men and 1 woman: the split is hidden whole, not just the small group
    assert "жасырылған: бір топта 3 адамнан аз" in results
    assert "Ер:" not in results and "Әйел:" not in results
