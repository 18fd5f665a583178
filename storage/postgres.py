"""PostgreSQL, the engine for a body (or a deployment) that outgrows one machine: an asyncpg
pool, several bot processes on one database.

The storage modules' SQL is written once, with ``?`` placeholders; ``PgConnection`` numbers
them (``$1``, ``$2`` …) and reads rows by position and by name, as on SQLite. Dates, moments,
scores and JSON travel as the same ISO and decimal text as on SQLite, while the columns are
DATE, TIMESTAMPTZ, NUMERIC and JSONB (storage/migrations/postgresql/). Every write transaction
takes one advisory lock first, so writes are serialised as on SQLite: a use case reads what
it is about to change without racing another worker (docs/decisions.md).
"""

from __future__ import annotations

import asyncio
import functools
import re
import sqlite3
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import asyncpg

from storage.db import Database, available_migrations

# Advisory locks are pg_advisory_lock(scope, key): the scope is the schema's name with what the
# lock is for, so that bodies (or test runs) sharing a server by schema never wait for each
# other; the key tells one user's lock from another's.
SCOPE = "hashtext(current_schema() || ':' || $1)"

_TOKENS = re.compile(r"'(?:[^']|'')*'|\"[^\"]*\"|\?")


@functools.lru_cache(maxsize=2048)
def numbered(sql: str) -> str:
    """SQLite's ``?`` placeholders as PostgreSQL's ``$1 … $n`` (quoted text left alone)."""
    count = 0

    def number(match: re.Match[str]) -> str:
        nonlocal count
        if match.group(0) != "?":
            return match.group(0)
        count += 1
        return f"${count}"

    return _TOKENS.sub(number, sql)


class PgCursor:
    """What ``execute`` returns: the rows changed, and any rows a ``RETURNING`` gave."""

    def __init__(self, rowcount: int, rows: list[asyncpg.Record] | None = None) -> None:
        self.rowcount = rowcount
        self.rows = rows or []

    def __iter__(self) -> Iterator[asyncpg.Record]:
        return iter(self.rows)

    def fetchone(self) -> asyncpg.Record | None:
        return self.rows[0] if self.rows else None

    def fetchall(self) -> list[asyncpg.Record]:
        return self.rows


def _rowcount(status: str) -> int:
    """The count at the end of a command tag: ``INSERT 0 1``, ``UPDATE 3``, ``DELETE 0``."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


def _returns_rows(sql: str) -> bool:
    first = sql.lstrip().split(None, 1)[0].upper()
    return first in ("SELECT", "WITH", "VALUES") or " RETURNING " in sql.upper()


@contextmanager
def _integrity() -> Iterator[None]:
    """PostgreSQL's refusals (a constraint, a trigger) raised as the one IntegrityError the
    use cases catch on either engine."""
    try:
        yield
    except asyncpg.IntegrityConstraintViolationError as error:
        raise sqlite3.IntegrityError(str(error)) from error


class PgConnection:
    """An asyncpg connection that speaks the storage modules' dialect."""

    engine = "postgresql"

    def __init__(self, raw: asyncpg.Connection) -> None:
        self.raw = raw

    async def execute(self, sql: str, parameters: Iterable[Any] | None = None) -> PgCursor:
        args = tuple(parameters or ())
        with _integrity():
            if _returns_rows(sql):
                rows = await self.raw.fetch(numbered(sql), *args)
                return PgCursor(len(rows), rows)
            return PgCursor(_rowcount(await self.raw.execute(numbered(sql), *args)))

    async def executemany(self, sql: str, parameters: Iterable[Iterable[Any]]) -> None:
        batch = [tuple(p) for p in parameters]
        if batch:
            with _integrity():
                await self.raw.executemany(numbered(sql), batch)

    async def execute_fetchall(self, sql: str, parameters: Iterable[Any] | None = None
                               ) -> list[asyncpg.Record]:
        with _integrity():
            return list(await self.raw.fetch(numbered(sql), *tuple(parameters or ())))


def _text(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, (date, datetime)) else str(value)


def _moment(text: str) -> str:
    """PostgreSQL's ``2026-04-01 06:00:00+00`` as the ISO text SQLite keeps."""
    return datetime.fromisoformat(text).isoformat()


async def _prepare(conn: asyncpg.Connection) -> None:
    """Every pooled connection exchanges dates, moments, scores and JSON as text."""
    for name, encoder, decoder in (("date", _iso, str), ("timestamptz", _iso, _moment),
                                   ("numeric", _text, str), ("jsonb", _text, str),
                                   ("json", _text, str)):
        await conn.set_type_codec(name, schema="pg_catalog", encoder=encoder, decoder=decoder,
                                  format="text")


class PostgresDatabase(Database):
    """A pool of connections to one PostgreSQL database (one schema of it)."""

    engine = "postgresql"

    def __init__(self, pool: asyncpg.Pool, user_locks: asyncpg.Pool, url: str) -> None:
        self.pool = pool
        self._user_locks = user_locks
        self.url = url
        self._loop = asyncio.get_running_loop()

    @property
    def path(self) -> Path | None:
        return None

    @classmethod
    async def connect(cls, url: str, *, pool_size: int = 10) -> PostgresDatabase:
        settings = {"timezone": "UTC", "application_name": "bagalau"}
        pool = await asyncpg.create_pool(url, min_size=1, max_size=pool_size, init=_prepare,
                                         server_settings=settings)
        user_locks = await asyncpg.create_pool(url, min_size=1, max_size=pool_size,
                                               server_settings=settings)
        db = cls(pool, user_locks, url)
        await db.migrate()
        return db

    async def close(self) -> None:
        await self._user_locks.close()
        await self.pool.close()

    async def _lock(self, conn: asyncpg.Connection, what: str, key: str = "",
                    *, session: bool = False) -> None:
        kind = "" if session else "_xact"
        await conn.execute(f"SELECT pg_advisory{kind}_lock({SCOPE}, hashtext($2))", what, key)

    @asynccontextmanager
    async def user_lock(self, key: str) -> AsyncIterator[None]:
        """One user's updates one at a time across every worker: held for the whole update, on
        a pool of its own (the update's transactions take connections from the main one)."""
        async with self._user_locks.acquire() as raw:
            await self._lock(raw, "user", key, session=True)
            yield  # the pool's reset on release unlocks it, whatever happened meanwhile

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[PgConnection]:
        async with self.pool.acquire() as raw, raw.transaction():
            await self._lock(raw, "write")
            yield PgConnection(raw)

    def aside(self) -> Any:
        return self.transaction()

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[PgConnection]:
        async with self.pool.acquire() as raw, \
                raw.transaction(isolation="repeatable_read", readonly=True):
            yield PgConnection(raw)

    @contextmanager
    def snapshot(self) -> Iterator[SyncBridge]:
        """For a worker thread: one repeatable-read transaction, its queries run on the
        event loop's pool and waited for here."""
        raw = self._wait(self.pool.acquire())
        tx = raw.transaction(isolation="repeatable_read", readonly=True)
        try:
            self._wait(tx.start())
            yield SyncBridge(PgConnection(raw), self._wait)
            self._wait(tx.commit())
        finally:
            self._wait(self.pool.release(raw))

    def _wait(self, awaitable: Any) -> Any:
        async def run() -> Any:
            return await awaitable
        return asyncio.run_coroutine_threadsafe(run(), self._loop).result()

    async def change(self, sql: str, params: tuple[Any, ...] = ()) -> int:
        async with self.transaction() as conn:
            return (await conn.execute(sql, params)).rowcount

    async def fetch(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        async with self.pool.acquire() as raw:
            return await PgConnection(raw).execute_fetchall(sql, params)

    async def peek(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        return await self.fetch(sql, params)

    async def change_lightly(self, sql: str, params: tuple[Any, ...] = ()) -> None:
        """Conversation state: one autocommitted statement (the per-user lock of the update
        keeps two of them for one chat from racing)."""
        async with self.pool.acquire() as raw:
            await PgConnection(raw).execute(sql, params)

    async def migrate(self) -> int:
        """Apply PostgreSQL's migrations newer than ``schema_version``, one transaction each,
        under a lock: workers starting together migrate once."""
        async with self.pool.acquire() as raw:
            await self._lock(raw, "migrate", session=True)
            try:
                await raw.execute("CREATE TABLE IF NOT EXISTS schema_version "
                                  "(version INTEGER NOT NULL)")
                current = await raw.fetchval("SELECT max(version) FROM schema_version") or 0
                for version, script in available_migrations(self.engine):
                    if version <= current:
                        continue
                    async with raw.transaction():
                        await raw.execute(script)
                        await raw.execute("INSERT INTO schema_version VALUES ($1)", version)
                    current = version
                return int(current)
            finally:
                await raw.execute(f"SELECT pg_advisory_unlock({SCOPE}, hashtext(''))",
                                  "migrate")

    async def checkpoint(self) -> bool:
        """Vacuum the sealed survey tables, so that deleted ballots and drafts leave no dead
        row in the tables' pages (they are sealed, and their key is destroyed, anyway)."""
        async with self.pool.acquire() as raw:
            await raw.execute("VACUUM survey_ballot, survey_draft")
        return True


class SyncBridge:
    """The blocking connection a worker thread reads through on PostgreSQL."""

    def __init__(self, conn: PgConnection, wait: Any) -> None:
        self._conn = conn
        self._wait = wait

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> PgCursor:
        result: PgCursor = self._wait(self._conn.execute(sql, parameters))
        return result


class Leadership:
    """The leader lock on a connection of its own: held while that connection lives, so a
    worker killed outright loses it at once and another takes it at its next try."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._conn: asyncpg.Connection | None = None

    async def try_lead(self, on_outbox: Any) -> bool:
        """Take the lock if no other worker holds it; then ``on_outbox()`` is called whenever
        a transaction anywhere enqueues a message."""
        if self._conn is None or self._conn.is_closed():
            self._conn = await asyncpg.connect(self.url, timeout=10)
        won = await self._conn.fetchval(
            f"SELECT pg_try_advisory_lock({SCOPE}, hashtext(''))", "leader")
        if won:
            schema = await self._conn.fetchval("SELECT current_schema()")
            await self._conn.add_listener(f"outbox:{schema}", lambda *_: on_outbox())
        return bool(won)

    async def alive(self) -> bool:
        """Whether the lock is still held (its connection answers)."""
        if self._conn is None or self._conn.is_closed():
            return False
        try:
            await self._conn.fetchval("SELECT 1", timeout=5)
        except (OSError, asyncpg.PostgresError, TimeoutError):
            await self.close()
            return False
        return True

    async def close(self) -> None:
        if self._conn is not None:
            self._conn.terminate()
            self._conn = None
