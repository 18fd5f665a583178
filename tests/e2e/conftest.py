from collections.abc import AsyncIterator

import pytest_asyncio

from tests.harness import FakeTelegram

from .bots import BotProcess


@pytest_asyncio.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    """A fresh fake Bot API server for every test, so that no test depends on another."""
    async with FakeTelegram() as server:
        yield server


@pytest_asyncio.fixture(autouse=True)
async def _no_orphan_processes() -> AsyncIterator[None]:
    """A failing test must not leave its ``python -m bot`` running into the next ones."""
    yield
    await BotProcess.kill_all()
