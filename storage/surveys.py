"""Anonymous surveys: invitations, the respondent's own drafts, and totals that remember no one.

Submitting is one transaction: the draft's answers are added to the target's totals, the
invitation is marked done and the draft deleted. Nothing here writes an answer value next to a
respondent, and no log line carries one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import aiosqlite

from .db import Database


@dataclass(frozen=True, slots=True)
class Survey:
    id: int
    kind: str  # 360 | working_conditions
    year: int
    closes_on: date
    started: bool
    closed: bool


@dataclass(frozen=True, slots=True)
class Invitation:
    id: int
    survey: Survey
    target_id: int
    subject_id: int | None
    subject_name: str
    question_set: str
    role: str
    position: int
    done: bool


def _survey(r) -> Survey:
    return Survey(r["id"], r["kind"], r["year"], date.fromisoformat(r["closes_on"]),
                  r["started_on"] is not None, r["closed_on"] is not None)


async def create(conn: aiosqlite.Connection, kind: str, year: int, methodology: str, *,
                 today: date, closes_on: date) -> int:
    cursor = await conn.execute(
        "INSERT INTO survey (kind, year, methodology, opened_on, closes_on) VALUES "
        "(?, ?, ?, ?, ?)", (kind, year, methodology, today.isoformat(), closes_on.isoformat()))
    return cursor.lastrowid


async def add_target(conn: aiosqlite.Connection, survey_id: int, subject_id: int | None,
                     question_set: str, respondents: list[tuple[int, str]]) -> int:
    """A target with its respondents (the evaluatee's self-assessment included by the caller)."""
    cursor = await conn.execute(
        "INSERT INTO survey_target (survey_id, subject_id, question_set) VALUES (?, ?, ?)",
        (survey_id, subject_id, question_set))
    await conn.executemany(
        "INSERT INTO survey_invitation (target_id, respondent_id, role) VALUES (?, ?, ?)",
        [(cursor.lastrowid, r, role) for r, role in respondents])
    return cursor.lastrowid


async def replace_respondents(conn: aiosqlite.Connection, target_id: int,
                              respondents: list[tuple[int, str]]) -> None:
    """HR's adjustment before the survey starts; the self-assessment stays."""
    await conn.execute("DELETE FROM survey_invitation WHERE target_id = ? AND role != 'self'",
                       (target_id,))
    await conn.executemany(
        "INSERT INTO survey_invitation (target_id, respondent_id, role) VALUES (?, ?, ?)",
        [(target_id, r, role) for r, role in respondents])


async def survey(conn: aiosqlite.Connection, survey_id: int) -> Survey | None:
    rows = await conn.execute_fetchall("SELECT * FROM survey WHERE id = ?", (survey_id,))
    return _survey(rows[0]) if rows else None


async def open_surveys(conn: aiosqlite.Connection) -> list[Survey]:
    rows = await conn.execute_fetchall(
        "SELECT * FROM survey WHERE closed_on IS NULL ORDER BY id")
    return [_survey(r) for r in rows]


async def start(conn: aiosqlite.Connection, survey_id: int, today: date) -> list[int]:
    """Mark the survey started; returns the invitations to send."""
    await conn.execute("UPDATE survey SET started_on = ? WHERE id = ? AND started_on IS NULL",
                       (today.isoformat(), survey_id))
    rows = await conn.execute_fetchall(
        "SELECT i.id FROM survey_invitation i JOIN survey_target t ON t.id = i.target_id "
        "WHERE t.survey_id = ? ORDER BY i.id", (survey_id,))
    return [r[0] for r in rows]


async def close(conn: aiosqlite.Connection, survey_id: int, today: date) -> None:
    await conn.execute("UPDATE survey SET closed_on = ? WHERE id = ? AND closed_on IS NULL",
                       (today.isoformat(), survey_id))
    await conn.execute(  # unfinished drafts are nobody's business any more
        "DELETE FROM survey_draft WHERE invitation_id IN (SELECT i.id FROM survey_invitation i "
        "JOIN survey_target t ON t.id = i.target_id WHERE t.survey_id = ?)", (survey_id,))


_INVITATION = (
    "SELECT i.*, t.subject_id, t.question_set, coalesce(s.full_name, '') AS subject_name, "
    "v.id AS sid, v.kind, v.year, v.closes_on, v.started_on, v.closed_on "
    "FROM survey_invitation i JOIN survey_target t ON t.id = i.target_id "
    "JOIN survey v ON v.id = t.survey_id LEFT JOIN servant s ON s.id = t.subject_id ")


def _invitation(r) -> Invitation:
    survey_ = Survey(r["sid"], r["kind"], r["year"], date.fromisoformat(r["closes_on"]),
                     r["started_on"] is not None, r["closed_on"] is not None)
    return Invitation(r["id"], survey_, r["target_id"], r["subject_id"], r["subject_name"],
                      r["question_set"], r["role"], r["position"], bool(r["done"]))


async def invitation(db: Database, invitation_id: int) -> Invitation | None:
    rows = await db.fetch(_INVITATION + "WHERE i.id = ?", (invitation_id,))
    return _invitation(rows[0]) if rows else None


async def invitations_of(db: Database, respondent_id: int) -> list[Invitation]:
    """The respondent's pending invitations in started, open surveys."""
    rows = await db.fetch(_INVITATION + "WHERE i.respondent_id = ? AND i.done = 0 AND "
                          "v.started_on IS NOT NULL AND v.closed_on IS NULL ORDER BY i.id",
                          (respondent_id,))
    return [_invitation(r) for r in rows]


async def draft(db: Database, invitation_id: int) -> dict[str, str]:
    rows = await db.fetch("SELECT item, answer FROM survey_draft WHERE invitation_id = ?",
                          (invitation_id,))
    return {r[0]: r[1] for r in rows}


async def answer(db: Database, invitation_id: int, item: str, option: str,
                 position: int) -> None:
    """Save one answer to the respondent's own draft and move him on (one round trip)."""
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO survey_draft (invitation_id, item, answer) VALUES (?, ?, ?) "
            "ON CONFLICT (invitation_id, item) DO UPDATE SET answer = excluded.answer",
            (invitation_id, item, option))
        await conn.execute("UPDATE survey_invitation SET position = ? WHERE id = ? AND done = 0",
                           (position, invitation_id))


async def move(db: Database, invitation_id: int, position: int) -> None:
    await db.change("UPDATE survey_invitation SET position = ? WHERE id = ? AND done = 0",
                    (position, invitation_id))


async def submit(conn: aiosqlite.Connection, invitation: Invitation,
                 points: dict[str, tuple[str, int]], today: date) -> bool:
    """Add the draft to the totals, mark the invitation done, delete the draft — or nothing,
    if it was already submitted (a double tap). ``points``: item -> (total key, points)."""
    cursor = await conn.execute(
        "UPDATE survey_invitation SET done = 1, position = 0 WHERE id = ? AND done = 0",
        (invitation.id,))
    if not cursor.rowcount:
        return False
    is_self = int(invitation.role == "self")
    await conn.executemany(
        "INSERT INTO survey_total (target_id, item, is_self, points, answers, updated_on) "
        "VALUES (?, ?, ?, ?, 1, ?) ON CONFLICT (target_id, item, is_self) DO UPDATE SET "
        "points = points + excluded.points, answers = answers + 1, "
        "updated_on = excluded.updated_on",
        [(invitation.target_id, key, is_self, value, today.isoformat())
         for key, value in points.values()])
    counter = "self_done" if is_self else "others_done"
    await conn.execute(f"UPDATE survey_target SET {counter} = {counter} + 1 WHERE id = ?",
                       (invitation.target_id,))
    await conn.execute("DELETE FROM survey_draft WHERE invitation_id = ?", (invitation.id,))
    return True


@dataclass(frozen=True, slots=True)
class TargetCount:
    target_id: int
    subject_id: int | None
    subject_name: str
    question_set: str
    others_done: int
    others_invited: int
    self_done: bool


async def counts(conn: aiosqlite.Connection, survey_id: int) -> list[TargetCount]:
    """Done and invited per target — counts only, never who."""
    rows = await conn.execute_fetchall(
        "SELECT t.id, t.subject_id, coalesce(s.full_name, ''), t.question_set, t.others_done, "
        "(SELECT count(*) FROM survey_invitation i WHERE i.target_id = t.id "
        " AND i.role != 'self'), t.self_done FROM survey_target t "
        "LEFT JOIN servant s ON s.id = t.subject_id WHERE t.survey_id = ? ORDER BY 3",
        (survey_id,))
    return [TargetCount(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6])) for r in rows]


async def totals(conn: aiosqlite.Connection, target_id: int
                 ) -> tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
    """(others, self): per item, (points, answers)."""
    found: dict[int, dict[str, tuple[int, int]]] = {0: {}, 1: {}}
    for r in await conn.execute_fetchall(
            "SELECT item, is_self, points, answers FROM survey_total WHERE target_id = ?",
            (target_id,)):
        found[r[1]][r[0]] = (r[2], r[3])
    return found[0], found[1]


async def targets_of_subject(conn: aiosqlite.Connection, subject_id: int) -> list[TargetCount]:
    rows = await conn.execute_fetchall(
        "SELECT t.survey_id FROM survey_target t WHERE t.subject_id = ?", (subject_id,))
    found = []
    for r in rows:
        found += [c for c in await counts(conn, r[0]) if c.subject_id == subject_id]
    return found


async def all_totals(conn: aiosqlite.Connection, survey_id: int
                     ) -> dict[int, dict[str, tuple[int, int]]]:
    """Others' totals of every target of a survey (for HR's organisation-wide view)."""
    found: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    for r in await conn.execute_fetchall(
            "SELECT t.id, x.item, x.points, x.answers FROM survey_total x "
            "JOIN survey_target t ON t.id = x.target_id WHERE t.survey_id = ? AND x.is_self = 0",
            (survey_id,)):
        found[r[0]][r[1]] = (r[2], r[3])
    return found


async def pending_respondents(conn: aiosqlite.Connection, survey_id: int) -> list[int]:
    """Who still has to answer (for reminders only; never shown to anyone)."""
    rows = await conn.execute_fetchall(
        "SELECT DISTINCT i.respondent_id FROM survey_invitation i JOIN survey_target t "
        "ON t.id = i.target_id WHERE t.survey_id = ? AND i.done = 0", (survey_id,))
    return [r[0] for r in rows]
