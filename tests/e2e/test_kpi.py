"""justice-2023 end to end: a unit head's KPI work plan from drafting, rework and approval to
the quarter's actual values and scores within the allowed ranges; the differentiation method for
the others."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest_asyncio

from services.clock import Clock
from storage import accounts, roster
from storage.roster_file import parse
from tests.harness import FakeTelegram, FakeUser

from .bots import RunningBot

ALMATY = ZoneInfo("Asia/Almaty")
HEADER = ("personnel_no,full_name,position,category,unit,appointed_on,managerial,unit_head,"
          "supervisor,language,role")
ROWS = [
    "10,Әбдіров Болат,Аппарат басшысы,B-1,Министрлік,2019-01-01,yes,yes,,ru,appointing",
    "11,Ермеков Дәурен,Директор департамента,C-1,Министрлік / Департамент,2019-01-01,yes,yes,"
    "10,ru,",
    "12,Нұрланова Салтанат,Руководитель управления,C-3,Министрлік / Департамент / Басқарма,"
    "2020-01-01,yes,yes,11,ru,",
    "13,Бекова Алия,Главный эксперт,C-4,Министрлік / Департамент / Басқарма,2021-01-01,no,no,"
    "12,ru,",
    "14,Кадрова Мәдина,Главный эксперт,C-4,Министрлік,2021-01-01,no,no,10,ru,hr",
]


@pytest_asyncio.fixture
async def bot(telegram: FakeTelegram, tmp_path) -> AsyncIterator[RunningBot]:
    database = tmp_path / "bagalau.sqlite3"
    start = datetime(2026, 1, 12, 11, 0, tzinfo=ALMATY)
    running = await RunningBot(telegram, database, clock=Clock.starting_at(start, ALMATY),
                               methodology="justice-2023").start()
    async with running.app.db.transaction() as conn:
        await roster.apply(conn, parse("\n".join([HEADER, *ROWS]).encode(), "r.csv"),
                           at=start, actor="test")
        for number in range(10, 15):
            servant = (await conn.execute_fetchall(
                "SELECT id FROM servant WHERE personnel_no = ?", (str(number),)))[0][0]
            await accounts.bind(conn, 9000 + number, servant, at=start, how="test")
    for number in range(10, 15):
        await user(telegram, number).send("/start")
    yield running
    await running.stop()


def user(telegram: FakeTelegram, number: int) -> FakeUser:
    return telegram.user(9000 + number, str(number), language_code="ru")


async def _add(director: FakeUser, name: str, planned: str) -> None:
    await director.press("Добавить НМИ")
    for answer in (name, "%", planned, "ежеквартально", "Результат достигнут"):
        await director.send(answer)
    await director.expect(name)


async def _approved_plan(telegram: FakeTelegram, bot: RunningBot) -> None:
    """The director drafts the unit head's four KPIs and the head of the body approves them."""
    director, head_of_body = user(telegram, 11), user(telegram, 10)
    await director.send("/plans")
    await director.press("Нұрланова Салтанат: плана ещё нет")
    for name, planned in (("Рассмотрено обращений в срок", "100"),
                          ("Проверки по плану", "8; 8; 8; 8"),
                          ("Доля законных решений", "20"), ("Оцифрованные дела", "50")):
        await _add(director, name, planned)
    await director.press("Отправить на утверждение")
    await bot.app.notifier.wait_idle()
    notice = await head_of_body.wait_for(lambda m: "ждёт вашего утверждения" in m.text)
    await head_of_body.press("Открыть план", message=notice)
    assert await head_of_body.press("Утвердить") == "Утверждено."


async def _open_first_quarter(telegram: FakeTelegram, bot: RunningBot) -> None:
    bot.app.clock.advance(datetime(2026, 4, 2, 11, 0, tzinfo=ALMATY) - bot.app.clock.now())
    hr = user(telegram, 14)
    await hr.send("/campaign")
    await hr.press("Открыть: 1-й квартал 2026 г.")
    await hr.expect("срок — 10 апреля 2026")  # justice: by the 10th (cl. 4)


async def test_the_plan_is_drafted_returned_and_approved(telegram, bot):
    director, head_of_body = user(telegram, 11), user(telegram, 10)
    await director.send("/plans")
    await director.press("Нұрланова Салтанат: плана ещё нет")
    await director.expect("до 19 января 2026")  # 10 working days after 1 January
    await _add(director, "Рассмотрено обращений в срок", "100")
    await _add(director, "Проверки по плану", "8; 8; 8; 8")
    plan = await director.expect("Проверки по плану")
    assert "Отправить на утверждение" not in plan.button_labels()  # fewer than 3
    await _add(director, "Доля законных решений", "20")
    await director.press("Отправить на утверждение")
    await bot.app.notifier.wait_idle()
    notice = await head_of_body.wait_for(lambda m: "ждёт вашего утверждения" in m.text)
    await head_of_body.press("Открыть план", message=notice)
    await head_of_body.press("Вернуть на доработку")
    await head_of_body.send("НМИ 3 не измерим: уточните базу расчёта")
    await bot.app.notifier.wait_idle()
    returned = await director.wait_for(lambda m: "возвращён на доработку" in m.text)
    assert "НМИ 3 не измерим" in returned.text and "до 14 января 2026" in returned.text
    await director.press("Открыть план", message=returned)
    await _add(director, "Оцифрованные дела", "50")
    await director.press("Отправить на утверждение")
    await bot.app.notifier.wait_idle()
    notices = [m for m in head_of_body.bot_messages if "ждёт вашего утверждения" in m.text]
    assert len(notices) == 2  # the resubmitted version is a new notice
    await head_of_body.press("Открыть план", message=notices[-1])
    assert await head_of_body.press("Утвердить") == "Утверждено."
    await bot.app.notifier.wait_idle()
    assert await director.wait_for(lambda m: "утверждён" in m.text and "план" in m.text)


async def test_actuals_and_scores_within_the_allowed_ranges(telegram, bot):
    await _approved_plan(telegram, bot)
    await _open_first_quarter(telegram, bot)
    hr, director = user(telegram, 14), user(telegram, 11)
    await director.send("/sheets")
    await director.press("Нұрланова Салтанат — 0/…")
    await director.expect("ещё не внесла фактические значения НМИ за квартал")
    await bot.app.reminders.tick()  # 2 April: within two working days of the 3 April due date
    await bot.app.notifier.wait_idle()
    reminder = await hr.wait_for(lambda m: "Фактические значения НМИ" in m.text)
    assert "нужно внести до 3 апреля 2026" in reminder.text
    assert "оценить до 10 апреля 2026: не хватает в 1 утверждённом плане" in reminder.text
    await hr.press("Внести фактические значения", message=reminder)
    await hr.press("Нұрланова Салтанат")
    for value in ("87,5", "8", "9", "50"):  # 87.5 %, 100 %, 45 %, 100 %
        await hr.send(value)
    await hr.expect("сохранены")
    bot.app.clock.advance(timedelta(days=1))  # 3 April: all values are in, no reminder
    await bot.app.reminders.tick()
    async with bot.app.db.reading() as conn:
        sent = await conn.execute_fetchall("SELECT due_on FROM outbox WHERE kind = 'kpi_actuals'")
    assert [r[0] for r in sent] == ["2026-04-02"]
    await director.send("/sheets")
    await director.press("Нұрланова Салтанат — 0/…")
    await director.press("Начать ▶")
    first = await director.expect("87,5% достигнуто", "4,25–4,49")
    assert first.button_labels()[:6] == ["4,25", "4,3", "4,35", "4,4", "4,45", "4,49"]
    refused = await director.press_data(first.buttons[0][0].callback_data.replace(
        ":4.25", ":4.5"), first)
    assert refused == "При таком выполнении оценка должна быть от 4,25 до 4,49. Ничего не " \
                      "сохранено."
    await director.send("4,3")
    second = await director.expect("100% достигнуто")
    assert second.button_labels()[0] == "5"  # 100 %: only 5
    await director.press("5")
    await director.send("2")  # 45 %: 2.25–2.49
    await director.expect("от 2,25 до 2,49")
    await director.send("2,4")
    await director.press("5")
    await director.expect("Средняя оценка: 4,18")  # (4.3 + 5 + 2.4 + 5) / 4 = 4.175
    await director.press("Отправить…")
    await director.press("Да, отправить")
    await bot.app.notifier.wait_idle()
    head = user(telegram, 12)
    result = await head.wait_for(lambda m: "Ваша оценка" in m.text)
    assert "1. Рассмотрено обращений в срок: 4,3" in result.text
    assert "Средняя оценка: 4,18" in result.text


async def test_the_differentiation_method_for_the_others(telegram, bot):
    await _open_first_quarter(telegram, bot)
    head = user(telegram, 12)
    await head.send("/sheets")
    await head.press("Бекова Алия — 0/4")
    await head.press("Начать ▶")
    await head.expect("Параметр 1 из 4")
    for score in ("4", "5", "3", "4"):
        await head.press(score)
    await head.expect("Средняя оценка: 4,00")


async def test_a_submitted_plan_says_where_it_is_when_edited(telegram, bot):
    director = user(telegram, 11)
    await director.send("/plans")
    await director.press("Нұрланова Салтанат: плана ещё нет")
    for name in ("Рассмотрено обращений в срок", "Проверки по плану", "Доля законных решений"):
        await _add(director, name, "10")
    plan = await director.expect("Доля законных решений")
    await director.press("Отправить на утверждение", message=plan)
    assert await director.press("Добавить НМИ", message=plan) == \
        "План на утверждении; сейчас его нельзя изменить."
    assert await director.press("Отправить на утверждение", message=plan) == \
        "План на утверждении; сейчас его нельзя изменить."


async def test_no_kpi_for_a_head_appointed_less_than_three_months_before_the_year_ends(
        telegram, bot):
    """Cl. 28: the months come from the methodology (`kpi.no_kpi_when_months_left_below`)."""
    async with bot.app.db.transaction() as conn:
        await conn.execute("UPDATE servant SET appointed_on = '2026-10-15' "
                           "WHERE personnel_no = '12'")
    bot.app.clock.advance(datetime(2026, 11, 2, 11, 0, tzinfo=ALMATY) - bot.app.clock.now())
    director = user(telegram, 11)
    await director.send("/plans")
    refused = await director.press("Нұрланова Салтанат: плана ещё нет")
    assert refused == "НМИ не устанавливаются: после назначения до конца периода осталось " \
                      "меньше 3 месяцев (п. 28)."
    await director.send("/plans")
    assert "Нұрланова Салтанат: плана ещё нет" in (await director.expect("НМИ")).button_labels()
