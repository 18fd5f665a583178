"""Running it as a service: failures an administrator can act on, the proxy, retried replies,
and a log that never holds the bot token."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio

from tests.harness import FakeTelegram

from .bots import ROOT, BotProcess, RunningBot, cli_env, run_cli

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
    await hr.expect("")  # the bot answered something: an apology, nothing imported
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
