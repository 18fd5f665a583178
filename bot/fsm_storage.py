"""aiogram FSM storage in the bot's database (a restart never loses a conversation), and the
per-user isolation of updates across workers on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Mapping
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, cast

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage, StateType, StorageKey
from aiogram.fsm.storage.memory import SimpleEventIsolation

from storage import fsm
from storage.db import Database

if TYPE_CHECKING:  # asyncpg is imported only where PostgreSQL is used
    from storage.postgres import PostgresDatabase


def _key(key: StorageKey) -> str:
    return ":".join(str(part) for part in (
        key.bot_id, key.chat_id, key.user_id, key.thread_id or "", key.business_connection_id
        or "", key.destiny))


class DatabaseStorage(BaseStorage):
    """State and data per StorageKey (destiny included), data as JSON.

    On SQLite both are also kept in memory, written through, and a write that changes nothing
    is not made: aiogram reads the state for every update and a sheet screen rewrites its data
    on every tap, and that process is the database's only writer. On PostgreSQL another worker
    may have handled the user's last update, so every read goes to the database.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self._cached = db.engine == "sqlite"
        self._states: dict[str, str | None] = {}
        self._data: dict[str, str] = {}  # key -> the data as JSON text

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        name = _key(key)
        if self._cached and name in self._states and self._states[name] == value:
            return
        await fsm.set_state(self.db, name, value)
        self._states[name] = value

    async def get_state(self, key: StorageKey) -> str | None:
        name = _key(key)
        if not self._cached or name not in self._states:
            self._states[name] = await fsm.get_state(self.db, name)
        return self._states[name]

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        name, text = _key(key), fsm.dumps(dict(data))
        if self._cached and self._data.get(name) == text:
            return
        await fsm.set_data(self.db, name, dict(data))
        self._data[name] = text

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        name = _key(key)
        if not self._cached or name not in self._data:
            self._data[name] = fsm.dumps(await fsm.get_data(self.db, name))
        return fsm.loads(self._data[name])  # a fresh copy: callers change what they get

    async def close(self) -> None:
        """The database belongs to the application, which closes it."""


class WorkersIsolation(BaseEventIsolation):
    """One user's updates one after another even when several workers share the database:
    in this process by aiogram's own lock, across processes by the database's user lock."""

    def __init__(self, db: PostgresDatabase) -> None:
        self.db = db
        self._local = SimpleEventIsolation()

    @asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncGenerator[None, None]:
        async with self._local.lock(key), self.db.user_lock(_key(key)):
            yield

    async def close(self) -> None:
        await self._local.close()


def isolation_for(db: Database) -> BaseEventIsolation:
    """SQLite has one bot process; PostgreSQL may have several."""
    if db.engine == "postgresql":
        return WorkersIsolation(cast("PostgresDatabase", db))
    return SimpleEventIsolation()
