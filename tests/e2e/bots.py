"""Running the real bagalau app against the fake Bot API: in this process or as a CLI."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from pathlib import Path
from typing import Any, ClassVar

import aiohttp

from bot.app import App, create_app
from bot.run import WEBHOOK_PATH
from bot.settings import Settings
from services.clock import Clock
from tests.harness import FakeTelegram
from tests.harness.databases import on_postgresql, target_for

ROOT = Path(__file__).parents[2]
POLL_TIMEOUT = 10


def settings_for(telegram: FakeTelegram, database: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "bot_token": telegram.token, "database_path": database,
        "database_url": target_for(database) if on_postgresql() else None,
        "telegram_api_base": telegram.base_url, "body_name": "Test Ministry",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


class RunningBot:
    """The real app polling the fake server; ``handle_as_tasks=False`` so that an update the
    fake server saw acknowledged has been fully handled."""

    def __init__(self, telegram: FakeTelegram, database: Path, clock: Clock | None = None,
                 **overrides: Any) -> None:
        self.telegram = telegram
        self.settings = settings_for(telegram, database, **overrides)
        self.clock = clock
        self.app: App | None = None
        self._task: asyncio.Task | None = None

    async def start(self) -> RunningBot:
        self.app = await create_app(self.settings, clock=self.clock, schedule=False)
        self.clock = self.app.clock
        self._task = asyncio.create_task(self.app.dispatcher.start_polling(
            self.app.bot, handle_as_tasks=False, handle_signals=False,
            polling_timeout=POLL_TIMEOUT,
            allowed_updates=self.app.dispatcher.resolve_used_update_types()))
        idle = asyncio.create_task(self.telegram.wait_idle())
        await asyncio.wait({self._task, idle}, return_when=asyncio.FIRST_COMPLETED)
        if self._task.done():  # polling died on start: show why
            idle.cancel()
            await self.app.close()
            self._task.result()
        await idle
        return self

    async def stop(self) -> None:
        if self.app is None:
            return
        await self.app.dispatcher.stop_polling()
        await self._task
        await self.app.close()
        self.app = None

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    async def __aenter__(self) -> RunningBot:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()


def cli_env(telegram: FakeTelegram, database: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("BOT_", "TELEGRAM_", "DATABASE_"))}
    env.update(BOT_TOKEN=telegram.token, TELEGRAM_API_BASE=telegram.base_url,
               DATABASE_PATH=str(database), BODY_NAME="Test Ministry")
    if on_postgresql():
        env["DATABASE_URL"] = target_for(database)
    return env


async def run_cli(telegram: FakeTelegram, database: Path, *args: str) -> tuple[int, str, str]:
    """``python -m bot ARGS`` as a separate process (the fake server keeps serving meanwhile)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=ROOT, env=cli_env(telegram, database),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    return process.returncode, out.decode(), err.decode()


class BotProcess:
    """``python -m bot`` as its own process: for signals, crashes and the real entry point.
    Every process still running when its test ends is killed (tests/e2e/conftest.py)."""

    running: ClassVar[set[asyncio.subprocess.Process]] = set()

    def __init__(self, telegram: FakeTelegram, database: Path, **env: str) -> None:
        self.telegram = telegram
        self.env = cli_env(telegram, database) | env
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> BotProcess:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=ROOT, env=self.env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        BotProcess.running.add(self.process)
        waiting = asyncio.create_task(self._ready())
        exited = asyncio.create_task(self.process.wait())
        await asyncio.wait({waiting, exited}, return_when=asyncio.FIRST_COMPLETED)
        if exited.done():
            waiting.cancel()
            output = (await self.process.stdout.read()).decode()
            raise AssertionError(f"python -m bot exited with {exited.result()}:\n{output}")
        exited.cancel()
        await waiting
        return self

    async def _ready(self) -> None:
        await self.telegram.wait_until(
            lambda: self.telegram.polling, timeout=30,
            describe=lambda: "the bot process did not start polling")

    async def signal(self, signum: int) -> tuple[int, str]:
        """Send ``signum`` and wait for the exit; returns (exit code, output)."""
        assert self.process is not None
        self.process.send_signal(signum)
        output, _ = await asyncio.wait_for(self.process.communicate(), timeout=30)
        BotProcess.running.discard(self.process)
        return self.process.returncode, output.decode()

    @classmethod
    async def kill_all(cls) -> None:
        for process in cls.running:
            if process.returncode is None:
                process.kill()
                await process.wait()
        cls.running.clear()


class WebhookWorker(BotProcess):
    """``python -m bot`` in webhook mode on a port of its own: one of several workers behind
    the emulator's balancer (``FakeTelegram.balance``)."""

    PUBLIC_URL = "https://bagalau.example.kz"

    def __init__(self, telegram: FakeTelegram, database: Path, **env: str) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        super().__init__(telegram, database, WEBHOOK_URL=self.PUBLIC_URL,
                         WEBHOOK_HOST="127.0.0.1", WEBHOOK_PORT=str(self.port), **env)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{WEBHOOK_PATH}"

    async def _ready(self) -> None:
        """Until the worker registered the webhook and answers /healthz."""
        registered = len(self.telegram.calls("setWebhook"))
        await self.telegram.wait_until(
            lambda: len(self.telegram.calls("setWebhook")) > registered, timeout=30,
            describe=lambda: f"the worker on port {self.port} did not set the webhook")
        async with aiohttp.ClientSession() as http, \
                http.get(f"http://127.0.0.1:{self.port}/healthz") as response:
            assert response.status == 200, await response.text()

    async def leading(self) -> bool:
        """Whether this worker now sends the outbox and ticks (its /metrics says)."""
        async with aiohttp.ClientSession() as http, \
                http.get(f"http://127.0.0.1:{self.port}/metrics") as response:
            metrics = await response.text()
        return "\nbagalau_leader 1.0" in metrics
