"""The 360 survey end to end (justice-2023, ch. 4): HR sets it up, four colleagues and the
evaluatee answer, one resumes after a restart, a double submit counts once, the report is
withheld below three answers and released with the radar chart — and nothing in the database
or the logs links a respondent to an answer."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import pytest_asyncio

from bot.clock import Clock
from scoring import load_methodology
from tests.harness import FakeTelegram, FakeUser

from . import org
from .bots import RunningBot

pytestmark = pytest.mark.asyncio(loop_scope="module")
ALMATY = ZoneInfo("Asia/Almaty")
NOW = datetime(2026, 11, 16, 11, 0, tzinfo=ALMATY)
JUSTICE = load_methodology("justice-2023")
OPTIONS = {o.code: o.label for o in JUSTICE.survey360.options}
ANSWERS = {"200": "always", "202": "mostly", "203": "half", "201": "always"}
RECORDS: list[logging.LogRecord] = []


class _Keep(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        RECORDS.append(record)


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def bot(telegram: FakeTelegram, tmp_path_factory) -> AsyncIterator[RunningBot]:
    handler = _Keep(level=logging.DEBUG)
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.DEBUG)
    database = tmp_path_factory.mktemp("surveys") / "bagalau.sqlite3"
    running = await RunningBot(telegram, database, clock=Clock.starting_at(NOW, ALMATY),
                               methodology="justice-2023").start()
    running.ids = await org.load(running.app.db, NOW)
    for number, language in org.LANGUAGES.items():
        await telegram.user(org.TELEGRAM[number], number, language_code=language).send("/start")
    yield running
    await running.stop()
    logging.getLogger().removeHandler(handler)


def person(telegram: FakeTelegram, number: str) -> FakeUser:
    return telegram.user(org.TELEGRAM[number], number, language_code=org.LANGUAGES[number])


async def _answer(user: FakeUser, language: str, option: str, count: int,
                  first: str | None = None) -> None:
    for index in range(count):
        choice = first if first and index < 3 else option
        await user.press(OPTIONS[choice].get(language))


async def test_hr_sets_up_the_360_and_sees_counts_only(telegram, bot):
    hr = person(telegram, "100")
    await hr.send("/surveys")
    await hr.press("Сауалнамалар: кадр қызметі")
    await hr.press("2026 жылға арналған жаңа 360 сауалнамасы")
    await hr.send("201")
    assert "Ким Дмитрий: 5 респондент ұсынылды" in hr.last.text
    await hr.press("Ким Дмитрий үшін респонденттерді таңдау")
    await hr.send("200 201")
    assert "3-тен 7-ге дейін" in hr.last.text  # refused: too few, and the evaluatee himself
    await hr.send("200 202 203 204")
    assert "Респонденттер сақталды: 4." in hr.last.text
    await hr.send("/surveys")
    await hr.press("Сауалнамалар: кадр қызметі")
    await hr.press("360 сауалнамасы 2026: бастау")
    assert "5 шақыру жіберілуде" in hr.last.text


async def test_respondents_answer_one_resumes_after_a_restart(telegram, bot):
    await bot.app.notifier.wait_idle()
    boss = person(telegram, "200")
    invite = await boss.wait_for(lambda m: "анонимный опрос 360" in m.text)
    assert "Ким Дмитрий" in invite.text and "24 утверждени" in invite.text
    await boss.press("Начать", message=invite)
    assert "1 из 24" in boss.last.text
    await _answer(boss, "ru", ANSWERS["200"], 24)
    assert "Вы ответили на 24 из 24." in boss.last.text
    await boss.press("Отправить")
    assert "связать их с вами нельзя" in boss.last.text

    expert = person(telegram, "202")
    invite = await expert.wait_for(lambda m: "анонимный опрос 360" in m.text)
    await expert.press("Начать", message=invite)
    await _answer(expert, "ru", ANSWERS["202"], 12)
    await bot.restart()
    await expert.send("/surveys")
    await expert.press("О сотруднике Ким Дмитрий")
    assert "13 из 24" in expert.last.text
    await _answer(expert, "ru", ANSWERS["202"], 12)
    review = expert.last
    await expert.press("Отправить", message=review)
    again = await expert.press_data(review.buttons[0][0].callback_data, review)
    assert again == "Вы уже прошли этот опрос. Спасибо!"
    rows = await bot.app.db.fetch("SELECT others_done FROM survey_target")
    assert rows[0][0] == 2


async def test_the_report_is_withheld_below_three_and_hr_sees_counts(telegram, bot):
    kim = person(telegram, "201")
    await bot.app.notifier.wait_idle()
    invite = await kim.wait_for(lambda m: "самооценк" in m.text)
    await kim.press("Начать", message=invite)
    await _answer(kim, "ru", ANSWERS["201"], 24)
    await kim.press("Отправить")
    await kim.send("/surveys")
    answer = await kim.press("Мой отчёт 360")
    assert answer.startswith("Отчёт пока скрыт")
    hr = person(telegram, "100")
    await hr.send("/surveys")
    await hr.press("Сауалнамалар: кадр қызметі")
    await hr.press("360 сауалнамасы 2026: барысы")
    assert hr.last.text == "Ким Дмитрий: 4 әріптестің 2 жауап берді; өзін-өзі бағалау: орындалды"


async def test_the_third_answer_and_closing_release_the_report(telegram, bot):
    third = person(telegram, "203")
    invite = await third.wait_for(lambda m: "360" in m.text)
    await third.press(invite.button_labels()[0], message=invite)
    await _answer(third, "kk", ANSWERS["203"], 24, first="rarely")
    await third.press("Жіберу")
    hr = person(telegram, "100")
    await hr.send("/surveys")
    await hr.press("Сауалнамалар: кадр қызметі")
    await hr.press("360 сауалнамасы 2026: жабу")
    assert "Ким Дмитрий: 3 жауап — есеп ашылды" in hr.text()
    workbook = [m for m in hr.bot_messages if m.document][-1]
    assert workbook.document[0] == "360-2026.xlsx"
    await bot.app.notifier.wait_idle()
    kim = person(telegram, "201")
    ready = await kim.wait_for(lambda m: "отчёт 360 готов" in m.text)
    await kim.press("Мой отчёт 360", message=ready)
    photo = [m for m in kim.bot_messages if m.photo][-1]
    assert photo.photo.startswith(b"\x89PNG")
    text = kim.last.text
    # effective communications: (5·3 + 4·3 + 2·3) / 9 = 3.67; the others (5 + 4 + 3) / 3 = 4.00
    assert "Построение эффективных коммуникаций: 3,67 (самооценка 5,00, разница 1,33)" in text
    assert text.count(": 4,00 (самооценка 5,00, разница 1,00)") == 7
    assert "Слабые компетенции" in text


async def test_nothing_links_a_respondent_to_an_answer(telegram, bot):
    """Read every table and every log line: no row or line holds both a respondent's
    identifier and an answer."""
    respondents = {bot.ids[n] for n in ("200", "202", "203", "204", "201")}
    respondents |= {org.TELEGRAM[n] for n in ("200", "202", "203", "204", "201")}
    invitations = {r[0] for r in await bot.app.db.fetch("SELECT id FROM survey_invitation")}
    answers = set(OPTIONS)
    tables = [r[0] for r in await bot.app.db.fetch(
        "SELECT name FROM sqlite_master WHERE type = 'table'")]
    assert await bot.app.db.fetch("SELECT * FROM survey_draft") == []
    for table in tables:
        for row in await bot.app.db.fetch(f"SELECT * FROM {table}"):
            values = {str(v) for v in row}
            text = " ".join(values)
            holds_answer = bool(values & answers) or any(a in text for a in answers)
            holds_person = bool({str(x) for x in respondents | invitations} & values)
            assert not (holds_answer and holds_person), (table, row)
    totals = await bot.app.db.fetch("SELECT * FROM survey_total")
    assert all(len(r[5]) == 10 for r in totals)  # updated_on is a date, not a time
    for record in RECORDS:
        message = record.getMessage()
        assert not any(f"'{a}'" in message or f"={a}" in message or f":{a}" in message
                       for a in answers), message
