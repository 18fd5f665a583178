from collections.abc import AsyncIterator

import pytest_asyncio

from tests.harness import FakeTelegram


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def telegram() -> AsyncIterator[FakeTelegram]:
    """One fake Bot API server per test module."""
    async with FakeTelegram() as server:
        yield server
