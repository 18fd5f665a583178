"""Rows behind the aiogram FSM storage (bot/fsm_storage.py): state and JSON data per key."""

from __future__ import annotations

import json
from typing import Any

from .db import Database


async def get_state(db: Database, key: str) -> str | None:
    rows = await db.fetch("SELECT state FROM fsm WHERE key = ?", (key,))
    return rows[0]["state"] if rows else None


async def set_state(db: Database, key: str, state: str | None) -> None:
    """One statement; clearing a state that is not set writes nothing."""
    if state is None:
        await db.change_lightly("UPDATE fsm SET state = NULL WHERE key = ? AND state IS NOT NULL",
                        (key,))
        return
    await db.change_lightly("INSERT INTO fsm (key, state) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET state = excluded.state", (key, state))


def dumps(data: dict[str, Any]) -> str:
    """The data as it is stored (and compared: equal data, equal text)."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def loads(text: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(text)
    return loaded


async def get_data(db: Database, key: str) -> dict[str, Any]:
    rows = await db.fetch("SELECT data FROM fsm WHERE key = ?", (key,))
    return loads(rows[0]["data"]) if rows else {}


async def set_data(db: Database, key: str, data: dict[str, Any]) -> None:
    """One statement; emptying data that is already empty writes nothing."""
    if not data:
        await db.change_lightly("UPDATE fsm SET data = '{}' WHERE key = ? AND data != '{}'",
                                (key,))
        return
    await db.change_lightly("INSERT INTO fsm (key, data) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET data = excluded.data",
                    (key, dumps(data)))
