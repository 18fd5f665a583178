"""A calibration session end to end (Typical cl. 11, 19–24): the request within five working
days across Nauryz, the official's panel and every rule it must follow, arguments, a tie and a
second round, a score corrected down, the protocol PDF, the feedback meeting."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest_asyncio
from pypdf import PdfReader

from scoring import Quarter
from services.clock import Clock
from storage import evaluation, outbox
from tests.harness import ChatMessage, FakeTelegram, FakeUser

from . import org
from .bots import RunningBot

ALMATY = ZoneInfo("Asia/Almaty")
MARCH_18 = datetime(2026, 3, 18, 11, 0, tzinfo=ALMATY)  # Wednesday before Nauryz


@pytest_asyncio.fixture
async def bot(telegram: FakeTelegram, tmp_path) -> AsyncIterator[RunningBot]:
    database = tmp_path / "bagalau.sqlite3"
    running = await RunningBot(telegram, database,
                               clock=Clock.starting_at(MARCH_18, ALMATY)).start()
    app = running.app
    running.ids = await org.load(app.db, MARCH_18)
    for number, language in org.LANGUAGES.items():
        await telegram.user(org.TELEGRAM[number], number, language_code=language).send("/start")
    async with app.db.transaction() as conn:
        await evaluation.open_campaign(conn, app.methodology, Quarter(2025, 4), app.calendar,
                                       at=MARCH_18, today=MARCH_18.date(), actor="test")
    for number, scores in (("201", "43433"), ("202", "44444")):  # 3.40 and 4.00
        await _submit(running, number, scores)
    await app.notifier.wait_idle()
    yield running
    await running.stop()


async def _submit(bot: RunningBot, number: str, scores: str) -> None:
    app = bot.app
    rows = await app.db.fetch("SELECT id FROM sheet WHERE evaluatee_id = ?", (bot.ids[number],))
    sheet = await evaluation.load_sheet(app.db, rows[0][0])
    for index, parameter in enumerate(app.methodology.forms[sheet.form].parameters):
        sheet = await evaluation.record_answer(app.db, sheet, index, parameter.id,
                                               Decimal(scores[index]), at=MARCH_18,
                                               actor="test")
    result = app.methodology.score(sheet.form, {p: a.score for p, a in sheet.answers.items()})
    async with app.db.transaction() as conn:
        await evaluation.submit(conn, sheet.id, average=result.average, grade=result.grade,
                                at=MARCH_18, actor="test")
        await outbox.enqueue(conn, "result", f"sheet:{sheet.id}", bot.ids[number],
                             due_on=MARCH_18.date(), not_before=MARCH_18, at=MARCH_18,
                             payload={"sheet": sheet.id})
    app.notifier.wake()


def person(telegram: FakeTelegram, number: str) -> FakeUser:
    return telegram.user(org.TELEGRAM[number], number, language_code=org.LANGUAGES[number])


def _go(bot: RunningBot, moment: datetime) -> None:
    bot.app.clock.advance(moment - bot.app.clock.now())


ROUND_PROMPT = {"kk": "{n}-тур: бағалаушының", "ru": "Тур {n}: поддержать"}
VOTE_LABELS = ("Дауыс беру", "Голосовать")


async def _file_request(telegram: FakeTelegram, bot: RunningBot) -> ChatMessage:
    """On the fifth working day of the window Kim asks for a calibration session, with a
    statement and a document; returns the bot's confirmation."""
    _go(bot, datetime(2026, 3, 30, 17, 0, tzinfo=ALMATY))
    kim = person(telegram, "201")
    result = await kim.wait_for(lambda m: "Ваша оценка за 4-й квартал 2025 г." in m.text)
    await kim.press("Оспорить оценку: запросить калибровочную сессию", message=result)
    await kim.send("Не согласен с оценкой по параметру 2: все сроки соблюдены.")
    await kim.upload("справка.pdf", b"%PDF-1.4 evidence")
    await kim.press("Отправить обращение")
    return await kim.expect("Ваше обращение подано")


async def _approved_panel(telegram: FakeTelegram, bot: RunningBot) -> None:
    """Kim's request is filed and the official approves the panel 100, 300, 202."""
    await _file_request(telegram, bot)
    official = person(telegram, "300")
    await bot.app.notifier.wait_idle()
    notice = await official.wait_for(lambda m: "калибрлеу сессиясын сұрайды" in m.text)
    await official.press("Өтінішті қарау", message=notice)
    await official.press("Құрамды өзгерту")
    await official.send("100 300 202")
    await official.press("Осы құрамды бекіту")
    await official.expect("Құрам бекітілді")


async def _argued(telegram: FakeTelegram, bot: RunningBot) -> None:
    """The panel is approved and both the evaluator and Kim have written their arguments."""
    await _approved_panel(telegram, bot)
    await bot.app.notifier.wait_idle()
    evaluator = person(telegram, "200")
    ask = await evaluator.wait_for(lambda m: "не согласен с вашей оценкой" in m.text)
    await evaluator.press("Написать аргументацию", message=ask)
    await evaluator.send("Два поручения сданы с опозданием, это отражено в журнале.")
    await evaluator.expect("Сохранено")
    kim = person(telegram, "201")
    approved = await kim.wait_for(lambda m: "Состав вашей калибровочной сессии" in m.text)
    await kim.press("Добавить письменные аргументы", message=approved)
    await kim.send("Опоздания были согласованы с руководителем.")
    await kim.expect("Сохранено")


async def _invite(user: FakeUser) -> ChatMessage:
    """The panel member's invitation with its vote button."""
    return await user.wait_for(lambda m: "калибр" in m.text.lower()
                               and any("Vote" in b or "Дауыс" in b or "Голос" in b
                                       for b in m.button_labels()))


async def _revote(user: FakeUser) -> ChatMessage:
    """The notice that the panel votes again."""
    return await user.wait_for(lambda m: ("қайта дауыс" in m.text or "повторно" in m.text))


async def _vote(user: FakeUser, notice: ChatMessage, round_no: int, choice: str | None) -> None:
    """From ``notice`` the member opens round ``round_no`` and keeps the evaluator's score
    (``choice`` None) or proposes ``choice``."""
    vote_label = next(b for b in notice.button_labels() if b in VOTE_LABELS)
    await user.press(vote_label, message=notice)
    prompt = await user.expect(ROUND_PROMPT[user.language_code].format(n=round_no))
    if choice is None:
        await user.press(prompt.button_labels()[0], message=prompt)  # keep 3,40
    else:
        await user.press(prompt.button_labels()[1], message=prompt)
        await user.send(choice)


async def _decided(telegram: FakeTelegram, bot: RunningBot) -> None:
    """After the arguments, round 1 ties (3,40 / 3,8 / 3,6) and round 2 sets 3,20."""
    await _argued(telegram, bot)
    await bot.app.notifier.wait_idle()
    hr, official = person(telegram, "100"), person(telegram, "300")
    member = person(telegram, "202")
    for user, choice in ((hr, None), (official, "3,8"), (member, "3,6")):
        await _vote(user, await _invite(user), 1, choice)
    await member.expect("для всех начинается тур 2")
    await bot.app.notifier.wait_idle()
    for user, choice in ((hr, "3,2"), (official, "3.20"), (member, "3,6")):
        await _vote(user, await _revote(user), 2, choice)
    await member.expect("Сессия приняла решение")


async def test_the_day_before_the_window_closes_the_servant_is_reminded(telegram, bot):
    _go(bot, datetime(2026, 3, 26, 11, 0, tzinfo=ALMATY))
    await bot.app.reminders.tick()
    await bot.app.notifier.wait_idle()
    expert = person(telegram, "202")
    assert not [m for m in expert.bot_messages if "последний день" in m.text]
    _go(bot, datetime(2026, 3, 27, 11, 0, tzinfo=ALMATY))  # Friday; the window ends Monday
    await bot.app.reminders.tick()
    await bot.app.notifier.wait_idle()
    reminder = await expert.wait_for(lambda m: "последний день" in m.text)
    assert "калибровочной сессией — 30 марта 2026" in reminder.text


async def test_the_window_spans_nauryz_and_closes_after_the_fifth_working_day(telegram, bot):
    kim = person(telegram, "201")
    result = await kim.wait_for(lambda m: "Ваша оценка за 4-й квартал 2025 г." in m.text)
    # 19, 20 March; Nauryz 21–25; 26, 27, 30 March
    assert "до 30 марта 2026 включительно" in result.text
    expert = person(telegram, "202")
    late = await expert.wait_for(lambda m: "Ваша оценка" in m.text)
    _go(bot, datetime(2026, 3, 31, 10, 0, tzinfo=ALMATY))
    answer = await expert.press("Оспорить оценку: запросить калибровочную сессию", message=late)
    assert answer == "Срок обращения за калибровочной сессией истёк 30 марта 2026."
    filed = await _file_request(telegram, bot)  # on 30 March, the fifth working day
    assert "до 2 апреля 2026" in filed.text and "до 13 апреля 2026" in filed.text


async def test_the_official_approves_a_valid_panel_only(telegram, bot):
    await _file_request(telegram, bot)
    official = person(telegram, "300")
    await bot.app.notifier.wait_idle()
    notice = await official.wait_for(lambda m: "калибрлеу сессиясын сұрайды" in m.text)
    await official.press("Өтінішті қарау", message=notice)
    review = await official.expect("Калибрлеу сессиясы туралы өтініш")
    assert "Ұсынылған құрам: Ахметова Айгерім, Серікбаев Ерлан, Иванов Алексей." in review.text
    await official.press("Құрамды өзгерту")
    refusals = {
        "100 300": ["кемінде үш мүше", "мүшелердің тақ саны"],
        "100 300 202 203": ["мүшелердің тақ саны"],
        "100 300 201": ["бағамен келіспейтін қызметші"],
        "100 300 200": ["оны бағалаған адам"],
        "202 203 204": ["персоналды басқару қызметінің қызметкері", "бағалаушылар"],
        "100 300 999": ["белсенді қызметші емес"],
    }
    for numbers, reasons in refusals.items():
        await official.send(numbers)
        refusal = await official.expect("Бұл құрамды бекітуге болмайды")
        for reason in reasons:
            assert reason in refusal.text, (numbers, refusal.text)
    await official.send("100 300 202")
    await official.press("Осы құрамды бекіту")
    await official.expect("Құрам бекітілді")


async def test_arguments_materials_and_a_non_member(telegram, bot):
    await _approved_panel(telegram, bot)
    await bot.app.notifier.wait_idle()
    evaluator = person(telegram, "200")
    ask = await evaluator.wait_for(lambda m: "не согласен с вашей оценкой" in m.text)
    await evaluator.press("Написать аргументацию", message=ask)
    await evaluator.send("Два поручения сданы с опозданием, это отражено в журнале.")
    kim = person(telegram, "201")
    approved = await kim.wait_for(lambda m: "Состав вашей калибровочной сессии" in m.text)
    await kim.press("Добавить письменные аргументы", message=approved)
    await kim.send("Опоздания были согласованы с руководителем.")
    member = person(telegram, "202")
    invite = await member.wait_for(lambda m: "Вы — член калибровочной сессии" in m.text)
    await member.press("Материалы", message=invite)
    materials = (await member.expect("Материалы калибровки")).text
    assert "2. Обеспечение соблюдения сроков выполнения задач в курируемых подразделениях " \
        "(курируемыми служащими): 3" in materials
    assert "Два поручения сданы с опозданием" in materials
    assert "Опоздания были согласованы" in materials
    outsider = person(telegram, "203")
    calibration_id = invite.buttons[0][0].callback_data.split(":")[1]
    menu = await outsider.expect("Төлеуова Дана")  # the reply to her /start
    answer = await outsider.press_data(f"k1:{calibration_id}:materials:", menu)
    assert answer == "Бұл материалдар сізге қолжетімсіз."


async def test_a_tie_goes_to_a_second_round_and_the_score_is_corrected_down(telegram, bot):
    await _argued(telegram, bot)
    await bot.app.notifier.wait_idle()
    hr, official = person(telegram, "100"), person(telegram, "300")
    member = person(telegram, "202")
    for user, choice in ((hr, None), (official, "3,8"), (member, "3,6")):
        await _vote(user, await _invite(user), 1, choice)
    await member.expect("Ни одна оценка не получила большинства: для всех начинается тур 2.")
    stale = await hr.press("3,40 қалдыру", message=next(
        m for m in hr.bot_messages if "3,40 қалдыру" in m.button_labels()))
    assert stale == "Бұл тур жабық; дауысыңыз есептелмеді."
    await bot.app.notifier.wait_idle()
    for user, choice in ((hr, "3,2"), (official, "3.20"), (member, "3,6")):
        await _vote(user, await _revote(user), 2, choice)
    sheet = (await bot.app.db.fetch(
        "SELECT final_average, average FROM sheet WHERE evaluatee_id = ?", (bot.ids["201"],)))[0]
    assert (sheet[0], sheet[1]) == ("3.20", "3.40")


async def test_the_servant_the_protocol_and_the_feedback_meeting(telegram, bot):
    await _decided(telegram, bot)
    await bot.app.notifier.wait_idle()
    kim = person(telegram, "201")
    final = await kim.wait_for(lambda m: "Калибровочная сессия приняла решение" in m.text)
    assert "3,20" in final.text and "(оценка оценивающего лица была 3,40)" in final.text
    assert "Административным процедурно-процессуальным кодексом" in final.text
    hr = person(telegram, "100")
    protocol = await hr.wait_for(lambda m: m.document is not None and "хаттама" in m.text)
    name, content = protocol.document
    assert name.endswith(".pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    for expected in ("Калибрлеу сессиясының хаттамасы", "Протокол калибровочной сессии",
                     "Ким Дмитрий", "2025 жылғы 4-тоқсан", "3,40", "3,20", "Тур 2",
                     "Два поручения сданы с опозданием"):
        assert expected in text, expected
    assert await hr.press("Хаттама орналастырылды", message=protocol) == \
        "Белгіленді: хаттама орналастырылды."
    evaluator = person(telegram, "200")
    task = await evaluator.wait_for(lambda m: "встречу" in m.text)
    assert "обзор потенциала и обсуждение карьерных устремлений работника" in task.text
    assert (await evaluator.press("Встреча проведена", message=task)).startswith("Отмечено")
    row = (await bot.app.db.fetch("SELECT protocol_posted_at, feedback_held_on FROM "
                                  "calibration"))[0]
    assert row[0] is not None and row[1] == "2026-03-30"


async def test_hrs_digest_puts_the_overdue_session_first(telegram, bot):
    await _file_request(telegram, bot)
    _go(bot, datetime(2026, 4, 20, 11, 0, tzinfo=ALMATY))  # past the official's decision date
    await bot.app.reminders.tick()
    await bot.app.notifier.wait_idle()
    hr = person(telegram, "100")
    digest = await hr.wait_for(lambda m: "Бүгін шешуді қажет етеді" in m.text)
    assert digest.text.startswith("Бүгін шешуді қажет етеді")
    assert digest.text.index("калибрлеу сессиясы") < digest.text.index("2025 жылғы 4-тоқсан")
