"""``python -m bot sandbox``: the real bot, unchanged, against the Bot API emulator on 127.0.0.1,
with a demo body, an open quarter and a chat page in the browser — no Telegram token needed.

The sandbox does not import the bot: ``bot/__main__.py`` hands it a factory that builds the real
app (``SandboxApp`` is what the sandbox needs of it)."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from importlib import resources
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from aiohttp import web

from scoring import Quarter, WorkCalendar
from services import campaigns
from services.clock import Clock
from services.context import Context
from storage.db import Database

from . import demo
from .chat_page import create_web
from .emulator import FakeTelegram

log = logging.getLogger("bagalau.sandbox")
ALMATY = ZoneInfo("Asia/Almaty")
QUARTER = Quarter(2026, 3)  # the demo's quarter: it opens on its first working day after


class SandboxApp(Protocol):
    """What the sandbox needs of the bot's app."""

    db: Database
    bot: Any
    dispatcher: Any
    clock: Clock
    calendar: WorkCalendar
    context: Context
    default_language: str

    async def tick(self) -> int: ...
    async def wait_sent(self) -> None: ...
    async def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class AppRequest:
    """What the sandbox asks the factory for: a bot on this emulator, database and clock."""

    token: str
    api_base: str
    database: Path
    methodology: Path
    language: str
    body_name: str
    clock: Clock


AppFactory = Callable[[AppRequest], Awaitable[SandboxApp]]


@dataclass
class Sandbox:
    telegram: FakeTelegram
    app: SandboxApp
    people: list[demo.Person]
    url: str = ""
    _polling: asyncio.Task | None = None
    _runner: web.AppRunner | None = None
    _clock_file: Path | None = None
    _stopped: asyncio.Event = field(default_factory=asyncio.Event)

    async def move_clock(self, step: str) -> str:
        """Jump the bot's clock (next working day, the deadline, past the request window) and
        let the reminders run as they would on that day."""
        clock, calendar = self.app.clock, self.app.calendar
        today = clock.today()
        deadline = await campaigns.earliest_open_deadline(self.app.context) or today
        if step == "deadline":
            target = max(deadline, today)
        elif step == "window":
            target = calendar.add_working_days(today, 6)
        elif step == "after_deadline":
            target = calendar.add_working_days(max(deadline, today), 1)
        else:
            target = calendar.add_working_days(today, 1)
        moment = datetime.combine(target, time(10, 30), clock.tz)
        if moment > clock.now():
            clock.advance(moment - clock.now())
        self._save_clock()
        await self.app.tick()
        await self.app.wait_sent()
        return clock.now().astimezone(clock.tz).strftime("%Y-%m-%d %H:%M")

    def _save_clock(self) -> None:
        if self._clock_file:
            self._clock_file.write_text(self.app.clock.now().isoformat(), encoding="utf-8")

    async def stop(self) -> None:
        with suppress(RuntimeError):
            await self.app.dispatcher.stop_polling()
        if self._polling:
            with suppress(asyncio.CancelledError):
                await self._polling
        if self._runner:
            await self._runner.cleanup()
        await self.app.close()
        await self.telegram.stop()


def start_moment() -> datetime:
    """The first working day after the demo quarter, 10:00 in Almaty (computed, not fixed)."""
    from scoring import WorkCalendar

    day = WorkCalendar.kazakhstan().roll_forward(QUARTER.end + timedelta(days=1))
    return datetime.combine(day, time(10, 0), ALMATY)


async def start(folder: Path, make_app: AppFactory, *, port: int = 8765, reset: bool = False,
                language: str = "ru", host: str = "127.0.0.1") -> Sandbox:
    folder.mkdir(parents=True, exist_ok=True)
    database = folder / "sandbox.sqlite3"
    clock_file = folder / "sandbox-clock.txt"
    if reset:
        for path in (database, clock_file, folder / "sandbox.sqlite3-wal",
                     folder / "sandbox.sqlite3-shm"):
            path.unlink(missing_ok=True)
    fresh = not database.exists()
    telegram = FakeTelegram()
    telegram.answer_timeout = 5.0  # show the toasts and alerts as Telegram does
    await telegram.start()
    moment = start_moment() if fresh or not clock_file.exists() else \
        datetime.fromisoformat(clock_file.read_text(encoding="utf-8"))
    app = await make_app(AppRequest(
        token=telegram.token, api_base=telegram.base_url, database=database,
        methodology=Path(str(resources.files("sandbox") / "demo.toml")), language=language,
        body_name="Демо министрлігі", clock=Clock.starting_at(moment, ALMATY)))
    people = demo.people()
    if fresh:
        await demo.load(app.db, app.clock.now(), QUARTER.start + timedelta(days=42))
    for person in people:
        telegram.user(person.telegram_id, person.name.split()[1] if " " in person.name
                      else person.name, language_code=person.language)
        telegram.world.private_chat(person.telegram_id)
    sandbox = Sandbox(telegram, app, people, _clock_file=clock_file)
    sandbox._save_clock()
    sandbox._polling = asyncio.create_task(app.dispatcher.start_polling(
        app.bot, handle_signals=False,
        allowed_updates=app.dispatcher.resolve_used_update_types()))
    await telegram.wait_idle(timeout=30)
    await app.tick()  # opens the quarter on its first working day
    runner = web.AppRunner(create_web(sandbox), access_log=None)  # the page's own requests
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    sandbox._runner = runner
    bound = runner.addresses[0][1] if runner.addresses else port
    sandbox.url = f"http://{'127.0.0.1' if host in ('127.0.0.1', '0.0.0.0') else host}:{bound}/"
    return sandbox


async def run(make_app: AppFactory, port: int, reset: bool, language: str,
              host: str = "127.0.0.1") -> int:
    """Run until Ctrl+C or SIGTERM."""
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"Warning: the sandbox listens on {host} with no authentication: anyone who "
              "reaches this port can act as every demo person. Use it only on a trusted "
              "network.", flush=True)
    sandbox = await start(Path("data"), make_app, port=port, reset=reset, language=language,
                          host=host)
    print(f"bagalau sandbox: open {sandbox.url} in your browser (Ctrl+C stops it).", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await sandbox.stop()
    print("bagalau sandbox stopped.", flush=True)
    return 0
