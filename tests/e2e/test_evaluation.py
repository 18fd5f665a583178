"""The quarterly evaluation end to end: HR opens the quarter, evaluators score on the phone,
servants receive their results; caps, edits, restarts, forgeries, exports, the annual score."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest_asyncio
from openpyxl import load_workbook

from services.clock import Clock
from storage import evaluation
from tests.harness import ChatMessage, FakeTelegram, FakeUser

from . import org
from .bots import RunningBot

ALMATY = ZoneInfo("Asia/Almaty")
APRIL_6 = datetime(2026, 4, 6, 10, 0, tzinfo=ALMATY)


@pytest_asyncio.fixture
async def bot(telegram: FakeTelegram, tmp_path) -> AsyncIterator[RunningBot]:
    database = tmp_path / "bagalau.sqlite3"
    running = await RunningBot(telegram, database,
                               clock=Clock.starting_at(APRIL_6, ALMATY)).start()
    running.ids = await org.load(running.app.db, APRIL_6)
    for number, language in org.LANGUAGES.items():  # everyone has opened the bot once
        await person(telegram, number, language).send("/start")
    yield running
    await running.stop()


def person(telegram: FakeTelegram, number: str, language: str = "ru") -> FakeUser:
    return telegram.user(org.TELEGRAM[number], number, language_code=language)


async def _answers(bot: RunningBot, sheet_id: int) -> dict[str, str]:
    async with bot.app.db.reading() as conn:
        rows = await conn.execute_fetchall(
            "SELECT parameter, score FROM answer WHERE sheet_id = ?", (sheet_id,))
    return {r[0]: r[1] for r in rows}


async def _sheet_of(bot: RunningBot, evaluatee: str) -> evaluation.Sheet:
    async with bot.app.db.reading() as conn:
        row = await conn.execute_fetchall(
            "SELECT id FROM sheet WHERE evaluatee_id = ?", (bot.ids[evaluatee],))
        return await evaluation.sheet(conn, row[0][0])


async def _open_quarter(telegram: FakeTelegram, bot: RunningBot) -> None:
    """HR opens the first quarter of 2026 and the evaluators' notices have gone out."""
    hr = person(telegram, "100", "kk")
    await hr.send("/campaign")
    await hr.press("Ашу: 2026 жылғы 1-тоқсан")
    await hr.expect("2026 жылғы 1-тоқсан ашылды: 7 парақ")
    await bot.app.notifier.wait_idle()


async def _submitted_sheet_of_kim(director: FakeUser) -> None:
    """The director scores Ким Дмитрий 3; 4,75; 5; 5; 5 and submits it: 4,55."""
    await director.send("/sheets")
    await director.press("Ким Дмитрий — 0/5")
    await director.press("Начать ▶")
    await director.press("3")
    await director.send("4,75")
    await director.expect("Параметр 3 из 5")
    for _ in range(3):
        await director.press("5")
    await director.expect("Итого", "Средняя оценка: 4,55")
    await director.press("Отправить…")
    await director.press("Да, отправить")
    await director.expect("Отправлено: 4,55")


async def _capped_sheet_of_dana(director: FakeUser) -> None:
    """The director scores Төлеуова Дана (a reprimand in the quarter) 4; 4; 4; 4; 2,99 and
    leaves the sheet unsent."""
    await director.send("/sheets")
    await director.press("Төлеуова Дана — 0/5")
    await director.press("Начать ▶")
    for _ in range(4):
        await director.press("4")
    await director.expect("Параметр 5 из 5", "не более 2,99")
    await director.send("2.99")
    await director.expect("Средняя оценка: 3,80")


async def _sheet_of_ivanov_at_parameter_3(director: FakeUser) -> ChatMessage:
    """The director begins Иванов Алексей's sheet, scores 5 and 4 and stops at parameter 3."""
    await director.send("/sheets")
    await director.press("Иванов Алексей — 0/5")
    await director.press("Начать ▶")
    await director.press("5")
    await director.press("4")
    return await director.expect("Параметр 3 из 5")


async def test_hr_opens_the_quarter_and_evaluators_are_told(telegram, bot) -> None:
    hr = person(telegram, "100", "kk")
    await hr.send("/campaign")
    await hr.press("Ашу: 2026 жылғы 1-тоқсан")
    opened = await hr.expect("ашылды: 7 парақ")
    assert "2026 жылғы 1-тоқсан ашылды: 7 парақ, мерзімі 2026 жылғы 20 сәуір" in opened.text
    assert "2 қызметші бағаланбайды" in opened.text  # the newcomer 206; 300 has no evaluator
    director = person(telegram, "200")
    notice = await director.wait_for(lambda m: "оценочных листа" in m.text)
    assert "1-й квартал 2026 г.: у вас 4 оценочных листа, срок — 20 апреля 2026" in notice.text
    # routing: cl. 17 ¶2 and ¶4 go to the unit head, ¶1 and ¶3 to the direct supervisor
    forms = {no: (await _sheet_of(bot, no))
             for no in ("100", "200", "201", "202", "203", "204", "205")}
    assert {no: (s.form, s.evaluator_id) for no, s in forms.items()} == {
        "100": ("managerial", bot.ids["300"]),
        "200": ("managerial", bot.ids["300"]), "201": ("managerial", bot.ids["200"]),
        "202": ("non_managerial", bot.ids["200"]), "203": ("non_managerial", bot.ids["200"]),
        "204": ("non_managerial", bot.ids["201"]), "205": ("non_managerial", bot.ids["200"])}
    assert forms["205"].without_participation
    # re-opening is idempotent
    await hr.press("Ашу: 2026 жылғы 1-тоқсан")
    await hr.expect("бұрыннан ашық: 7 парақ")


async def test_a_managerial_sheet_with_a_decimal_comma_an_edit_and_submit(telegram, bot) -> None:
    await _open_quarter(telegram, bot)
    director = person(telegram, "200")
    await director.send("/sheets")
    await director.expect("1-й квартал 2026 г.: выполнено 0 из 4, срок — 20 апреля 2026")
    await director.press("Ким Дмитрий — 0/5")
    await director.expect("Оценочный лист лица, занимающего руководящую должность",
                          "оценить своих коллег по 5-балльной шкале")
    await director.press("Начать ▶")
    sheet_message = await director.expect("Параметр 1 из 5")
    assert "Обеспечение качественного выполнения задач в курируемых подразделениях" in \
        sheet_message.text
    assert sheet_message.button_labels()[:6] == ["0", "1", "2", "3", "4", "5"]
    assert await director.press("4") == "Сохранено: 4"
    second = await director.expect("Параметр 2 из 5")
    assert second.message_id == sheet_message.message_id  # edited in place
    await director.send("4,75")
    await director.expect("Параметр 3 из 5", "Лидерство и навыки принятия решений")
    await director.press("5")
    await director.press("◀ Назад")
    await director.press("💬 Комментарий")
    await director.send("Уверенно ведёт команду")
    await director.expect("Комментарий: Уверенно ведёт команду")
    await director.press("Далее ▶")
    await director.press("5")
    await director.press("5")
    summary = await director.expect("Итого")
    assert "Средняя оценка: <b>" not in summary.text  # rendered, not raw HTML
    assert "Средняя оценка: 4,75 — Выполняет функциональные обязанности эффективно" in \
        summary.text
    await director.press("Изменить 1")
    await director.expect("Параметр 1 из 5", "Оценка: 4")
    await director.press("3")
    for _ in range(4):
        await director.press("Далее ▶")
    await director.expect("Средняя оценка: 4,55 — Выполняет функциональные обязанности "
                          "эффективно")
    await director.press("Отправить…")
    await director.expect("После отправки его нельзя изменить")
    await director.press("Да, отправить")
    await director.expect("Отправлено: 4,55")
    sheet = await _sheet_of(bot, "201")
    assert (sheet.status, sheet.average, sheet.grade) == ("submitted", Decimal("4.55"),
                                                          "effective")
    # the servant receives his result, in his language, and confirms he read it
    kim = person(telegram, "201")
    result = await kim.wait_for(lambda m: "Ваша оценка" in m.text)
    assert "Ваша оценка за 1-й квартал 2026 г." in result.text
    assert "3. Лидерство и навыки принятия решений: 5" in result.text
    assert "Уверенно ведёт команду" in result.text
    assert "Средняя оценка: 4,55" in result.text
    assert "до 13 апреля 2026 включительно" in result.text  # 5 working days from 6 April
    await bot.app.notifier.wait_idle()
    assert (await _sheet_of(bot, "201")).delivered_at is not None
    await kim.press("Подтверждаю ознакомление", message=result)
    assert (await _sheet_of(bot, "201")).acknowledged_at is not None
    # a submitted sheet cannot be changed, even by a stale button
    stale = await director.press_data(f"e1:{sheet.id}:score:0:5", sheet_message)
    assert stale == "Этот лист уже отправлен и не может быть изменён."
    assert (await _answers(bot, sheet.id))["quality"] == "3"


async def test_a_sanction_caps_parameter_five(telegram, bot) -> None:
    await _open_quarter(telegram, bot)
    director = person(telegram, "200")
    sheet = await _sheet_of(bot, "203")
    await director.send("/sheets")
    await director.press("Төлеуова Дана — 0/5")
    await director.press("Начать ▶")
    for _ in range(4):
        await director.press("4")
    capped = await director.expect("Параметр 5 из 5")
    assert "не более 2,99" in capped.text
    assert capped.button_labels()[:5] == ["0", "1", "2", "2,99", "💬 Комментарий"]
    forged = await director.press_data(f"e1:{sheet.id}:score:4:5", capped)
    assert "не может превышать 2,99" in forged
    for typed, reply in (("2,995", "не более двух знаков после запятой, например 1,75"),
                         ("3", "не может превышать 2,99"),
                         ("отлично", "Не удалось прочитать оценку"), ("-1", "без знака")):
        await director.send(typed)
        await director.expect(reply)
    assert "no_sanctions" not in await _answers(bot, sheet.id)
    await director.send("2.99")
    await director.expect("Средняя оценка: 3,80 — Выполняет функциональные обязанности "
                          "надлежащим образом")


async def test_resume_after_a_restart_in_the_middle_of_a_sheet(telegram, bot) -> None:
    await _open_quarter(telegram, bot)
    director = person(telegram, "200")
    await _sheet_of_ivanov_at_parameter_3(director)
    await bot.restart()
    await director.send("/sheets")
    await director.press("Иванов Алексей — 2/5")
    await director.press("Продолжить ▶")
    await director.expect("Параметр 3 из 5", "Самостоятельность и инициативность")


async def test_double_taps_and_duplicate_updates_count_once(telegram, bot) -> None:
    await _open_quarter(telegram, bot)
    director = person(telegram, "200")
    sheet = await _sheet_of(bot, "202")
    at_parameter_3 = await _sheet_of_ivanov_at_parameter_3(director)
    await director.press("5", message=at_parameter_3)
    message = await director.expect("Параметр 4 из 5")
    await director.press_data(f"e1:{sheet.id}:score:2:5", message)  # the same tap again
    answers = await _answers(bot, sheet.id)
    assert answers == {"quality": "5", "deadlines": "4", "independence": "5"}
    assert (await _sheet_of(bot, "202")).position == 3


async def test_forged_callbacks_for_someone_elses_sheet(telegram, bot) -> None:
    await _open_quarter(telegram, bot)
    expert = person(telegram, "202")
    sheet = await _sheet_of(bot, "205")
    await expert.send("/start")
    menu = await expert.expect("Иванов Алексей, Главный эксперт")
    for action in ("open:0:", "score:0:5", "confirm:0:"):
        answer = await expert.press_data(f"e1:{sheet.id}:{action}", menu)
        assert answer == "Этот лист вам недоступен."
    assert await _answers(bot, sheet.id) == {}
    kim_sheet = (await _sheet_of(bot, "201")).id
    result = await expert.press_data(f"r1:{kim_sheet}:view", menu)
    assert result == "Этот результат вам недоступен."


async def test_hr_progress(telegram, bot) -> None:
    await _open_quarter(telegram, bot)
    director = person(telegram, "200")
    await _submitted_sheet_of_kim(director)
    await _capped_sheet_of_dana(director)
    await _sheet_of_ivanov_at_parameter_3(director)
    await bot.app.notifier.wait_idle()
    hr = person(telegram, "100", "kk")
    await hr.send("/campaign")
    await hr.press("Барысы")
    report = await hr.expect("Парақтар: 7 парақтың 1 орындалды")  # one message, each sheet once
    assert "Парақтар: 7 парақтың 1 орындалды, орындалуда 2, басталмаған 4." in report.text
    assert "Департамент / Управление: 3 парақтың 0 орындалды, орындалуда 2, басталмаған 1" \
        in report.text
    assert "Департамент: 3 парақтың 1 орындалды, орындалуда 0, басталмаған 2" in report.text
    assert report.text.index("Департамент / Управление:") < report.text.index("Департамент:")
    assert "Сапарова Әсел (206): лауазымда бір айдан аз (6-т.)" in report.text
    assert [m.message_id for m in hr.bot_messages if "Парақтар:" in m.text] == \
        [report.message_id]
    assert not any(m.document for m in hr.bot_messages)  # it all fits: no table attached


async def test_annual_score_over_four_quarters_with_one_calibrated(telegram, bot) -> None:
    app = bot.app
    from scoring import Quarter

    olga_id = bot.ids["204"]
    scores = {1: "4.00", 2: "3.50", 3: "4.25", 4: "3.00"}
    async with app.db.transaction() as conn:
        for number, value in scores.items():
            report = await evaluation.open_campaign(
                conn, app.methodology, Quarter(2025, number), app.calendar,
                at=datetime(2025, 12, 1, tzinfo=UTC), today=Quarter(2025, number).end,
                actor="test")
            row = await conn.execute_fetchall(
                "SELECT id FROM sheet WHERE campaign_id = ? AND evaluatee_id = ?",
                (report.campaign.id, olga_id))
            await evaluation.submit(conn, row[0][0], average=Decimal(value),
                                    grade=app.methodology.grade(Decimal(value)),
                                    at=datetime(2025, 12, 1, tzinfo=UTC), actor="test")
            if number == 4:  # the calibration session raised Q4 to 4.00
                await evaluation.set_final(conn, row[0][0], average=Decimal("4.00"),
                                           grade="effective", at=datetime(2026, 1, 9, tzinfo=UTC),
                                           actor="test")
    hr = person(telegram, "100", "kk")
    await hr.send("/campaign")
    await hr.press("Жылдық баға 2025")
    formed = await hr.expect("2025:", "жылдық баға қалыптастырылды")
    assert formed.document is not None
    name, content = formed.document
    assert name == "annual-2025.xlsx"
    sheet = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in sheet[1]][2:6] == ["1-тоқсан", "1-тоқсан калибрленді", "2-тоқсан",
                                               "2-тоқсан калибрленді"]
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
    # per quarter, Q4 marked as calibrated; (4 + 3.5 + 4.25 + 4) / 4 = 3.9375
    assert [c.value for c in rows["204"][2:12]] == [4, None, 3.5, None, 4.25, None, 4, "иә", 4,
                                                    3.94]
    assert rows["204"][11].number_format == "0.00"
    olga = person(telegram, "204", "en")
    notice = await olga.wait_for(lambda m: "annual score for 2025" in m.text)
    assert "Your annual score for 2025: 3.94 — Performs functional duties properly" in \
        notice.text
