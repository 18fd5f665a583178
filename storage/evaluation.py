"""Quarterly evaluation: opening a campaign, the evaluator's sheets and answers, submission."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from scoring import Methodology, Quarter, WorkCalendar
from scoring.campaign import Absence, Person, plan_quarter

from . import audit
from .db import Connection, Database, Row, engine_of, insert, query


@dataclass(frozen=True, slots=True)
class Campaign:
    id: int
    quarter: Quarter
    methodology: str
    deadline: date
    closed: bool


@dataclass(frozen=True, slots=True)
class OpenReport:
    campaign: Campaign
    created: bool
    sheets_added: int
    sheets_total: int
    excluded: int


@dataclass(frozen=True, slots=True)
class Answer:
    parameter: str
    score: Decimal
    comment: str | None


@dataclass(frozen=True, slots=True)
class Sheet:
    id: int
    campaign: Campaign
    evaluatee_id: int
    evaluatee_name: str
    evaluatee_position: str
    evaluator_id: int
    routed_evaluator_id: int
    form: str
    without_participation: bool
    sanctions: tuple[str, ...]
    status: str
    position: int
    answers: dict[str, Answer]
    average: Decimal | None
    grade: str | None
    final_average: Decimal | None
    final_grade: str | None
    submitted_at: datetime | None
    delivered_at: datetime | None
    acknowledged_at: datetime | None

    @property
    def score(self) -> Decimal | None:
        """The score that counts: the calibrated one when there is one."""
        return self.final_average if self.final_average is not None else self.average


def _campaign(row: Row) -> Campaign:
    return Campaign(row["id"], Quarter(row["year"], row["quarter"]), row["methodology"],
                    date.fromisoformat(row["deadline"]), row["closed_at"] is not None)


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _dec(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


async def campaign_for(conn: Connection, quarter: Quarter) -> Campaign | None:
    rows = await query(conn, "SELECT * FROM campaign WHERE year = ? AND quarter = ?",
                                       (quarter.year, quarter.number))
    return _campaign(rows[0]) if rows else None


async def open_campaigns(conn: Connection) -> list[Campaign]:
    rows = await query(
        conn, "SELECT * FROM campaign WHERE closed_at IS NULL ORDER BY year, quarter")
    return [_campaign(r) for r in rows]


async def open_campaign(conn: Connection, methodology: Methodology, quarter: Quarter,
                        calendar: WorkCalendar, *, at: datetime, today: date,
                        actor: str) -> OpenReport:
    """Open the quarter (or top it up: servants added to the roster since get their sheets;
    existing sheets are never touched). Call inside one transaction."""
    existing = await campaign_for(conn, quarter)
    created = existing is None
    if created:
        deadline = methodology.evaluation_deadline(quarter, calendar)
        campaign_id = await insert(
            conn, "INSERT INTO campaign (year, quarter, methodology, opened_at, deadline) "
            "VALUES (?, ?, ?, ?, ?)", (quarter.year, quarter.number, methodology.id,
                                       at.isoformat(timespec="seconds"), deadline.isoformat()))
        campaign = Campaign(campaign_id, quarter, methodology.id, deadline, False)
    else:
        assert existing is not None
        campaign = existing
    people, parents, absences, sanctions = await _organisation(conn, quarter)
    assignments, exclusions = plan_quarter(
        methodology, quarter, people, unit_parents=parents, absences=absences,
        sanctions=sanctions, calendar=calendar, opened_on=today)
    before = await _sheet_count(conn, campaign.id)
    await conn.executemany(
        "INSERT INTO sheet (campaign_id, evaluatee_id, evaluator_id, "
        "routed_evaluator_id, form, route_clause, without_participation, sanctions) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [(campaign.id, a.servant_id, a.evaluator_id, a.routed_evaluator_id, a.form, a.clause,
          int(a.without_participation), json.dumps(a.sanctions)) for a in assignments])
    total = await _sheet_count(conn, campaign.id)
    added = total - before
    await conn.execute("DELETE FROM exclusion WHERE campaign_id = ?", (campaign.id,))
    await conn.executemany(
        "INSERT INTO exclusion (campaign_id, servant_id, reason) VALUES (?, ?, ?)",
        [(campaign.id, e.servant_id, e.reason) for e in exclusions])
    report = OpenReport(campaign, created, added, total, len(exclusions))
    await audit.record(conn, at=at, actor=actor, action="campaign.open", subject=str(quarter),
                       after={"created": created, "sheets_added": added,
                              "excluded": len(exclusions)})
    return report


async def _organisation(conn: Connection, quarter: Quarter):
    rows = await query(
        conn, "SELECT id, category, managerial, unit_head, unit_id, supervisor_id, appointed_on, "
        "dismissed_on FROM servant WHERE appointed_on <= ? AND "
        "(dismissed_on IS NULL OR dismissed_on >= ?)",
        (quarter.end.isoformat(), quarter.start.isoformat()))
    people = [Person(r[0], r[1], bool(r[2]), bool(r[3]), r[4], r[5], date.fromisoformat(r[6]),
                     date.fromisoformat(r[7]) if r[7] else None) for r in rows]
    parents = {r[0]: r[1] for r in await query(conn, "SELECT id, parent_id FROM unit")}
    absences = [Absence(r[0], date.fromisoformat(r[1]), date.fromisoformat(r[2]), r[3], r[4])
                for r in await query(
                    conn, "SELECT servant_id, starts_on, ends_on, kind, substitute_id FROM "
                    "absence "
                    "WHERE ends_on >= ?", (quarter.start.isoformat(),))]
    sanctions: dict[int, list[str]] = {}
    for r in await query(
        conn, "SELECT servant_id, kind FROM sanction WHERE imposed_on BETWEEN ? AND ?",
            (quarter.start.isoformat(), quarter.end.isoformat())):
        sanctions.setdefault(r[0], []).append(r[1])
    return people, parents, absences, sanctions


_ANSWERS = {  # the sheet's answers as one JSON array of [parameter, score, comment]
    "sqlite": "json_group_array(json_array(a.parameter, a.score, a.comment))",
    "postgresql": "coalesce(json_agg(json_build_array(a.parameter, a.score::text, a.comment)), "
                  "'[]')",
}
_SHEETS = {engine: (
    "SELECT sh.*, s.full_name, s.position AS evaluatee_position, c.year, c.quarter, "
    f"c.methodology, c.deadline, c.closed_at, c.id AS cid, (SELECT {answers} "
    "FROM answer a WHERE a.sheet_id = sh.id) "
    "AS answers FROM sheet sh JOIN servant s ON s.id = sh.evaluatee_id "
    "JOIN campaign c ON c.id = sh.campaign_id ") for engine, answers in _ANSWERS.items()}


async def _sheet_count(conn: Connection, campaign_id: int) -> int:
    return int((await query(conn, "SELECT count(*) FROM sheet WHERE campaign_id = ?",
                            (campaign_id,)))[0][0])


def _sheet(r: Row) -> Sheet:
    answers = {p: Answer(p, Decimal(score), comment)
               for p, score, comment in json.loads(r["answers"])}
    return Sheet(
        id=r["id"],
        campaign=Campaign(r["cid"], Quarter(r["year"], r["quarter"]), r["methodology"],
                          date.fromisoformat(r["deadline"]), r["closed_at"] is not None),
        evaluatee_id=r["evaluatee_id"], evaluatee_name=r["full_name"],
        evaluatee_position=r["evaluatee_position"], evaluator_id=r["evaluator_id"],
        routed_evaluator_id=r["routed_evaluator_id"], form=r["form"],
        without_participation=bool(r["without_participation"]),
        sanctions=tuple(json.loads(r["sanctions"])), status=r["status"], position=r["position"],
        answers=answers, average=_dec(r["average"]), grade=r["grade"],
        final_average=_dec(r["final_average"]), final_grade=r["final_grade"],
        submitted_at=_dt(r["submitted_at"]), delivered_at=_dt(r["delivered_at"]),
        acknowledged_at=_dt(r["acknowledged_at"]),
    )


async def _sheets(conn: Connection, where: str, params: tuple) -> list[Sheet]:
    return [_sheet(r) for r in await query(conn, _SHEETS[engine_of(conn)] + where, params)]


async def sheet(conn: Connection, sheet_id: int) -> Sheet | None:
    found = await _sheets(conn, "WHERE sh.id = ?", (sheet_id,))
    return found[0] if found else None


async def load_sheet(db: Database, sheet_id: int) -> Sheet | None:
    """One sheet with its answers as committed, read by key on every tap (``Database.peek``:
    no hop to the database thread)."""
    rows = await db.peek(_SHEETS[db.engine] + "WHERE sh.id = ?", (sheet_id,))
    return _sheet(rows[0]) if rows else None


async def evaluator_sheets(conn: Connection, evaluator_id: int) -> list[Sheet]:
    """The evaluator's sheets in open campaigns, pending first, then by name."""
    return await _sheets(
        conn, "WHERE sh.evaluator_id = ? AND c.closed_at IS NULL "
        "ORDER BY sh.status = 'submitted', s.full_name", (evaluator_id,))


async def pending_sheets(conn: Connection, campaign_id: int) -> list[Sheet]:
    """The campaign's sheets not submitted yet."""
    return await _sheets(conn, "WHERE sh.campaign_id = ? AND sh.status = 'pending' "
                         "ORDER BY sh.id", (campaign_id,))


async def evaluatee_sheets(conn: Connection, evaluatee_id: int) -> list[Sheet]:
    """The servant's submitted sheets, newest quarter first."""
    return await _sheets(
        conn, "WHERE sh.evaluatee_id = ? AND sh.status = 'submitted' "
        "ORDER BY c.year DESC, c.quarter DESC", (evaluatee_id,))


async def record_answer(db: Database, sheet: Sheet, ordinal: int, parameter: str,
                        score: Decimal, *, at: datetime, actor: str) -> Sheet:
    """Save one score (its comment is kept) in one statement: the database's triggers move the
    sheet on to the next parameter and audit it, and refuse it if the sheet was submitted.
    Returns the sheet as it now is."""
    when = at.isoformat(timespec="seconds")
    await db.change(
        "INSERT INTO answer (sheet_id, parameter, ordinal, score, answered_at, answered_by) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (sheet_id, parameter) DO UPDATE SET "
        "score = excluded.score, ordinal = excluded.ordinal, answered_at = excluded.answered_at,"
        " answered_by = excluded.answered_by",
        (sheet.id, parameter, ordinal, str(score), when, actor))
    previous = sheet.answers.get(parameter)
    answers = {**sheet.answers,
               parameter: Answer(parameter, score, previous.comment if previous else None)}
    return dataclasses.replace(sheet, answers=answers, position=ordinal + 1)


async def record_answer_with_comment(conn: Connection, sheet: Sheet, ordinal: int,
                                     parameter: str, score: Decimal, comment: str, *,
                                     at: datetime, actor: str) -> Sheet:
    """Save a score and the comment written before it, inside the caller's transaction (the
    triggers move the sheet on and audit the score; the comment is audited here)."""
    await conn.execute(
        "INSERT INTO answer (sheet_id, parameter, ordinal, score, comment, answered_at, "
        "answered_by) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sheet_id, parameter) DO UPDATE "
        "SET score = excluded.score, comment = excluded.comment, ordinal = excluded.ordinal, "
        "answered_at = excluded.answered_at, answered_by = excluded.answered_by",
        (sheet.id, parameter, ordinal, str(score), comment, at.isoformat(timespec="seconds"),
         actor))
    await audit.record(conn, at=at, actor=actor, action="sheet.comment",
                       subject=f"sheet:{sheet.id}:{parameter}")
    answers = {**sheet.answers, parameter: Answer(parameter, score, comment)}
    return dataclasses.replace(sheet, answers=answers, position=ordinal + 1)


async def save_comment(conn: Connection, sheet_id: int, parameter: str,
                       comment: str | None, *, at: datetime, actor: str) -> bool:
    """Set or clear the comment of an answered parameter; False if it is not answered yet."""
    cursor = await conn.execute(
        "UPDATE answer SET comment = ? WHERE sheet_id = ? AND parameter = ?",
        (comment, sheet_id, parameter))
    if cursor.rowcount:
        await audit.record(conn, at=at, actor=actor, action="sheet.comment",
                           subject=f"sheet:{sheet_id}:{parameter}")
    return bool(cursor.rowcount)


async def move(db: Database, sheet: Sheet, position: int) -> Sheet:
    """Remember the parameter the evaluator is on (to resume there)."""
    if position != sheet.position:
        await db.change("UPDATE sheet SET position = ? WHERE id = ?", (position, sheet.id))
    return dataclasses.replace(sheet, position=position)


async def submit(conn: Connection, sheet_id: int, *, average: Decimal, grade: str,
                 at: datetime, actor: str) -> bool:
    """Mark the sheet submitted with its result; False if it already was (a double tap)."""
    cursor = await conn.execute(
        "UPDATE sheet SET status = 'submitted', average = ?, grade = ?, submitted_at = ? "
        "WHERE id = ? AND status = 'pending'",
        (str(average), grade, at.isoformat(timespec="seconds"), sheet_id))
    if cursor.rowcount:
        await audit.record(conn, at=at, actor=actor, action="sheet.submit",
                           subject=f"sheet:{sheet_id}", after={"average": str(average),
                                                               "grade": grade})
    return bool(cursor.rowcount)


async def mark_delivered(conn: Connection, sheet_id: int, *, at: datetime) -> None:
    await conn.execute("UPDATE sheet SET delivered_at = ? WHERE id = ? AND delivered_at IS NULL",
                       (at.isoformat(timespec="seconds"), sheet_id))


async def acknowledge(conn: Connection, sheet_id: int, *, at: datetime,
                      actor: str) -> bool:
    cursor = await conn.execute(
        "UPDATE sheet SET acknowledged_at = ? WHERE id = ? AND acknowledged_at IS NULL",
        (at.isoformat(timespec="seconds"), sheet_id))
    if cursor.rowcount:
        await audit.record(conn, at=at, actor=actor, action="sheet.acknowledge",
                           subject=f"sheet:{sheet_id}")
    return bool(cursor.rowcount)


async def hand_over(conn: Connection, sheet_id: int, colleague_id: int, *,
                    at: datetime, actor: str) -> None:
    """Cl. 18: an evaluator with over twenty evaluatees hands a sheet to a colleague."""
    await conn.execute("UPDATE sheet SET evaluator_id = ? WHERE id = ? AND status = 'pending'",
                       (colleague_id, sheet_id))
    await audit.record(conn, at=at, actor=actor, action="sheet.hand_over",
                       subject=f"sheet:{sheet_id}", after=colleague_id)


async def set_final(conn: Connection, sheet_id: int, *, average: Decimal, grade: str,
                    at: datetime, actor: str) -> None:
    """The calibrated score, which replaces the sheet's average everywhere."""
    before = await query(conn, "SELECT average FROM sheet WHERE id = ?", (sheet_id,))
    await conn.execute("UPDATE sheet SET final_average = ?, final_grade = ? WHERE id = ?",
                       (str(average), grade, sheet_id))
    await audit.record(conn, at=at, actor=actor, action="sheet.final",
                       subject=f"sheet:{sheet_id}", before=before[0][0], after=str(average))


async def close_campaign(conn: Connection, campaign_id: int, *, at: datetime,
                         actor: str) -> None:
    await conn.execute("UPDATE campaign SET closed_at = ? WHERE id = ? AND closed_at IS NULL",
                       (at.isoformat(timespec="seconds"), campaign_id))
    await audit.record(conn, at=at, actor=actor, action="campaign.close",
                       subject=f"campaign:{campaign_id}")


async def campaign(conn: Connection, campaign_id: int) -> Campaign | None:
    rows = await query(conn, "SELECT * FROM campaign WHERE id = ?", (campaign_id,))
    return _campaign(rows[0]) if rows else None


async def sheet_counts(conn: Connection, campaign_id: int) -> dict[int, int]:
    """Pending sheets per evaluator (for the notice when a campaign opens)."""
    rows = await query(
        conn, "SELECT evaluator_id, count(*) FROM sheet WHERE campaign_id = ? AND status = "
        "'pending' "
        "GROUP BY evaluator_id", (campaign_id,))
    return {r[0]: r[1] for r in rows}
