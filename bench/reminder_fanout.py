"""10,000 reminders through the fake Telegram Bot API: pace, 429s, blocked users, no loss.

    python bench/reminder_fanout.py [--messages 10000] [--rate 25]

5% of first attempts are answered 429 (retry after 1 s) and 1% of the users blocked the bot.
The real outbox worker sends over real HTTP; the fake server's record says what arrived. The
last line is ``name=value`` figures.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from collections import Counter, deque
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).parents[1]))

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from bot.notifier import Notifier
from sandbox.emulator import FakeTelegram
from services.clock import Clock
from storage import outbox
from storage.db import Database

FIRST_ID = 1_000_000


async def _organisation(db: Database, count: int) -> None:
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO servant (id, personnel_no, full_name, position, category, managerial, "
            "unit_head, appointed_on) VALUES (?, ?, ?, 'Expert', 'C-5', 0, 0, '2020-01-01')",
            [(i, str(i), f"Servant {i}") for i in range(1, count + 1)])
        await conn.executemany(
            "INSERT INTO account (telegram_id, servant_id, language) VALUES (?, ?, 'ru')",
            [(FIRST_ID + i, i) for i in range(1, count + 1)])


async def main(messages: int, rate: float) -> None:
    random.seed(7)
    async with FakeTelegram() as telegram:
        with tempfile.TemporaryDirectory() as folder:
            db = await Database.open(Path(folder) / "bench.sqlite3")
            await _organisation(db, messages)
            users = [FIRST_ID + i for i in range(1, messages + 1)]
            for user_id in users:
                telegram.user(user_id, "Servant")
                telegram.world.private_chat(user_id)
            blocked = set(random.sample(users, messages // 100))
            for user_id in blocked:
                telegram.block(user_id)
            throttled = random.sample([u for u in users if u not in blocked], messages // 20)
            for user_id in throttled:
                telegram.fail_next("sendMessage", status=429, retry_after=1, chat_id=user_id)

            clock = Clock(ZoneInfo("Asia/Almaty"))
            now = clock.now()
            started = time.perf_counter()
            async with db.transaction() as conn:
                for servant_id in range(1, messages + 1):
                    await outbox.enqueue(conn, "deadline_reminder", "campaign:1", servant_id,
                                         due_on=date(2026, 4, 15), not_before=now, at=now)
            enqueue_seconds = time.perf_counter() - started

            bot = Bot(telegram.token, session=AiohttpSession(
                api=TelegramAPIServer.from_base(telegram.base_url)))
            accepted: list[float] = []
            send = bot.send_message

            async def timed_send(*args, **kwargs):
                result = await send(*args, **kwargs)
                accepted.append(time.monotonic())
                return result

            bot.send_message = timed_send

            async def render(message: outbox.Message):
                return f"Reminder for servant {message.recipient_id}: sheets due 20 April.", None

            notifier = Notifier(bot, db, clock, render, rate=rate)
            notifier.start()
            while (await outbox.counts(db)).get("pending", 0):
                await notifier.wait_idle()
            await notifier.stop()
            counts = await outbox.counts(db)
            await bot.session.close()
            await db.close()

    delivered = Counter(r.params.get("chat_id") for r in telegram.requests
                        if r.method == "sendMessage" and r.status == 200)
    duplicated = sum(n - 1 for n in delivered.values() if n > 1)
    lost = messages - len(delivered) - counts.get("unreachable", 0)
    window: deque[float] = deque()
    peak = 0
    for moment in accepted:
        window.append(moment)
        while moment - window[0] >= 1.0:
            window.popleft()
        peak = max(peak, len(window))
    seconds = accepted[-1] - accepted[0]
    sustained = (len(accepted) - 1) / seconds if seconds else 0.0
    print(f"{messages} reminders: {len(delivered)} delivered, "
          f"{counts.get('unreachable', 0)} blocked users marked unreachable, "
          f"{len(throttled)} first attempts answered 429; sending took {seconds:.0f} s "
          f"at {sustained:.2f}/s against a limit of {rate:g}/s")
    print(f"rate_fraction={sustained / rate:.3f} max_per_second={peak} lost={lost} "
          f"duplicated={duplicated} enqueue_seconds={enqueue_seconds:.2f} "
          f"delivered={len(delivered)} unreachable={counts.get('unreachable', 0)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=25.0)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.messages, arguments.rate))
