"""A small body for end-to-end tests: both forms, both evaluator routes, a sanction, a
dismissal and a newcomer — loaded through the real roster import."""

from __future__ import annotations

from datetime import date, datetime

from scoring import Quarter, WorkCalendar, load_methodology
from storage import accounts, evaluation, roster
from storage.db import Database
from storage.roster_file import SanctionRow, parse

HEADER = ("personnel_no,full_name,position,category,unit,appointed_on,managerial,unit_head,"
          "supervisor,dismissed_on,phone,language,role")
ROSTER = HEADER + """
300,Серікбаев Ерлан,Руководитель аппарата,B-1,Аппарат,2019-02-01,yes,yes,,,,kk,appointing
100,Ахметова Айгерім,Начальник службы персонала,C-3,Аппарат / HR,2020-09-14,yes,no,300,,,kk,hr_head
200,Жақсылықов Нұрлан,Директор департамента,C-1,Департамент,2018-06-11,yes,yes,300,,,ru,
201,Ким Дмитрий,Заместитель директора,C-2,Департамент,2021-01-18,yes,no,200,,,ru,
202,Иванов Алексей,Главный эксперт,C-4,Департамент / Управление,2023-08-21,no,no,201,,,ru,
203,Төлеуова Дана,Эксперт,C-5,Департамент / Управление,2024-11-04,no,no,201,,,kk,
204,Петрова Ольга,Главный эксперт,C-1,Департамент,2022-03-01,no,no,201,,,en,
205,Мұхамедиев Арман,Эксперт,C-5,Департамент / Управление,2021-05-17,no,no,201,2026-03-20,,kk,
206,Сапарова Әсел,Эксперт,C-5,Департамент / Управление,2026-03-15,no,no,201,,,kk,
"""
SANCTIONS_Q1 = [("203", "reprimand", "2026-02-10")]
LANGUAGES = {"100": "kk", "200": "ru", "201": "ru", "202": "ru", "203": "kk", "204": "en",
             "300": "kk"}
TELEGRAM = {"100": 7100, "200": 7200, "201": 7201, "202": 7202, "203": 7203, "204": 7204,
            "300": 7300}


async def load(db: Database, at: datetime) -> dict[str, int]:
    """Import the roster and sanctions, link the Telegram accounts; returns servant ids."""
    parsed = parse(ROSTER.encode(), "roster.csv")
    parsed.sanctions = [SanctionRow(no, kind, date.fromisoformat(day))
                        for no, kind, day in SANCTIONS_Q1]
    async with db.transaction() as conn:
        await roster.apply(conn, parsed, at=at, actor="test")
        ids = {r[0]: r[1] for r in await conn.execute_fetchall(
            "SELECT personnel_no, id FROM servant")}
        for no, telegram_id in TELEGRAM.items():
            await accounts.bind(conn, telegram_id, ids[no], at=at, how="test")
    return ids


async def sheet_of_kim_in_q1(target: str, at: datetime) -> int:
    """A fresh database with this body and Q1 2026 open; returns Ким Дмитрий's sheet id."""
    db = await Database.open(target)
    try:
        ids = await load(db, at)
        async with db.transaction() as conn:
            await evaluation.open_campaign(conn, load_methodology("typical-2025"),
                                           Quarter(2026, 1), WorkCalendar.kazakhstan(),
                                           at=at, today=at.date(), actor="test")
        rows = await db.fetch("SELECT id FROM sheet WHERE evaluatee_id = ?", (ids["201"],))
        return int(rows[0][0])
    finally:
        await db.close()
