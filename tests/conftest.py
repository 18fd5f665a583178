"""The engine the whole suite runs on (tests/harness/databases.py) and its markers."""

import pytest

from tests.harness.databases import drop_all, on_postgresql


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: the test is about SQLite's own files")
    config.addinivalue_line("markers", "postgresql_only: several workers on one PostgreSQL")
    drop_all()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip = "sqlite_only" if on_postgresql() else "postgresql_only"
    reason = ("about SQLite's files; this pass runs on PostgreSQL" if on_postgresql()
              else "needs TEST_DATABASE_URL (PostgreSQL)")
    for item in items:
        if item.get_closest_marker(skip):
            item.add_marker(pytest.mark.skip(reason=reason))
