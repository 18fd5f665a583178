"""Calibration sessions: request, panel, votes, decision, protocol, feedback meeting."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from scoring import CalibrationRules, WorkCalendar

from . import audit, evaluation
from .db import Connection, insert, query


class CalibrationStatus(StrEnum):
    """Where a session is (the values stored in ``calibration.status``)."""

    REQUESTED = "requested"  # the official has not approved a panel yet (cl. 20)
    VOTING = "voting"  # the panel votes, round after round (cl. 21–23)
    DECIDED = "decided"  # a majority set the final score (cl. 23)


class Side(StrEnum):
    """Who argues before the panel (cl. 23)."""

    EVALUATOR = "evaluator"
    APPELLANT = "appellant"


@dataclass(frozen=True, slots=True)
class Attachment:
    """A document the servant attached to his request: its Telegram file id and name."""

    file_id: str
    name: str

    @classmethod
    def stored(cls, value: str | dict[str, str]) -> Attachment:
        """From the JSON column (older rows hold the bare file id)."""
        return cls(value, "") if isinstance(value, str) else cls(**value)


@dataclass(frozen=True, slots=True)
class Calibration:
    id: int
    sheet_id: int
    appellant_id: int
    statement: str
    documents: tuple[Attachment, ...]
    requested_on: date
    decision_due: date
    session_due: date
    status: CalibrationStatus
    official_id: int | None
    evaluator_argument: str | None
    appellant_argument: str | None
    round: int
    original_score: Decimal
    final_score: Decimal | None
    decided_on: date | None
    protocol_due: date | None
    protocol_posted: bool
    feedback_held_on: date | None
    members: tuple[int, ...]
    approved_at: datetime | None = None  # the panel's approval (cl. 20)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


async def get(conn: Connection, calibration_id: int) -> Calibration | None:
    rows = list(await query(conn, "SELECT * FROM calibration WHERE id = ?",
                                            (calibration_id,)))
    if not rows:
        return None
    r = rows[0]
    members = tuple(m[0] for m in await query(
        conn, "SELECT servant_id FROM calibration_member WHERE calibration_id = ? ORDER BY "
        "servant_id",
        (calibration_id,)))
    return Calibration(
        r["id"], r["sheet_id"], r["appellant_id"], r["statement"],
        tuple(Attachment.stored(d) for d in json.loads(r["documents"])),
        date.fromisoformat(r["requested_on"]),
        date.fromisoformat(r["decision_due"]), date.fromisoformat(r["session_due"]),
        CalibrationStatus(r["status"]), r["official_id"], r["evaluator_argument"],
        r["appellant_argument"],
        r["round"], Decimal(r["original_score"]),
        Decimal(r["final_score"]) if r["final_score"] else None, _date(r["decided_on"]),
        _date(r["protocol_due"]), r["protocol_posted_at"] is not None,
        _date(r["feedback_held_on"]), members,
        datetime.fromisoformat(r["approved_at"]) if r["approved_at"] else None)


async def by_sheet(conn: Connection, sheet_id: int) -> Calibration | None:
    rows = list(await query(conn, "SELECT id FROM calibration WHERE sheet_id = ?",
                                            (sheet_id,)))
    return await get(conn, rows[0][0]) if rows else None


async def request(conn: Connection, sheet: evaluation.Sheet, statement: str,
                  documents: list[Attachment], rules: CalibrationRules, calendar: WorkCalendar, *,
                  at: datetime, today: date) -> int:
    """File the servant's request (cl. 11); the decision and session deadlines count from it."""
    calibration_id = await insert(
        conn, "INSERT INTO calibration (sheet_id, appellant_id, statement, documents, "
        "requested_at, requested_on, decision_due, session_due, original_score) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (sheet.id, sheet.evaluatee_id, statement, json.dumps([asdict(d) for d in documents]),
         at.isoformat(timespec="seconds"), today.isoformat(),
         rules.decision_deadline(today, calendar).isoformat(),
         rules.session_deadline(today, calendar).isoformat(), str(sheet.score)))
    await audit.record(conn, at=at, actor=f"servant:{sheet.evaluatee_id}",
                       action="calibration.request", subject=f"sheet:{sheet.id}")
    return calibration_id


@dataclass(frozen=True, slots=True)
class Candidate:
    id: int
    name: str
    personnel_no: str
    is_hr: bool
    is_evaluator: bool


async def candidates(conn: Connection, campaign_id: int, today: date
                     ) -> list[Candidate]:
    """Active servants who may sit on a panel: HR employees and the quarter's evaluators."""
    rows = await query(
        conn, "SELECT s.id, s.full_name, s.personnel_no, s.is_hr, EXISTS (SELECT 1 FROM sheet sh "
        "WHERE sh.campaign_id = ? AND sh.evaluator_id = s.id) AS evaluates FROM servant s "
        "WHERE (s.dismissed_on IS NULL OR s.dismissed_on >= ?) ORDER BY s.full_name",
        (campaign_id, today.isoformat()))
    return [Candidate(r[0], r[1], r[2], bool(r[3]), bool(r[4])) for r in rows]


async def approve_panel(conn: Connection, calibration_id: int, official_id: int,
                        members: list[int], *, at: datetime) -> bool:
    """The official holds the session with this panel (cl. 20); False if already decided."""
    cursor = await conn.execute(
        "UPDATE calibration SET status = 'voting', official_id = ?, approved_at = ? "
        "WHERE id = ? AND status = 'requested'",
        (official_id, at.isoformat(timespec="seconds"), calibration_id))
    if not cursor.rowcount:
        return False
    await conn.executemany(
        "INSERT INTO calibration_member (calibration_id, servant_id) VALUES (?, ?)",
        [(calibration_id, m) for m in members])
    await audit.record(conn, at=at, actor=f"servant:{official_id}", action="calibration.panel",
                       subject=f"calibration:{calibration_id}", after=members)
    return True


async def set_argument(conn: Connection, calibration_id: int, side: Side, text: str,
                       *, at: datetime, actor: str) -> None:
    column = {Side.EVALUATOR: "evaluator_argument", Side.APPELLANT: "appellant_argument"}[side]
    await conn.execute(f"UPDATE calibration SET {column} = ? WHERE id = ?",
                       (text, calibration_id))
    await audit.record(conn, at=at, actor=actor, action=f"calibration.{side}_argument",
                       subject=f"calibration:{calibration_id}")


async def vote(conn: Connection, calibration: Calibration, member_id: int,
               score: Decimal, *, at: datetime) -> bool:
    """A member's vote in the current round; a second vote in the same round is ignored."""
    cursor = await conn.execute(
        "INSERT INTO calibration_vote (calibration_id, round, member_id, score, "
        "voted_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (calibration.id, calibration.round, member_id, str(score),
         at.isoformat(timespec="seconds")))
    if cursor.rowcount:
        await audit.record(conn, at=at, actor=f"servant:{member_id}", action="calibration.vote",
                           subject=f"calibration:{calibration.id}:{calibration.round}")
    return bool(cursor.rowcount)


async def votes(conn: Connection, calibration_id: int, round_: int
                ) -> dict[int, Decimal]:
    rows = await query(
        conn, "SELECT member_id, score FROM calibration_vote WHERE calibration_id = ? AND round "
        "= ?",
        (calibration_id, round_))
    return {r[0]: Decimal(r[1]) for r in rows}


async def all_votes(conn: Connection, calibration_id: int
                    ) -> list[tuple[int, int, Decimal]]:
    rows = await query(
        conn, "SELECT round, member_id, score FROM calibration_vote WHERE calibration_id = ? "
        "ORDER BY round, member_id", (calibration_id,))
    return [(r[0], r[1], Decimal(r[2])) for r in rows]


async def next_round(conn: Connection, calibration_id: int, *, at: datetime) -> None:
    await conn.execute("UPDATE calibration SET round = round + 1 WHERE id = ?",
                       (calibration_id,))
    await audit.record(conn, at=at, actor="system", action="calibration.revote",
                       subject=f"calibration:{calibration_id}")


async def decide(conn: Connection, calibration: Calibration, final: Decimal,
                 grade: str, *, today: date, protocol_due: date, at: datetime) -> None:
    """The final score by majority (cl. 23); it replaces the sheet's everywhere."""
    await conn.execute(
        "UPDATE calibration SET status = 'decided', final_score = ?, decided_on = ?, "
        "protocol_due = ? WHERE id = ?",
        (str(final), today.isoformat(), protocol_due.isoformat(), calibration.id))
    await evaluation.set_final(conn, calibration.sheet_id, average=final, grade=grade, at=at,
                               actor=f"calibration:{calibration.id}")


async def protocol_posted(conn: Connection, calibration_id: int, *, at: datetime,
                          actor: str) -> bool:
    cursor = await conn.execute(
        "UPDATE calibration SET protocol_posted_at = ? WHERE id = ? AND protocol_posted_at IS "
        "NULL AND status = 'decided'", (at.isoformat(timespec="seconds"), calibration_id))
    if cursor.rowcount:
        await audit.record(conn, at=at, actor=actor, action="calibration.protocol_posted",
                           subject=f"calibration:{calibration_id}")
    return bool(cursor.rowcount)


async def feedback_held(conn: Connection, calibration_id: int, day: date, *,
                        at: datetime, actor: str) -> bool:
    cursor = await conn.execute(
        "UPDATE calibration SET feedback_held_on = ? WHERE id = ? AND feedback_held_on IS NULL "
        "AND status = 'decided'", (day.isoformat(), calibration_id))
    if cursor.rowcount:
        await audit.record(conn, at=at, actor=actor, action="calibration.feedback",
                           subject=f"calibration:{calibration_id}")
    return bool(cursor.rowcount)


async def servant_names(conn: Connection, ids: Iterable[int]) -> dict[int, str]:
    """The full names of these servants (the panel, the evaluator), by id."""
    wanted = tuple(sorted(set(ids)))
    if not wanted:
        return {}
    rows = await query(
        conn, f"SELECT id, full_name FROM servant WHERE id IN ({','.join('?' * len(wanted))})",
        wanted)
    return {r[0]: r[1] for r in rows}


async def appointing_officials(conn: Connection, today: date) -> list[int]:
    rows = await query(
        conn, "SELECT id FROM servant WHERE is_appointing = 1 AND (dismissed_on IS NULL OR "
        "dismissed_on >= ?)", (today.isoformat(),))
    return [r[0] for r in rows]


async def in_progress(conn: Connection) -> list[Calibration]:
    """Sessions not finished yet: undecided, protocol not posted, or no feedback meeting."""
    rows = await query(
        conn, "SELECT id FROM calibration WHERE status != 'decided' OR protocol_posted_at IS NULL "
        "OR feedback_held_on IS NULL ORDER BY id")
    return [found for r in rows if (found := await get(conn, r[0])) is not None]


async def open_windows(conn: Connection) -> list[evaluation.Sheet]:
    """Delivered results of open quarters with no calibration request (yet)."""
    rows = await query(conn, "SELECT sh.id FROM sheet sh JOIN campaign c ON c.id = sh.campaign_id "
        "WHERE c.closed_at IS NULL AND sh.status = 'submitted' AND sh.delivered_at IS NOT NULL "
        "AND sh.final_average IS NULL AND NOT EXISTS (SELECT 1 FROM calibration k "
        "WHERE k.sheet_id = sh.id)")
    return [sheet for r in rows if (sheet := await evaluation.sheet(conn, r[0])) is not None]
