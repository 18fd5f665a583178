"""Retention (Typical cl. 13): evaluation documents are kept three years, then purged."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from . import audit

_OLD_CAMPAIGNS = "SELECT id FROM campaign WHERE deadline < ?"
# What is removed, in an order the foreign keys allow; "?" is the cutoff. A quarter's documents
# count as completed on its evaluation deadline. Answers go with their sheets (cascade).
PURGES: tuple[tuple[str, str], ...] = (
    ("invite", "DELETE FROM invite WHERE created_at < ?"),
    ("exclusion", f"DELETE FROM exclusion WHERE campaign_id IN ({_OLD_CAMPAIGNS})"),
    ("sheet", f"DELETE FROM sheet WHERE campaign_id IN ({_OLD_CAMPAIGNS})"),
    ("campaign", "DELETE FROM campaign WHERE deadline < ?"),
    ("annual_score", "DELETE FROM annual_score WHERE formed_at < ?"),
    ("audit", "DELETE FROM audit WHERE at < ?"),
)


async def purge(conn: aiosqlite.Connection, *, before: datetime, at: datetime,
                actor: str) -> dict[str, int]:
    """Delete records completed before ``before``; call inside one transaction."""
    cutoff = before.isoformat(timespec="seconds")
    removed = {}
    await conn.execute("UPDATE retention_guard SET purging = 1")
    for table, statement in PURGES:
        cursor = await conn.execute(statement, (cutoff,))
        removed[table] = cursor.rowcount
    await conn.execute("UPDATE retention_guard SET purging = 0")
    await audit.record(conn, at=at, actor=actor, action="retention.purge", subject=cutoff,
                       after=removed)
    return removed
