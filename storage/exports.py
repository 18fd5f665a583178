"""What a quarter's export holds, read from a consistent snapshot on a connection of its own.

The export runs in a worker thread on ``Database.snapshot()``: its own connection inside one
read transaction, so it never holds the bot's connection or its lock, and writers are not kept
waiting.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from scoring import Quarter
from storage.db import SyncConnection


@dataclass(frozen=True, slots=True)
class ExportRow:
    """One servant in the quarter's scope: evaluated (a sheet) or not (``excluded``)."""

    personnel_no: str
    full_name: str
    position: str
    category: str
    unit: str
    dismissed_on: date | None
    form: str | None
    evaluator: str | None
    submitted: bool
    without_participation: bool
    excluded: str | None  # the reason code when he is not evaluated
    scores: dict[str, Decimal]
    average: Decimal | None
    grade: str | None
    final_average: Decimal | None  # after calibration
    final_grade: str | None
    submitted_at: datetime | None
    delivered_at: datetime | None
    acknowledged_at: datetime | None


@dataclass(frozen=True, slots=True)
class QuarterExport:
    body: str
    quarter: Quarter
    methodology: str
    deadline: date
    rows: list[ExportRow]


def _decimal(value: str | None) -> Decimal | None:
    return Decimal(value) if value else None


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def quarter_export(conn: SyncConnection, campaign_id: int) -> QuarterExport:
    """Every servant in the campaign's scope, by unit and name, with his scores."""
    body = conn.execute("SELECT name FROM body WHERE id = 1").fetchone()
    year, number, methodology, deadline = conn.execute(
        "SELECT year, quarter, methodology, deadline FROM campaign WHERE id = ?",
        (campaign_id,)).fetchone()
    scores: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for sheet_id, parameter, score in conn.execute(
            "SELECT a.sheet_id, a.parameter, a.score FROM answer a JOIN sheet sh "
            "ON sh.id = a.sheet_id WHERE sh.campaign_id = ?", (campaign_id,)):
        scores[sheet_id][parameter] = Decimal(score)
    rows = []
    for r in conn.execute(
            "SELECT sh.id, s.personnel_no, s.full_name, s.position, s.category, "
            "coalesce(u.path, ''), s.dismissed_on, sh.form, e.full_name, sh.status, "
            "sh.without_participation, NULL, sh.average, sh.grade, sh.final_average, "
            "sh.final_grade, sh.submitted_at, sh.delivered_at, sh.acknowledged_at "
            "FROM sheet sh JOIN servant s ON s.id = sh.evaluatee_id "
            "JOIN servant e ON e.id = sh.evaluator_id LEFT JOIN unit u ON u.id = s.unit_id "
            "WHERE sh.campaign_id = ? "
            "UNION ALL SELECT NULL, s.personnel_no, s.full_name, s.position, s.category, "
            "coalesce(u.path, ''), s.dismissed_on, NULL, NULL, NULL, 0, x.reason, NULL, NULL, "
            "NULL, NULL, NULL, NULL, NULL FROM exclusion x JOIN servant s ON s.id = x.servant_id "
            "LEFT JOIN unit u ON u.id = s.unit_id WHERE x.campaign_id = ? "
            "ORDER BY 6, 3, 2", (campaign_id, campaign_id)):
        rows.append(ExportRow(
            r[1], r[2], r[3], r[4], r[5], date.fromisoformat(r[6]) if r[6] else None, r[7],
            r[8], r[9] == "submitted", bool(r[10]), r[11],
            scores.get(r[0], {}) if r[0] is not None else {}, _decimal(r[12]), r[13],
            _decimal(r[14]), r[15], _moment(r[16]), _moment(r[17]), _moment(r[18])))
    return QuarterExport(body[0] if body else "", Quarter(year, number), methodology,
                         date.fromisoformat(deadline), rows)
