"""Throughput of the whole evaluator flow against a do-nothing aiogram handler.

    python bench/evaluator_flow.py [--evaluators 200]

Each evaluator completes one sheet (/sheets, open, begin, five scores, submit, confirm — and
the result goes to the servant), fed through ``Dispatcher.feed_update`` with a recording bot
session (no network) and a file-backed SQLite database. A bare echo dispatcher gets the same
number of updates in the same run (three times; the median counts). The database commits with
``synchronous=FULL``: every answer is on disk before the evaluator sees it saved. The last line
is ``name=value`` figures.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parents[1]))

from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.session.base import BaseSession
from aiogram.methods import TelegramMethod
from aiogram.types import CallbackQuery, Chat, Message, Update, User

from bot.app import create_app
from bot.settings import Settings
from handlers.common.callbacks import SheetCb
from scoring import ALMATY, Quarter
from services.clock import Clock
from storage import accounts, evaluation, roster
from storage.roster_file import Roster, ServantRow

AT = datetime(2026, 4, 6, 5, 0, tzinfo=UTC)
TOKEN = "123456:BENCH-TOKEN-0123456789abcdef"


class RecordingSession(BaseSession):
    """Answers every call like Telegram would, without a network; counts the calls."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0
        self._message_id = 0

    async def close(self) -> None:
        return None

    async def make_request(self, bot: Bot, method: TelegramMethod[Any],
                           timeout: int | None = None) -> Any:
        self.calls += 1
        returning = method.__returning__
        if returning is Message:
            self._message_id += 1
            chat_id = getattr(method, "chat_id", 1) or 1
            return Message(message_id=self._message_id, date=datetime.now(UTC),
                           chat=Chat(id=chat_id, type="private"),
                           from_user=User(id=123456, is_bot=True, first_name="bagalau"),
                           text=getattr(method, "text", None) or "")
        if returning is User:
            return User(id=123456, is_bot=True, first_name="bagalau", username="bagalau_bot")
        return True

    async def stream_content(self, *args: Any, **kwargs: Any):  # pragma: no cover - unused
        raise NotImplementedError


def organisation(evaluators: int) -> Roster:
    rows = []
    for i in range(evaluators):
        unit = f"Department {i}"
        for no, category, head, supervisor in ((f"E{i}", "C-1", True, None),
                                               (f"S{i}", "C-4", False, f"E{i}")):
            rows.append(ServantRow(
                row=len(rows) + 2, personnel_no=no, full_name=f"Servant {no}",
                position="Position", category=category, unit=unit,
                appointed_on=date(2020, 1, 1), managerial=head, unit_head=head,
                supervisor=supervisor, dismissed_on=None, phone=None, language="ru",
                is_hr=False, is_appointing=False, public_services=False))
    return Roster(servants=rows)


class Updates:
    def __init__(self) -> None:
        self.next_id = 0

    def _user(self, user_id: int) -> User:
        return User(id=user_id, is_bot=False, first_name="Evaluator", language_code="ru")

    def message(self, user_id: int, text: str) -> Update:
        self.next_id += 1
        entities = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}] \
            if text.startswith("/") else None
        return Update(update_id=self.next_id, message=Message(
            message_id=self.next_id, date=datetime.now(UTC), text=text, entities=entities,
            chat=Chat(id=user_id, type="private"), from_user=self._user(user_id)))

    def press(self, user_id: int, data: str) -> Update:
        self.next_id += 1
        message = Message(message_id=self.next_id, date=datetime.now(UTC), text="sheet",
                          chat=Chat(id=user_id, type="private"),
                          from_user=User(id=123456, is_bot=True, first_name="bagalau"))
        return Update(update_id=self.next_id, callback_query=CallbackQuery(
            id=str(self.next_id), from_user=self._user(user_id), chat_instance="1",
            message=message, data=data))


def flow(updates: Updates, user_id: int, sheet_id: int) -> list[Update]:
    press = [("open", 0, ""), ("go", 0, "")] + [("score", i, str(4 + i % 2)) for i in range(5)]
    press += [("submit", 0, ""), ("confirm", 0, "")]
    return [updates.message(user_id, "/sheets")] + [
        updates.press(user_id, SheetCb(sheet=sheet_id, action=a, index=i, value=v).pack())
        for a, i, v in press]


async def run_flow(evaluators: int, folder: Path) -> tuple[list[float], int, float]:
    settings = Settings(_env_file=None, bot_token=TOKEN, database_path=folder / "bench.sqlite3")
    app = await create_app(settings, clock=Clock.starting_at(AT, ALMATY))
    bot = Bot(TOKEN, session=RecordingSession())
    async with app.db.transaction() as conn:
        await roster.apply(conn, organisation(evaluators), at=AT, actor="bench")
        ids = {r[0]: r[1] for r in await conn.execute_fetchall(
            "SELECT personnel_no, id FROM servant")}
        for i in range(evaluators):
            await accounts.bind(conn, 10_000 + i, ids[f"E{i}"], at=AT, how="bench")
            await accounts.bind(conn, 20_000 + i, ids[f"S{i}"], at=AT, how="bench")
        await evaluation.open_campaign(conn, app.methodology, Quarter(2026, 1), app.calendar,
                                       at=AT, today=AT.date(), actor="bench")
        sheets = {r[0]: r[1] for r in await conn.execute_fetchall(
            "SELECT evaluator_id, id FROM sheet")}
    updates = Updates()
    batch = [u for i in range(evaluators)
             for u in flow(updates, 10_000 + i, sheets[ids[f"E{i}"]])]
    latencies = []
    started = time.perf_counter()
    for update in batch:
        begin = time.perf_counter()
        await app.dispatcher.feed_update(bot, update)
        latencies.append((time.perf_counter() - begin) * 1000)
    elapsed = time.perf_counter() - started
    async with app.db.reading() as conn:
        submitted = (await conn.execute_fetchall(
            "SELECT count(*) FROM sheet WHERE status = 'submitted'"))[0][0]
    await app.close()
    return latencies, submitted, len(batch) / elapsed


async def run_bare(count: int) -> float:
    router = Router()

    @router.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(message.text)

    @router.callback_query()
    async def tap(callback: CallbackQuery) -> None:
        await callback.answer()

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    bot = Bot(TOKEN, session=RecordingSession())
    updates = Updates()
    batch = []
    while len(batch) < count:
        batch += flow(updates, 30_000 + len(batch), 1)
    batch = batch[:count]
    started = time.perf_counter()
    for update in batch:
        await dispatcher.feed_update(bot, update)
    return count / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--evaluators", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        latencies, submitted, rate = asyncio.run(run_flow(args.evaluators, Path(folder)))
    bare_rate = statistics.median(asyncio.run(run_bare(len(latencies))) for _ in range(3))
    ordered = sorted(latencies)
    p50 = statistics.median(ordered)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(f"{args.evaluators} evaluators, {len(latencies)} updates, {submitted} sheets "
          f"submitted and delivered")
    print(f"ratio={rate / bare_rate:.3f} p50_ms={p50:.2f} p99_ms={p99:.2f} rate={rate:.0f} "
          f"bare_rate={bare_rate:.0f} updates={len(latencies)} submitted={submitted}")


if __name__ == "__main__":
    main()
