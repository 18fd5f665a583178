"""The outbox: messages the bot starts, enqueued with the change that causes them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from .db import Connection, Database, engine_of


@dataclass(frozen=True, slots=True)
class Message:
    id: int
    kind: str
    subject: str
    recipient_id: int
    due_on: date
    payload: dict[str, Any]
    attempts: int
    telegram_id: int | None
    unreachable: bool
    priority: int = 0  # 0: caused by someone's action; 1: bulk (reminders, openings)


async def enqueue(conn: Connection, kind: str, subject: str, recipient_id: int, *,
                  due_on: date, not_before: datetime, at: datetime,
                  payload: dict[str, Any] | None = None, priority: int = 0) -> bool:
    """Add a message unless the same (kind, subject, recipient, day) is already there; call it
    inside the transaction of the change. True if it was added."""
    cursor = await conn.execute(
        "INSERT INTO outbox (kind, subject, recipient_id, due_on, payload, not_before,"
        " created_at, priority) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (kind, subject, recipient_id, due_on.isoformat(), json.dumps(payload or {}),
         _utc(not_before), _utc(at), priority))
    added = cursor.rowcount == 1
    if added and engine_of(conn) == "postgresql":  # wakes the leader's sender at the commit
        await conn.execute("SELECT pg_notify('outbox:' || current_schema(), '')")
    return added


def _utc(moment: datetime) -> str:
    """UTC ISO text, so that the text order is the time order."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


async def due(db: Database, now: datetime, limit: int) -> list[Message]:
    """Pending messages whose time has come with the recipient's chat: the interactive ones
    first, then the bulk ones, each oldest first."""
    rows = await db.fetch(
        "SELECT o.id, o.kind, o.subject, o.recipient_id, o.due_on, o.payload, o.attempts, "
        "a.telegram_id, a.unreachable_at, o.priority FROM outbox o "
        "LEFT JOIN account a ON a.servant_id = o.recipient_id "
        "WHERE o.status = 'pending' AND o.not_before <= ? "
        "ORDER BY o.priority, o.not_before, o.id LIMIT ?",
        (_utc(now), limit))
    return [Message(r[0], r[1], r[2], r[3], date.fromisoformat(r[4]), json.loads(r[5]), r[6],
                    r[7], r[8] is not None, r[9]) for r in rows]


async def next_time(db: Database) -> datetime | None:
    """When the earliest pending message becomes due."""
    rows = await db.fetch("SELECT min(not_before) FROM outbox WHERE status = 'pending'")
    return datetime.fromisoformat(rows[0][0]) if rows and rows[0][0] else None


async def settle(db: Database, message_id: int, status: str, *, at: datetime,
                 error: str | None = None) -> None:
    """Close a message: sent, unreachable (blocked, no account), dropped (obsolete) or failed."""
    await db.change(
        "UPDATE outbox SET status = ?, sent_at = ?, "
        "attempts = attempts + 1, last_error = ? WHERE id = ? AND status = 'pending'",
        (status, _utc(at) if status == "sent" else None, error, message_id))


async def retry(db: Database, message_id: int, not_before: datetime, error: str) -> None:
    await db.change(
        "UPDATE outbox SET not_before = ?, attempts = attempts + 1, last_error = ? "
        "WHERE id = ? AND status = 'pending'",
        (_utc(not_before), error, message_id))


async def postpone(db: Database, message_id: int, not_before: datetime) -> None:
    """Later, without counting an attempt (the chat's one-per-second pace)."""
    await db.change("UPDATE outbox SET not_before = ? WHERE id = ? AND status = 'pending'",
                    (_utc(not_before), message_id))


async def counts(db: Database) -> dict[str, int]:
    rows = await db.fetch("SELECT status, count(*) FROM outbox GROUP BY status")
    return {r[0]: r[1] for r in rows}


async def backlog(db: Database, now: datetime) -> tuple[int, datetime | None]:
    """How many messages are pending, and when the oldest one that is due became due."""
    rows = await db.fetch(
        "SELECT count(*), min(CASE WHEN not_before <= ? THEN not_before END) FROM outbox "
        "WHERE status = 'pending'", (_utc(now),))
    count, oldest = rows[0][0], rows[0][1]
    return int(count), datetime.fromisoformat(oldest) if oldest else None
