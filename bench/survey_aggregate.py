"""360 aggregation and reports for 10,000 evaluatees × 7 respondents, and one radar chart.

    python bench/survey_aggregate.py [--evaluatees 10000]

Answers go in through the real submit path (draft → totals) before the clock starts; the
figure is reading every target's totals from SQLite and building each report (competency
averages, self-assessment, gaps, weakest three). The last line is ``name=value`` figures.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

from handlers.surveys.radar import radar_png
from scoring import load_methodology, report_360
from scoring.survey import RespondentRole
from storage import surveys
from storage.db import Database

TODAY = date(2026, 12, 1)


async def _fill(db: Database, count: int, respondents: int) -> int:
    rules = load_methodology("justice-2023").survey360
    statements = {name: [s.key for s in cset.statements] for name, cset in rules.sets.items()}
    random.seed(3)
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO servant (id, personnel_no, full_name, position, category, managerial, "
            "unit_head, appointed_on) VALUES (?, ?, ?, 'Expert', 'C-4', 0, 0, '2020-01-01')",
            [(i, str(i), f"Servant {i}") for i in range(1, count + respondents + 1)])
        survey_id = await surveys.create(conn, surveys.SurveyKind.SURVEY_360, 2026,
                                         "justice-2023", today=TODAY, closes_on=TODAY)
        submitted = 0
        for subject in range(1, count + 1):
            question_set = "unit_heads" if subject % 10 == 0 else "others"
            people = [(subject, RespondentRole.SELF)] + [
                (count + r, RespondentRole.PEER) for r in range(1, respondents + 1)]
            target = await surveys.add_target(conn, survey_id, subject, question_set, people)
            rows = await conn.execute_fetchall(
                "SELECT id, role FROM survey_invitation WHERE target_id = ?", (target,))
            for invitation_id, role in rows:
                invitation = surveys.Invitation(invitation_id, None, target, subject, "",
                                                question_set, RespondentRole(role), 0, False)
                points = {key: (key, random.randint(1, 5)) for key in statements[question_set]}
                submitted += await surveys.submit(conn, invitation, points, TODAY)
        await conn.execute("UPDATE survey SET closed_on = ? WHERE id = ?",
                           (TODAY.isoformat(), survey_id))
    return survey_id, submitted


async def _reports(db: Database, survey_id: int) -> int:
    rules = load_methodology("justice-2023").survey360
    built = 0
    async with db.reading() as conn:
        targets = await surveys.counts(conn, survey_id)
        rows = await conn.execute_fetchall(
            "SELECT x.target_id, x.item, x.is_self, x.points, x.answers FROM survey_total x "
            "JOIN survey_target t ON t.id = x.target_id WHERE t.survey_id = ?", (survey_id,))
    others: dict[int, dict] = {}
    selves: dict[int, dict] = {}
    for target_id, item, is_self, points, answers in rows:
        (selves if is_self else others).setdefault(target_id, {})[item] = (points, answers)
    for t in targets:
        if rules.released(t.others_done):
            report = report_360(rules.sets[t.question_set], others.get(t.target_id, {}),
                                selves.get(t.target_id, {}))
            report.weakest(3)
            built += 1
    return built


async def main(count: int, respondents: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = await Database.open(Path(folder) / "bench.sqlite3", synchronous="OFF")
        started = time.perf_counter()
        survey_id, submitted = await _fill(db, count, respondents)
        print(f"{submitted} questionnaires submitted through the totals in "
              f"{time.perf_counter() - started:.1f} s (not part of the figure)")
        started = time.perf_counter()
        built = await _reports(db, survey_id)
        seconds = time.perf_counter() - started
        await db.close()
    rules = load_methodology("justice-2023").survey360
    heads = rules.sets["unit_heads"].competencies
    import matplotlib.pyplot  # noqa: F401 — radar_png imports it lazily; not part of the figure
    started = time.perf_counter()
    radar_png("360 report: Servant 10", [c.title.ru for c in heads],
              [Decimal(random.randint(100, 500)) / 100 for _ in heads],
              [Decimal(random.randint(100, 500)) / 100 for _ in heads], "Коллеги", "Самооценка")
    chart_ms = (time.perf_counter() - started) * 1000
    print(f"{built} reports built from {count} evaluatees' totals")
    print(f"seconds={seconds:.2f} chart_ms={chart_ms:.0f} evaluatees={count} "
          f"responses={submitted - count}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--evaluatees", type=int, default=10_000)
    parser.add_argument("--respondents", type=int, default=7)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.evaluatees, arguments.respondents))
