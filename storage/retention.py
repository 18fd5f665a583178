"""Retention (Typical cl. 13): evaluation documents are kept three years, then purged."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from . import audit

# (table, column holding the moment the record was completed), oldest evidence first.
# Later features add their evaluation documents here.
PURGEABLE: tuple[tuple[str, str], ...] = (
    ("invite", "created_at"),
    ("audit", "at"),
)


async def purge(conn: aiosqlite.Connection, *, before: datetime, at: datetime,
                actor: str) -> dict[str, int]:
    """Delete records completed before ``before``; call inside one transaction."""
    cutoff = before.isoformat(timespec="seconds")
    removed = {}
    await conn.execute("UPDATE retention_guard SET purging = 1")
    for table, column in PURGEABLE:
        cursor = await conn.execute(
            f"DELETE FROM {table} WHERE {column} < ?",
            (cutoff,))
        removed[table] = cursor.rowcount
    await conn.execute("UPDATE retention_guard SET purging = 0")
    await audit.record(conn, at=at, actor=actor, action="retention.purge", subject=cutoff,
                       after=removed)
    return removed
