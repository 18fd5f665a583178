"""The older model's year-end reviews and the commission (seeds 001, 002)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from scoring.campaign import Absence

from . import audit
from .db import Connection, Row, insert, query


class ReviewStatus(StrEnum):
    """Where a year-end review is: the evaluator drafts it (and reworks it when returned), the
    superior manager agrees it, the commission decides it."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    AGREED = "agreed"
    DECIDED = "decided"


@dataclass(frozen=True, slots=True)
class Review:
    id: int
    year: int
    servant_id: int
    servant_name: str
    public_services: bool
    category: str
    evaluator_id: int
    approver_id: int | None
    status: ReviewStatus
    achieved: dict[int, bool]
    observed: dict[str, list[int]]
    grade: str | None
    return_reason: str | None
    final_grade: str | None
    recommendation: str | None
    acquainted_on: date | None
    refused_on: date | None
    vote_round: int = 1
    ballot: tuple[str, ...] | None = None  # the round's options; None: the first ballot's
    decided_on: date | None = None  # the commission's decision (appeals count from it)


@dataclass(frozen=True, slots=True)
class Commission:
    id: int
    year: int
    chair_id: int
    secretary_id: int
    members: tuple[int, ...]
    present: tuple[int, ...] | None
    met_on: date | None


@dataclass(frozen=True, slots=True)
class Candidate:
    """A servant with a direct supervisor, who may get a review: the supervisor evaluates him,
    the supervisor's own supervisor (the superior manager) agrees it."""

    servant_id: int
    supervisor_id: int
    superior_id: int | None
    appointed_on: date
    dismissed_on: date | None


@dataclass(frozen=True, slots=True)
class Person:
    """A servant as the commission's protocol names him."""

    full_name: str
    position: str


def _review(r: Row) -> Review:
    return Review(
        r["id"], r["year"], r["servant_id"], r["full_name"], bool(r["public_services"]),
        r["category"], r["evaluator_id"], r["approver_id"], ReviewStatus(r["status"]),
        {int(k): v for k, v in json.loads(r["achieved"]).items()}, json.loads(r["observed"]),
        r["grade"], r["return_reason"], r["final_grade"], r["recommendation"],
        _day(r["acquainted_on"]), _day(r["refused_on"]), r["vote_round"],
        tuple(json.loads(r["ballot"])) if r["ballot"] else None, _day(r["decided_on"]))


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


_REVIEW = ("SELECT r.*, s.full_name, s.public_services, s.category FROM annual_review r "
           "JOIN servant s ON s.id = r.servant_id ")


async def review(conn: Connection, review_id: int) -> Review | None:
    rows = list(await query(conn, _REVIEW + "WHERE r.id = ?", (review_id,)))
    return _review(rows[0]) if rows else None


async def reviews(conn: Connection, year: int, *, evaluator: int | None = None,
                  status: ReviewStatus | None = None) -> list[Review]:
    where: list[str] = ["r.year = ?"]
    params: list[int | str] = [year]
    if evaluator is not None:
        where.append("r.evaluator_id = ?")
        params.append(evaluator)
    if status is not None:
        where.append("r.status = ?")
        params.append(status)
    rows = await query(conn, _REVIEW + "WHERE " + " AND ".join(where) +
                                       " ORDER BY s.full_name", tuple(params))
    return [_review(r) for r in rows]


async def open_year(conn: Connection, year: int,
                    people: list[tuple[int, int, int | None]], *, at: datetime,
                    actor: str) -> int:
    """Reviews for (servant, direct supervisor, superior manager); existing ones are kept."""
    count = "SELECT count(*) FROM annual_review WHERE year = ?"
    before = (await query(conn, count, (year,)))[0][0]
    await conn.executemany(
        "INSERT INTO annual_review (year, servant_id, evaluator_id, approver_id) "
        "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", [(year, s, e, a) for s, e, a in people])
    added = int((await query(conn, count, (year,)))[0][0] - before)
    await audit.record(conn, at=at, actor=actor, action="legacy.open", subject=str(year),
                       after=added)
    return added


async def candidates(conn: Connection) -> list[Candidate]:
    """Every servant who has a direct supervisor, with the superior manager if there is one."""
    rows = await query(
        conn, "SELECT s.id, s.supervisor_id, b.supervisor_id, s.appointed_on, s.dismissed_on "
        "FROM servant s LEFT JOIN servant b ON b.id = s.supervisor_id "
        "WHERE s.supervisor_id IS NOT NULL")
    return [Candidate(r[0], r[1], r[2], date.fromisoformat(r[3]),
                      date.fromisoformat(r[4]) if r[4] else None) for r in rows]


async def absences(conn: Connection, first: date, last: date) -> list[Absence]:
    """The roster's absences that overlap ``first`` … ``last``."""
    rows = await query(
        conn, "SELECT servant_id, starts_on, ends_on, kind, substitute_id FROM absence "
        "WHERE ends_on >= ? AND starts_on <= ?", (first.isoformat(), last.isoformat()))
    return [Absence(r[0], date.fromisoformat(r[1]), date.fromisoformat(r[2]), r[3], r[4])
            for r in rows]


async def personnel_ids(conn: Connection, *, active: bool = False) -> dict[str, int]:
    """Personnel number -> servant id, of everyone (or of those not dismissed)."""
    rows = await query(conn, "SELECT personnel_no, id FROM servant" +
        (" WHERE dismissed_on IS NULL" if active else ""))
    return {r[0]: r[1] for r in rows}


async def people(conn: Connection) -> dict[int, Person]:
    """Every servant's name and position, by id."""
    rows = await query(conn, "SELECT id, full_name, position FROM servant")
    return {r[0]: Person(r[1], r[2]) for r in rows}


async def save(conn: Connection, review_id: int, *,
               achieved: Mapping[int, bool] | None = None,
               observed: Mapping[str, list[int]] | None = None) -> None:
    if achieved is not None:
        await conn.execute("UPDATE annual_review SET achieved = ? WHERE id = ?",
                           (json.dumps({str(k): v for k, v in achieved.items()}), review_id))
    if observed is not None:
        await conn.execute("UPDATE annual_review SET observed = ? WHERE id = ?",
                           (json.dumps(observed), review_id))


async def set_status(conn: Connection, review_id: int, status: ReviewStatus, *,
                     at: datetime, actor: str, grade: str | None = None,
                     reason: str | None = None) -> None:
    await conn.execute(
        "UPDATE annual_review SET status = ?, grade = coalesce(?, grade), return_reason = ? "
        "WHERE id = ?", (status, grade, reason, review_id))
    await audit.record(conn, at=at, actor=actor, action=f"legacy.{status}",
                       subject=f"review:{review_id}", after=grade or reason)


async def create_commission(conn: Connection, year: int, chair: int, secretary: int,
                            members: list[int], *, at: datetime, actor: str) -> int:
    commission_id = await insert(
        conn, "INSERT INTO commission (year, chair_id, secretary_id) VALUES (?, ?, ?)",
        (year, chair, secretary))
    await conn.executemany("INSERT INTO commission_member VALUES (?, ?)",
                           [(commission_id, m) for m in members])
    await audit.record(conn, at=at, actor=actor, action="legacy.commission", subject=str(year),
                       after=members)
    return commission_id


async def commission(conn: Connection, year: int) -> Commission | None:
    rows = list(await query(conn, "SELECT * FROM commission WHERE year = ?", (year,)))
    if not rows:
        return None
    r = rows[0]
    members = tuple(m[0] for m in await query(
        conn, "SELECT servant_id FROM commission_member WHERE commission_id = ? ORDER BY "
        "servant_id",
        (r["id"],)))
    return Commission(r["id"], r["year"], r["chair_id"], r["secretary_id"], members,
                      tuple(json.loads(r["present"])) if r["present"] else None,
                      date.fromisoformat(r["met_on"]) if r["met_on"] else None)


async def record_attendance(conn: Connection, commission_id: int,
                            present: list[int] | None, today: date) -> None:
    await conn.execute("UPDATE commission SET present = ?, met_on = ? WHERE id = ?",
                       (json.dumps(present) if present is not None else None,
                        today.isoformat(), commission_id))


async def vote(conn: Connection, commission_id: int, review_id: int, member: int,
               choice: str, *, round_no: int) -> bool:
    """A member's vote in the review's round; False if he already voted in it."""
    cursor = await conn.execute(
        "INSERT INTO commission_vote (commission_id, review_id, round, member_id, "
        "choice) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (commission_id, review_id, round_no, member, choice))
    return bool(cursor.rowcount)


async def votes(conn: Connection, commission_id: int, review_id: int, *,
                round_no: int) -> dict[int, str]:
    """Member -> choice in one round of the vote on a review."""
    rows = await query(
        conn, "SELECT member_id, choice FROM commission_vote WHERE commission_id = ? AND "
        "review_id = ? AND round = ?", (commission_id, review_id, round_no))
    return {r[0]: r[1] for r in rows}


async def repeat_vote(conn: Connection, review_id: int, round_no: int,
                      options: tuple[str, ...], *, at: datetime) -> None:
    """No majority (seed 001 cl. 33): the vote on the review is repeated between ``options``."""
    await conn.execute("UPDATE annual_review SET vote_round = ?, ballot = ? WHERE id = ?",
                       (round_no, json.dumps(options), review_id))
    await audit.record(conn, at=at, actor="commission", action="legacy.revote",
                       subject=f"review:{review_id}", after={"round": round_no,
                                                             "options": list(options)})


async def decide(conn: Connection, review_id: int, final_grade: str, *,
                 at: datetime, today: date) -> None:
    await conn.execute(
        "UPDATE annual_review SET status = ?, final_grade = ?, decided_on = ? WHERE id = ?",
        (ReviewStatus.DECIDED, final_grade, today.isoformat(), review_id))
    await audit.record(conn, at=at, actor="commission", action="legacy.decided",
                       subject=f"review:{review_id}", after=final_grade)


async def recommend(conn: Connection, review_id: int, text: str | None, *,
                    at: datetime, actor: str) -> None:
    """The commission's recommendation on one result, as the protocol records it."""
    await conn.execute("UPDATE annual_review SET recommendation = ? WHERE id = ?",
                       (text, review_id))
    await audit.record(conn, at=at, actor=actor, action="legacy.recommendation",
                       subject=f"review:{review_id}", after=text)


async def acquaint(conn: Connection, review_id: int, today: date, *,
                   refused: bool) -> bool:
    column = "refused_on" if refused else "acquainted_on"
    cursor = await conn.execute(
        f"UPDATE annual_review SET {column} = ? WHERE id = ? AND acquainted_on IS NULL "
        "AND refused_on IS NULL AND status = ?", (today.isoformat(), review_id,
                                                  ReviewStatus.DECIDED))
    return bool(cursor.rowcount)
