"""What HR reads: progress by unit, late evaluators, exclusions, exports, annual scores."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from scoring import Methodology, Quarter, annual_score

from . import audit
from .db import Connection, query


@dataclass(frozen=True, slots=True)
class UnitProgress:
    unit: str
    """Each sheet counted once: done, or (before the deadline) in progress or not started,
    or (after it) overdue."""

    done: int
    in_progress: int
    not_started: int
    overdue: int

    @property
    def total(self) -> int:
        return self.done + self.in_progress + self.not_started + self.overdue


async def progress(conn: Connection, campaign_id: int, today: date
                   ) -> list[UnitProgress]:
    rows = await query(conn, "SELECT coalesce(u.path, '—') AS unit, sh.status, "
        "EXISTS (SELECT 1 FROM answer a WHERE a.sheet_id = sh.id) AS answered, c.deadline "
        "FROM sheet sh JOIN servant s ON s.id = sh.evaluatee_id "
        "JOIN campaign c ON c.id = sh.campaign_id LEFT JOIN unit u ON u.id = s.unit_id "
        "WHERE sh.campaign_id = ?", (campaign_id,))
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for r in rows:
        bucket = counts[r["unit"]]
        if r["status"] == "submitted":
            bucket[0] += 1
        elif today > date.fromisoformat(r["deadline"]):
            bucket[3] += 1
        else:
            bucket[1 if r["answered"] else 2] += 1
    return [UnitProgress(unit, *values) for unit, values in sorted(counts.items())]


async def quarters_opened(conn: Connection) -> dict[Quarter, bool]:
    """Every quarter that has a campaign, and whether it is closed."""
    rows = await query(conn, "SELECT year, quarter, closed_at IS NOT NULL FROM campaign")
    return {Quarter(r[0], r[1]): bool(r[2]) for r in rows}


@dataclass(frozen=True, slots=True)
class LateEvaluator:
    name: str
    personnel_no: str
    pending: int
    reachable: bool


async def late_evaluators(conn: Connection, campaign_id: int) -> list[LateEvaluator]:
    rows = await query(conn, "SELECT e.full_name, e.personnel_no, count(*) AS pending, "
        "a.telegram_id IS NOT NULL AND a.unreachable_at IS NULL AS reachable "
        "FROM sheet sh JOIN servant e ON e.id = sh.evaluator_id "
        "LEFT JOIN account a ON a.servant_id = e.id "
        "WHERE sh.campaign_id = ? AND sh.status = 'pending' "
        "GROUP BY e.id, a.telegram_id, a.unreachable_at ORDER BY pending DESC, e.full_name",
        (campaign_id,))
    return [LateEvaluator(r[0], r[1], r[2], bool(r[3])) for r in rows]


async def exclusions(conn: Connection, campaign_id: int) -> list[tuple[str, str, str]]:
    """(personnel no., name, reason) of everyone not evaluated in the campaign."""
    rows = await query(conn, "SELECT s.personnel_no, s.full_name, x.reason FROM exclusion x "
        "JOIN servant s ON s.id = x.servant_id WHERE x.campaign_id = ? ORDER BY s.full_name",
        (campaign_id,))
    return [(r[0], r[1], r[2]) for r in rows]


async def to_notify_by_letter(conn: Connection, campaign_id: int
                              ) -> list[tuple[str, str, str | None]]:
    """Dismissed servants evaluated without participation (cl. 7, 10): name, no., phone."""
    rows = await query(conn, "SELECT s.full_name, s.personnel_no, s.phone FROM sheet sh "
        "JOIN servant s ON s.id = sh.evaluatee_id WHERE sh.campaign_id = ? "
        "AND sh.without_participation = 1 AND sh.status = 'submitted' ORDER BY s.full_name",
        (campaign_id,))
    return [(r[0], r[1], r[2]) for r in rows]


@dataclass(frozen=True, slots=True)
class QuarterScore:
    """One quarter of an annual score: the score it counted with, and whether a calibration
    session set it (it replaces the evaluator's, cl. 5)."""

    quarter: int
    score: Decimal
    calibrated: bool


@dataclass(frozen=True, slots=True)
class AnnualRow:
    servant_id: int
    personnel_no: str
    full_name: str
    average: Decimal
    grade: str
    quarters: int
    by_quarter: tuple[QuarterScore, ...] = ()


async def form_annual(conn: Connection, methodology: Methodology, year: int, *,
                      at: datetime, actor: str) -> tuple[list[AnnualRow], list[tuple[str, str]]]:
    """Cl. 5: the average of the year's evaluated quarters (a calibrated score replaces the
    quarter's). Returns the scores formed and (name, reason) of those with none."""
    by_servant = await _quarter_scores(conn, year)
    names = {r[0]: (r[1], r[2]) for r in await query(
        conn, "SELECT DISTINCT s.id, s.personnel_no, s.full_name FROM sheet sh "
        "JOIN campaign c ON c.id = sh.campaign_id JOIN servant s ON s.id = sh.evaluatee_id "
        "WHERE c.year = ? AND sh.status = 'submitted'", (year,))}
    formed = []
    for servant_id, quarters in by_servant.items():
        scores = [q.score for q in quarters]
        average = annual_score(scores)
        assert average is not None  # every servant here has at least one submitted quarter
        grade = methodology.grade(average)
        formed.append(AnnualRow(servant_id, *names[servant_id], average, grade, len(scores),
                                quarters))
        await conn.execute(
            "INSERT INTO annual_score (year, servant_id, average, grade, quarters, formed_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (year, servant_id) DO UPDATE SET "
            "average = excluded.average, grade = excluded.grade, quarters = excluded.quarters, "
            "formed_at = excluded.formed_at",
            (year, servant_id, str(average), grade, len(scores), at.isoformat(timespec="seconds")))
    pending = await query(
        conn, "SELECT DISTINCT s.full_name FROM sheet sh JOIN campaign c ON c.id = sh.campaign_id "
        "JOIN servant s ON s.id = sh.evaluatee_id WHERE c.year = ? AND sh.status = 'pending'",
        (year,))
    missing = [(r[0], "pending_sheet") for r in pending]
    await audit.record(conn, at=at, actor=actor, action="annual.form", subject=str(year),
                       after={"formed": len(formed), "pending": len(missing)})
    return sorted(formed, key=lambda r: r.full_name), missing


async def _quarter_scores(conn: Connection, year: int
                          ) -> dict[int, tuple[QuarterScore, ...]]:
    """Each servant's submitted quarters of the year, in order (a calibrated score replaces
    the quarter's)."""
    found: dict[int, list[QuarterScore]] = defaultdict(list)
    for r in await query(
            conn, "SELECT sh.evaluatee_id, c.quarter, sh.average, sh.final_average FROM sheet sh "
            "JOIN campaign c ON c.id = sh.campaign_id WHERE c.year = ? "
            "AND sh.status = 'submitted' ORDER BY c.quarter", (year,)):
        calibrated = r[3] is not None
        found[r[0]].append(QuarterScore(r[1], Decimal(r[3] if calibrated else r[2]), calibrated))
    return {servant: tuple(scores) for servant, scores in found.items()}


async def annual_scores(conn: Connection, year: int) -> list[AnnualRow]:
    rows = await query(
        conn, "SELECT a.servant_id, s.personnel_no, s.full_name, a.average, a.grade, a.quarters "
        "FROM annual_score a JOIN servant s ON s.id = a.servant_id WHERE a.year = ? "
        "ORDER BY s.full_name", (year,))
    quarters = await _quarter_scores(conn, year)
    return [AnnualRow(r[0], r[1], r[2], Decimal(r[3]), r[4], r[5], quarters.get(r[0], ()))
            for r in rows]


async def unreachable(conn: Connection, since: datetime | None = None
                      ) -> list[tuple[str, str]]:
    """(name, personnel no.) of servants the bot cannot write to (they blocked it), only
    those found so after ``since`` if given."""
    rows = await query(conn, "SELECT s.full_name, s.personnel_no, a.unreachable_at "
        "FROM servant s JOIN account a ON a.servant_id = s.id "
        "WHERE a.unreachable_at IS NOT NULL ORDER BY s.full_name")
    return [(r[0], r[1]) for r in rows
            if since is None or datetime.fromisoformat(r[2]) > since]


async def last_digest_day(conn: Connection, recipient_id: int, before: date
                          ) -> date | None:
    """The day HR's previous daily digest was sent to him, if any."""
    rows = await query(conn, "SELECT max(due_on) FROM outbox WHERE kind = 'hr_digest' "
                             "AND recipient_id = ? AND status = 'sent' AND due_on < ?",
                       (recipient_id, before.isoformat()))
    return date.fromisoformat(rows[0][0]) if rows and rows[0][0] else None


async def active_hr(conn: Connection, today: date) -> list[int]:
    rows = await query(
        conn, "SELECT id FROM servant WHERE is_hr = 1 AND (dismissed_on IS NULL OR dismissed_on "
        ">= ?)",
        (today.isoformat(),))
    return [r[0] for r in rows]


async def pending_by_evaluator(conn: Connection, campaign_id: int,
                               evaluator_id: int) -> int:
    rows = await query(
        conn, "SELECT count(*) FROM sheet WHERE campaign_id = ? AND evaluator_id = ? "
        "AND status = 'pending'", (campaign_id, evaluator_id))
    return rows[0][0]


async def pending_evaluatees(conn: Connection, year: int) -> list[str]:
    """Names of servants with an unsubmitted sheet in the year: their annual score would miss
    a quarter."""
    rows = await query(conn, "SELECT DISTINCT s.full_name FROM sheet sh JOIN campaign c "
        "ON c.id = sh.campaign_id JOIN servant s ON s.id = sh.evaluatee_id "
        "WHERE c.year = ? AND sh.status = 'pending' ORDER BY s.full_name", (year,))
    return [r[0] for r in rows]


async def annual_formed(conn: Connection, year: int) -> bool:
    """Whether the year's annual scores have been formed (by HR or the scheduler)."""
    rows = await query(conn, "SELECT 1 FROM annual_score WHERE year = ? LIMIT 1",
                                       (year,))
    return bool(rows)


async def annual_score_of(conn: Connection, year: int, servant_id: int
                          ) -> AnnualRow | None:
    """One servant's annual score for the year, if it has been formed."""
    rows = [r for r in await annual_scores(conn, year) if r.servant_id == servant_id]
    return rows[0] if rows else None
