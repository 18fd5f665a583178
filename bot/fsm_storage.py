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
    """State and data per StorageKey (destiny included), data as JSON.

    Both are also kept in memory, written through, and a write that changes nothing is not
    made: aiogram reads the state for every update and a sheet screen rewrites its data on
    every tap, and this process is the database's only writer (one bot process per database).
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self._states: dict[str, str | None] = {}
        self._data: dict[str, str] = {}  # key -> the data as JSON text

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        name = _key(key)
        if name in self._states and self._states[name] == value:
            return
        await fsm.set_state(self.db, name, value)
        self._states[name] = value

    async def get_state(self, key: StorageKey) -> str | None:
        name = _key(key)
        if name not in self._states:
            self._states[name] = await fsm.get_state(self.db, name)
        return self._states[name]

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        name, text = _key(key), fsm.dumps(dict(data))
        if self._data.get(name) == text:
            return
        await fsm.set_data(self.db, name, dict(data))
        self._data[name] = text

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        name = _key(key)
        if name not in self._data:
            self._data[name] = fsm.dumps(await fsm.get_data(self.db, name))
        return fsm.loads(self._data[name])  # a fresh copy: callers change what they get

    async def close(self) -> None:
        """The database belongs to the application, which closes it."""
