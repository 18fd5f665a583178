"""The database behind one interface, on SQLite (the embedded default) or on PostgreSQL.

``Database.open(target)`` picks the engine from the target: a path or ``sqlite:///path`` opens
SQLite (storage/sqlite.py), ``postgresql://…`` a PostgreSQL pool (storage/postgres.py). Both
give the storage modules the same connection: ``execute``, ``executemany`` and
``execute_fetchall`` with ``?`` placeholders, rows readable by position and by column name.
Every write transaction is serialised, as SQLite does by nature, so a use case never sees
another's half-done change (docs/decisions.md, "One writer at a time on both engines").
"""

from __future__ import annotations

import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

# A constraint or a trigger refused the change; PostgreSQL's refusals are raised as this too.
IntegrityError = sqlite3.IntegrityError


class Row(Protocol):
    """A result row: ``row[0]`` and ``row["column"]`` (aiosqlite's Row, asyncpg's Record)."""

    def __getitem__(self, key: Any, /) -> Any: ...
    def keys(self) -> Any: ...
    def __len__(self) -> int: ...


class Cursor(Protocol):
    @property
    def rowcount(self) -> int: ...


class Connection(Protocol):
    """What the storage modules use of a connection, on either engine."""

    async def execute(self, sql: str, parameters: Iterable[Any] | None = ..., /) -> Any: ...
    async def executemany(self, sql: str, parameters: Iterable[Iterable[Any]], /) -> Any: ...
    async def execute_fetchall(self, sql: str, parameters: Iterable[Any] | None = ...,
                               /) -> Iterable[Any]: ...


class SyncConnection(Protocol):
    """A blocking connection for a worker thread (the quarter export)."""

    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> Any: ...


class Database(ABC):
    """One body's database. ``transaction()`` is all or nothing and has the write lock;
    ``reading()`` is for queries; ``peek()`` a lookup by key of what is committed;
    ``change_lightly()`` writes conversation state without waiting for its own fsync."""

    engine: str

    @staticmethod
    async def open(target: str | Path, *, synchronous: str = "FULL",
                   pool_size: int = 10) -> Database:
        """Open (creating an SQLite file if needed) and bring the schema up to date."""
        url = str(target)
        if url.startswith(("postgresql://", "postgres://")):
            from storage.postgres import PostgresDatabase
            return await PostgresDatabase.connect(url, pool_size=pool_size)
        from storage.sqlite import SqliteDatabase
        return await SqliteDatabase.connect(sqlite_path(url), synchronous=synchronous)

    @property
    @abstractmethod
    def path(self) -> Path | None:
        """The SQLite file; None on PostgreSQL."""

    @abstractmethod
    async def close(self) -> None: ...

    @abstractmethod
    def transaction(self) -> AbstractAsyncContextManager[Any]:
        """``BEGIN … COMMIT`` with the write lock, rolled back on any exception."""

    @abstractmethod
    def aside(self) -> AbstractAsyncContextManager[Any]:
        """A long write transaction (a 100,000-row roster) on a connection of its own."""

    @abstractmethod
    def reading(self) -> AbstractAsyncContextManager[Any]:
        """A connection for queries that see one committed state."""

    @abstractmethod
    def snapshot(self) -> AbstractContextManager[SyncConnection]:
        """For a worker thread: a blocking read-only connection inside one read transaction."""

    @abstractmethod
    async def change(self, sql: str, params: tuple[Any, ...] = ()) -> int:
        """One statement as its own transaction; the number of rows changed."""

    @abstractmethod
    async def fetch(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        """Every row of one query."""

    @abstractmethod
    async def peek(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        """A lookup by key of what is committed, as cheap as the engine allows."""

    @abstractmethod
    async def change_lightly(self, sql: str, params: tuple[Any, ...] = ()) -> None:
        """One statement of conversation state (the FSM) that need not wait for its fsync."""

    @abstractmethod
    async def migrate(self) -> int:
        """Apply every migration newer than the database's version; return the version."""

    @abstractmethod
    async def checkpoint(self) -> bool:
        """Leave no deleted row in a log beside the database; False if that could not finish."""


def sqlite_path(target: str) -> str:
    """The file of an SQLite target: a plain path or ``sqlite:///path``."""
    return target.removeprefix("sqlite:///") if target.startswith("sqlite:///") else target


def engine_of(conn: Connection) -> str:
    """"sqlite" or "postgresql": for the few statements the two engines spell differently."""
    return str(getattr(conn, "engine", "sqlite"))


async def query(conn: Connection, sql: str, params: Sequence[Any] = ()) -> list[Any]:
    """Every row of one query."""
    return list(await conn.execute_fetchall(sql, params))


async def insert(conn: Connection, sql: str, params: Sequence[Any] = ()) -> int:
    """Run one ``INSERT`` and return the new row's ``id`` (``RETURNING``, on both engines)."""
    rows = await query(conn, f"{sql} RETURNING id", params)
    return int(rows[0][0])


def available_migrations(engine: str = "sqlite") -> list[tuple[int, str]]:
    """(version, SQL) for every ``migrations/NNNN_name.sql`` of the engine, in order:
    SQLite's in ``migrations/``, PostgreSQL's in ``migrations/postgresql/``."""
    folder = resources.files("storage") / "migrations"
    if engine == "postgresql":
        folder = folder / "postgresql"
    found = []
    for entry in folder.iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append((int(name[:4]), entry.read_text(encoding="utf-8")))
    return sorted(found)
