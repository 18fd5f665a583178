"""Applying a validated roster in one transaction: units, servants, sanctions, absences."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from . import audit
from .db import query
from .roster_file import Roster, ServantRow

_FIELDS = ("full_name", "position", "category", "managerial", "unit_head", "unit_id",
           "supervisor_id", "appointed_on", "dismissed_on", "phone", "language", "is_hr",
           "is_appointing", "public_services", "is_hr_head")


@dataclass(frozen=True, slots=True)
class ImportReport:
    added: int
    updated: int
    dismissed: int
    unchanged: int
    not_in_file: int  # active servants the file does not list (left as they are)


async def apply(conn: aiosqlite.Connection, roster: Roster, *, at: datetime,
                actor: str) -> ImportReport:
    """Upsert every row by personnel number; call inside one transaction. Re-import is a no-op."""
    units = await _units(conn, {s.unit for s in roster.servants})
    existing = {r["personnel_no"]: dict(r) for r in await query(conn, "SELECT * FROM servant")}
    ids = {no: row["id"] for no, row in existing.items()}
    added = updated = dismissed = unchanged = 0
    for servant in roster.servants:  # first pass: everyone exists, supervisors resolved next
        if servant.personnel_no not in ids:
            cursor = await conn.execute(
                "INSERT INTO servant (personnel_no, full_name, position, category, managerial, "
                "unit_head, appointed_on) VALUES (?, ?, ?, ?, 0, 0, ?)",
                (servant.personnel_no, servant.full_name, servant.position, servant.category,
                 servant.appointed_on.isoformat()))
            ids[servant.personnel_no] = cursor.lastrowid
    for servant in roster.servants:
        values = _values(servant, units, ids)
        before = existing.get(servant.personnel_no)
        if before is None:
            added += 1
            await _update(conn, ids[servant.personnel_no], values)
            await audit.record(conn, at=at, actor=actor, action="servant.add",
                               subject=servant.personnel_no, after=values)
            continue
        old = {k: before[k] for k in _FIELDS}
        if old == values:
            unchanged += 1
            continue
        if values["dismissed_on"] and not old["dismissed_on"]:
            dismissed += 1
        else:
            updated += 1
        await _update(conn, ids[servant.personnel_no], values)
        changed = [k for k in _FIELDS if old[k] != values[k]]
        await audit.record(conn, at=at, actor=actor, action="servant.update",
                           subject=servant.personnel_no,
                           before={k: old[k] for k in changed},
                           after={k: values[k] for k in changed})
    for sanction in roster.sanctions:
        await conn.execute(
            "INSERT OR IGNORE INTO sanction (servant_id, kind, imposed_on) VALUES (?, ?, ?)",
            (ids[sanction.personnel_no], sanction.kind, sanction.imposed_on.isoformat()))
    for absence in roster.absences:
        await conn.execute(
            "INSERT INTO absence (servant_id, starts_on, ends_on, kind, substitute_id) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (servant_id, starts_on, kind) DO UPDATE SET "
            "ends_on = excluded.ends_on, substitute_id = excluded.substitute_id",
            (ids[absence.personnel_no], absence.starts_on.isoformat(), absence.ends_on.isoformat(),
             absence.kind, ids.get(absence.substitute) if absence.substitute else None))
    listed = {s.personnel_no for s in roster.servants}
    not_in_file = sum(1 for no, row in existing.items()
                      if no not in listed and not row["dismissed_on"])
    report = ImportReport(added, updated, dismissed, unchanged, not_in_file)
    await audit.record(conn, at=at, actor=actor, action="roster.import",
                       after=dataclasses.asdict(report))
    return report


def _values(servant: ServantRow, units: dict[str, int], ids: dict[str, int]) -> dict[str, Any]:
    return {
        "full_name": servant.full_name, "position": servant.position,
        "category": servant.category, "managerial": int(servant.managerial),
        "unit_head": int(servant.unit_head), "unit_id": units[servant.unit],
        "supervisor_id": ids[servant.supervisor] if servant.supervisor else None,
        "appointed_on": servant.appointed_on.isoformat(),
        "dismissed_on": servant.dismissed_on.isoformat() if servant.dismissed_on else None,
        "phone": servant.phone, "language": servant.language, "is_hr": int(servant.is_hr),
        "is_appointing": int(servant.is_appointing),
        "public_services": int(servant.public_services),
        "is_hr_head": int(servant.is_hr_head),
    }


async def _update(conn: aiosqlite.Connection, servant_id: int, values: dict[str, Any]) -> None:
    assignments = ", ".join(f"{k} = ?" for k in values)
    await conn.execute(f"UPDATE servant SET {assignments} WHERE id = ?",
                       (*values.values(), servant_id))


async def _units(conn: aiosqlite.Connection, paths: set[str]) -> dict[str, int]:
    """Ids of every unit path and its ancestors ("A / B" needs "A"), creating missing ones."""
    wanted: set[str] = set()
    for path in paths:
        parts = path.split(" / ")
        wanted.update(" / ".join(parts[:i]) for i in range(1, len(parts) + 1))
    ids = {r["path"]: r["id"] for r in await query(conn, "SELECT id, path FROM unit")}
    for path in sorted(wanted, key=lambda p: p.count(" / ")):
        if path in ids:
            continue
        parent, _, name = path.rpartition(" / ")
        cursor = await conn.execute("INSERT INTO unit (path, name, parent_id) VALUES (?, ?, ?)",
                                    (path, name, ids.get(parent)))
        ids[path] = cursor.lastrowid
    return ids
