"""HR's background jobs: a roster file recorded before it is processed, an export being
built, and the file each one made until the outbox has sent it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from .db import Connection, Row, insert, query


class JobKind(StrEnum):
    ROSTER = "roster"
    EXPORT = "export"


class JobStatus(StrEnum):
    RECEIVED = "received"  # recorded, not processed yet (a restart resumes it)
    DELIVERED = "delivered"  # processed, its answer enqueued in the same transaction
    FAILED = "failed"  # could not be processed; HR was told so


@dataclass(frozen=True, slots=True)
class Job:
    id: int
    kind: JobKind
    servant_id: int
    language: str
    subject: str
    message_id: int | None
    status: JobStatus
    result: dict[str, Any]
    output_name: str | None


_COLUMNS = ("id, kind, servant_id, language, subject, message_id, status, result, "
            "output_name")


def _job(row: Row) -> Job:
    return Job(row[0], JobKind(row[1]), row[2], row[3], row[4], row[5], JobStatus(row[6]),
               json.loads(row[7]), row[8])


async def record(conn: Connection, kind: JobKind, servant_id: int, *,
                 language: str, subject: str, at: datetime, content: bytes | None = None
                 ) -> int:
    return await insert(
        conn, "INSERT INTO hr_job (kind, servant_id, language, subject, input, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (kind.value, servant_id, language, subject, content, at.isoformat(timespec="seconds")))


async def set_message(conn: Connection, job_id: int, message_id: int) -> None:
    await conn.execute("UPDATE hr_job SET message_id = ? WHERE id = ?", (message_id, job_id))


async def get(conn: Connection, job_id: int) -> Job | None:
    rows = await query(conn, f"SELECT {_COLUMNS} FROM hr_job WHERE id = ?", (job_id,))
    return _job(rows[0]) if rows else None


async def input_of(conn: Connection, job_id: int) -> bytes:
    rows = await query(conn, "SELECT input FROM hr_job WHERE id = ?", (job_id,))
    return bytes(rows[0][0] or b"")


async def output_of(conn: Connection, job_id: int) -> bytes | None:
    rows = await query(conn, "SELECT output FROM hr_job WHERE id = ?", (job_id,))
    return bytes(rows[0][0]) if rows and rows[0][0] is not None else None


async def unfinished(conn: Connection) -> list[Job]:
    """Jobs received and not processed (a restart resumes them), oldest first."""
    rows = await query(conn, f"SELECT {_COLUMNS} FROM hr_job WHERE status = 'received' "
                             "ORDER BY id")
    return [_job(r) for r in rows]


async def finish(conn: Connection, job_id: int, status: JobStatus, *,
                 at: datetime, result: dict[str, Any] | None = None,
                 output_name: str | None = None, output: bytes | None = None) -> None:
    """Record what the job found (and made); the roster file it was given is dropped once
    the job has an answer."""
    await conn.execute(
        "UPDATE hr_job SET status = ?, result = coalesce(?, result), "
        "output_name = coalesce(?, output_name), output = coalesce(?, output), "
        "input = CASE WHEN ? IN ('delivered', 'failed') THEN NULL ELSE input END, "
        "finished_at = ? WHERE id = ?",
        (status.value, json.dumps(result, ensure_ascii=False) if result is not None else None,
         output_name, output, status.value, at.isoformat(timespec="seconds"), job_id))


async def drop_output(conn: Connection, job_id: int) -> None:
    """The outbox has sent the file: it is not kept twice (HR has it in the chat)."""
    await conn.execute("UPDATE hr_job SET output = NULL WHERE id = ?", (job_id,))
