"""legacy-2018 end to end: a year from the KPI plan to the commission's decision, with a quorum
failure, a tie the chair decides and a corrected result."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest_asyncio
from pypdf import PdfReader

from handlers.common.callbacks import LegacyCb
from services import legacy
from services.clock import Clock
from storage import accounts, org, roster
from storage import legacy as store
from storage.roster_file import parse
from tests.harness import ChatMessage, FakeTelegram, FakeUser

from .bots import RunningBot

ALMATY = ZoneInfo("Asia/Almaty")
HEADER = "personnel_no,full_name,position,category,unit,appointed_on,managerial,supervisor,role"
ROWS = [
    "20,Әлиев Серік,Руководитель аппарата,B-1,Аппарат,2015-01-01,yes,,appointing",
    "21,Омарова Жанар,Руководитель отдела,C-3,Аппарат / Отдел,2016-01-01,yes,20,",
    "22,Иванов Пётр,Главный специалист,C-4,Аппарат / Отдел,2017-01-01,no,21,",
    "23,Член Первый,Главный специалист,C-4,Аппарат,2017-01-01,no,20,",
    "24,Член Второй,Главный специалист,C-4,Аппарат,2017-01-01,no,20,",
    "25,Член Третий,Главный специалист,C-4,Аппарат,2017-01-01,no,20,",
    "26,Член Четвёртый,Главный специалист,C-4,Аппарат,2017-01-01,no,20,",
    "27,Секретарёва Айжан,Кадровик,C-4,Аппарат,2017-01-01,no,20,hr",
]


@pytest_asyncio.fixture
async def bot(telegram: FakeTelegram, tmp_path) -> AsyncIterator[RunningBot]:
    database = tmp_path / "bagalau.sqlite3"
    start = datetime(2026, 1, 12, 11, 0, tzinfo=ALMATY)
    running = await RunningBot(telegram, database, clock=Clock.starting_at(start, ALMATY),
                               methodology="legacy-2018").start()
    async with running.app.db.transaction() as conn:
        await roster.apply(conn, parse("\n".join([HEADER, *ROWS]).encode(), "r.csv"),
                           at=start, actor="test")
        for number in range(20, 28):
            servant = (await conn.execute_fetchall(
                "SELECT id FROM servant WHERE personnel_no = ?", (str(number),)))[0][0]
            await accounts.bind(conn, 8800 + number, servant, at=start, how="test")
    for number in range(20, 28):
        await person(telegram, number).send("/start")
    yield running
    await running.stop()


def person(telegram: FakeTelegram, number: int) -> FakeUser:
    return telegram.user(8800 + number, str(number), language_code="ru")


async def _approved_plan(telegram: FakeTelegram, bot: RunningBot) -> None:
    """The unit head drafts Ivanov's five KPIs for 2026 and the head of staff approves them."""
    head = person(telegram, 21)
    await head.send("/plans")
    await head.press("Иванов Пётр: плана ещё нет")
    for n in range(1, 6):
        await head.press("Добавить НМИ")
        for answer in (f"Показатель {n}", "шт.", "10", "декабрь", "Выполнено"):
            await head.send(answer)
        await head.expect(f"Показатель {n}")
    await head.press("Отправить на утверждение")
    await bot.app.notifier.wait_idle()
    boss = person(telegram, 20)
    notice = await boss.wait_for(lambda m: "ждёт вашего утверждения" in m.text)
    await boss.press("Открыть план", message=notice)
    assert await boss.press("Утвердить") == "Утверждено."


async def _fill_and_submit(head: FakeUser, kpis: tuple[str, ...]) -> ChatMessage:
    """The evaluator answers the KPIs, ticks every indicator of the first competency only,
    and submits; returns his summary."""
    for answer in kpis:
        await head.press(answer)
    shown = await head.expect("Компетенция 1 из 9")
    for label in shown.button_labels()[:-1]:
        await head.press(label, message=shown)
    for n in range(2, 10):
        await head.press("Далее ▶", message=shown)
        shown = await head.expect(f"Компетенция {n} из 9")
    await head.press("Далее ▶", message=shown)
    await head.expect("Все компетенции оценены")
    await head.press("Проверить и отправить")
    return await head.expect("Полностью достигнуто НМИ")


async def _submitted_review(telegram: FakeTelegram, bot: RunningBot) -> None:
    """On 15 January 2027 the 2026 review is open and filled in (4 of 5 KPIs, the first
    competency observed) and submitted to the superior manager."""
    await _approved_plan(telegram, bot)
    bot.app.clock.advance(datetime(2027, 1, 15, 11, 0, tzinfo=ALMATY) - bot.app.clock.now())
    hr = person(telegram, 27)
    await hr.send("/review")
    await hr.press("Открыть ежегодную оценку за 2026 год")
    await hr.expect("Ежегодная оценка за 2026 год открыта")
    head = person(telegram, 21)
    await head.send("/review")
    await head.press("Иванов Пётр (2026): черновик")
    summary = await _fill_and_submit(head, ("Да", "Да", "Да", "Да", "Нет"))
    assert "Полностью достигнуто НМИ: 4 из 5" in summary.text
    await bot.app.notifier.wait_idle()


async def _agreed_review(telegram: FakeTelegram, bot: RunningBot) -> None:
    """The 2026 review submitted and agreed by the superior manager."""
    await _submitted_review(telegram, bot)
    boss = person(telegram, 20)
    notice = await boss.wait_for(lambda m: "ждёт вашего согласования" in m.text)
    await boss.press("Открыть оценку", message=notice)
    assert (await boss.press("Согласовать")).startswith("Согласовано")


async def _decided(telegram: FakeTelegram, bot: RunningBot) -> None:
    """The commission of six meets with five present and revises the review 2 : 2, the chair
    deciding."""
    await _agreed_review(telegram, bot)
    boss, secretary = person(telegram, 20), person(telegram, 27)
    await boss.send("/review")
    await boss.press("Создать комиссию за 2026 год")
    await boss.send("20 27 23 24 25 26")
    await boss.expect("Комиссия за 2026 год создана: 6 членов.")
    await secretary.send("/review")
    await secretary.press("Комиссия 2026: отметить присутствующих")
    await secretary.send("20 27 23 24 25")
    await secretary.expect("Кворум: 5 из 6")
    await bot.app.notifier.wait_idle()
    choices = {20: "Пересмотреть: удовлетворительно", 23: "Пересмотреть: удовлетворительно",
               24: "Утвердить", 25: "Утвердить"}
    for number, label in choices.items():
        member = person(telegram, number)
        ballot = await member.wait_for(lambda m: "Комиссия:" in m.text)
        await member.press(label, message=ballot)
    await bot.app.notifier.wait_idle()


async def test_the_five_kpi_plan_is_drafted_and_approved(telegram, bot):
    head = person(telegram, 21)
    await head.send("/plans")
    await head.press("Иванов Пётр: плана ещё нет")
    for n in range(1, 6):
        await head.press("Добавить НМИ")
        for answer in (f"Показатель {n}", "шт.", "10", "декабрь", "Выполнено"):
            await head.send(answer)
    plan = await head.expect("Показатель 5")
    assert "Добавить НМИ" not in plan.button_labels()  # exactly five
    await head.press("Отправить на утверждение")
    await bot.app.notifier.wait_idle()
    boss = person(telegram, 20)
    notice = await boss.wait_for(lambda m: "ждёт вашего утверждения" in m.text)
    await boss.press("Открыть план", message=notice)
    assert await boss.press("Утвердить") == "Утверждено."


async def test_the_year_end_review_is_filled_and_agreed(telegram, bot):
    await _approved_plan(telegram, bot)
    bot.app.clock.advance(datetime(2027, 1, 15, 11, 0, tzinfo=ALMATY) - bot.app.clock.now())
    hr = person(telegram, 27)
    await hr.send("/review")
    await hr.press("Открыть ежегодную оценку за 2026 год")
    await hr.expect("Ежегодная оценка за 2026 год открыта")
    head = person(telegram, 21)
    await head.send("/review")
    await head.press("Иванов Пётр (2026): черновик")
    for answer in ("Да", "Да", "Да", "Да", "Нет"):  # 4 of 5 fully achieved
        await head.press(answer)
    # the two service-recipient competencies are skipped
    competency = await head.expect("Компетенция 1 из 9")
    for label in competency.button_labels()[:-1]:
        await head.press(label, message=competency)  # every indicator of the first observed
    shown = competency
    for n in range(2, 10):  # nothing observed for the others
        await head.press("Далее ▶", message=shown)
        shown = await head.expect(f"Компетенция {n} из 9")
    await head.press("Далее ▶", message=shown)
    await head.expect("Все компетенции оценены")
    await head.press("Проверить и отправить")
    summary = (await head.expect("Полностью достигнуто НМИ")).text
    assert "Полностью достигнуто НМИ: 4 из 5 — эффективно" in summary
    assert "соответствует ожидаемому результату" in summary
    assert "не наблюдалось:" in summary
    await bot.app.notifier.wait_idle()
    boss = person(telegram, 20)
    notice = await boss.wait_for(lambda m: "ждёт вашего согласования" in m.text)
    await boss.press("Открыть оценку", message=notice)
    assert (await boss.press("Согласовать")).startswith("Согласовано")


async def test_the_commission_quorum_a_tie_and_a_corrected_result(telegram, bot):
    await _agreed_review(telegram, bot)
    boss, secretary = person(telegram, 20), person(telegram, 27)
    await boss.send("/review")
    await boss.press("Создать комиссию за 2026 год")
    await boss.send("20 27 23")
    await boss.expect("не менее 5")
    await boss.send("20 27 23 24 25 26")
    await boss.expect("Комиссия за 2026 год создана: 6 членов.")
    await secretary.send("/review")
    await secretary.press("Комиссия 2026: отметить присутствующих")
    await secretary.send("20 27 23")
    await secretary.expect("Нет кворума: присутствуют 3 из 6; нужно не менее 4")
    await secretary.send("20 27 23 24 25")
    await secretary.expect("Кворум: 5 из 6")
    await bot.app.notifier.wait_idle()
    choices = {20: "Пересмотреть: удовлетворительно", 23: "Пересмотреть: удовлетворительно",
               24: "Утвердить", 25: "Утвердить"}
    for number, label in choices.items():
        member = person(telegram, number)
        ballot = await member.wait_for(lambda m: "Комиссия:" in m.text)
        await member.press(label, message=ballot)
    assert not [m for m in secretary.bot_messages if "Комиссия:" in m.text]  # no vote for him
    await bot.app.notifier.wait_idle()
    servant = person(telegram, 22)
    result = await servant.wait_for(lambda m: "Комиссия рассмотрела" in m.text)
    assert "удовлетворительно" in result.text  # 2 : 2, the chair's vote decides
    assert "пересмотрела результат (у оценивающего было: эффективно)" in result.text
    assert "до 29 января 2027" in result.text  # 10 working days to appeal
    assert (await servant.press("Отказываюсь подписать", message=result)).startswith(
        "Ваш отказ")


async def test_the_secretary_records_a_recommendation_and_gets_the_protocol(telegram, bot):
    await _decided(telegram, bot)
    secretary, member = person(telegram, 27), person(telegram, 23)
    await bot.app.notifier.wait_idle()
    notice = await secretary.wait_for(lambda m: "Комиссия 2026: Иванов Пётр" in m.text)
    assert "Пересмотрено (у оценивающего было «эффективно»)" in notice.text
    ballot = await member.wait_for(lambda m: "Комиссия:" in m.text)
    denied = await member.press_data(LegacyCb(id=2026, action="protocol").pack(), ballot)
    assert denied == "Протокол вам недоступен."
    await secretary.press("Добавить рекомендацию", message=notice)
    await secretary.send("х" * 1001)
    too_long = await secretary.expect("символов: 1001")
    assert "сократите" in too_long.text
    await secretary.send("Пройти курсы   повышения квалификации по\nпланированию до 1 июля.")
    recorded = await secretary.expect("Рекомендация (Иванов Пётр) внесена в протокол.")
    await secretary.press("Протокол (PDF)", message=recorded)
    protocol = await secretary.wait_for(lambda m: m.document is not None)
    assert protocol.document[0] == "commission-protocol-2026.pdf"
    assert "1 результат" in protocol.text
    reader = PdfReader(io.BytesIO(protocol.document[1]))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for expected in ("Бағалау жөніндегі комиссия отырысының хаттамасы",
                     "Протокол заседания комиссии по оценке", "Иванов Пётр",
                     "Пройти курсы повышения квалификации", "Председатель комиссии: Әлиев Серік",
                     "Секретарь комиссии: Секретарёва Айжан",
                     "Утверждено результатов: 0, пересмотрено: 1",
                     "Член Второй: утвердить", "Присутствовали: 5 из 6"):
        assert expected in text, expected


async def test_a_returned_review_is_reworked_and_agreed(telegram, bot):
    await _submitted_review(telegram, bot)
    boss, head = person(telegram, 20), person(telegram, 21)
    notice = await boss.wait_for(lambda m: "ждёт вашего согласования" in m.text)
    await boss.press("Открыть оценку", message=notice)
    approval = await boss.expect("Полностью достигнуто НМИ: 4 из 5")
    await boss.press("Вернуть на доработку", message=approval)
    await boss.expect("Почему оценка возвращается?")
    await boss.send("  Уточните НМИ 5  ")
    await boss.expect("Возвращён на доработку.")
    assert await boss.press("Согласовать", message=approval) == \
        "Эта оценка не ждёт вашего решения."
    await head.send("/review")
    await head.press("Иванов Пётр (2026): возвращён на доработку")
    await head.expect("НМИ 1 из 5: Показатель 1 (план 10 шт.). Достигнут полностью?")
    summary = await _fill_and_submit(head, ("Да", "Да", "Да", "Да", "Да"))
    assert "Полностью достигнуто НМИ: 5 из 5" in summary.text
    assert "Возвращено: Уточните НМИ 5" in summary.text  # as he resubmitted it
    assert "Отправлено вышестоящему руководителю." in summary.text
    await boss.press("Открыть оценку", message=notice)
    assert (await boss.press("Согласовать")).startswith("Согласовано")
    await head.send("/review")
    assert (await head.expect("Ежегодная оценка:")).button("Иванов Пётр (2026): согласовано")


async def test_a_member_votes_once_and_the_servant_reads_the_decision(telegram, bot):
    await _agreed_review(telegram, bot)
    boss, secretary = person(telegram, 20), person(telegram, 27)
    await boss.send("/review")
    await boss.press("Создать комиссию за 2026 год")
    await boss.send("20 27 23 24 25 26")
    await boss.expect("Комиссия за 2026 год создана: 6 членов.")
    await secretary.send("/review")
    await secretary.press("Комиссия 2026: отметить присутствующих")
    await secretary.send("20 27 23 24 25")
    await secretary.expect("Кворум: 5 из 6")
    await bot.app.notifier.wait_idle()
    ballot = await boss.wait_for(lambda m: "Комиссия:" in m.text)
    vote = ballot.button("Утвердить").callback_data
    menu = await secretary.expect("Кворум")
    assert await secretary.press_data(vote, menu) == "Это голосование вам недоступно."
    assert await secretary.press_data(LegacyCb(id=2026, action="protocol").pack(), menu) == \
        "Комиссия ещё не приняла ни одного решения."
    assert await boss.press("Утвердить", message=ballot) == "Ваш голос учтён."
    assert await boss.press("Утвердить", message=ballot) == "Вы уже проголосовали."
    for number in (23, 24, 25):
        member = person(telegram, number)
        await member.press("Утвердить", message=await member.wait_for(
            lambda m: "Комиссия:" in m.text))
    await bot.app.notifier.wait_idle()
    servant = person(telegram, 22)
    result = await servant.wait_for(lambda m: "Комиссия рассмотрела" in m.text)
    assert "эффективно" in result.text and "пересмотрела" not in result.text
    assert await servant.press("Подтверждаю ознакомление", message=result) == \
        "Спасибо: отмечено, что вы ознакомились."
    assert await servant.press("Отказываюсь подписать", message=result) == "Уже отмечено."
    assert await boss.press("Утвердить", message=ballot) == "Это голосование вам недоступно."


async def test_only_hr_opens_the_year_and_only_the_appointing_sets_up_the_commission(
        telegram, bot):
    servant = person(telegram, 22)
    await servant.send("/review")
    menu = await servant.expect("Ежегодная оценка:")
    assert menu.button_labels() == []
    assert await servant.press_data(LegacyCb(id=2026, action="open_year").pack(), menu) == \
        "Ежегодную оценку открывает служба управления персоналом."
    assert await servant.press_data(LegacyCb(id=2026, action="commission").pack(), menu) == \
        "Комиссию создаёт только уполномоченное лицо."
    assert await servant.press_data(LegacyCb(id=2026, action="attendance").pack(), menu) == \
        "Заседание отмечают только председатель или секретарь."
    assert await servant.press_data(LegacyCb(id=999999, action="review").pack(), menu) == \
        "Эта кнопка устарела. Отправьте /start, чтобы открыть актуальное меню."


async def test_opening_the_year_counts_the_worked_days_as_the_quarter_does(telegram, bot):
    """A servant on sick leave most of the year is not reviewed where the methodology asks for
    more worked days; a business trip is work. Reopening adds him once the rule allows it."""
    context = bot.app.context
    async with context.transaction() as tx:
        ids = {n: (await org.by_personnel_no(tx.conn, str(n))).id for n in (22, 23, 27)}
        await tx.conn.executemany(
            "INSERT INTO absence (servant_id, starts_on, ends_on, kind) VALUES (?, ?, ?, ?)",
            [(ids[22], "2026-02-02", "2026-11-30", "больничный"),
             (ids[23], "2026-02-02", "2026-11-30", "командировка")])
        hr = await org.servant(tx.conn, ids[27])
    rules = context.methodology.eligibility_rules
    strict = replace(context, methodology=replace(
        context.methodology, eligibility_rules=replace(rules, min_worked_days=100)))
    opened = await legacy.open_year(strict, hr, frozenset({"hr"}), 2026)
    assert opened.added == 6  # everyone with a supervisor but Ivanov
    async with context.reading() as conn:
        assert ids[22] not in {r.servant_id for r in await store.reviews(conn, 2026)}
    assert (await legacy.open_year(context, hr, frozenset({"hr"}), 2026)).added == 1


async def _five_voters_meet(telegram: FakeTelegram, bot: RunningBot) -> None:
    """A commission of seven, six present: the chair and four members vote, the secretary
    does not."""
    await _agreed_review(telegram, bot)
    boss, secretary = person(telegram, 20), person(telegram, 27)
    await boss.send("/review")
    await boss.press("Создать комиссию за 2026 год")
    await boss.send("20 27 23 24 25 26 21")
    await boss.expect("Комиссия за 2026 год создана: 7 членов.")
    await secretary.send("/review")
    await secretary.press("Комиссия 2026: отметить присутствующих")
    await secretary.send("20 27 23 24 25 26")
    await secretary.expect("Кворум: 6 из 7")
    await bot.app.notifier.wait_idle()


async def _vote(telegram: FakeTelegram, choices: dict[int, str], ballot: str) -> None:
    for number, label in choices.items():
        member = person(telegram, number)
        shown = await member.wait_for(lambda m: ballot in m.text)
        await member.press(label, message=shown)


async def test_without_a_majority_the_vote_is_repeated_between_the_two_most_voted(
        telegram, bot):
    """Seed 001 cl. 33: 2-1-1-1 of five votes is no majority (plurality would approve on 2 of
    5); the vote is repeated between “approve” and the earliest of the tied runners-up."""
    await _five_voters_meet(telegram, bot)
    first = {20: "Утвердить", 23: "Утвердить", 24: "Пересмотреть: отлично",
             25: "Пересмотреть: удовлетворительно"}
    await _vote(telegram, first, "Комиссия:")
    last = person(telegram, 26)
    ballot = await last.wait_for(lambda m: "Комиссия:" in m.text)
    toast = await last.press("Пересмотреть: неудовлетворительно", message=ballot)
    assert toast == ("Ваш голос учтён. Ни один вариант не набрал большинства (п. 33): "
                     "комиссия голосует повторно — утвердить «эффективно» или пересмотреть "
                     "на «отлично».")
    await bot.app.notifier.wait_idle()
    servant = person(telegram, 22)
    assert not [m for m in servant.bot_messages if "Комиссия рассмотрела" in m.text]
    repeated = await last.wait_for(lambda m: "2-й тур голосования" in m.text)
    assert "не набрал большинства поданных голосов (п. 33)" in repeated.text
    assert repeated.button_labels() == ["Утвердить", "Пересмотреть: отлично"]
    assert await last.press("Пересмотреть: удовлетворительно", message=ballot) == \
        "Этот бюллетень из прошлого тура: голосуйте по последнему."
    await _vote(telegram, {20: "Утвердить", 23: "Утвердить", 24: "Пересмотреть: отлично",
                           25: "Утвердить", 26: "Пересмотреть: отлично"}, "2-й тур")
    await bot.app.notifier.wait_idle()
    result = await servant.wait_for(lambda m: "Комиссия рассмотрела" in m.text)
    assert "эффективно" in result.text and "пересмотрела" not in result.text  # 3 of 5


async def test_the_appeal_term_counts_from_the_decision_not_from_the_notice(telegram, bot):
    """Seed 001 cl. 43: ten working days from the decision (Friday 15 January 2027), however
    late the servant's notice goes out."""
    await _agreed_review(telegram, bot)
    boss, secretary = person(telegram, 20), person(telegram, 27)
    await boss.send("/review")
    await boss.press("Создать комиссию за 2026 год")
    await boss.send("20 27 23 24 25 26")
    await secretary.send("/review")
    await secretary.press("Комиссия 2026: отметить присутствующих")
    await secretary.send("20 27 23 24 25")
    await secretary.expect("Кворум: 5 из 6")
    await bot.app.notifier.wait_idle()
    telegram.fail_next("sendMessage", status=429, retry_after=3600, chat_id=8822)
    await _vote(telegram, {n: "Утвердить" for n in (20, 23, 24, 25)}, "Комиссия:")
    await bot.app.notifier.wait_idle()
    servant = person(telegram, 22)
    assert not [m for m in servant.bot_messages if "Комиссия рассмотрела" in m.text]
    clock = bot.app.clock
    clock.advance(datetime(2027, 1, 20, 11, 0, tzinfo=ALMATY) - clock.now())  # Wednesday
    bot.app.notifier.wake()
    await bot.app.notifier.wait_idle()
    result = await servant.wait_for(lambda m: "Комиссия рассмотрела" in m.text)
    assert "до 29 января 2027 (10 рабочих дней со дня решения 15 января 2027, п. 43)" in \
        result.text
