"""Retention (Typical cl. 13): evaluation documents are kept three years from the completion of
the evaluation, then purged. A quarter is completed at its last step — the deadline, or the
last step of a calibration of one of its results (``scoring.retention.completed_on``)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from scoring import ALMATY
from scoring.retention import CalibrationSteps, completed_on

from . import audit
from .db import Connection, query

# What is removed, in an order the foreign keys allow; "{ids}" stands for the completed
# quarters' campaigns, "?" for the cutoff. Answers go with their sheets, votes and panels with
# their calibrations (cascade).
_SHEETS = "SELECT id FROM sheet WHERE campaign_id IN ({ids})"
PURGES: tuple[tuple[str, str], ...] = (
    ("invite", "DELETE FROM invite WHERE created_at < ?"),
    ("calibration", f"DELETE FROM calibration WHERE sheet_id IN ({_SHEETS})"),
    ("exclusion", "DELETE FROM exclusion WHERE campaign_id IN ({ids})"),
    ("sheet", "DELETE FROM sheet WHERE campaign_id IN ({ids})"),
    ("campaign", "DELETE FROM campaign WHERE id IN ({ids})"),
    ("annual_score", "DELETE FROM annual_score WHERE formed_at < ?"),
    ("audit", "DELETE FROM audit WHERE at < ?"),
)


async def completed_before(conn: Connection, day: date) -> list[int]:
    """The campaigns whose evaluation was completed before ``day``."""
    steps: dict[int, list[CalibrationSteps]] = defaultdict(list)
    for row in await query(
            conn, "SELECT s.campaign_id, c.status, c.decided_on, c.protocol_posted_at, "
            "c.feedback_held_on FROM calibration c JOIN sheet s ON s.id = c.sheet_id"):
        posted = datetime.fromisoformat(row[3]).astimezone(ALMATY).date() if row[3] else None
        steps[row[0]].append(CalibrationSteps(
            row[1] == "decided", _day(row[2]), posted, _day(row[4])))
    found = []
    for campaign_id, deadline in await query(conn, "SELECT id, deadline FROM campaign"):
        completed = completed_on(date.fromisoformat(deadline), steps[campaign_id])
        if completed is not None and completed < day:
            found.append(campaign_id)
    return found


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


async def purge(conn: Connection, *, before: datetime, at: datetime,
                actor: str) -> dict[str, int]:
    """Delete records completed before ``before``; call inside one transaction."""
    cutoff = before.isoformat(timespec="seconds")
    ids = ", ".join(str(i) for i in await completed_before(conn, before.date()))
    removed = {}
    await conn.execute("UPDATE retention_guard SET purging = 1")
    for table, statement in PURGES:
        if "{ids}" in statement:
            cursor = await conn.execute(statement.format(ids=ids or "NULL"))
        else:
            cursor = await conn.execute(statement, (cutoff,))
        removed[table] = cursor.rowcount
    await conn.execute("UPDATE retention_guard SET purging = 0")
    await audit.record(conn, at=at, actor=actor, action="retention.purge", subject=cutoff,
                       after=removed)
    return removed
