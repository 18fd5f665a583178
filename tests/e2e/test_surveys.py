"""The 360 survey end to end (justice-2023, ch. 4): HR sets it up, four colleagues and the
evaluatee answer, one resumes after a restart, a double submit counts once, the report is
withheld below three answers and released with the radar chart — and nothing in the database
or the logs links a respondent to an answer."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest_asyncio

from scoring import load_methodology
from services.clock import Clock
from tests.harness import ChatMessage, FakeTelegram, FakeUser

from . import org
from .bots import RunningBot

ALMATY = ZoneInfo("Asia/Almaty")
NOW = datetime(2026, 11, 16, 11, 0, tzinfo=ALMATY)
JUSTICE = load_methodology("justice-2023")
OPTIONS = {o.code: o.label for o in JUSTICE.survey360.options}
ANSWERS = {"200": "always", "202": "mostly", "203": "half", "201": "always", "204": "mostly"}
ALL_ANSWERED = {"ru": "Вы ответили на 24 из 24.", "kk": "24 сұрақтың 24 жауап бердіңіз.",
                "en": "You answered 24 of 24."}
SUBMIT = {"ru": "Отправить", "kk": "Жіберу", "en": "Submit"}
THANKS = {"ru": "связать их с вами нельзя", "kk": "оларды сізбен байланыстыру мүмкін емес",
          "en": "cannot be traced back to you"}


class _Keep(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest_asyncio.fixture
async def bot(telegram: FakeTelegram, tmp_path) -> AsyncIterator[RunningBot]:
    root = logging.getLogger()
    handler, level = _Keep(), root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    database = tmp_path / "bagalau.sqlite3"
    running = await RunningBot(telegram, database, clock=Clock.starting_at(NOW, ALMATY),
                               methodology="justice-2023").start()
    running.records = handler.records  # every log line of this test's bot
    running.ids = await org.load(running.app.db, NOW)
    for number, language in org.LANGUAGES.items():
        await telegram.user(org.TELEGRAM[number], number, language_code=language).send("/start")
    yield running
    await running.stop()
    root.removeHandler(handler)
    root.setLevel(level)


def person(telegram: FakeTelegram, number: str) -> FakeUser:
    return telegram.user(org.TELEGRAM[number], number, language_code=org.LANGUAGES[number])


async def _answer(user: FakeUser, language: str, option: str, count: int,
                  first: str | None = None) -> None:
    for index in range(count):
        choice = first if first and index < 3 else option
        await user.press(OPTIONS[choice].get(language))


async def _launch(telegram: FakeTelegram, *, refused: str | None = None) -> None:
    """HR sets up the 2026 360 survey about Kim (201) with four colleagues (after the
    ``refused`` choice, if any) and starts it."""
    hr = person(telegram, "100")
    await hr.send("/surveys")
    await hr.press("Сауалнамалар: кадр қызметі")
    await hr.press("2026 жылға арналған жаңа 360 сауалнамасы")
    await hr.send("201")
    await hr.press("Ким Дмитрий үшін респонденттерді таңдау")
    if refused:
        await hr.send(refused)
        await hr.expect("3-тен 7-ге дейін")
    await hr.send("200 202 203 204")
    await hr.expect("Респонденттер сақталды: 4.")
    await hr.send("/surveys")
    await hr.press("Сауалнамалар: кадр қызметі")
    await hr.press("360 сауалнамасы 2026: бастау")
    await hr.expect("5 шақыру жіберілуде")


async def _invitation(bot: RunningBot, user: FakeUser, fragment: str) -> ChatMessage:
    await bot.app.notifier.wait_idle()
    return await user.wait_for(lambda m: fragment in m.text)


async def _take_part(bot: RunningBot, telegram: FakeTelegram, number: str, invitation: str,
                     *, first: str | None = None) -> ChatMessage:
    """``number`` opens the invitation, gives his answer (``first`` for the first three) to all
    24 statements and submits; returns the review screen he submitted from."""
    user, language = person(telegram, number), org.LANGUAGES[number]
    invite = await _invitation(bot, user, invitation)
    await user.press(invite.button_labels()[0], message=invite)
    await _answer(user, language, ANSWERS[number], 24, first)
    review = await user.expect(ALL_ANSWERED[language])
    await user.press(SUBMIT[language], message=review)
    await user.expect(THANKS[language])
    return review


async def _resume_after_a_restart(bot: RunningBot, telegram: FakeTelegram) -> ChatMessage:
    """The expert (202) answers half, the bot restarts, he resumes from /surveys and submits;
    returns the review screen he submitted from."""
    expert = person(telegram, "202")
    invite = await _invitation(bot, expert, "анонимный опрос 360")
    await expert.press("Начать", message=invite)
    await _answer(expert, "ru", ANSWERS["202"], 12)
    await bot.restart()
    await expert.send("/surveys")
    await expert.press("О сотруднике Ким Дмитрий")
    await expert.expect("13 из 24")
    await _answer(expert, "ru", ANSWERS["202"], 12)
    review = await expert.expect("Вы ответили на 24 из 24.")
    await expert.press("Отправить", message=review)
    await expert.expect("связать их с вами нельзя")
    return review


async def _close(telegram: FakeTelegram) -> None:
    hr = person(telegram, "100")
    await hr.send("/surveys")
    await hr.press("Сауалнамалар: кадр қызметі")
    await hr.press("360 сауалнамасы 2026: жабу")
    await hr.expect("Ким Дмитрий: 3 жауап — есеп ашылды")


async def _the_whole_survey(bot: RunningBot, telegram: FakeTelegram) -> None:
    """Everything the tests below do, in their order: HR launches the survey after one refused
    choice, the head answers, the expert answers across a restart and submits twice, Kim
    assesses himself and asks for his withheld report, HR looks at the progress, the third
    colleague answers, HR closes the survey and Kim reads his report."""
    await _launch(telegram, refused="200 201")
    await _take_part(bot, telegram, "200", "анонимный опрос 360")
    review = await _resume_after_a_restart(bot, telegram)
    await person(telegram, "202").press_data(review.buttons[0][0].callback_data, review)
    await _take_part(bot, telegram, "201", "самооценк")
    kim, hr = person(telegram, "201"), person(telegram, "100")
    await kim.send("/surveys")
    await kim.press("Мой отчёт 360")
    await hr.send("/surveys")
    await hr.press("Сауалнамалар: кадр қызметі")
    await hr.press("360 сауалнамасы 2026: барысы")
    await hr.expect("Ким Дмитрий: 4 әріптестің 2 жауап берді")
    await _take_part(bot, telegram, "203", "360", first="rarely")
    await _close(telegram)
    await bot.app.notifier.wait_idle()
    ready = await kim.wait_for(lambda m: "отчёт 360 готов" in m.text)
    await kim.press("Мой отчёт 360", message=ready)
    await kim.expect("Отчёт 360: Ким Дмитрий")


async def test_hr_sets_up_the_360_and_sees_counts_only(telegram, bot):
    hr = person(telegram, "100")
    await hr.send("/surveys")
    await hr.press("Сауалнамалар: кадр қызметі")
    await hr.press("2026 жылға арналған жаңа 360 сауалнамасы")
    await hr.send("201")
    await hr.expect("Ким Дмитрий: 5 респондент ұсынылды")
    await hr.press("Ким Дмитрий үшін респонденттерді таңдау")
    await hr.send("200 201")
    await hr.expect("3-тен 7-ге дейін")  # refused: too few, and the evaluatee himself
    await hr.send("200 202 203 204")
    await hr.expect("Респонденттер сақталды: 4.")
    await hr.send("/surveys")
    await hr.press("Сауалнамалар: кадр қызметі")
    await hr.press("360 сауалнамасы 2026: бастау")
    await hr.expect("5 шақыру жіберілуде")


async def test_respondents_answer_one_resumes_after_a_restart(telegram, bot):
    await _launch(telegram)
    boss = person(telegram, "200")
    invite = await _invitation(bot, boss, "анонимный опрос 360")
    assert "Ким Дмитрий" in invite.text and "24 утверждени" in invite.text
    await boss.press("Начать", message=invite)
    await boss.expect("1 из 24")
    await _answer(boss, "ru", ANSWERS["200"], 24)
    await boss.expect("Вы ответили на 24 из 24.")
    await boss.press("Отправить")
    await boss.expect("связать их с вами нельзя")

    expert = person(telegram, "202")
    invite = await expert.wait_for(lambda m: "анонимный опрос 360" in m.text)
    await expert.press("Начать", message=invite)
    await _answer(expert, "ru", ANSWERS["202"], 12)
    await bot.restart()
    await expert.send("/surveys")
    await expert.press("О сотруднике Ким Дмитрий")
    await expert.expect("13 из 24")
    await _answer(expert, "ru", ANSWERS["202"], 12)
    review = await expert.expect("Вы ответили на 24 из 24.")
    await expert.press("Отправить", message=review)
    again = await expert.press_data(review.buttons[0][0].callback_data, review)
    assert again == "Вы уже прошли этот опрос. Спасибо!"
    rows = await bot.app.db.fetch("SELECT others_done FROM survey_target")
    assert rows[0][0] == 2


async def test_the_report_is_withheld_below_three_and_hr_sees_counts(telegram, bot):
    await _launch(telegram)
    for number in ("200", "202"):
        await _take_part(bot, telegram, number, "анонимный опрос 360")
    kim = person(telegram, "201")
    invite = await _invitation(bot, kim, "самооценк")
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
    progress = await hr.expect("Ким Дмитрий: 4 әріптестің")
    assert progress.text == "Ким Дмитрий: 4 әріптестің 2 жауап берді; өзін-өзі бағалау: орындалды"


async def test_the_third_answer_and_closing_release_the_report(telegram, bot):
    await _launch(telegram)
    for number in ("200", "202"):
        await _take_part(bot, telegram, number, "анонимный опрос 360")
    await _take_part(bot, telegram, "201", "самооценк")  # Kim assesses himself
    third = person(telegram, "203")
    invite = await _invitation(bot, third, "360")
    await third.press(invite.button_labels()[0], message=invite)
    await _answer(third, "kk", ANSWERS["203"], 24, first="rarely")
    await third.press("Жіберу")
    hr = person(telegram, "100")
    await hr.send("/surveys")
    await hr.press("Сауалнамалар: кадр қызметі")
    await hr.press("360 сауалнамасы 2026: жабу")
    await hr.expect("Ким Дмитрий: 3 жауап — есеп ашылды")
    workbook = await hr.wait_for(lambda m: m.document is not None)
    assert workbook.document[0] == "360-2026.xlsx"
    await bot.app.notifier.wait_idle()
    kim = person(telegram, "201")
    ready = await kim.wait_for(lambda m: "отчёт 360 готов" in m.text)
    await kim.press("Мой отчёт 360", message=ready)
    photo = await kim.wait_for(lambda m: m.photo is not None)
    assert photo.photo.startswith(b"\x89PNG")
    text = (await kim.expect("Отчёт 360: Ким Дмитрий")).text
    # effective communications: (5·3 + 4·3 + 2·3) / 9 = 3.67; the others (5 + 4 + 3) / 3 = 4.00
    assert "Построение эффективных коммуникаций: 3,67 (самооценка 5,00, разница 1,33)" in text
    assert text.count(": 4,00 (самооценка 5,00, разница 1,00)") == 7
    assert "Слабые компетенции" in text


async def test_nothing_links_a_respondent_to_an_answer(telegram, bot):
    """Read every table and every log line: no row or line holds both a respondent's
    identifier and an answer."""
    await _the_whole_survey(bot, telegram)
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
    assert await bot.app.db.fetch("SELECT * FROM survey_ballot") == []  # destroyed at close
    for record in bot.records:
        message = record.getMessage()
        assert not any(f"'{a}'" in message or f"={a}" in message or f":{a}" in message
                       for a in answers), message
