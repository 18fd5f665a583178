from collections.abc import AsyncIterator

import pytest_asyncio

from tests.harness import FakeTelegram


@pytest_asyncio.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    """A fresh fake Bot API server for every test, so that no test depends on another."""
    async with FakeTelegram() as server:
        yield server
