from datetime import UTC, datetime

import pytest

from storage.db import Database
from tests.harness.databases import target_for

NOW = datetime(2026, 4, 1, 6, 0, tzinfo=UTC)


@pytest.fixture
async def db(tmp_path):
    database = await Database.open(target_for(tmp_path / "test.sqlite3"))
    yield database
    await database.close()
