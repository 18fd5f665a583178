"""Running it as a service: failures an administrator can act on, the proxy, retried replies,
and a log that never holds the bot token."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest_asyncio
from aiohttp.test_utils import TestServer

from bot.app import create_app
from bot.run import WEBHOOK_PATH, create_webhook_app, register_webhook
from tests.harness import FakeTelegram, FakeUser

from .bots import ROOT, BotProcess, RunningBot, cli_env, run_cli, settings_for

HEADER = "personnel_no,full_name,position,category,unit,appointed_on,managerial,unit_head," \
         "supervisor,language,role"
HR_ROW = "100,Ахметова Айгерім,Head of HR,C-3,Apparatus,2020-09-14,yes,no,,kk,hr"


async def _cli(env: dict[str, str], *args: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), timeout=90)  # a hang fails
    assert process.returncode is not None
    return process.returncode, out.decode() + err.decode()


def _closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_unreachable_telegram_is_one_paragraph_and_a_nonzero_exit(
        telegram: FakeTelegram, tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    roster = tmp_path / "hr.csv"
    roster.write_text(f"{HEADER}\n{HR_ROW}\n", encoding="utf-8")
    assert (await run_cli(telegram, database, "import-roster", str(roster)))[0] == 0
    env = cli_env(telegram, database) | {
        "TELEGRAM_API_BASE": f"http://127.0.0.1:{_closed_port()}"}
    for args in ((), ("invite", "--hr", "Айгерім")):
        code, output = await _cli(env, *args)
        assert code == 3, output
        assert "Cannot reach the Telegram Bot API" in output
        assert "the connection was refused" in output and "Check TELEGRAM_API_BASE" in output
        assert "Traceback" not in output
    env["TELEGRAM_API_BASE"] = "http://telegram-api.invalid"
    code, output = await _cli(env)
    assert code == 3 and "could not be resolved (DNS)" in output, output
    async with RunningBot(telegram, database) as running, running.app.db.reading() as conn:
        # the failed invite issued nothing
        assert (await conn.execute_fetchall("SELECT count(*) FROM invite"))[0][0] == 0


class ConnectProxy:
    """A minimal HTTP CONNECT proxy on 127.0.0.1 that counts the tunnels it opened."""

    def __init__(self) -> None:
        self.tunnels = 0
        self.url = ""
        self._server: asyncio.Server | None = None

    async def __aenter__(self) -> ConnectProxy:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._server.wait_closed(), 2)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request = (await reader.readuntil(b"\r\n\r\n")).decode()
        method, target, _version = request.split("\r\n", 1)[0].split(" ")
        if method != "CONNECT":
            writer.close()
            return
        host, port = target.rsplit(":", 1)
        upstream_reader, upstream_writer = await asyncio.open_connection(host, int(port))
        self.tunnels += 1
        writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        await writer.drain()
        await asyncio.gather(self._pipe(reader, upstream_writer),
                             self._pipe(upstream_reader, writer))

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()


async def test_the_bot_reaches_telegram_through_the_proxy(telegram: FakeTelegram,
                                                          tmp_path: Path) -> None:
    async with ConnectProxy() as proxy:
        process = await BotProcess(telegram, tmp_path / "db.sqlite3",
                                   TELEGRAM_PROXY=proxy.url).start()
        user = telegram.user(41, "Асель", language_code="kk")
        await user.send("/start")
        await user.expect("bagalau")
        assert proxy.tunnels >= 1
        code, output = await process.signal(signal.SIGTERM)
    assert code == 0, output


@pytest_asyncio.fixture
async def hr_process(telegram: FakeTelegram, tmp_path: Path) -> AsyncIterator[BotProcess]:
    """``python -m bot`` at DEBUG with one HR officer bound through her invitation."""
    database = tmp_path / "db.sqlite3"
    roster = tmp_path / "hr.csv"
    roster.write_text(f"{HEADER}\n{HR_ROW}\n", encoding="utf-8")
    assert (await run_cli(telegram, database, "import-roster", str(roster)))[0] == 0
    code, out, err = await run_cli(telegram, database, "invite", "--hr", "Айгерім")
    assert code == 0, err
    process = await BotProcess(telegram, database, LOG_LEVEL="DEBUG").start()
    hr = telegram.user(1001, "Айгерім", language_code="kk")
    await hr.send("/start " + out.strip().rsplit("=", 1)[1])
    await hr.expect("Ахметова Айгерім")
    yield process
    if process.process and process.process.returncode is None:
        await process.signal(signal.SIGTERM)


async def test_a_failed_download_never_writes_the_token(telegram: FakeTelegram,
                                                        hr_process: BotProcess) -> None:
    hr = telegram.user_of(1001)
    telegram.fail_next("downloadFile", status=500)
    await hr.upload("roster.csv", f"{HEADER}\n{HR_ROW}\n".encode())
    await hr.expect("ештеңе өзгертілмеді")  # an apology, nothing imported
    code, output = await hr_process.signal(signal.SIGTERM)
    assert code == 0
    assert "downloadFile" in str([r.method for r in telegram.requests])
    assert telegram.token not in output
    assert telegram.token.split(":")[1] not in output
    assert "<secret>" in output  # the failure was logged, with the token redacted


async def test_a_transient_502_on_a_reply_is_retried(telegram: FakeTelegram,
                                                     tmp_path: Path) -> None:
    async with RunningBot(telegram, tmp_path / "db.sqlite3"):
        telegram.fail_next("sendMessage", status=502)
        user = telegram.user(42, "Дана", language_code="ru")
        await user.send("/start")
        assert "bagalau" in (await user.expect("bagalau")).text
        statuses = [r.status for r in telegram.calls("sendMessage")]
        assert statuses[:2] == [502, 200]


async def test_a_webhook_without_a_configured_secret_still_refuses_forged_updates(
        telegram: FakeTelegram, tmp_path: Path) -> None:
    settings = settings_for(telegram, tmp_path / "db.sqlite3",
                            webhook_url="https://bagalau.example.kz")
    app = await create_app(settings)
    server = TestServer(create_webhook_app(app))
    await server.start_server()
    try:
        await register_webhook(app)
        secret = telegram.calls("setWebhook")[0].params["secret_token"]
        assert len(secret) == 64 and telegram.token.split(":")[1] not in secret
        telegram.user(52, "Ерлан", language_code="ru")
        message = telegram.world.user_message(telegram.world.private_chat(52), 52,
                                              FakeUser.text_content("/start"))
        update = {"update_id": 9002, "message": message}
        async with aiohttp.ClientSession() as http:
            url = server.make_url(WEBHOOK_PATH)
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "guess"}):
                assert (await http.post(url, json=update, headers=headers)).status == 401
            assert telegram.calls("sendMessage") == []  # nothing was handled
            genuine = {"X-Telegram-Bot-Api-Secret-Token": secret}
            assert (await http.post(url, json=update, headers=genuine)).status == 200
        sent = await telegram.wait_for_request("sendMessage")
        assert sent.params["chat_id"] == 52
    finally:
        await server.close()
        await app.close()


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


async def test_the_database_its_journal_and_backups_are_private(telegram: FakeTelegram,
                                                                tmp_path: Path) -> None:
    database = tmp_path / "data" / "db.sqlite3"
    process = await BotProcess(telegram, database).start()  # umask 022 would give 644
    user = telegram.user(43, "Асель", language_code="kk")
    await user.send("/start")
    await user.expect("bagalau")
    backup = tmp_path / "backups" / "nightly.sqlite3"
    assert (await run_cli(telegram, database, "backup", str(backup)))[0] == 0
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm"), backup):
        assert _mode(path) == 0o600, path
    assert _mode(database.parent) == 0o700
    code, output = await process.signal(signal.SIGTERM)
    assert code == 0
    database.chmod(0o644)
    code, output = await _cli(cli_env(telegram, database), "check")
    assert f"FAIL file permissions: {database} is 644: chmod 600 {database}" in output
    assert code == 1


async def test_check_reports_each_item_on_one_line(telegram: FakeTelegram,
                                                   tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    assert (await run_cli(telegram, database, "migrate"))[0] == 0
    code, output = await _cli(cli_env(telegram, database), "check")
    lines = output.strip().splitlines()
    assert code == 0, output
    assert any(line.startswith("OK   Bot API:") and "@bagalau_test_bot" in line
               for line in lines)
    assert "OK   database integrity" in output and "OK   schema version" in output
    assert "OK   methodology: typical-2025" in output
    assert sum(line.startswith(("OK", "WARN", "FAIL")) for line in lines) >= 8
    env = cli_env(telegram, database) | {"METHODOLOGY": str(tmp_path / "missing.toml")}
    code, output = await _cli(env, "check")
    assert code == 1 and "FAIL methodology:" in output and "Traceback" not in output


async def test_restore_refuses_while_the_bot_runs_and_keeps_the_old_database(
        telegram: FakeTelegram, tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    roster = tmp_path / "hr.csv"
    roster.write_text(f"{HEADER}\n{HR_ROW}\n", encoding="utf-8")
    assert (await run_cli(telegram, database, "import-roster", str(roster)))[0] == 0
    backup = tmp_path / "nightly.sqlite3"
    assert (await run_cli(telegram, database, "backup", str(backup)))[0] == 0
    process = await BotProcess(telegram, database).start()
    code, output = await _cli(cli_env(telegram, database), "restore", str(backup))
    assert code == 2 and "A bot is running" in output
    assert (await process.signal(signal.SIGTERM))[0] == 0
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database at all" * 100)
    code, output = await _cli(cli_env(telegram, database), "restore", str(garbage))
    assert code == 1 and "Not restored, nothing changed" in output
    code, output = await _cli(cli_env(telegram, database), "restore", str(backup))
    assert code == 0 and "previous database is kept as" in output, output
    kept = next(tmp_path.glob("db.sqlite3.before-restore-*"))
    assert _mode(database) == 0o600 and kept.exists()
    async with RunningBot(telegram, database) as running, running.app.db.reading() as conn:
        names = await conn.execute_fetchall("SELECT full_name FROM servant")
    assert [n[0] for n in names] == ["Ахметова Айгерім"]


async def test_an_update_delivered_twice_is_handled_once_even_after_a_restart(
        telegram: FakeTelegram, tmp_path: Path, caplog) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from aiogram.types import Update

    from services.clock import Clock

    from . import org

    start = datetime(2026, 4, 6, 10, 0, tzinfo=ZoneInfo("Asia/Almaty"))
    running = await RunningBot(telegram, tmp_path / "db.sqlite3",
                               clock=Clock.starting_at(start, ZoneInfo("Asia/Almaty"))).start()
    try:
        await org.load(running.app.db, start)
        hr = telegram.user(org.TELEGRAM["100"], "100", language_code="kk")
        await hr.send("/campaign")
        await hr.press("Ашу: 2026 жылғы 1-тоқсан")
        director = telegram.user(org.TELEGRAM["200"], "200", language_code="ru")
        await director.send("/sheets")
        await director.press("Ким Дмитрий — 0/5")
        await director.press("Начать ▶")
        for score in ("4", "4", "5", "5", "5"):
            await director.press(score)
        await director.press("Отправить…")
        await director.press("Да, отправить")
        confirm = max(telegram.delivered)
        assert "confirm" in telegram.delivered[confirm]["callback_query"]["data"]
        duplicate = Update.model_validate({"update_id": confirm, **telegram.delivered[confirm]})
        answers = len(telegram.calls("answerCallbackQuery"))
        caplog.clear()
        caplog.set_level("INFO", logger="bagalau")
        await running.app.dispatcher.feed_update(running.app.bot, duplicate)
        await running.restart()
        await running.app.dispatcher.feed_update(running.app.bot, duplicate)
        assert len(telegram.calls("answerCallbackQuery")) == answers  # neither was handled
        assert [r.message for r in caplog.records if r.levelname == "INFO"
                and "already handled" in r.message] == \
            [f"update {confirm} was already handled; skipped"] * 2
        assert not [r for r in caplog.records if r.levelname in ("ERROR", "WARNING")]
        async with running.app.db.reading() as conn:
            results = await conn.execute_fetchall(
                "SELECT count(*) FROM outbox WHERE kind = 'result'")
        assert results[0][0] == 1
    finally:
        await running.stop()


async def test_healthz_and_metrics_in_webhook_mode(telegram: FakeTelegram,
                                                   tmp_path: Path) -> None:
    settings = settings_for(telegram, tmp_path / "db.sqlite3",
                            webhook_url="https://bagalau.example.kz")
    app = await create_app(settings, schedule=False)
    server = TestServer(create_webhook_app(app))
    await server.start_server()
    app.notifier.start()
    try:
        await register_webhook(app)
        secret = {"X-Telegram-Bot-Api-Secret-Token":
                  telegram.calls("setWebhook")[0].params["secret_token"]}
        telegram.user(53, "Дана", language_code="ru")
        message = telegram.world.user_message(telegram.world.private_chat(53), 53,
                                              FakeUser.text_content("/start"))
        async with aiohttp.ClientSession() as http:
            health = await http.get(server.make_url("/healthz"))
            assert health.status == 200 and (await health.json())["status"] == "ok"
            posted = await http.post(server.make_url(WEBHOOK_PATH), headers=secret,
                                     json={"update_id": 9100, "message": message})
            assert posted.status == 200
            await telegram.wait_for_request("sendMessage")
            await app.tick()
            text = await (await http.get(server.make_url("/metrics"))).text()
        assert 'bagalau_updates_total{type="message"} 1.0' in text
        assert 'bagalau_update_seconds_count{type="message"} 1.0' in text
        assert "bagalau_outbox_pending 0.0" in text
        assert "bagalau_outbox_oldest_pending_seconds 0.0" in text
        assert "bagalau_reminder_ticks_total 1.0" in text, text
    finally:
        await server.close()
        await app.close()


async def test_strangers_and_groups_leave_no_account_behind(telegram: FakeTelegram,
                                                            tmp_path: Path) -> None:
    async with RunningBot(telegram, tmp_path / "db.sqlite3") as running:
        stranger = telegram.user(61, "Stranger", language_code="kk")
        await stranger.send("/start")
        await stranger.expect("bagalau")
        await telegram.group_message(-700, telegram.user(62, "Group member", language_code="ru"),
                                     "/start")
        await telegram.group_message(-700, stranger, "hello")
        async with running.app.db.reading() as conn:
            rows = await conn.execute_fetchall("SELECT telegram_id FROM account")
        assert list(rows) == []
