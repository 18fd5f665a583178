"""Telegram update ids whose handling changed something, kept a few days."""

from __future__ import annotations

from datetime import datetime

from .db import Connection, query


async def record(conn: Connection, update_id: int, *, at: datetime) -> None:
    """Mark the update handled, in the transaction of the change it caused."""
    await conn.execute("INSERT INTO handled_update (update_id, handled_at) "
                       "VALUES (?, ?) ON CONFLICT DO NOTHING",
                       (update_id, at.isoformat(timespec="seconds")))


async def was_handled(conn: Connection, update_id: int) -> bool:
    rows = await query(conn, "SELECT 1 FROM handled_update WHERE update_id = ?",
                                       (update_id,))
    return bool(rows)


async def newest(conn: Connection) -> int:
    """The highest update id recorded (0 if none): only ids up to it can be duplicates."""
    rows = await query(conn, "SELECT max(update_id) FROM handled_update")
    return int(rows[0][0] or 0)


async def forget_before(conn: Connection, before: datetime) -> int:
    cursor = await conn.execute("DELETE FROM handled_update WHERE handled_at < ?",
                                (before.isoformat(timespec="seconds"),))
    return cursor.rowcount
