"""KPI work plans: drafting, approval, versions, actual values."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from . import audit
from .db import Connection, Row, insert, query
from .models import Servant


class PlanStatus(StrEnum):
    """Where a work plan is (stored as these strings): drafted, sent to the superior manager,
    approved by him, or returned with a reason for rework."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"

    @property
    def editable(self) -> bool:
        """The drafter may still change the plan."""
        return self in (PlanStatus.DRAFT, PlanStatus.RETURNED)


@dataclass(frozen=True, slots=True)
class Item:
    position: int
    name: str
    unit: str
    planned: tuple[Decimal, ...]  # per quarter (4), or the year's (1)
    deadline: str
    expected: str

    def plan_for(self, period: int) -> Decimal:
        return self.planned[0] if len(self.planned) == 1 else self.planned[period - 1]


@dataclass(frozen=True, slots=True)
class Plan:
    id: int
    servant_id: int
    servant_name: str
    year: int
    drafter_id: int
    approver_id: int | None
    status: PlanStatus
    version: int
    due_on: date
    return_reason: str | None
    resubmit_due: date | None
    items: tuple[Item, ...]


def _item(row: Row) -> Item:
    return Item(row["position"], row["name"], row["unit"],
                tuple(Decimal(v) for v in json.loads(row["planned"])), row["deadline"],
                row["expected"])


async def plan(conn: Connection, plan_id: int) -> Plan | None:
    rows = list(await query(
        conn, "SELECT p.*, s.full_name FROM kpi_plan p JOIN servant s ON s.id = p.servant_id "
        "WHERE p.id = ?", (plan_id,)))
    if not rows:
        return None
    r = rows[0]
    items = tuple(_item(i) for i in await query(
        conn, "SELECT * FROM kpi_item WHERE plan_id = ? ORDER BY position", (plan_id,)))
    return Plan(r["id"], r["servant_id"], r["full_name"], r["year"], r["drafter_id"],
                r["approver_id"], PlanStatus(r["status"]), r["version"],
                date.fromisoformat(r["due_on"]),
                r["return_reason"],
                date.fromisoformat(r["resubmit_due"]) if r["resubmit_due"] else None, items)


async def plan_of(conn: Connection, servant_id: int, year: int) -> Plan | None:
    rows = list(await query(
        conn, "SELECT id FROM kpi_plan WHERE servant_id = ? AND year = ?", (servant_id, year)))
    return await plan(conn, rows[0][0]) if rows else None


async def _plans(conn: Connection, ids: list[int]) -> list[Plan]:
    found = [await plan(conn, i) for i in ids]
    return [p for p in found if p is not None]


async def create(conn: Connection, servant_id: int, year: int, drafter_id: int,
                 approver_id: int | None, due_on: date, *, at: datetime) -> int:
    plan_id = await insert(
        conn, "INSERT INTO kpi_plan (servant_id, year, drafter_id, approver_id, due_on) "
        "VALUES (?, ?, ?, ?, ?)", (servant_id, year, drafter_id, approver_id, due_on.isoformat()))
    await audit.record(conn, at=at, actor=f"servant:{drafter_id}", action="kpi.create",
                       subject=f"kpi_plan:{plan_id}")
    return plan_id


async def add_item(conn: Connection, plan_id: int, name: str, unit: str,
                   planned: list[Decimal], deadline: str, expected: str, *, at: datetime,
                   actor: str) -> int:
    rows = list(await query(
        conn, "SELECT coalesce(max(position), 0) + 1 FROM kpi_item WHERE plan_id = ?", (plan_id,)))
    position: int = rows[0][0]
    await conn.execute(
        "INSERT INTO kpi_item (plan_id, position, name, unit, planned, deadline, expected) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (plan_id, position, name, unit, json.dumps([str(v) for v in planned]), deadline,
         expected))
    await audit.record(conn, at=at, actor=actor, action="kpi.item", subject=f"kpi_plan:{plan_id}",
                       after=name)
    return position


async def remove_item(conn: Connection, plan_id: int, position: int) -> None:
    await conn.execute("DELETE FROM kpi_item WHERE plan_id = ? AND position = ?",
                       (plan_id, position))
    await conn.execute("UPDATE kpi_item SET position = position - 1 WHERE plan_id = ? AND "
                       "position > ?", (plan_id, position))


async def set_status(conn: Connection, plan_id: int, status: PlanStatus, *,
                     at: datetime,
                     actor: str, reason: str | None = None,
                     resubmit_due: date | None = None) -> None:
    await conn.execute(
        "UPDATE kpi_plan SET status = ?, return_reason = coalesce(?, return_reason), "
        "resubmit_due = ? WHERE id = ?",
        (status, reason, resubmit_due.isoformat() if resubmit_due else None, plan_id))
    await audit.record(conn, at=at, actor=actor, action=f"kpi.{status}",
                       subject=f"kpi_plan:{plan_id}", after=reason)


async def submit(conn: Connection, plan_id: int, *, at: datetime, actor: str) -> None:
    """The drafter sends the plan to the superior manager."""
    await set_status(conn, plan_id, PlanStatus.SUBMITTED, at=at, actor=actor)


async def return_for_rework(conn: Connection, plan_id: int, reason: str,
                            resubmit_due: date, *, at: datetime, actor: str) -> None:
    """The superior manager returns the plan with a reason; the resubmitted plan is a new
    version (so that its approval request is a new notice)."""
    await set_status(conn, plan_id, PlanStatus.RETURNED, at=at, actor=actor, reason=reason,
                     resubmit_due=resubmit_due)
    await conn.execute("UPDATE kpi_plan SET version = version + 1 WHERE id = ?", (plan_id,))


async def approve(conn: Connection, found: Plan, *, today: date, at: datetime,
                  actor: str) -> None:
    """Approve, keeping this version of the items (changes later make a new version)."""
    items = [{"name": i.name, "unit": i.unit, "planned": [str(v) for v in i.planned],
              "deadline": i.deadline, "expected": i.expected} for i in found.items]
    await conn.execute(
        "INSERT INTO kpi_plan_version (plan_id, version, items, approved_on) "
        "VALUES (?, ?, ?, ?) ON CONFLICT (plan_id, version) DO UPDATE SET "
        "items = excluded.items, approved_on = excluded.approved_on",
        (found.id, found.version, json.dumps(items, ensure_ascii=False), today.isoformat()))
    await conn.execute("UPDATE kpi_plan SET status = ?, approved_on = ?, "
                       "resubmit_due = NULL WHERE id = ?",
                       (PlanStatus.APPROVED.value, today.isoformat(), found.id))
    await audit.record(conn, at=at, actor=actor, action="kpi.approved",
                       subject=f"kpi_plan:{found.id}", after=found.version)


async def set_actual(conn: Connection, plan_id: int, position: int, period: int,
                     actual: Decimal, *, at: datetime, actor: str) -> None:
    await conn.execute(
        "INSERT INTO kpi_actual (plan_id, position, period, actual, entered_by, entered_at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (plan_id, position, period) DO UPDATE SET "
        "actual = excluded.actual, entered_by = excluded.entered_by, "
        "entered_at = excluded.entered_at",
        (plan_id, position, period, str(actual), actor, at.isoformat(timespec="seconds")))
    await audit.record(conn, at=at, actor=actor, action="kpi.actual",
                       subject=f"kpi_plan:{plan_id}:{position}:{period}", after=str(actual))


async def actuals(conn: Connection, plan_id: int, period: int) -> dict[int, Decimal]:
    rows = await query(
        conn, "SELECT position, actual FROM kpi_actual WHERE plan_id = ? AND period = ?",
        (plan_id, period))
    return {r[0]: Decimal(r[1]) for r in rows}


async def plans_for(conn: Connection, *, drafter: int | None = None,
                    approver: int | None = None, year: int) -> list[Plan]:
    where, params = ("drafter_id = ?", (drafter, year)) if drafter is not None else \
        (f"approver_id = ? AND status = '{PlanStatus.SUBMITTED.value}'", (approver, year))
    rows = await query(
        conn, f"SELECT id FROM kpi_plan WHERE {where} AND year = ? ORDER BY id", params)
    return await _plans(conn, [r[0] for r in rows])


async def approved_plans(conn: Connection, year: int) -> list[Plan]:
    rows = await query(conn, "SELECT id FROM kpi_plan WHERE year = ? AND status = ? ORDER BY id",
        (year, PlanStatus.APPROVED.value))
    return await _plans(conn, [r[0] for r in rows])


async def missing_actuals(conn: Connection, year: int, period: int) -> int:
    """How many approved plans of ``year`` still lack an actual value for ``period``."""
    rows = list(await query(
        conn, "SELECT count(*) FROM kpi_plan p WHERE p.year = ? AND p.status = ? AND EXISTS "
        "(SELECT 1 FROM kpi_item i WHERE i.plan_id = p.id AND NOT EXISTS (SELECT 1 FROM "
        "kpi_actual a WHERE a.plan_id = p.id AND a.position = i.position AND a.period = ?))",
        (year, PlanStatus.APPROVED.value, period)))
    count: int = rows[0][0]
    return count


async def subordinates(conn: Connection, supervisor_id: int, today: date
                       ) -> list[Servant]:
    """The servants a supervisor directly supervises who have not left before ``today``, by
    name: the ones he drafts plans for."""
    rows = await query(
        conn, "SELECT * FROM servant WHERE supervisor_id = ? AND (dismissed_on IS NULL OR "
        "dismissed_on >= ?) ORDER BY full_name", (supervisor_id, today.isoformat()))
    return [Servant.from_row(r) for r in rows]
