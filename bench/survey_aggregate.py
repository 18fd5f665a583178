"""360 close and reports for 10,000 evaluatees × 7 respondents, and one radar chart.

    python bench/survey_aggregate.py [--evaluatees 10000]

Sealed ballots go in through the storage submit path before the clock starts; the figure is
the close (opening every sealed ballot, adding them up per target, sealing the aggregates,
destroying the ballots, truncating the WAL) and then building every report from its sealed
aggregate (competency averages, self-assessment, gaps, weakest three). The last line is
``name=value`` figures.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).parents[1]))

from handlers.surveys.radar import radar_png
from scoring import WorkCalendar, load_methodology, report_360
from scoring.survey import RespondentRole
from services import ballots
from services import surveys as survey_cases
from services.clock import Clock
from services.context import Context
from storage import surveys
from storage.db import Database
from storage.sealing import SurveyKeys

TODAY = date(2026, 12, 1)
ALMATY = ZoneInfo("Asia/Almaty")


async def _fill(ctx: Context, count: int, respondents: int) -> tuple[int, int]:
    rules = load_methodology("justice-2023").survey360
    options = [o.code for o in rules.options]
    layouts = {name: {s.key: options for s in cset.statements}
               for name, cset in rules.sets.items()}
    random.seed(3)
    keys = ctx.survey_keys
    async with ctx.db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO servant (id, personnel_no, full_name, position, category, managerial, "
            "unit_head, appointed_on) VALUES (?, ?, ?, 'Expert', 'C-4', 0, 0, '2020-01-01')",
            [(i, str(i), f"Servant {i}") for i in range(1, count + respondents + 1)])
        key_id = keys.new_survey()
        survey_id = await surveys.create(conn, surveys.SurveyKind.SURVEY_360, 2026,
                                         "justice-2023", today=TODAY, closes_on=TODAY,
                                         key_id=key_id)
        sealer = keys.ballots(key_id)
        submitted = 0
        for subject in range(1, count + 1):
            question_set = "unit_heads" if subject % 10 == 0 else "others"
            people = [(subject, RespondentRole.SELF)] + [
                (count + r, RespondentRole.PEER) for r in range(1, respondents + 1)]
            target = await surveys.add_target(conn, survey_id, subject, question_set, people)
            rows = await conn.execute_fetchall(
                "SELECT id, role FROM survey_invitation WHERE target_id = ?", (target,))
            survey = await surveys.survey(conn, survey_id)
            for invitation_id, role in rows:
                invitation = surveys.Invitation(invitation_id, survey, target, subject, "",
                                                question_set, RespondentRole(role), 0, False)
                answers = {key: random.choice(options) for key in layouts[question_set]}
                sealed = ballots.seal_ballot(
                    sealer, survey_id, ballots.Ballot(target, role == "self", answers),
                    layouts[question_set])
                submitted += await surveys.submit(conn, invitation, sealed)
    return survey_id, submitted


async def _close_and_report(ctx: Context, survey_id: int) -> int:
    rules = load_methodology("justice-2023").survey360
    await survey_cases.close_survey(ctx, survey_id, actor="bench")
    async with ctx.db.reading() as conn:
        survey = await surveys.survey(conn, survey_id)
        targets = await surveys.counts(conn, survey_id)
        sealed = await surveys.results(conn, survey_id)
    key = ctx.survey_keys.results(survey.key_id)
    built = 0
    for t in targets:
        if t.target_id in sealed:
            others, own = ballots.open_result(key, t.target_id, sealed[t.target_id])
            report = report_360(rules.sets[t.question_set], others, own)
            report.weakest(3)
            built += 1
    return built


async def main(count: int, respondents: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = await Database.open(Path(folder) / "bench.sqlite3", synchronous="OFF")
        ctx = Context(db, Clock.starting_at(datetime(2027, 1, 12, 9, tzinfo=ALMATY), ALMATY),
                      WorkCalendar.kazakhstan(), load_methodology("justice-2023"),
                      survey_keys=SurveyKeys.open(Path(folder) / "bench.survey-keys"))
        started = time.perf_counter()
        survey_id, submitted = await _fill(ctx, count, respondents)
        print(f"{submitted} sealed ballots submitted in "
              f"{time.perf_counter() - started:.1f} s (not part of the figure)")
        started = time.perf_counter()
        built = await _close_and_report(ctx, survey_id)
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
    print(f"{built} reports built from {count} evaluatees' sealed ballots, opened at close")
    print(f"seconds={seconds:.2f} chart_ms={chart_ms:.0f} evaluatees={count} "
          f"responses={submitted - count}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--evaluatees", type=int, default=10_000)
    parser.add_argument("--respondents", type=int, default=7)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.evaluatees, arguments.respondents))
