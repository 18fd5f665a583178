"""Bulk notices yield to the ones someone is waiting for: a servant's result is not kept
behind the quarter's opening notices to every evaluator."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from scoring import Quarter
from services import campaigns
from services.clock import Clock
from storage import accounts, outbox, roster
from storage.models import Servant
from storage.roster_file import Roster, ServantRow
from tests.harness import FakeTelegram

from .bots import RunningBot

ALMATY = ZoneInfo("Asia/Almaty")
APRIL_6 = datetime(2026, 4, 6, 11, 0, tzinfo=ALMATY)  # a Monday, within the quiet hours
EVALUATORS = 40
FIRST_USER = 9_000


def departments() -> Roster:
    """HR, and forty heads of department with one servant each."""
    rows = [ServantRow(row=2, personnel_no="HR", full_name="Кадрова Айгерим",
                       position="Главный эксперт", category="C-4", unit="Кадровая служба",
                       appointed_on=date(2020, 1, 1), managerial=False, unit_head=False,
                       supervisor=None, dismissed_on=None, phone=None, language="ru",
                       is_hr=True, is_appointing=False, public_services=False)]
    for i in range(EVALUATORS):
        for no, name, head, supervisor in ((f"E{i}", f"Руководитель {i}", True, None),
                                           (f"S{i}", f"Сотрудник {i}", False, f"E{i}")):
            rows.append(ServantRow(
                row=len(rows) + 2, personnel_no=no, full_name=name, position="Эксперт",
                category="C-1" if head else "C-4", unit=f"Управление {i}",
                appointed_on=date(2020, 1, 1), managerial=head, unit_head=head,
                supervisor=supervisor, dismissed_on=None, phone=None, language="ru",
                is_hr=False, is_appointing=False, public_services=False))
    return Roster(servants=rows)


async def test_a_result_overtakes_the_openings_still_queued(telegram: FakeTelegram,
                                                            tmp_path) -> None:
    bot = await RunningBot(telegram, tmp_path / "bagalau.sqlite3", notify_rate=2,
                           clock=Clock.starting_at(APRIL_6, ALMATY)).start()
    try:
        async with bot.app.db.transaction() as conn:
            await roster.apply(conn, departments(), at=APRIL_6, actor="test")
            ids = {r[0]: r[1] for r in await conn.execute_fetchall(
                "SELECT personnel_no, id FROM servant")}
            for i in range(EVALUATORS):
                await accounts.bind(conn, FIRST_USER + i, ids[f"E{i}"], at=APRIL_6, how="test")
            await accounts.bind(conn, FIRST_USER + 100, ids["S0"], at=APRIL_6, how="test")
            hr = Servant.from_row((await conn.execute_fetchall(
                "SELECT * FROM servant WHERE personnel_no = 'HR'"))[0])
        head = telegram.user(FIRST_USER, "Руководитель")
        servant = telegram.user(FIRST_USER + 100, "Сотрудник")
        for i in range(1, EVALUATORS):
            await telegram.user(FIRST_USER + i, f"Руководитель {i}").send("/start")
        await servant.send("/start")
        await head.send("/start")
        # the quarter opens: forty evaluators are told, two messages a second (20 s)
        await campaigns.open_quarter(bot.app.context, hr, Quarter(2026, 1),
                                     bot.app.reminders.schedule)
        bot.app.notifier.wake()
        await head.wait_for(lambda m: "1-й квартал 2026" in m.text, timeout=15)
        await head.send("/sheets")
        await head.press("Сотрудник 0 — 0/5")
        await head.press("Начать ▶")
        for _ in range(5):
            await head.press("4")
        await head.press("Отправить…")
        await head.press("Да, отправить")
        await head.expect("Отправлено: 4")
        result = await servant.wait_for(lambda m: "Ваша оценка" in m.text)
        assert "Средняя оценка: 4" in result.text
        async with bot.app.db.reading() as conn:
            waiting = (await conn.execute_fetchall(
                "SELECT count(*) FROM outbox WHERE kind = 'campaign_opened' "
                "AND status = 'pending'"))[0][0]
        assert waiting > 0  # first in, first out would have sent every one of them before
        assert (await outbox.counts(bot.app.db)).get("failed", 0) == 0
    finally:
        await bot.stop()
