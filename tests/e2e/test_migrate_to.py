"""``python -m bot migrate-to``: an SQLite body moves into an empty PostgreSQL database whole,
and the bot goes on there where it stopped."""

from __future__ import annotations

import asyncio
import os
import sys
from importlib import resources

import pytest

from bot.app import sandbox_app
from sandbox import start
from storage import transfer
from storage.postgres import PostgresDatabase
from storage.sqlite import SqliteDatabase
from tests.harness import FakeTelegram
from tests.harness.databases import target_for

from .bots import ROOT, RunningBot

pytestmark = pytest.mark.postgresql_only
KIM = 5_000_004


async def _migrate_to(database: str, url: str) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "BOT_"))}
    env["DATABASE_PATH"] = database
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "migrate-to", url, cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    out, _ = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode is not None
    return process.returncode, out.decode()


async def test_the_demo_body_moves_table_by_table_and_the_bot_goes_on_there(tmp_path):
    sandbox = await start(tmp_path / "sandbox", sandbox_app, port=0, reset=True)
    kim = sandbox.telegram.user_of(KIM)
    await kim.send("/start")
    await kim.expect("Ким Дмитрий")
    await sandbox.app.wait_sent()
    await sandbox.stop()
    source_file = tmp_path / "sandbox" / "sandbox.sqlite3"
    url = target_for(tmp_path / "moved")

    code, output = await _migrate_to(str(source_file), url)

    assert code == 0, output
    lines = [line for line in output.splitlines() if line.startswith(("OK", "FAIL"))]
    assert lines and all(line.startswith("OK") for line in lines), output
    assert any(line.startswith("OK   servant: 12 rows → 12") for line in lines), output
    source, target = await SqliteDatabase.connect(source_file), \
        await PostgresDatabase.connect(url)
    try:
        checks = {c.table: c for c in await transfer.verify(source, target)}
        for table in ("audit", "outbox", "sheet", "fsm", "survey", "account"):
            assert checks[table].ok and checks[table].rows_source == checks[table].rows_target
        assert checks["sheet"].rows_target > 0 and checks["audit"].rows_target > 0

        code, output = await _migrate_to(str(source_file), url)  # a second time: refused
        assert code == 1 and "not empty" in output
    finally:
        await source.close()
        await target.close()

    async with FakeTelegram() as telegram:
        demo = str(resources.files("sandbox") / "demo.toml")
        async with RunningBot(telegram, tmp_path / "moved", database_url=url, methodology=demo):
            kim = telegram.user(KIM, "Дмитрий", language_code="ru")
            await kim.send("/start")
            await kim.expect("Ким Дмитрий")  # he is known there, bound to his account
