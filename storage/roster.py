"""Applying a validated roster in one transaction: units, servants, sanctions, absences."""

from __future__ import annotations

import asyncio
import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from . import audit
from .db import Connection, insert, query
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
    sanctions_added: int = 0
    absences_changed: int = 0  # added, or their end or substitute changed


@dataclass(slots=True)
class _Plan:
    """What applying the roster changes, worked out off the event loop."""

    changes: list[tuple[Any, ...]] = field(default_factory=list)  # UPDATE parameters
    entries: list[audit.Entry] = field(default_factory=list)
    added: int = 0
    updated: int = 0
    dismissed: int = 0
    unchanged: int = 0


def _plan(roster: Roster, existing: dict[str, dict[str, Any]], units: dict[str, int],
          ids: dict[str, int], when: str, actor: str) -> _Plan:
    plan = _Plan()
    for servant in roster.servants:
        values = _values(servant, units, ids)
        before = existing.get(servant.personnel_no)
        row = (*(values[k] for k in _FIELDS), ids[servant.personnel_no])
        if before is None:
            plan.added += 1
            plan.changes.append(row)
            plan.entries.append(audit.entry(at=when, actor=actor, action="servant.add",
                                            subject=servant.personnel_no, after=values))
            continue
        old = {k: before[k] for k in _FIELDS}
        if old == values:
            plan.unchanged += 1
            continue
        if values["dismissed_on"] and not old["dismissed_on"]:
            plan.dismissed += 1
        else:
            plan.updated += 1
        plan.changes.append(row)
        changed = [k for k in _FIELDS if old[k] != values[k]]
        plan.entries.append(audit.entry(at=when, actor=actor, action="servant.update",
                                        subject=servant.personnel_no,
                                        before={k: old[k] for k in changed},
                                        after={k: values[k] for k in changed}))
    return plan


async def apply(conn: Connection, roster: Roster, *, at: datetime,
                actor: str) -> ImportReport:
    """Upsert every row by personnel number; call inside one transaction. Re-import is a no-op.
    Each kind of statement goes to SQLite once for all rows, and the per-row work runs in a
    thread: 100,000 rows take seconds and leave the event loop free."""
    units = await _units(conn, {s.unit for s in roster.servants})
    rows = await query(conn, f"SELECT personnel_no, {', '.join(_FIELDS)} FROM servant")
    existing = await asyncio.to_thread(lambda: {r[0]: dict(r) for r in rows})
    newcomers = await asyncio.to_thread(lambda: [
        (s.personnel_no, s.full_name, s.position, s.category, s.appointed_on.isoformat())
        for s in roster.servants if s.personnel_no not in existing])
    await conn.executemany(  # first: everyone exists, so that supervisors resolve
        "INSERT INTO servant (personnel_no, full_name, position, category, managerial, "
        "unit_head, appointed_on) VALUES (?, ?, ?, ?, 0, 0, ?)", newcomers)
    found = await query(conn, "SELECT personnel_no, id FROM servant")
    ids = await asyncio.to_thread(lambda: {r[0]: r[1] for r in found})
    plan = await asyncio.to_thread(_plan, roster, existing, units, ids,
                                   at.isoformat(timespec="seconds"), actor)
    await conn.executemany(
        f"UPDATE servant SET {', '.join(f'{k} = ?' for k in _FIELDS)} WHERE id = ?",
        plan.changes)
    await audit.record_many(conn, plan.entries)
    added, updated, dismissed, unchanged = plan.added, plan.updated, plan.dismissed, \
        plan.unchanged
    sanctions_added = absences_changed = 0
    for sanction in roster.sanctions:
        cursor = await conn.execute(
            "INSERT INTO sanction (servant_id, kind, imposed_on) VALUES (?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            (ids[sanction.personnel_no], sanction.kind, sanction.imposed_on.isoformat()))
        sanctions_added += cursor.rowcount
    for absence in roster.absences:
        cursor = await conn.execute(
            "INSERT INTO absence (servant_id, starts_on, ends_on, kind, substitute_id) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (servant_id, starts_on, kind) DO UPDATE SET "
            "ends_on = excluded.ends_on, substitute_id = excluded.substitute_id "
            "WHERE absence.ends_on IS DISTINCT FROM excluded.ends_on "
            "OR absence.substitute_id IS DISTINCT FROM excluded.substitute_id",
            (ids[absence.personnel_no], absence.starts_on.isoformat(), absence.ends_on.isoformat(),
             absence.kind, ids.get(absence.substitute) if absence.substitute else None))
        absences_changed += cursor.rowcount
    listed = {s.personnel_no for s in roster.servants}
    not_in_file = sum(1 for no, row in existing.items()
                      if no not in listed and not row["dismissed_on"])
    report = ImportReport(added, updated, dismissed, unchanged, not_in_file, sanctions_added,
                          absences_changed)
    await audit.record(conn, at=at, actor=actor, action="roster.import",
                       after=dataclasses.asdict(report))
    return report


async def personnel_numbers(conn: Connection) -> frozenset[str]:
    """Everyone already in the bot (a new file's supervisors may be among them)."""
    return frozenset(r[0] for r in await query(conn, "SELECT personnel_no FROM servant"))


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


async def _units(conn: Connection, paths: set[str]) -> dict[str, int]:
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
        ids[path] = await insert(conn, "INSERT INTO unit (path, name, parent_id) VALUES (?, ?, ?)",
                                 (path, name, ids.get(parent)))
    return ids
