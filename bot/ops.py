"""The operator's commands: ``check`` (is this deployment ready, each item one line) and
``restore`` (put a backup in place of the database, keeping the old one)."""

from __future__ import annotations

import fcntl
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from aiogram.exceptions import TelegramNetworkError, TelegramUnauthorizedError

from scoring import MethodologyError, WorkCalendar, load_methodology, shipped_zone
from scoring.workdays import Unsettled
from storage.db import Database, available_migrations
from storage.sqlite import create_private, loose_files

from .network import explain
from .settings import Settings, token_problem


@dataclass(frozen=True, slots=True)
class Finding:
    ok: bool
    what: str
    detail: str
    warning: bool = False  # worth acting on, but the bot runs correctly meanwhile

    def __str__(self) -> str:
        label = "OK  " if self.ok else "WARN" if self.warning else "FAIL"
        return f"{label} {self.what}: {self.detail}"


class BotRunning(Exception):
    """The database is in use by a running bot."""


@contextmanager
def exclusive(database: Path) -> Iterator[None]:
    """Held by the running bot for its whole life; ``restore`` takes it without waiting, so it
    refuses while the bot runs."""
    create_private(Path(f"{database}.lock"))
    with open(f"{database}.lock", "w", encoding="utf-8") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BotRunning(str(database)) from None
        lock.write(str(os.getpid()))
        lock.flush()
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


async def check(settings: Settings) -> list[Finding]:
    """Every precondition of a working deployment, in the order they depend on each other."""
    from .app import create_bot

    findings = [Finding(True, "settings", "loaded from the environment and .env")]
    problem = token_problem(settings)
    findings.append(Finding(problem is None, "BOT_TOKEN",
                            "well-formed" if problem is None else problem.splitlines()[0]))
    if problem is None:
        bot = create_bot(settings)
        api = settings.telegram_api_base or "https://api.telegram.org"
        try:
            me = await bot.get_me(request_timeout=20)
            findings.append(Finding(True, "Bot API", f"{api} answers; running as @{me.username}"))
        except TelegramUnauthorizedError:
            findings.append(Finding(False, "Bot API", "Telegram rejected BOT_TOKEN: check it "
                                                      "with @BotFather (/mybots → API Token)"))
        except TelegramNetworkError as error:
            findings.append(Finding(False, "Bot API", explain(error, api,
                                                              settings.telegram_proxy)))
        finally:
            await bot.session.close()
    findings += (await _database(settings.sqlite_file) if settings.sqlite_file
                 else await _postgres(settings))
    try:
        methodology = load_methodology(settings.methodology)
        findings.append(Finding(True, "methodology", f"{methodology.id} ({settings.methodology})"))
    except MethodologyError as error:
        findings.append(Finding(False, "methodology", str(error)))
    findings += _calendar(settings)
    if settings.webhook_url:
        secret = "WEBHOOK_SECRET" if settings.webhook_secret else "derived from the token"
        findings.append(Finding(True, "webhook", f"{settings.webhook_url}, secret {secret}"))
    return findings


async def _database(path: Path) -> list[Finding]:
    latest = max((v for v, _sql in available_migrations()), default=0)
    if not path.exists():
        return [Finding(True, "database", f"{path} does not exist yet; it is created and "
                                          f"migrated to version {latest} at the first start")]
    findings = []
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    findings.append(Finding(integrity == "ok", "database integrity",
                            f"{path}: {integrity}" if integrity != "ok" else f"{path}: ok"))
    findings.append(Finding(version <= latest, "schema version",
                            f"{version} (this release migrates up to {latest}"
                            + ("; it is brought up to date at start)" if version < latest
                               else ")" if version == latest
                               else "; the database is newer than this release: upgrade)")))
    loose = loose_files(path)
    findings.append(Finding(not loose, "file permissions",
                            "owner only (600)" if not loose else
                            "; ".join(f"{p} is {m:o}: chmod 600 {p}" for p, m in loose)))
    return findings


async def _postgres(settings: Settings) -> list[Finding]:
    """PostgreSQL answers, and the schema version against this release's."""
    import asyncpg

    latest = max((v for v, _sql in available_migrations("postgresql")), default=0)
    try:
        conn = await asyncpg.connect(settings.database_url, timeout=10)
    except (OSError, asyncpg.PostgresError) as error:
        return [Finding(False, "database", f"{settings.database_name}: {error}")]
    try:
        version = await conn.fetchval("SELECT max(version) FROM schema_version") \
            if await conn.fetchval("SELECT to_regclass('schema_version') IS NOT NULL") else 0
    finally:
        await conn.close()
    return [Finding(True, "database", f"{settings.database_name} answers"),
            Finding((version or 0) <= latest, "schema version",
                    f"{version or 0} (this release migrates up to {latest})")]


def _calendar(settings: Settings) -> list[Finding]:
    calendar = _work_calendar(settings)
    today = datetime.now(shipped_zone(settings.timezone)).date()
    findings = []
    for year in (today.year, today.year + 1):
        off = sum(not e.worked and e.reason != "weekend" for e in calendar.entries(year))
        unsettled = calendar.unsettled(year)
        if problem := unsettled_line(unsettled, today):
            findings.append(Finding(False, f"calendar {year}", f"{off} holidays; {problem}",
                                    warning=True))
        else:
            findings.append(Finding(True, f"calendar {year}", f"{off} holidays and transfers"))
    return findings


def _work_calendar(settings: Settings) -> WorkCalendar:
    overrides = [settings.calendar_overrides] if settings.calendar_overrides else []
    return WorkCalendar.kazakhstan(overrides)


def unsettled_line(unsettled: Unsettled, today: date) -> str | None:
    """What a year's calendar still guesses, and where to put the decreed dates."""
    estimated = [d.isoformat() for d in unsettled.estimated if d >= today]
    parts = []
    if estimated:
        parts.append(f"estimated dates ({', '.join(estimated)})")
    if not unsettled.transfers_recorded:
        parts.append("no transfer order recorded")
    if not parts:
        return None
    return " and ".join(parts) + ": add the decreed days to the CALENDAR_OVERRIDES file"


def calendar_listing(settings: Settings, year: int) -> list[str]:
    """``python -m bot calendar YEAR``: each day off (but plain weekends) and each weekend day
    worked instead, with its reason and its source; then what the year still guesses."""
    calendar = _work_calendar(settings)
    entries = calendar.entries(year)
    lines = [f"Days off and transfers in {year} (Asia/Almaty):"]
    for e in entries:
        if e.reason == "weekend":
            continue
        what = "worked " if e.worked else "day off"
        estimated = " [estimated]" if e.estimated else ""
        lines.append(f"{e.day.isoformat()} {e.day:%a}  {what}  {e.reason}{estimated}  "
                     f"— {e.source}")
    weekends = sum(e.reason == "weekend" for e in entries)
    worked = calendar.working_days_between(date(year, 1, 1), date(year, 12, 31))
    lines.append(f"plus {weekends} ordinary weekend days; {worked} working days in all.")
    problem = unsettled_line(calendar.unsettled(year), date(year, 1, 1))
    lines.append(f"Not yet decreed: {problem}." if problem else
                 "Settled: no estimated dates, a transfer order is recorded.")
    return lines


async def restore(settings: Settings, backup: Path) -> str:
    """Replace the database by ``backup`` (checked first); the old files are kept beside it.
    Raises BotRunning while the bot runs, ValueError for a file that is not a sound backup."""
    database = settings.sqlite_file
    if database is None:
        raise ValueError("on PostgreSQL, restore a pg_dump with pg_restore (README, \"Running "
                         "on PostgreSQL\")")
    latest = max((v for v, _sql in available_migrations()), default=0)
    try:
        with sqlite3.connect(f"file:{backup}?mode=ro", uri=True) as source:
            integrity = source.execute("PRAGMA integrity_check").fetchone()[0]
            version = source.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise ValueError(f"{backup} is not an SQLite database ({error})") from None
    if integrity != "ok":
        raise ValueError(f"{backup} fails the integrity check: {integrity}")
    if version > latest:
        raise ValueError(f"{backup} has schema version {version}, newer than this release "
                         f"({latest}): restore it with the release that made it")
    with exclusive(database):
        kept = None
        if database.exists():
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")  # noqa: DTZ005 (a file name)
            kept = database.with_name(f"{database.name}.before-restore-{stamp}")
            for suffix in ("", "-wal", "-shm"):
                old = Path(f"{database}{suffix}")
                if old.exists():
                    shutil.move(old, Path(f"{kept}{suffix}"))
        create_private(database)
        with sqlite3.connect(f"file:{backup}?mode=ro", uri=True) as source, \
                sqlite3.connect(database) as target:
            source.backup(target)
        db = await Database.open(database)
        migrated = await db.migrate()
        await db.close()
    where = f"; the previous database is kept as {kept}" if kept else ""
    return f"Restored {backup} into {database} (schema version {migrated}){where}."
