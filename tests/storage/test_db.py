"""The database: migrations, WAL, foreign keys, transactions, the audit log, backup."""

import sqlite3

import aiosqlite
import pytest

from storage import audit, retention
from storage.db import Database, available_migrations

from .conftest import NOW


async def test_a_fresh_file_is_created_and_migrated(tmp_path):
    path = tmp_path / "sub" / "fresh.sqlite3"
    db = await Database.open(path)
    try:
        latest = available_migrations()[-1][0]
        async with db.reading() as conn:
            assert (await (await conn.execute("PRAGMA user_version")).fetchone())[0] == latest
            assert (await (await conn.execute("PRAGMA journal_mode")).fetchone())[0] == "wal"
            assert (await (await conn.execute("PRAGMA foreign_keys")).fetchone())[0] == 1
    finally:
        await db.close()
    assert path.exists()


@pytest.mark.parametrize("applied", range(len(available_migrations())))
async def test_an_old_file_comes_up_to_date(tmp_path, applied):
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as old:
        for version, script in available_migrations()[:applied]:
            old.executescript(script)
            old.execute(f"PRAGMA user_version = {version}")
    db = await Database.open(path)
    try:
        assert await db.migrate() == available_migrations()[-1][0]
        async with db.reading() as conn:
            tables = {r[0] for r in await conn.execute_fetchall(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"servant", "account", "invite", "fsm", "audit"} <= tables
    finally:
        await db.close()


async def test_a_failed_transaction_changes_nothing(db):
    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO body (id, name, methodology) VALUES (1, 'x', 'y')")
            raise RuntimeError("crash in the middle")
    async with db.reading() as conn:
        assert await conn.execute_fetchall("SELECT * FROM body") == []


async def test_foreign_keys_are_enforced(db):
    with pytest.raises(sqlite3.IntegrityError):
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO account (telegram_id, servant_id) VALUES (1, 999)")


async def test_the_audit_log_is_append_only(db):
    async with db.transaction() as conn:
        await audit.record(conn, at=NOW, actor="cli", action="test", after={"a": 1})
    for statement in ("UPDATE audit SET actor = 'x'", "DELETE FROM audit"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            async with db.transaction() as conn:
                await conn.execute(statement)
    async with db.reading() as conn:
        entries = await audit.entries(conn)
    assert entries[0]["after"] == '{"a": 1}'


async def test_retention_purges_only_old_records(db):
    from datetime import timedelta

    async with db.transaction() as conn:
        await audit.record(conn, at=NOW - timedelta(days=4 * 365), actor="cli", action="old")
        await audit.record(conn, at=NOW, actor="cli", action="new")
    async with db.transaction() as conn:
        removed = await retention.purge(conn, before=NOW - timedelta(days=3 * 365), at=NOW,
                                        actor="cli")
    assert removed["audit"] == 1
    async with db.reading() as conn:
        actions = [e["action"] for e in await audit.entries(conn)]
        guard = await conn.execute_fetchall("SELECT purging FROM retention_guard")
    assert actions == ["new", "retention.purge"]
    assert guard[0][0] == 0  # the log is append-only again


@pytest.mark.sqlite_only
async def test_online_backup_while_writing(db, tmp_path):
    async with db.transaction() as conn:
        await audit.record(conn, at=NOW, actor="cli", action="before-backup")
    target = tmp_path / "backups" / "copy.sqlite3"
    await db.backup(target)
    async with db.transaction() as conn:
        await audit.record(conn, at=NOW, actor="cli", action="after-backup")
    async with aiosqlite.connect(target) as copy:
        rows = await copy.execute_fetchall("SELECT action FROM audit")
    assert [r[0] for r in rows] == ["before-backup"]


async def test_retention_purges_evaluations_older_than_three_years(db):
    from datetime import timedelta

    from scoring import Quarter, WorkCalendar, load_methodology
    from storage import evaluation, roster
    from storage.roster_file import parse

    from .test_roster import SAMPLE

    methodology, calendar = load_methodology("typical-2025"), WorkCalendar.kazakhstan()
    async with db.transaction() as conn:
        await roster.apply(conn, parse(SAMPLE.read_bytes(), "s.csv"), at=NOW, actor="cli")
        for quarter in (Quarter(2022, 4), Quarter(2026, 1)):
            await evaluation.open_campaign(conn, methodology, quarter, calendar, at=NOW,
                                           today=quarter.end, actor="cli")
    async with db.transaction() as conn:
        removed = await retention.purge(conn, before=NOW - timedelta(days=3 * 365), at=NOW,
                                        actor="cli")
    assert removed["campaign"] == 1 and removed["sheet"] > 0
    async with db.reading() as conn:
        left = await conn.execute_fetchall("SELECT year, quarter FROM campaign")
    assert [tuple(r) for r in left] == [(2026, 1)]


async def test_a_quarter_is_kept_three_years_from_its_last_calibration(db):
    """Typical cl. 13: completion is the last step of the evaluation; an undecided calibration
    keeps its quarter, and calibrated sheets go with their calibrations (issue 15 item 6)."""
    from datetime import date, timedelta

    from scoring import Quarter, WorkCalendar, load_methodology
    from storage import evaluation, roster
    from storage.roster_file import parse

    from .test_roster import SAMPLE

    methodology, calendar = load_methodology("typical-2025"), WorkCalendar.kazakhstan()
    async with db.transaction() as conn:
        await roster.apply(conn, parse(SAMPLE.read_bytes(), "s.csv"), at=NOW, actor="cli")
        for quarter in (Quarter(2021, 4), Quarter(2022, 1), Quarter(2022, 2)):
            await evaluation.open_campaign(conn, methodology, quarter, calendar, at=NOW,
                                           today=quarter.end, actor="cli")
        campaigns = {(r[1], r[2]): r[0] for r in await conn.execute_fetchall(
            "SELECT id, year, quarter FROM campaign")}
        cutoff = NOW - timedelta(days=3 * 365)

        async def calibrate(quarter: tuple[int, int], status: str, decided: date | None):
            sheet, evaluatee = (await conn.execute_fetchall(
                "SELECT id, evaluatee_id FROM sheet WHERE campaign_id = ? LIMIT 1",
                (campaigns[quarter],)))[0]
            await conn.execute(
                "INSERT INTO calibration (sheet_id, appellant_id, statement, requested_at, "
                "requested_on, decision_due, session_due, status, original_score, decided_on)"
                " VALUES (?, ?, 's', ?, ?, ?, ?, ?, '3.00', ?)",
                (sheet, evaluatee, NOW.isoformat(), "2022-01-01", "2022-01-05", "2022-01-20",
                 status, decided.isoformat() if decided else None))

        await calibrate((2021, 4), "decided", (cutoff + timedelta(days=10)).date())
        await calibrate((2022, 1), "voting", None)
        await calibrate((2022, 2), "decided", (cutoff - timedelta(days=10)).date())
    assert (cutoff - timedelta(days=10)).date() > date(2022, 7, 31)  # after Q2's deadline
    async with db.transaction() as conn:
        removed = await retention.purge(conn, before=cutoff, at=NOW, actor="cli")
    assert removed["campaign"] == 1 and removed["calibration"] == 1
    async with db.reading() as conn:
        left = await conn.execute_fetchall("SELECT year, quarter FROM campaign ORDER BY year")
    assert [tuple(r) for r in left] == [(2021, 4), (2022, 1)]


@pytest.mark.sqlite_only
async def test_secure_delete_is_on_and_the_wal_truncates(db, tmp_path):
    """Deleted survey rows are overwritten, not just unlinked, whatever the SQLite build's
    default; a checkpoint leaves the write-ahead log empty (docs/anonymity.md)."""
    assert (await db.fetch("PRAGMA secure_delete"))[0][0] == 1
    async with db.transaction() as conn:
        await conn.execute("CREATE TABLE scratch (v BLOB)")
        await conn.execute("INSERT INTO scratch VALUES (?)", (b"secret-ballot" * 20,))
    async with db.transaction() as conn:
        await conn.execute("DELETE FROM scratch")
    assert await db.checkpoint()
    assert (tmp_path / "test.sqlite3-wal").stat().st_size == 0
    assert b"secret-ballot" not in (tmp_path / "test.sqlite3").read_bytes()


async def test_an_outbox_id_is_never_given_again(db):
    """The worker settles a message by its id: a deleted row's id must not come back for a
    newer message (a closed survey's reminders are deleted while the worker may hold them)."""
    from datetime import date

    from storage import outbox, roster
    from storage.roster_file import parse

    from .test_roster import SAMPLE

    async with db.transaction() as conn:
        await roster.apply(conn, parse(SAMPLE.read_bytes(), "s.csv"), at=NOW, actor="cli")
        servant = (await conn.execute_fetchall("SELECT min(id) FROM servant"))[0][0]
        for subject in ("a", "b"):
            await outbox.enqueue(conn, "survey_reminder", subject, servant,
                                 due_on=date(2026, 4, 6), not_before=NOW, at=NOW)
        newest = (await conn.execute_fetchall("SELECT max(id) FROM outbox"))[0][0]
        await conn.execute("DELETE FROM outbox WHERE id = ?", (newest,))
        await outbox.enqueue(conn, "result", "sheet:1", servant, due_on=date(2026, 4, 6),
                             not_before=NOW, at=NOW)
        ids = [r[0] for r in await conn.execute_fetchall("SELECT id FROM outbox ORDER BY id")]
    assert ids == [newest - 1, newest + 1]
