"""Moving a body from its SQLite file into an empty PostgreSQL database, verified.

Every table is copied whole (history, audit, outbox, survey state) in one PostgreSQL
transaction: the answer triggers are off meanwhile (the audit rows they would write are
copied with the rest) and the foreign keys are checked at the commit, so the order rows
arrive in does not matter. Then both sides are compared table by table: the row count and a
SHA-256 over the rows, each value written in one canonical form (a date as ISO text, a score
as a normalised decimal, JSON with sorted keys), rows sorted.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from .postgres import PgConnection, PostgresDatabase
from .sqlite import SqliteDatabase

BATCH = 5_000
SEEDED = {"retention_guard"}  # the schema's own rows, replaced by the body's


@dataclass(frozen=True, slots=True)
class TableCheck:
    table: str
    rows_source: int
    rows_target: int
    checksum_source: str
    checksum_target: str

    @property
    def ok(self) -> bool:
        return (self.rows_source, self.checksum_source) == (self.rows_target,
                                                             self.checksum_target)


class TargetNotEmpty(Exception):
    """The PostgreSQL database already holds a body."""


async def tables(target: PostgresDatabase) -> dict[str, dict[str, str]]:
    """Each table of the target's schema with its columns and their types, in order."""
    async with target.pool.acquire() as raw:
        rows = await raw.fetch(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name <> 'schema_version' "
            "ORDER BY table_name, ordinal_position")
    found: dict[str, dict[str, str]] = {}
    for row in rows:
        found.setdefault(row[0], {})[row[1]] = row[2]
    return found


async def copy(source: SqliteDatabase, target: PostgresDatabase) -> dict[str, int]:
    """Copy every table; returns the rows copied per table."""
    layout = await tables(target)
    copied: dict[str, int] = {}
    async with target.transaction() as conn:
        assert isinstance(conn, PgConnection)
        for table in layout:
            if table in SEEDED:
                await conn.raw.execute(f"DELETE FROM {table}")
            elif await conn.raw.fetchval(f"SELECT EXISTS (SELECT 1 FROM {table})"):
                raise TargetNotEmpty(f"{table} already has rows")
        await conn.raw.execute("SET CONSTRAINTS ALL DEFERRED")
        await conn.raw.execute("ALTER TABLE answer DISABLE TRIGGER USER")
        for table, columns in layout.items():
            names = ", ".join(columns)
            marks = ", ".join("?" for _ in columns)
            rows = await source.fetch(f"SELECT {names} FROM {table}")
            values = [tuple(_to_postgres(v, kind) for v, kind in zip(r, columns.values(),
                                                                     strict=True))
                      for r in rows]
            for start in range(0, len(values), BATCH):
                await conn.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})",
                                       values[start:start + BATCH])
            copied[table] = len(values)
        await conn.raw.execute("ALTER TABLE answer ENABLE TRIGGER USER")
        for table, columns in layout.items():  # identities continue after the copied ids
            if "id" in columns and columns["id"] == "bigint" and await conn.raw.fetchval(
                    "SELECT pg_get_serial_sequence($1, 'id')", table):
                await conn.raw.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)")
    return copied


async def verify(source: SqliteDatabase, target: PostgresDatabase) -> list[TableCheck]:
    """Row counts and checksums of every table on both sides."""
    checks = []
    for table, columns in (await tables(target)).items():
        names = ", ".join(columns)
        kinds = list(columns.values())
        ours = await source.fetch(f"SELECT {names} FROM {table}")
        theirs = await target.fetch(f"SELECT {names} FROM {table}")
        checks.append(TableCheck(table, len(ours), len(theirs), _checksum(ours, kinds),
                                 _checksum(theirs, kinds)))
    return checks


def _to_postgres(value: Any, kind: str) -> Any:
    """SQLite's value as the target column takes it (text for dates, scores and JSON)."""
    if value is None:
        return None
    if kind in ("bigint", "integer", "smallint"):
        return int(value)
    if kind == "bytea":
        return bytes(value)
    return value if isinstance(value, str) else str(value)


def _canonical(value: Any, kind: str) -> str:
    if value is None:
        return "\x00"
    if kind == "bytea":
        return bytes(value).hex()
    if kind == "numeric":
        return str(Decimal(str(value)).normalize())
    if kind.startswith("timestamp"):
        return datetime.fromisoformat(str(value)).isoformat()
    if kind in ("json", "jsonb"):
        return json.dumps(json.loads(value), sort_keys=True, ensure_ascii=False)
    return str(value)


def _checksum(rows: list[Any], kinds: list[str]) -> str:
    lines = sorted("\x1f".join(_canonical(v, k) for v, k in zip(r, kinds, strict=True))
                   for r in rows)
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode())
        digest.update(b"\x1e")
    return digest.hexdigest()
