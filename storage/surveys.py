"""Anonymous surveys: invitations, sealed drafts, sealed ballots and sealed aggregates.

Every answer value this module stores is sealed with a key the database does not hold
(``storage.sealing``; docs/anonymity.md). Submitting is one transaction: the invitation is marked
done, one ballot with a random id and no respondent, invitation or time is added, and the draft
is deleted. Closing turns all ballots into per-target aggregates at once and deletes them.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from scoring.survey import ReportCircle, RespondentRole

from .db import Connection, Row, engine_of, insert, query


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
    key_id: bytes | None  # which key of the key file seals its answers

    @property
    def started(self) -> bool:
        return self.started_on is not None

    def accepts_answers(self, today: date) -> bool:
        """Started, not closed, and not past its closing day (the scheduler closes it soon)."""
        return self.started and not self.closed and today <= self.closes_on


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


def _survey(r: Row, id_column: str = "id") -> Survey:
    return Survey(r[id_column], SurveyKind(r["kind"]), r["year"],
                  date.fromisoformat(r["closes_on"]),
                  date.fromisoformat(r["started_on"]) if r["started_on"] else None,
                  r["closed_on"] is not None, r["key_id"])


@dataclass(frozen=True, slots=True)
class StaffMember:
    """An active servant as setting up a 360 needs him."""

    id: int
    personnel_no: str
    full_name: str
    supervisor_id: int | None
    category: str
    unit_head: bool


async def active_colleagues(conn: Connection, today: date) -> list[StaffMember]:
    """Everyone not dismissed before ``today``."""
    rows = await query(
        conn, "SELECT id, personnel_no, full_name, supervisor_id, category, unit_head "
        "FROM servant "
        "WHERE dismissed_on IS NULL OR dismissed_on >= ?", (today.isoformat(),))
    return [StaffMember(r[0], r[1], r[2], r[3], r[4], bool(r[5])) for r in rows]


async def apparatus_staff(conn: Connection, today: date) -> list[int]:
    """The ids of everyone not dismissed before ``today`` but the appointing officials: the
    staff who rate the chief of staff in the working-conditions survey (decision 47)."""
    rows = await query(
        conn, "SELECT id FROM servant WHERE (dismissed_on IS NULL OR dismissed_on >= ?) "
        "AND is_appointing = 0", (today.isoformat(),))
    return [r[0] for r in rows]


async def create(conn: Connection, kind: SurveyKind, year: int, methodology: str, *,
                 today: date, closes_on: date, key_id: bytes) -> int:
    return await insert(
        conn, "INSERT INTO survey (kind, year, methodology, opened_on, closes_on, key_id) VALUES "
        "(?, ?, ?, ?, ?, ?)",
        (kind, year, methodology, today.isoformat(), closes_on.isoformat(), key_id))


async def add_target(conn: Connection, survey_id: int, subject_id: int | None,
                     question_set: str, respondents: Sequence[tuple[int, RespondentRole]]
                     ) -> int:
    """A target with its respondents (the evaluatee's self-assessment included by the caller)."""
    target_id = await insert(
        conn, "INSERT INTO survey_target (survey_id, subject_id, question_set) VALUES (?, ?, ?)",
        (survey_id, subject_id, question_set))
    await conn.executemany(
        "INSERT INTO survey_invitation (target_id, respondent_id, role) VALUES (?, ?, ?)",
        [(target_id, r, role) for r, role in respondents])
    return target_id


async def replace_respondents(conn: Connection, target_id: int,
                              respondents: Sequence[tuple[int, RespondentRole]]) -> None:
    """HR's adjustment before the survey starts; the self-assessment stays."""
    await conn.execute("DELETE FROM survey_invitation WHERE target_id = ? AND role != 'self'",
                       (target_id,))
    await conn.executemany(
        "INSERT INTO survey_invitation (target_id, respondent_id, role) VALUES (?, ?, ?)",
        [(target_id, r, role) for r, role in respondents])


async def survey(conn: Connection, survey_id: int) -> Survey | None:
    rows = list(await query(conn, "SELECT * FROM survey WHERE id = ?", (survey_id,)))
    return _survey(rows[0]) if rows else None


async def open_surveys(conn: Connection) -> list[Survey]:
    rows = await query(conn, "SELECT * FROM survey WHERE closed_on IS NULL ORDER BY id")
    return [_survey(r) for r in rows]


async def closed_surveys(conn: Connection, limit: int) -> list[Survey]:
    """The most recently closed first."""
    rows = await query(conn, "SELECT * FROM survey WHERE closed_on IS NOT NULL "
                       "ORDER BY closed_on DESC, id DESC LIMIT ?", (limit,))
    return [_survey(r) for r in rows]


async def start(conn: Connection, survey_id: int, today: date
                ) -> list[tuple[int, int]]:
    """Mark the survey started; returns the invitations to send: (invitation, respondent)."""
    await conn.execute("UPDATE survey SET started_on = ? WHERE id = ? AND started_on IS NULL",
                       (today.isoformat(), survey_id))
    rows = await query(
        conn, "SELECT i.id, i.respondent_id FROM survey_invitation i JOIN survey_target t "
        "ON t.id = i.target_id WHERE t.survey_id = ? ORDER BY i.id", (survey_id,))
    return [(r[0], r[1]) for r in rows]


_INVITATION = (
    "SELECT i.*, t.subject_id, t.question_set, coalesce(s.full_name, '') AS subject_name, "
    "v.id AS sid, v.kind, v.year, v.closes_on, v.started_on, v.closed_on, v.key_id "
    "FROM survey_invitation i JOIN survey_target t ON t.id = i.target_id "
    "JOIN survey v ON v.id = t.survey_id LEFT JOIN servant s ON s.id = t.subject_id ")


def _invitation(r: Row) -> Invitation:
    return Invitation(r["id"], _survey(r, "sid"), r["target_id"], r["subject_id"],
                      r["subject_name"], r["question_set"], RespondentRole(r["role"]),
                      r["position"], bool(r["done"]))


async def invitation(conn: Connection, invitation_id: int) -> Invitation | None:
    rows = await query(conn, _INVITATION + "WHERE i.id = ?", (invitation_id,))
    return _invitation(rows[0]) if rows else None


async def own_invitation(conn: Connection, invitation_id: int, respondent_id: int
                         ) -> Invitation | None:
    """The invitation if it is addressed to this respondent."""
    rows = await query(conn, _INVITATION + "WHERE i.id = ? AND i.respondent_id = ?",
                          (invitation_id, respondent_id))
    return _invitation(rows[0]) if rows else None


async def invitations_of(conn: Connection, respondent_id: int) -> list[Invitation]:
    """The respondent's pending invitations in started, open surveys."""
    rows = await query(conn, _INVITATION + "WHERE i.respondent_id = ? AND i.done = 0 AND "
                          "v.started_on IS NOT NULL AND v.closed_on IS NULL ORDER BY i.id",
                          (respondent_id,))
    return [_invitation(r) for r in rows]


async def sealed_draft(conn: Connection, invitation_id: int) -> bytes | None:
    rows = await query(conn, "SELECT sealed FROM survey_draft WHERE invitation_id = ?",
                       (invitation_id,))
    return bytes(rows[0][0]) if rows else None


async def save_draft(conn: Connection, invitation_id: int, sealed: bytes,
                     position: int) -> None:
    """Replace the respondent's sealed draft and move him on."""
    await conn.execute(
        "INSERT INTO survey_draft (invitation_id, sealed) VALUES (?, ?) "
        "ON CONFLICT (invitation_id) DO UPDATE SET sealed = excluded.sealed",
        (invitation_id, sealed))
    await conn.execute("UPDATE survey_invitation SET position = ? WHERE id = ? AND done = 0",
                       (position, invitation_id))


async def move(conn: Connection, invitation_id: int, position: int) -> None:
    await conn.execute("UPDATE survey_invitation SET position = ? WHERE id = ? AND done = 0",
                    (position, invitation_id))


BALLOT_ID_BYTES = 16


async def submit(conn: Connection, invitation: Invitation, ballot: bytes) -> bool:
    """Mark the invitation done, add the sealed ballot under a random id, delete the draft — or
    nothing, if it was already submitted (a double tap)."""
    cursor = await conn.execute(
        "UPDATE survey_invitation SET done = 1, position = 0 WHERE id = ? AND done = 0",
        (invitation.id,))
    if not cursor.rowcount:
        return False
    await conn.execute("INSERT INTO survey_ballot (id, survey_id, sealed) VALUES (?, ?, ?)",
                       (secrets.token_bytes(BALLOT_ID_BYTES), invitation.survey.id, ballot))
    counter = "self_done" if invitation.role == RespondentRole.SELF else "others_done"
    await conn.execute(f"UPDATE survey_target SET {counter} = {counter} + 1 WHERE id = ?",
                       (invitation.target_id,))
    await conn.execute("DELETE FROM survey_draft WHERE invitation_id = ?", (invitation.id,))
    return True


async def ballots(conn: Connection, survey_id: int) -> list[bytes]:
    """Every sealed ballot of the survey (in the random order of their ids)."""
    rows = await query(conn, "SELECT sealed FROM survey_ballot WHERE survey_id = ?",
                       (survey_id,))
    return [bytes(r[0]) for r in rows]


async def close(conn: Connection, survey_id: int, today: date,
                results: dict[int, bytes], outbox_kinds: Sequence[str]) -> None:
    """Close the survey with its sealed aggregates (released targets only); delete its ballots
    and the drafts left unsubmitted; drop its unsent invitations and reminders in the outbox
    (the outbox subject of an invitation is "invitation:<id>"; ``forget_notices`` deletes
    them)."""
    await conn.execute("UPDATE survey SET closed_on = ? WHERE id = ? AND closed_on IS NULL",
                       (today.isoformat(), survey_id))
    invitations = ("SELECT i.id FROM survey_invitation i JOIN survey_target t "
                   "ON t.id = i.target_id WHERE t.survey_id = ?")
    await conn.execute(f"DELETE FROM survey_draft WHERE invitation_id IN ({invitations})",
                       (survey_id,))
    await conn.execute("DELETE FROM survey_ballot WHERE survey_id = ?", (survey_id,))
    await conn.execute(
        "DELETE FROM survey_result WHERE target_id IN "
        "(SELECT id FROM survey_target WHERE survey_id = ?)", (survey_id,))
    await conn.executemany("INSERT INTO survey_result (target_id, sealed) VALUES (?, ?)",
                           list(results.items()))
    marks = ", ".join("?" for _ in outbox_kinds)
    await conn.execute(
        f"UPDATE outbox SET status = 'dropped', last_error = 'survey closed' "
        f"WHERE status = 'pending' AND kind IN ({marks}) AND subject IN "
        f"(SELECT 'invitation:' || i.id FROM survey_invitation i JOIN survey_target t "
        f"ON t.id = i.target_id WHERE t.survey_id = ?)", (*outbox_kinds, survey_id))


async def forget_notices(conn: Connection, outbox_kinds: Sequence[str]) -> int:
    """Delete the invitations and reminders in the outbox of every closed survey — a dated list
    of who had not answered yet. Left to the tick after the close, so that no row the outbox
    worker may still hold is deleted (its id could be given to a new message)."""
    marks = ", ".join("?" for _ in outbox_kinds)
    cursor = await conn.execute(
        f"DELETE FROM outbox WHERE status != 'pending' AND kind IN ({marks}) AND subject IN "
        f"(SELECT 'invitation:' || i.id FROM survey_invitation i JOIN survey_target t "
        f"ON t.id = i.target_id JOIN survey v ON v.id = t.survey_id "
        f"WHERE v.closed_on IS NOT NULL)", tuple(outbox_kinds))
    return cursor.rowcount


async def results(conn: Connection, survey_id: int) -> dict[int, bytes]:
    """The sealed aggregate of every released target (and carried-over totals of a survey that
    is still open, see ``seal_unsealed``)."""
    rows = await query(conn, "SELECT r.target_id, r.sealed FROM survey_result r "
                       "JOIN survey_target t ON t.id = r.target_id WHERE t.survey_id = ?",
                       (survey_id,))
    return {r[0]: bytes(r[1]) for r in rows}


async def result(conn: Connection, target_id: int) -> bytes | None:
    """The sealed aggregate of a released target."""
    rows = await query(conn, "SELECT sealed FROM survey_result WHERE target_id = ?",
                       (target_id,))
    return bytes(rows[0][0]) if rows else None


async def is_hr_head(conn: Connection, servant_id: int) -> bool:
    """Whether he heads the personnel service (roster role hr_head)."""
    rows = await query(conn, "SELECT is_hr_head FROM servant WHERE id = ?", (servant_id,))
    return bool(rows and rows[0][0])


async def answered(conn: Connection, target_id: int, respondent_id: int) -> bool:
    """Whether he answered about this target as a colleague (his own answers are in its
    totals); a self-assessment does not count."""
    rows = await query(
        conn, "SELECT 1 FROM survey_invitation WHERE target_id = ? AND respondent_id = ? "
        "AND role != 'self' AND done = 1", (target_id, respondent_id))
    return bool(rows)


async def answered_targets(conn: Connection, survey_id: int, respondent_id: int
                           ) -> set[int]:
    """The targets of this survey he answered about as a colleague."""
    rows = await query(
        conn, "SELECT i.target_id FROM survey_invitation i JOIN survey_target t "
        "ON t.id = i.target_id WHERE t.survey_id = ? AND i.respondent_id = ? "
        "AND i.role != 'self' AND i.done = 1", (survey_id, respondent_id))
    return {r[0] for r in rows}


async def report_circle(conn: Connection, target_id: int) -> ReportCircle | None:
    """Who stands around a 360 target's report (justice cl. 26): the evaluatee; his direct
    supervisor and whoever evaluates him in a campaign of the survey's year; the members of
    calibration panels on those sheets."""
    rows = await query(
        conn, "SELECT t.subject_id, s.supervisor_id, v.year FROM survey_target t "
        "JOIN survey v ON v.id = t.survey_id JOIN servant s ON s.id = t.subject_id "
        "WHERE t.id = ?", (target_id,))
    if not rows:
        return None
    subject, supervisor, year = rows[0][0], rows[0][1], rows[0][2]
    sheets = ("SELECT sh.id FROM sheet sh JOIN campaign c ON c.id = sh.campaign_id "
              "WHERE sh.evaluatee_id = ? AND c.year = ?")
    evaluators = {r[0] for r in await query(
        conn, f"SELECT evaluator_id FROM sheet WHERE id IN ({sheets}) UNION "
        f"SELECT routed_evaluator_id FROM sheet WHERE id IN ({sheets})",
        (subject, year, subject, year))}
    panel = {r[0] for r in await query(
        conn, f"SELECT m.servant_id FROM calibration_member m JOIN calibration k "
        f"ON k.id = m.calibration_id WHERE k.sheet_id IN ({sheets})", (subject, year))}
    if supervisor is not None:
        evaluators.add(supervisor)
    return ReportCircle(subject, frozenset(evaluators), frozenset(panel))


async def personnel_readers(conn: Connection, today: date, *, heads_only: bool
                            ) -> list[int]:
    """Active HR officers who read every report: the heads of the service, or all of it."""
    column = "is_hr_head" if heads_only else "is_hr"
    rows = await query(
        conn, f"SELECT id FROM servant WHERE {column} = 1 AND (dismissed_on IS NULL OR "
        "dismissed_on >= ?) ORDER BY id", (today.isoformat(),))
    return [r[0] for r in rows]


@dataclass(frozen=True, slots=True)
class TargetCount:
    target_id: int
    subject_id: int | None
    subject_name: str
    question_set: str
    others_done: int
    others_invited: int
    self_done: bool


async def counts(conn: Connection, survey_id: int) -> list[TargetCount]:
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
    """A target as its report needs it: whose, which sheet, how many answered, which survey."""

    id: int
    subject_id: int | None
    subject_name: str | None
    question_set: str
    others_done: int
    survey: Survey


async def target(conn: Connection, target_id: int) -> Target | None:
    rows = await query(
        conn, "SELECT t.id AS target, t.subject_id, t.question_set, t.others_done, "
        "x.full_name, s.* FROM survey_target t JOIN survey s ON s.id = t.survey_id "
        "LEFT JOIN servant x ON x.id = t.subject_id WHERE t.id = ?", (target_id,))
    if not rows:
        return None
    r = rows[0]
    return Target(r["target"], r["subject_id"], r["full_name"], r["question_set"],
                  r["others_done"], _survey(r))


@dataclass(frozen=True, slots=True)
class Evaluatee:
    """The servant a 360 target is about, and whether its survey has started."""

    id: int
    supervisor_id: int | None
    category: str
    started: bool
    survey_id: int


async def evaluatee_of(conn: Connection, target_id: int) -> Evaluatee | None:
    """None for a target about nobody (the working-conditions survey) or no target at all."""
    rows = list(await query(
        conn, "SELECT t.subject_id, s.supervisor_id, s.category, v.started_on, v.id "
        "FROM survey_target t "
        "JOIN servant s ON s.id = t.subject_id JOIN survey v ON v.id = t.survey_id "
        "WHERE t.id = ?", (target_id,)))
    return Evaluatee(rows[0][0], rows[0][1], rows[0][2], rows[0][3] is not None, rows[0][4]) \
        if rows else None


async def targets_of_subject(conn: Connection, subject_id: int) -> list[TargetCount]:
    rows = await query(
        conn, "SELECT t.survey_id FROM survey_target t WHERE t.subject_id = ?", (subject_id,))
    found = []
    for r in rows:
        found += [c for c in await counts(conn, r[0]) if c.subject_id == subject_id]
    return found


async def released_about_subordinates(conn: Connection, supervisor_id: int
                                      ) -> list[TargetCount]:
    """The released 360 reports (those with a sealed aggregate) about his direct
    subordinates."""
    rows = await query(
        conn, "SELECT t.survey_id, t.id FROM survey_target t JOIN servant s "
        "ON s.id = t.subject_id JOIN survey_result r ON r.target_id = t.id "
        "WHERE s.supervisor_id = ? ORDER BY t.survey_id", (supervisor_id,))
    wanted = {r[1] for r in rows}
    found = []
    for survey_id in dict.fromkeys(r[0] for r in rows):
        found += [c for c in await counts(conn, survey_id) if c.target_id in wanted]
    return found


async def pending_invitations(conn: Connection, survey_id: int
                              ) -> list[tuple[int, int]]:
    """(invitation, respondent) not yet answered, for reminders only; never shown to anyone."""
    rows = await query(
        conn, "SELECT i.id, i.respondent_id FROM survey_invitation i JOIN survey_target t "
        "ON t.id = i.target_id WHERE t.survey_id = ? AND i.done = 0", (survey_id,))
    return [(r[0], r[1]) for r in rows]


async def open_key_ids(conn: Connection) -> list[bytes]:
    """The key ids of the surveys still open (their ballot keys must stay)."""
    rows = await query(conn, "SELECT key_id FROM survey WHERE closed_on IS NULL "
                       "AND key_id IS NOT NULL")
    return [bytes(r[0]) for r in rows]


# ------------------------------------------------------------------ before sealing (0012)
async def unsealed_left(conn: Connection) -> bool:
    """Whether the plaintext tables of migration 0005 are still there (never on PostgreSQL,
    whose schema begins after migration 0012)."""
    if engine_of(conn) != "sqlite":
        return False
    rows = await query(conn, "SELECT 1 FROM sqlite_master WHERE type = 'table' "
                       "AND name = 'survey_total_unsealed'")
    return bool(rows)


async def without_key(conn: Connection) -> list[Survey]:
    rows = await query(conn, "SELECT * FROM survey WHERE key_id IS NULL ORDER BY id")
    return [_survey(r) for r in rows]


async def set_key(conn: Connection, survey_id: int, key_id: bytes) -> None:
    await conn.execute("UPDATE survey SET key_id = ? WHERE id = ?", (key_id, survey_id))


async def unsealed_drafts(conn: Connection) -> dict[int, dict[str, str]]:
    """Per invitation, the plaintext draft of before 0012."""
    found: dict[int, dict[str, str]] = {}
    for r in await query(conn, "SELECT invitation_id, item, answer FROM survey_draft_unsealed"):
        found.setdefault(r[0], {})[r[1]] = r[2]
    return found


async def unsealed_totals(conn: Connection
                          ) -> dict[int, tuple[dict[str, tuple[int, int]],
                                               dict[str, tuple[int, int]]]]:
    """Per target, the plaintext totals of before 0012: (others, self)."""
    found: dict[int, tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]]] = {}
    for r in await query(conn, "SELECT target_id, item, is_self, points, answers "
                         "FROM survey_total_unsealed"):
        found.setdefault(r[0], ({}, {}))[r[2]][r[1]] = (r[3], r[4])
    return found


async def drop_unsealed(conn: Connection) -> None:
    """Drop the plaintext tables (secure delete overwrites their pages)."""
    await conn.execute("DROP TABLE survey_draft_unsealed")
    await conn.execute("DROP TABLE survey_total_unsealed")


async def save_result(conn: Connection, target_id: int, sealed: bytes) -> None:
    await conn.execute(
        "INSERT INTO survey_result (target_id, sealed) VALUES (?, ?) ON CONFLICT (target_id) "
        "DO UPDATE SET sealed = excluded.sealed", (target_id, sealed))
