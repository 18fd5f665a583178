"""aiogram FSM storage in the bot's SQLite database: a restart never loses a conversation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey

from storage import fsm
from storage.db import Database


def _key(key: StorageKey) -> str:
    return ":".join(str(part) for part in (
        key.bot_id, key.chat_id, key.user_id, key.thread_id or "", key.business_connection_id
        or "", key.destiny))


class SQLiteStorage(BaseStorage):
    """State and data per StorageKey (destiny included), data as JSON."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        async with self.db.transaction() as conn:
            await fsm.set_state(conn, _key(key), value)

    async def get_state(self, key: StorageKey) -> str | None:
        async with self.db.reading() as conn:
            return await fsm.get_state(conn, _key(key))

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        async with self.db.transaction() as conn:
            await fsm.set_data(conn, _key(key), dict(data))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        async with self.db.reading() as conn:
            return await fsm.get_data(conn, _key(key))

    async def close(self) -> None:
        """The database belongs to the application, which closes it."""
