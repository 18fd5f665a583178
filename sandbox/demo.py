"""The sandbox's demo body: a dozen servants covering every role and evaluation route."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from storage import accounts, roster
from storage.db import Database
from storage.roster_file import SanctionRow, parse

HEADER = ("personnel_no,full_name,position,category,unit,appointed_on,managerial,unit_head,"
          "supervisor,dismissed_on,phone,language,role")
ROWS = [
    "1,Серікбаев Ерлан Маратұлы,Руководитель аппарата,B-1,Министрлік,2015-02-01,yes,yes,,,"
    "+77010000001,kk,appointing",
    "2,Ахметова Айгерім Қайратқызы,Руководитель службы персонала,C-3,Министрлік / HR,"
    "2019-09-14,yes,no,1,,+77010000002,kk,hr",
    "3,Жақсылықов Нұрлан Бекұлы,Директор департамента,C-1,Министрлік / Департамент,"
    "2018-06-11,yes,yes,1,,+77010000003,ru,",
    "4,Ким Дмитрий Сергеевич,Заместитель директора,C-2,Министрлік / Департамент,2021-01-18,"
    "yes,no,3,,+77010000004,ru,",
    "5,Оспанова Гүлнар Серікқызы,Руководитель управления,C-3,"
    "Министрлік / Департамент / Басқарма,2020-04-06,yes,no,4,,+77010000005,kk,",
    "6,Иванов Алексей Петрович,Главный эксперт,C-4,Министрлік / Департамент / Басқарма,"
    "2023-08-21,no,no,5,,+77010000006,ru,",
    "7,Төлеуова Дана Асқарқызы,Эксперт,C-5,Министрлік / Департамент / Басқарма,2024-11-04,no,"
    "no,5,,+77010000007,kk,",
    "8,Petrova Olga,Chief expert,C-1,Министрлік / Департамент,2022-03-01,no,no,4,,"
    "+77010000008,en,",
    "9,Мұхамедиев Арман Төлегенұлы,Эксперт,C-5,Министрлік / Департамент / Басқарма,"
    "2021-05-17,no,no,5,,+77010000009,kk,",
    "10,Сидорова Анна Викторовна,Главный эксперт,C-4,Министрлік / Департамент / Басқарма,"
    "2020-02-03,no,no,5,2026-09-10,+77010000010,ru,",
    "11,Бекова Алия Нұрланқызы,Главный эксперт,C-4,Министрлік / Департамент,2019-05-20,no,no,"
    "4,,+77010000011,ru,",
    "12,Сапарова Әсел Маратқызы,Эксперт,C-5,Министрлік / Департамент / Басқарма,2026-09-15,"
    "no,no,5,,+77010000012,kk,",
]
TELEGRAM_BASE = 5_000_000


@dataclass(frozen=True, slots=True)
class Person:
    personnel_no: str
    name: str
    position: str
    language: str
    telegram_id: int
    roles: str


SANCTIONED = "7"  # a reprimand in the demo quarter (load): parameter 5 is capped
NEWCOMER_FROM = "2026-09-01"  # appointed this late in Q3: too few days to be evaluated


def people() -> list[Person]:
    """The demo people with what each of them is: the roster's role (HR, the appointing
    official), "evaluator" for whoever supervises someone, and what sets a servant apart."""
    rows = [row.split(",") for row in ROWS]
    supervisors = {cells[8] for cells in rows if cells[8]}
    found = []
    for cells in rows:
        roles = [cells[12]] if cells[12] else []
        if cells[0] in supervisors:
            roles.append("evaluator")
        if cells[9]:
            roles.append("dismissed")
        elif cells[5] >= NEWCOMER_FROM:
            roles.append("newcomer")
        if cells[0] == SANCTIONED:
            roles.append("sanction")
        found.append(Person(cells[0], cells[1], cells[2], cells[11],
                            TELEGRAM_BASE + int(cells[0]), ", ".join(roles) or "servant"))
    return found


async def load(db: Database, at: datetime, sanction_on: date) -> None:
    """Import the demo roster (with one sanction in the quarter) and link every account."""
    parsed = parse("\n".join([HEADER, *ROWS]).encode(), "demo.csv")
    parsed.sanctions = [SanctionRow(SANCTIONED, "reprimand", sanction_on)]
    async with db.transaction() as conn:
        await roster.apply(conn, parsed, at=at, actor="sandbox")
        ids = {r[0]: r[1] for r in await conn.execute_fetchall(
            "SELECT personnel_no, id FROM servant")}
        for person in people():
            await accounts.bind(conn, person.telegram_id, ids[person.personnel_no], at=at,
                                how="sandbox")
