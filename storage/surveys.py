"""Anonymous surveys: invitations, the respondent's own drafts, and totals that remember no one.

Submitting is one transaction: the draft's answers are added to the target's totals, the
invitation is marked done and the draft deleted. Nothing here writes an answer value next to a
respondent, and no log line carries one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import aiosqlite

from scoring.survey import RespondentRole, Tally

from .db import Database, query


class SurveyKind(StrEnum):
    """The stored value of ``survey.kind``."""

    SURVEY_360 = "360"
    WORKING_CONDITIONS = "working_conditions"


@dataclass(frozen=True, slots=True)
class Survey:
    id: int
    kind: SurveyKind
    year: int
    closes_on: date
    started_on: date | None
    closed: bool

    @property
    def started(self) -> bool:
        return self.started_on is not None


@dataclass(frozen=True, slots=True)
class Invitation:
    id: int
    survey: Survey
    target_id: int
    subject_id: int | None
    subject_name: str
    question_set: str
    role: RespondentRole
    position: int
    done: bool


def _survey(r: aiosqlite.Row, id_column: str = "id") -> Survey:
    return Survey(r[id_column], SurveyKind(r["kind"]), r["year"],
                  date.fromisoformat(r["closes_on"]),
                  date.fromisoformat(r["started_on"]) if r["started_on"] else None,
                  r["closed_on"] is not None)


@dataclass(frozen=True, slots=True)
class StaffMember:
    """An active servant as setting up a 360 needs him."""

    id: int
    personnel_no: str
    full_name: str
    supervisor_id: int | None
    category: str
    unit_head: bool


async def active_colleagues(conn: aiosqlite.Connection, today: date) -> list[StaffMember]:
    """Everyone not dismissed before ``today``."""
    rows = await query(
        conn, "SELECT id, personnel_no, full_name, supervisor_id, category, unit_head "
        "FROM servant "
        "WHERE dismissed_on IS NULL OR dismissed_on >= ?", (today.isoformat(),))
    return [StaffMember(r[0], r[1], r[2], r[3], r[4], bool(r[5])) for r in rows]


async def active_staff(conn: aiosqlite.Connection, today: date) -> list[int]:
    """The ids of everyone not dismissed before ``today`` (the working-conditions survey)."""
    rows = await query(
        conn, "SELECT id FROM servant WHERE dismissed_on IS NULL OR dismissed_on >= ?",
        (today.isoformat(),))
    return [r[0] for r in rows]


async def create(conn: aiosqlite.Connection, kind: SurveyKind, year: int, methodology: str, *,
                 today: date, closes_on: date) -> int:
    cursor = await conn.execute(
        "INSERT INTO survey (kind, year, methodology, opened_on, closes_on) VALUES "
        "(?, ?, ?, ?, ?)", (kind, year, methodology, today.isoformat(), closes_on.isoformat()))
    assert cursor.lastrowid is not None
    return cursor.lastrowid


async def add_target(conn: aiosqlite.Connection, survey_id: int, subject_id: int | None,
                     question_set: str, respondents: Sequence[tuple[int, RespondentRole]]
                     ) -> int:
    """A target with its respondents (the evaluatee's self-assessment included by the caller)."""
    cursor = await conn.execute(
        "INSERT INTO survey_target (survey_id, subject_id, question_set) VALUES (?, ?, ?)",
        (survey_id, subject_id, question_set))
    await conn.executemany(
        "INSERT INTO survey_invitation (target_id, respondent_id, role) VALUES (?, ?, ?)",
        [(cursor.lastrowid, r, role) for r, role in respondents])
    assert cursor.lastrowid is not None
    return cursor.lastrowid


async def replace_respondents(conn: aiosqlite.Connection, target_id: int,
                              respondents: Sequence[tuple[int, RespondentRole]]) -> None:
    """HR's adjustment before the survey starts; the self-assessment stays."""
    await conn.execute("DELETE FROM survey_invitation WHERE target_id = ? AND role != 'self'",
                       (target_id,))
    await conn.executemany(
        "INSERT INTO survey_invitation (target_id, respondent_id, role) VALUES (?, ?, ?)",
        [(target_id, r, role) for r, role in respondents])


async def survey(conn: aiosqlite.Connection, survey_id: int) -> Survey | None:
    rows = list(await query(conn, "SELECT * FROM survey WHERE id = ?", (survey_id,)))
    return _survey(rows[0]) if rows else None


async def open_surveys(conn: aiosqlite.Connection) -> list[Survey]:
    rows = await query(conn, "SELECT * FROM survey WHERE closed_on IS NULL ORDER BY id")
    return [_survey(r) for r in rows]


async def start(conn: aiosqlite.Connection, survey_id: int, today: date
                ) -> list[tuple[int, int]]:
    """Mark the survey started; returns the invitations to send: (invitation, respondent)."""
    await conn.execute("UPDATE survey SET started_on = ? WHERE id = ? AND started_on IS NULL",
                       (today.isoformat(), survey_id))
    rows = await query(
        conn, "SELECT i.id, i.respondent_id FROM survey_invitation i JOIN survey_target t "
        "ON t.id = i.target_id WHERE t.survey_id = ? ORDER BY i.id", (survey_id,))
    return [(r[0], r[1]) for r in rows]


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


def _invitation(r: aiosqlite.Row) -> Invitation:
    return Invitation(r["id"], _survey(r, "sid"), r["target_id"], r["subject_id"],
                      r["subject_name"], r["question_set"], RespondentRole(r["role"]),
                      r["position"], bool(r["done"]))


async def invitation(db: Database, invitation_id: int) -> Invitation | None:
    rows = await db.fetch(_INVITATION + "WHERE i.id = ?", (invitation_id,))
    return _invitation(rows[0]) if rows else None


async def own_invitation(db: Database, invitation_id: int, respondent_id: int
                         ) -> Invitation | None:
    """The invitation if it is addressed to this respondent."""
    rows = await db.fetch(_INVITATION + "WHERE i.id = ? AND i.respondent_id = ?",
                          (invitation_id, respondent_id))
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


async def submit(conn: aiosqlite.Connection, invitation: Invitation, points: Tally,
                 today: date) -> bool:
    """Add the draft to the totals, mark the invitation done, delete the draft — or nothing,
    if it was already submitted (a double tap). ``points``: item -> (total key, points)."""
    cursor = await conn.execute(
        "UPDATE survey_invitation SET done = 1, position = 0 WHERE id = ? AND done = 0",
        (invitation.id,))
    if not cursor.rowcount:
        return False
    is_self = int(invitation.role == RespondentRole.SELF)
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
    rows = await query(
        conn, "SELECT t.id, t.subject_id, coalesce(s.full_name, ''), t.question_set, "
        "t.others_done, "
        "(SELECT count(*) FROM survey_invitation i WHERE i.target_id = t.id "
        " AND i.role != 'self'), t.self_done FROM survey_target t "
        "LEFT JOIN servant s ON s.id = t.subject_id WHERE t.survey_id = ? ORDER BY 3",
        (survey_id,))
    return [TargetCount(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6])) for r in rows]


@dataclass(frozen=True, slots=True)
class Target:
    """A 360 target as its report needs it: whose, which sheet, how many answered."""

    id: int
    subject_id: int | None
    subject_name: str | None
    supervisor_id: int | None
    question_set: str
    others_done: int
    closed: bool  # the survey is closed


async def target(conn: aiosqlite.Connection, target_id: int) -> Target | None:
    rows = list(await query(
        conn, "SELECT t.id, t.subject_id, t.question_set, t.others_done, s.closed_on, "
        "x.full_name, x.supervisor_id FROM survey_target t JOIN survey s "
        "ON s.id = t.survey_id LEFT JOIN servant x ON x.id = t.subject_id WHERE t.id = ?",
        (target_id,)))
    if not rows:
        return None
    r = rows[0]
    return Target(r[0], r[1], r[5], r[6], r[2], r[3], r[4] is not None)


@dataclass(frozen=True, slots=True)
class Evaluatee:
    """The servant a 360 target is about, and whether its survey has started."""

    id: int
    supervisor_id: int | None
    category: str
    started: bool


async def evaluatee_of(conn: aiosqlite.Connection, target_id: int) -> Evaluatee | None:
    """None for a target about nobody (the working-conditions survey) or no target at all."""
    rows = list(await query(
        conn, "SELECT t.subject_id, s.supervisor_id, s.category, v.started_on "
        "FROM survey_target t "
        "JOIN servant s ON s.id = t.subject_id JOIN survey v ON v.id = t.survey_id "
        "WHERE t.id = ?", (target_id,)))
    return Evaluatee(rows[0][0], rows[0][1], rows[0][2], rows[0][3] is not None) \
        if rows else None


async def totals(conn: aiosqlite.Connection, target_id: int
                 ) -> tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
    """(others, self): per item, (points, answers)."""
    found: dict[int, dict[str, tuple[int, int]]] = {0: {}, 1: {}}
    for r in await query(
        conn, "SELECT item, is_self, points, answers FROM survey_total WHERE target_id = ?",
            (target_id,)):
        found[r[1]][r[0]] = (r[2], r[3])
    return found[0], found[1]


async def targets_of_subject(conn: aiosqlite.Connection, subject_id: int) -> list[TargetCount]:
    rows = await query(
        conn, "SELECT t.survey_id FROM survey_target t WHERE t.subject_id = ?", (subject_id,))
    found = []
    for r in rows:
        found += [c for c in await counts(conn, r[0]) if c.subject_id == subject_id]
    return found


async def all_totals(conn: aiosqlite.Connection, survey_id: int
                     ) -> dict[int, dict[str, tuple[int, int]]]:
    """Others' totals of every target of a survey (for HR's organisation-wide view)."""
    found: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    for r in await query(conn, "SELECT t.id, x.item, x.points, x.answers FROM survey_total x "
            "JOIN survey_target t ON t.id = x.target_id WHERE t.survey_id = ? AND x.is_self = 0",
            (survey_id,)):
        found[r[0]][r[1]] = (r[2], r[3])
    return found


async def pending_invitations(conn: aiosqlite.Connection, survey_id: int
                              ) -> list[tuple[int, int]]:
    """(invitation, respondent) not yet answered, for reminders only; never shown to anyone."""
    rows = await query(
        conn, "SELECT i.id, i.respondent_id FROM survey_invitation i JOIN survey_target t "
        "ON t.id = i.target_id WHERE t.survey_id = ? AND i.done = 0", (survey_id,))
    return [(r[0], r[1]) for r in rows]
