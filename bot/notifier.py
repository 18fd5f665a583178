"""The outbox worker: sends what is due under Telegram's limits and loses nothing.

A global pace (``rate`` messages per second, never above 30) and about one message per second per
chat; 429 postpones the message by ``retry_after``; 403 marks the user unreachable (listed for
HR) and stops; network errors back off and retry; a message is marked sent only after Telegram
accepted it. Nothing here stops the loop but ``stop()``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import suppress
from datetime import datetime, timedelta

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import BufferedInputFile

from handlers.common.notices import Document, Edit, Rendered
from services.clock import Clock
from storage import accounts, outbox
from storage.db import Database

log = logging.getLogger("bagalau.notifier")
MAX_RATE = 30.0
PER_CHAT = timedelta(seconds=1)

Renderer = Callable[[outbox.Message], Awaitable[Rendered]]
Hook = Callable[[outbox.Message, datetime], Awaitable[None]]


class Notifier:
    def __init__(self, bot: Bot, db: Database, clock: Clock, render: Renderer,
                 on_sent: Hook | None = None, *, rate: float = 25.0, batch: int = 200,
                 on_result: Callable[[str], None] | None = None) -> None:
        self.bot, self.db, self.clock = bot, db, clock
        self.render, self.on_sent = render, on_sent
        self.on_result = on_result or (lambda result: None)
        self.interval = 1 / min(rate, MAX_RATE)
        self.batch = batch
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task | None = None
        self._next_slot = 0.0  # loop time of the next allowed send
        self._chat_free: dict[int, datetime] = {}

    def start(self) -> None:
        self._stopping = False
        self._task = asyncio.create_task(self.run(), name="bagalau-notifier")

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        if self._task:
            with suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def wake(self) -> None:
        """Something was enqueued: look at the outbox now."""
        self._wake.set()

    async def wait_idle(self) -> None:
        """Until a fresh pass finds nothing due (tests and the sandbox's clock use this)."""
        self._idle.clear()
        self.wake()
        await self._idle.wait()

    async def run(self) -> None:
        while not self._stopping:
            try:
                sent = await self.send_due()
            except Exception:  # a database hiccup must not end the worker
                log.exception("outbox pass failed; retrying")
                sent = 0
            if not sent and not self._stopping and not self._wake.is_set():
                await self._sleep()

    async def _sleep(self) -> None:
        self._wake.clear()
        upcoming = await outbox.next_time(self.db)
        seconds = 30.0
        if upcoming is not None:
            seconds = min(max((upcoming - self.clock.now()).total_seconds(), 0.01), 30.0)
        if seconds > 2 * PER_CHAT.total_seconds():  # only pacing delays left: not idle
            self._idle.set()
        with suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)

    async def send_due(self) -> int:
        """Send one batch of due messages, interactive ones first; returns how many were
        handled.

        Sends start at the paced rate and run concurrently (Telegram answers in tens to
        hundreds of milliseconds; one at a time would never reach the rate). A bulk batch
        stops early when something new is enqueued, so that a notice someone is waiting for
        never queues behind a blast of reminders."""
        self._wake.clear()
        messages = await outbox.due(self.db, self.clock.now(), self.batch)
        in_flight: set[asyncio.Task] = set()
        handled = 0
        for message in messages:
            if self._stopping or (message.priority and self._wake.is_set()):
                break
            handled += 1
            ready = await self._prepare(message)
            if ready is None:
                continue
            await self._pace()
            task = asyncio.create_task(self._send(message, ready))
            in_flight.add(task)
            task.add_done_callback(in_flight.discard)
        if in_flight:
            await asyncio.gather(*in_flight)
        return handled

    async def _prepare(self, message: outbox.Message) -> Rendered:
        """What to send, or None when the message is settled or postponed without sending."""
        now = self.clock.now()
        if message.telegram_id is None or message.unreachable:
            await outbox.settle(self.db, message.id, "unreachable", at=now,
                                error="no linked account" if message.telegram_id is None
                                else "blocked the bot")
            return None
        free = self._chat_free.get(message.telegram_id)
        if free and free > now:
            await outbox.postpone(self.db, message.id, free)
            return None
        rendered = await self.render(message)
        if rendered is None:
            await outbox.settle(self.db, message.id, "dropped", at=now, error="obsolete")
            return None
        self._chat_free[message.telegram_id] = now + PER_CHAT
        return rendered

    async def _send(self, message: outbox.Message, rendered: Rendered) -> None:
        try:
            await self._deliver(message, rendered)
        except Exception:  # a failure of one message must not stop the others
            log.exception("outbox %s: unexpected failure; retrying later", message.id)
            await outbox.retry(self.db, message.id, self.clock.now() + timedelta(minutes=1),
                               "unexpected failure")

    async def _deliver(self, message: outbox.Message, rendered: Rendered) -> None:
        chat = message.telegram_id
        assert chat is not None and rendered is not None  # _prepare settled those
        try:
            if isinstance(rendered, Document):
                await self.bot.send_document(
                    chat, BufferedInputFile(rendered.content, rendered.filename),
                    caption=rendered.caption, reply_markup=rendered.markup)
                if rendered.then_edit is not None:
                    with suppress(TelegramBadRequest):  # the file is there either way
                        await self._edit(chat, rendered.then_edit)
            elif isinstance(rendered, Edit):
                try:
                    await self._edit(chat, rendered)
                except TelegramBadRequest:  # deleted, or too old to edit: say it anew
                    await self.bot.send_message(chat, rendered.text,
                                                reply_markup=rendered.markup)
            else:
                text, markup = rendered
                await self.bot.send_message(chat, text, reply_markup=markup)
        except TelegramRetryAfter as error:
            self.on_result("429")
            await outbox.retry(self.db, message.id,
                               self.clock.now() + timedelta(seconds=error.retry_after), "429")
            return
        except TelegramForbiddenError as error:
            self.on_result("403")
            async with self.db.transaction() as conn:
                await accounts.mark_unreachable(conn, chat, at=self.clock.now())
            await outbox.settle(self.db, message.id, "unreachable", at=self.clock.now(),
                                error=error.message)
            return
        except TelegramBadRequest as error:
            self.on_result("400")
            log.warning("outbox %s refused by Telegram: %s", message.id, error.message)
            await outbox.settle(self.db, message.id, "failed", at=self.clock.now(),
                                error=error.message)
            return
        except (TelegramNetworkError, TelegramServerError, OSError, TimeoutError) as error:
            self.on_result("network")
            delay = timedelta(seconds=min(2 ** message.attempts, 300))
            await outbox.retry(self.db, message.id, self.clock.now() + delay, repr(error))
            return
        self.on_result("200")
        sent_at = self.clock.now()
        if len(self._chat_free) > 10_000:
            self._chat_free = {c: t for c, t in self._chat_free.items() if t > sent_at}
        await outbox.settle(self.db, message.id, "sent", at=sent_at)
        if self.on_sent is not None:
            await self.on_sent(message, sent_at)

    async def _edit(self, chat: int, edit: Edit) -> None:
        await self.bot.edit_message_text(edit.text, chat_id=chat, message_id=edit.message_id,
                                         reply_markup=edit.markup)

    async def _pace(self) -> None:
        """Keep at most ``rate`` sends in any second: one every ``1/rate`` seconds."""
        loop = asyncio.get_running_loop()
        wait = self._next_slot - loop.time()
        if wait > 0:
            await asyncio.sleep(wait)
        self._next_slot = max(loop.time(), self._next_slot) + self.interval
