"""The append-only audit log: every state change, who made it and when."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from .db import Connection, query


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True,
                                                 default=str)


Entry = tuple[str, str, str, str | None, str | None, str | None]


def entry(*, at: str, actor: str, action: str, subject: str | None = None, before: Any = None,
          after: Any = None) -> Entry:
    """One entry to append with ``record_many`` (``at`` as ISO text)."""
    return (at, actor, action, subject, _json(before), _json(after))


async def record_many(conn: Connection, entries: list[Entry]) -> None:
    """Append many entries in one call to SQLite (a roster of 100,000 rows)."""
    await conn.executemany(
        "INSERT INTO audit (at, actor, action, subject, before, after) VALUES (?, ?, ?, ?, ?, ?)",
        entries)


async def record(conn: Connection, *, at: datetime, actor: str, action: str,
                 subject: str | None = None, before: Any = None, after: Any = None) -> None:
    """Append one entry; call it inside the transaction that makes the change."""
    await conn.execute(
        "INSERT INTO audit (at, actor, action, subject, before, after) VALUES (?, ?, ?, ?, ?, ?)",
        (at.isoformat(timespec="seconds"), actor, action, subject, _json(before), _json(after)),
    )


async def entries(conn: Connection, *, action: str | None = None) -> list[dict]:
    """The log, oldest first (optionally one action only)."""
    sql = "SELECT at, actor, action, subject, before, after FROM audit"
    params: tuple = ()
    if action:
        sql, params = sql + " WHERE action = ?", (action,)
    rows = await query(conn, sql + " ORDER BY id", params)
    return [dict(row) for row in rows]
