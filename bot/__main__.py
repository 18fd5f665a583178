"""``python -m bot``: run the bot, or an administration command (``python -m bot --help``)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import re
import sys
from datetime import datetime, time, timedelta
from html import unescape
from pathlib import Path

from aiogram.exceptions import TelegramNetworkError
from pydantic import ValidationError

from handlers.hr import views as hr_views
from scoring import (
    MethodologyError,
    WorkCalendar,
    load_methodology,
    shipped_zone,
    zone_problem,
)
from scoring.retention import RetentionTooShort, purge_cutoff
from services import accounts, roster
from services.clock import Clock
from services.context import Context
from storage import retention
from storage.db import Database

from . import logs, ops
from .i18n import create_i18n
from .network import explain
from .settings import Settings, secrets_of, token_problem

STARTUP_TIMEOUT = 20  # seconds for the first call to Telegram


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("run", help="run the bot (the default): long polling, or a webhook "
                                    "when WEBHOOK_URL is set")
    imported = commands.add_parser("import-roster", help="import a CSV or XLSX staff roster")
    imported.add_argument("file", type=Path)
    invite = commands.add_parser("invite", help="print an HR officer's invitation link")
    invite.add_argument("--hr", required=True, metavar="NAME",
                        help="the HR officer's name as in the roster (or part of it)")
    backup = commands.add_parser("backup", help="copy the live database (safe while running)")
    backup.add_argument("target", type=Path)
    purge = commands.add_parser("purge", help="delete evaluation documents older than the "
                                              "methodology's retention period (3 years)")
    purge.add_argument("--years", type=int, help="keep documents longer than the retention "
                                                 "period (a shorter one is refused)")
    commands.add_parser("migrate", help="bring the database schema up to date")
    move = commands.add_parser("migrate-to", help="copy this SQLite body into an empty "
                                                  "PostgreSQL database and verify the copy")
    move.add_argument("url", help="postgresql://user:password@host:5432/name")
    commands.add_parser("check", help="check the settings, the token, the Bot API, the database, "
                                      "file permissions, the methodology and the calendar")
    calendar = commands.add_parser("calendar", help="list a year's days off and transferred "
                                                    "working days, each with its source")
    calendar.add_argument("year", type=int)
    restore = commands.add_parser("restore", help="replace the database by a backup (the bot "
                                                  "must be stopped; the old file is kept)")
    restore.add_argument("backup", type=Path)
    sandbox = commands.add_parser("sandbox", help="try the bot without Telegram: an emulated "
                                                  "Bot API, a demo body and a chat page")
    sandbox.add_argument("--port", type=int, default=8765)
    sandbox.add_argument("--host", default="127.0.0.1",
                         help="the address to listen on (the page has no authentication)")
    sandbox.add_argument("--reset", action="store_true", help="start from a fresh demo database")
    sandbox.add_argument("--lang", choices=("kk", "ru", "en"), default="ru",
                         help="the default interface language")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format=logs.FORMAT)
    try:
        settings = Settings()
    except ValidationError as exc:
        print(f"Invalid settings:\n{exc}", file=sys.stderr)
        return 2
    logs.setup(settings.log_level, secrets_of(settings))
    command = args.command or "run"
    if problem := _zone_problem(settings):
        print(problem, file=sys.stderr)
        return 2
    if command in ("run", "invite") and (problem := token_problem(settings)):
        print(problem, file=sys.stderr)
        return 2
    handler = {"run": _run, "import-roster": _import, "invite": _invite, "backup": _backup,
               "purge": _purge, "migrate": _migrate, "sandbox": _sandbox, "check": _check,
               "restore": _restore, "calendar": _calendar, "migrate-to": _migrate_to}[command]
    try:
        return asyncio.run(handler(settings, args))
    except ops.BotRunning:
        return _fail(f"A bot is running on {settings.database_name}: stop it first (a second "
                     "one would answer the same people twice).", 2)
    except MethodologyError as error:
        return _fail(f"The methodology could not be loaded: {error}", 2)
    except TelegramNetworkError as error:
        api = settings.telegram_api_base or "https://api.telegram.org"
        return _fail(explain(error, api, settings.telegram_proxy), 3)


def _zone_problem(settings: Settings) -> str | None:
    """One line when the configured time zone is unknown or not UTC+5 now (the shipped tzdata
    is used, never the system's)."""
    try:
        tz = shipped_zone(settings.timezone)
    except ValueError as error:
        return f"TIMEZONE: {error}."
    return zone_problem(tz, datetime.now(tz))


def _fail(paragraph: str, code: int) -> int:
    """One clear paragraph on stderr and a non-zero exit; the traceback only at DEBUG."""
    logging.getLogger("bagalau").debug("the failure in detail", exc_info=True)
    print(paragraph, file=sys.stderr)
    return code


async def _run(settings: Settings, args: argparse.Namespace) -> int:
    if settings.sqlite_file is None:  # PostgreSQL: several workers may share the database
        return await _serve(settings)
    with ops.exclusive(settings.sqlite_file):
        return await _serve(settings)


async def _serve(settings: Settings) -> int:
    from aiogram.exceptions import TelegramUnauthorizedError

    from .app import create_app
    from .run import run_polling, run_webhook

    app = await create_app(settings)
    try:
        me = await app.bot.get_me(request_timeout=STARTUP_TIMEOUT)
    except TelegramUnauthorizedError:
        await app.close()
        print("Telegram rejected BOT_TOKEN (Unauthorized). Check the token with @BotFather "
              "(/mybots → API Token) and set it again.", file=sys.stderr)
        return 2
    except BaseException:
        await app.close()  # the database thread would otherwise keep the process alive
        raise
    logging.getLogger("bagalau").info("running as @%s, methodology %s, database %s",
                                      me.username, app.methodology.id, settings.database_name)
    await (run_webhook(app) if settings.webhook_url else run_polling(app))
    return 0


async def _import(settings: Settings, args: argparse.Namespace) -> int:
    try:
        content = args.file.read_bytes()
    except OSError as exc:
        print(f"Cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 1
    db = await _open(settings)
    context = _context(settings, db)
    i18n = create_i18n(settings.default_language)
    with i18n.context(), i18n.use_locale(settings.default_language):  # the chat's sentences
        try:
            report = await roster.import_roster(context, content, args.file.name, by=None)
        except roster.RosterError as exc:
            print(f"{args.file}:\n{_plain(hr_views.rejection(exc.errors))}", file=sys.stderr)
            return 1
        finally:
            await context.jobs.close()
            await db.close()
        print(f"{args.file}:\n" + "\n".join(_plain(t) for t in hr_views.imported(report)))
    return 0


def _plain(html: str) -> str:
    """A chat message as terminal text."""
    return unescape(re.sub(r"</?[a-z]+>", "", html))


async def _invite(settings: Settings, args: argparse.Namespace) -> int:
    from .app import create_bot

    bot = create_bot(settings)  # asked first: if Telegram fails, no link has been revoked
    try:
        me = await bot.get_me(request_timeout=STARTUP_TIMEOUT)
    finally:
        await bot.session.close()
    db = await _open(settings)
    try:
        invite = await accounts.invite_hr(_context(settings, db), args.hr,
                                          timedelta(days=settings.invite_ttl_days))
    finally:
        await db.close()
    if invite.token is None:
        names = ", ".join(s.full_name for s in invite.matching) or "nobody"
        print(f"HR officers matching {args.hr!r}: {names}. Import the roster first "
              "(role column: hr) and give a name that matches exactly one.", file=sys.stderr)
        return 1
    print(f"https://t.me/{me.username}?start={invite.token}")
    return 0


async def _backup(settings: Settings, args: argparse.Namespace) -> int:
    if settings.sqlite_file is None:
        return _fail("On PostgreSQL, back up with pg_dump (README, \"Running on PostgreSQL\").", 2)
    from storage.sqlite import SqliteDatabase

    db = await SqliteDatabase.connect(settings.sqlite_file)  # PostgreSQL has pg_dump
    try:
        await db.backup(args.target)
    finally:
        await db.close()
    print(f"Backed up {settings.database_name} to {args.target}")
    return 0


async def _calendar(settings: Settings, args: argparse.Namespace) -> int:
    print("\n".join(ops.calendar_listing(settings, args.year)))
    return 0


async def _purge(settings: Settings, args: argparse.Namespace) -> int:
    clock = Clock(shipped_zone(settings.timezone))
    law_years = load_methodology(settings.methodology).retention_years
    try:
        cutoff = purge_cutoff(clock.today(), args.years or law_years, law_years=law_years)
    except RetentionTooShort as error:
        print(f"Nothing purged: {error}.", file=sys.stderr)
        return 2
    now = clock.now()
    before = datetime.combine(cutoff, time(), clock.tz)
    db = await _open(settings)
    try:
        async with db.transaction() as conn:
            removed = await retention.purge(conn, before=before, at=now, actor="cli")
    finally:
        await db.close()
    print(f"Removed records completed before {before.date()}: "
          + ", ".join(f"{table} {n}" for table, n in removed.items()))
    return 0


async def _migrate(settings: Settings, args: argparse.Namespace) -> int:
    db = await _open(settings)
    try:
        version = await db.migrate()
    finally:
        await db.close()
    print(f"{settings.database_name}: schema version {version}")
    return 0


async def _migrate_to(settings: Settings, args: argparse.Namespace) -> int:
    from storage import transfer
    from storage.postgres import PostgresDatabase
    from storage.sqlite import SqliteDatabase

    if settings.sqlite_file is None or not args.url.startswith(("postgresql://", "postgres://")):
        return _fail("migrate-to copies the SQLite body at DATABASE_PATH (leave DATABASE_URL "
                     "unset) into the postgresql://… database given.", 2)
    with ops.exclusive(settings.sqlite_file):  # the bot must be stopped meanwhile
        source = await SqliteDatabase.connect(settings.sqlite_file)
        target = await PostgresDatabase.connect(args.url)
        try:
            copied = await transfer.copy(source, target)
            checks = await transfer.verify(source, target)
        except transfer.TargetNotEmpty as error:
            return _fail(f"Nothing copied: the PostgreSQL database is not empty ({error}).", 1)
        finally:
            await target.close()
            await source.close()
    for check in checks:
        print(f"{'OK  ' if check.ok else 'FAIL'} {check.table}: {check.rows_source} rows → "
              f"{check.rows_target}, sha256 {check.checksum_target[:16]}")
    if not all(c.ok for c in checks):
        return _fail("The copy differs from the SQLite body: do not switch to it.", 1)
    print(f"Copied {sum(copied.values())} rows in {len(copied)} tables. Start the bot with "
          f"DATABASE_URL set to the new database and SURVEY_KEYS_PATH={settings.survey_keys_file}"
          " (the survey keys never move into a database).")
    return 0


async def _check(settings: Settings, args: argparse.Namespace) -> int:
    findings = await ops.check(settings)
    for finding in findings:
        print(finding)
    return 0 if all(f.ok or f.warning for f in findings) else 1


async def _restore(settings: Settings, args: argparse.Namespace) -> int:
    try:
        print(await ops.restore(settings, args.backup))
    except ValueError as error:
        print(f"Not restored, nothing changed: {error}", file=sys.stderr)
        return 1
    return 0


async def _sandbox(settings: Settings, args: argparse.Namespace) -> int:
    from sandbox import run

    from .app import sandbox_app

    return await run(sandbox_app, args.port, args.reset, args.lang, args.host)


async def _open(settings: Settings) -> Database:
    return await Database.open(settings.database_target, pool_size=settings.database_pool_size)


def _context(settings: Settings, db: Database) -> Context:
    """What the use cases need, for a command run outside the bot (nothing to wake)."""
    overrides = [settings.calendar_overrides] if settings.calendar_overrides else []
    return Context(db, Clock(shipped_zone(settings.timezone)), WorkCalendar.kazakhstan(overrides),
                   load_methodology(settings.methodology))


if __name__ == "__main__":
    sys.exit(main())
