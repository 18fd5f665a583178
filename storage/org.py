"""The organisation: the body, its units and servants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .db import Connection, query
from .models import Role, Servant


@dataclass(frozen=True, slots=True)
class Body:
    name: str
    methodology: str


async def ensure_body(conn: Connection, name: str, methodology: str) -> Body:
    """The body row, created from the settings on the first start."""
    await conn.execute("INSERT INTO body (id, name, methodology) VALUES (1, ?, ?) "
                       "ON CONFLICT DO NOTHING",
                       (name, methodology))
    return await body(conn)


async def body(conn: Connection) -> Body:
    row = (await query(conn, "SELECT name, methodology FROM body WHERE id = 1"))[0]
    return Body(row["name"], row["methodology"])


async def servant(conn: Connection, servant_id: int) -> Servant | None:
    rows = await query(conn, "SELECT * FROM servant WHERE id = ?", (servant_id,))
    return Servant.from_row(rows[0]) if rows else None


async def by_personnel_no(conn: Connection, personnel_no: str) -> Servant | None:
    rows = await query(conn, "SELECT * FROM servant WHERE personnel_no = ?",
                                       (personnel_no.strip(),))
    return Servant.from_row(rows[0]) if rows else None


async def active_by_phone(conn: Connection, phone: str, today: date) -> list[Servant]:
    rows = await query(
        conn, "SELECT * FROM servant WHERE phone = ? AND (dismissed_on IS NULL OR dismissed_on "
        ">= ?)",
        (phone, today.isoformat()))
    return [Servant.from_row(r) for r in rows]


async def hr_by_name(conn: Connection, name: str) -> list[Servant]:
    """HR officers whose full name contains ``name`` (case-insensitive)."""
    rows = await query(conn, "SELECT * FROM servant WHERE is_hr = 1 ORDER BY full_name")
    needle = name.casefold().strip()
    return [Servant.from_row(r) for r in rows if needle in r["full_name"].casefold()]


async def count_subordinates(conn: Connection, servant_id: int, today: date) -> int:
    rows = await query(conn, "SELECT count(*) FROM servant WHERE supervisor_id = ? "
        "AND (dismissed_on IS NULL OR dismissed_on >= ?)", (servant_id, today.isoformat()))
    return rows[0][0]


@dataclass(frozen=True, slots=True)
class InviteRow:
    servant: Servant
    unit_path: str | None
    bound: bool


async def servants_for_invites(conn: Connection, today: date) -> list[InviteRow]:
    """Active servants with their unit and whether a Telegram account is already bound."""
    rows = await query(
        conn, "SELECT s.*, u.path AS unit_path, a.telegram_id AS bound FROM servant s "
        "LEFT JOIN unit u ON u.id = s.unit_id LEFT JOIN account a ON a.servant_id = s.id "
        "WHERE s.dismissed_on IS NULL OR s.dismissed_on >= ? ORDER BY u.path, s.full_name",
        (today.isoformat(),))
    return [InviteRow(Servant.from_row(r), r["unit_path"], r["bound"] is not None) for r in rows]


async def roles(conn: Connection, servant: Servant, today: date) -> frozenset[Role]:
    """The servant's roles today (see ``accounts.roles_of``)."""
    from .accounts import roles_of

    evaluates = await query(
        conn, "SELECT 1 FROM sheet sh JOIN campaign c ON c.id = sh.campaign_id "
        "WHERE sh.evaluator_id = ? AND c.closed_at IS NULL LIMIT 1", (servant.id,))
    supervises = await count_subordinates(conn, servant.id, today)
    return roles_of(servant, today, evaluates=bool(evaluates), supervises=bool(supervises))
