"""The append-only audit log: every state change, who made it and when."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import aiosqlite

from .db import query


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True,
                                                 default=str)


async def record(conn: aiosqlite.Connection, *, at: datetime, actor: str, action: str,
                 subject: str | None = None, before: Any = None, after: Any = None) -> None:
    """Append one entry; call it inside the transaction that makes the change."""
    await conn.execute(
        "INSERT INTO audit (at, actor, action, subject, before, after) VALUES (?, ?, ?, ?, ?, ?)",
        (at.isoformat(timespec="seconds"), actor, action, subject, _json(before), _json(after)),
    )


async def entries(conn: aiosqlite.Connection, *, action: str | None = None) -> list[dict]:
    """The log, oldest first (optionally one action only)."""
    sql = "SELECT at, actor, action, subject, before, after FROM audit"
    params: tuple = ()
    if action:
        sql, params = sql + " WHERE action = ?", (action,)
    rows = await query(conn, sql + " ORDER BY id", params)
    return [dict(row) for row in rows]
