"""Rows behind the aiogram FSM storage (bot/fsm_storage.py): state and JSON data per key."""

from __future__ import annotations

import json
from typing import Any

import aiosqlite


async def get_state(conn: aiosqlite.Connection, key: str) -> str | None:
    rows = await conn.execute_fetchall("SELECT state FROM fsm WHERE key = ?", (key,))
    return rows[0]["state"] if rows else None


async def set_state(conn: aiosqlite.Connection, key: str, state: str | None) -> None:
    await conn.execute(
        "INSERT INTO fsm (key, state) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET state = excluded.state", (key, state))


async def get_data(conn: aiosqlite.Connection, key: str) -> dict[str, Any]:
    rows = await conn.execute_fetchall("SELECT data FROM fsm WHERE key = ?", (key,))
    return json.loads(rows[0]["data"]) if rows else {}


async def set_data(conn: aiosqlite.Connection, key: str, data: dict[str, Any]) -> None:
    await conn.execute(
        "INSERT INTO fsm (key, data) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET data = excluded.data",
        (key, json.dumps(data, ensure_ascii=False)))
