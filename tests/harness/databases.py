"""Which engine the tests run on: SQLite files by default; with ``TEST_DATABASE_URL`` set, a
PostgreSQL schema of that database for every path a test names, created empty on first use."""

from __future__ import annotations

import asyncio
import hashlib
import os
import threading
from pathlib import Path

import asyncpg

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL") or None
SCHEMA_PREFIX = "t_"
_made: set[str] = set()
_lock = threading.Lock()


def on_postgresql() -> bool:
    return TEST_DATABASE_URL is not None


def target_for(path: Path) -> str:
    """What the bot is given for a test's database ``path``: the file itself, or the URL of
    a PostgreSQL schema named after the path (the same path, the same schema: a restart
    finds its data)."""
    if TEST_DATABASE_URL is None:
        return str(path)
    schema = SCHEMA_PREFIX + hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:20]
    with _lock:
        if schema not in _made:
            _in_thread(_create(schema))
            _made.add(schema)
    separator = "&" if "?" in TEST_DATABASE_URL else "?"
    return f"{TEST_DATABASE_URL}{separator}search_path={schema}"


def drop_all() -> None:
    """Drop every schema an earlier run of the tests left behind."""
    if TEST_DATABASE_URL is not None:
        _in_thread(_drop_all())
        _made.clear()


async def _create(schema: str) -> None:
    conn = await asyncpg.connect(TEST_DATABASE_URL)
    try:
        await conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")
    finally:
        await conn.close()


async def _drop_all() -> None:
    conn = await asyncpg.connect(TEST_DATABASE_URL)
    try:
        for row in await conn.fetch("SELECT nspname FROM pg_namespace WHERE nspname LIKE $1",
                                    SCHEMA_PREFIX + "%"):
            await conn.execute(f"DROP SCHEMA {row[0]} CASCADE")
    finally:
        await conn.close()


def _in_thread(coroutine: object) -> None:
    """Run a coroutine to the end from sync code, even inside a running event loop."""
    failure: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(coroutine)  # type: ignore[arg-type]
        except BaseException as error:  # re-raised in the caller's thread
            failure.append(error)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    if failure:
        raise failure[0]
