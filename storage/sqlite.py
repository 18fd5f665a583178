"""SQLite, the embedded engine: one connection, WAL, foreign keys, a transaction per change."""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import stat
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import aiosqlite

from storage.db import Database, available_migrations, query

# aiosqlite's DEBUG lines print every statement with its parameters — survey answers among
# them. However verbose the application's logging, they must never reach a log file.
logging.getLogger("aiosqlite").setLevel(logging.INFO)


class SqliteDatabase(Database):
    """A single aiosqlite connection shared by the bot; every use goes through a lock.

    ``transaction()`` is ``BEGIN IMMEDIATE … COMMIT`` (rolled back on any exception), so a state
    change is all or nothing; ``reading()`` is for queries. SQLite has one writer anyway: the lock
    keeps two coroutines from interleaving statements on the shared connection.
    ``peek()`` reads committed data on a second connection without leaving the event loop;
    ``change_lightly()`` writes conversation state on a third one without its own fsync.
    """

    engine = "sqlite"

    def __init__(self, conn: aiosqlite.Connection, path: Path,
                 reader: sqlite3.Connection | None = None) -> None:
        self.conn = conn
        self._path = path
        self._lock = asyncio.Lock()
        self._reader = reader
        self._light: aiosqlite.Connection | None = None

    @property
    def path(self) -> Path:
        return self._path

    @classmethod
    async def connect(cls, path: str | Path, *, synchronous: str = "FULL") -> SqliteDatabase:
        """Open (creating the folder and file if needed) and bring the schema up to date."""
        path = Path(path)
        if str(path) != ":memory:":
            create_private(path)
        conn = await aiosqlite.connect(path, isolation_level=None)
        conn.row_factory = aiosqlite.Row
        await conn.execute("PRAGMA journal_mode = WAL")
        await conn.execute(f"PRAGMA synchronous = {synchronous}")
        await conn.execute("PRAGMA foreign_keys = ON")
        await conn.execute("PRAGMA busy_timeout = 5000")
        # Deleted survey drafts and ballots are overwritten, not just unlinked, whatever the
        # SQLite build's default (docs/anonymity.md).
        await conn.execute("PRAGMA secure_delete = ON")
        db = cls(conn, path)
        await db.migrate()
        if str(path) != ":memory:":
            db._reader = _reader(path)
            db._light = await aiosqlite.connect(path, isolation_level=None)
            await db._light.execute("PRAGMA synchronous = NORMAL")
            await db._light.execute("PRAGMA busy_timeout = 5000")
        return db

    async def close(self) -> None:
        async with self._lock:
            if self._reader is not None:
                self._reader.close()
            if self._light is not None:
                await self._light.close()
            await self.conn.close()

    async def change_lightly(self, sql: str, params: tuple = ()) -> None:
        """One statement that need not be on disk before the user sees its effect: which
        screen a conversation is on and what it waits for (the FSM). WAL with
        ``synchronous=NORMAL`` keeps it through a crash of the bot; only a power loss before
        the next ordinary commit (which writes the log out with it) can take the latest such
        change back — never a score or any other state change."""
        if self._light is None:
            await self.change(sql, params)
            return
        await self._light.execute(sql, params)

    async def peek(self, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
        """A lookup by key of what is committed, run on the event loop's own thread: no hop to
        the database thread, so the reads every update makes (who is writing, the sheet he
        taps) cost microseconds. WAL lets it run beside a writer and it always sees the newest
        commit, from this process or any other. Not for scans (it holds the loop while it
        runs) nor for what an open transaction has not yet committed."""
        if self._reader is None:  # an in-memory database has no second connection
            return await self.fetch(sql, params)
        return self._reader.execute(sql, params).fetchall()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        async with self._lock:
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                await self.conn.execute("ROLLBACK")
                raise
            await self.conn.execute("COMMIT")

    @asynccontextmanager
    async def aside(self) -> AsyncIterator[aiosqlite.Connection]:
        """A long transaction (a 100,000-row roster) on a connection of its own, so that the
        bot's connection and its lock stay free: readers go on meanwhile (WAL), other writers
        wait for its commit (``busy_timeout``)."""
        conn = await aiosqlite.connect(self.path, isolation_level=None)
        conn.row_factory = aiosqlite.Row
        try:
            await conn.execute("PRAGMA foreign_keys = ON")
            await conn.execute("PRAGMA busy_timeout = 5000")
            await conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                await conn.execute("ROLLBACK")
                raise
            await conn.execute("COMMIT")
        finally:
            await conn.close()

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """A read-only connection inside one read transaction (WAL gives it the database as of
        its first query), for a worker thread: the bot's connection and its lock stay free."""
        conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        try:
            conn.execute("BEGIN")
            yield conn
            conn.execute("COMMIT")
        finally:
            conn.close()

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[aiosqlite.Connection]:
        async with self._lock:
            yield self.conn

    async def change(self, sql: str, params: tuple = ()) -> int:
        """One statement as its own transaction (SQLite makes a single statement, with its
        triggers, atomic): the cheapest state change. Returns the number of rows changed."""
        async with self._lock:
            cursor = await self.conn.execute(sql, params)
            return cursor.rowcount

    async def fetch(self, sql: str, params: tuple = ()) -> list[aiosqlite.Row]:
        """One query, one round trip to the database thread."""
        async with self._lock:
            return list(await self.conn.execute_fetchall(sql, params))

    async def migrate(self) -> int:
        """Apply every migration newer than the file's ``user_version``; return the version."""
        async with self._lock:
            current = (await query(self.conn, "PRAGMA user_version"))[0][0]
            for version, script in available_migrations():
                if version <= current:
                    continue
                try:
                    await self.conn.executescript(
                        f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {version};\nCOMMIT;"
                    )
                except Exception:
                    if self.conn.in_transaction:
                        await self.conn.execute("ROLLBACK")
                    raise
                current = version
            return current

    async def checkpoint(self) -> bool:
        """Copy the write-ahead log into the database file and truncate it to nothing, so that
        deleted rows survive in neither; False if a reader elsewhere kept it from finishing."""
        async with self._lock:
            busy = (await query(self.conn, "PRAGMA wal_checkpoint(TRUNCATE)"))[0][0]
        return not busy

    async def backup(self, target: str | Path) -> None:
        """Copy the live database to ``target`` with SQLite's online backup API."""
        target_path = Path(target)
        create_private(target_path)
        async with self._lock, aiosqlite.connect(target_path) as dest:
            await self.conn.backup(dest)


def _reader(path: Path) -> sqlite3.Connection:
    """The second, read-only connection of ``Database.peek``."""
    reader = sqlite3.connect(path, isolation_level=None)
    reader.row_factory = sqlite3.Row
    reader.execute("PRAGMA query_only = ON")
    reader.execute("PRAGMA busy_timeout = 200")  # a WAL reader waits only for a recovery
    return reader


def create_private(path: Path) -> None:
    """Create the database file (and its folder) readable by its owner only: it holds phone
    numbers and scores. SQLite gives its -wal and -shm files the same mode."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def loose_files(path: Path) -> list[tuple[Path, int]]:
    """The database's files that other local users can read or write, with their modes."""
    found = []
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if candidate.exists():
            mode = stat.S_IMODE(candidate.stat().st_mode)
            if mode & 0o077:
                found.append((candidate, mode))
    return found

