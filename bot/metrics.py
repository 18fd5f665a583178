"""What an operator watches, in Prometheus text format: updates and their latency, the outbox
(depth, the age of its oldest pending message, sends by result), the reminder ticks and whether
this worker leads.

Served at ``/metrics`` beside ``/healthz`` on the webhook's port, or on METRICS_PORT when
polling. Each app has its own registry (tests start many apps in one process)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import generate_latest

from services.clock import Clock
from storage import outbox
from storage.db import Database

if TYPE_CHECKING:  # the web server is imported only where one is served
    from aiohttp import web


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.updates = Counter("bagalau_updates", "Updates handled, by type.", ["type"],
                               registry=self.registry)
        self.latency = Histogram(
            "bagalau_update_seconds", "Time to handle an update, by type.", ["type"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            registry=self.registry)
        self.sends = Counter("bagalau_outbox_sends", "Messages the outbox worker tried to send, "
                             "by Telegram's answer (200, 429, 403, 400, network).", ["result"],
                             registry=self.registry)
        self.ticks = Counter("bagalau_reminder_ticks", "Scheduler ticks that decided what is "
                             "due.", registry=self.registry)
        self.enqueued = Counter("bagalau_reminders_enqueued", "Reminders the ticks enqueued.",
                                registry=self.registry)
        self.pending = Gauge("bagalau_outbox_pending", "Messages waiting in the outbox.",
                             registry=self.registry)
        self.leading = Gauge("bagalau_leader", "1 while this worker sends the outbox and runs "
                             "the reminder tick (exactly one worker of a deployment).",
                             registry=self.registry)
        self.oldest = Gauge("bagalau_outbox_oldest_pending_seconds", "Age of the oldest message "
                            "that is due and not yet sent.", registry=self.registry)

    def sends_by_result(self, result: str) -> None:
        self.sends.labels(result).inc()

    async def refresh(self, db: Database, clock: Clock) -> None:
        """Read the outbox's depth and age (on each scrape)."""
        depth, oldest_due = await outbox.backlog(db, clock.now())
        self.pending.set(depth)
        self.oldest.set(max((clock.now() - oldest_due).total_seconds(), 0) if oldest_due else 0)

    def render(self) -> bytes:
        return generate_latest(self.registry)


class MeasureUpdates(BaseMiddleware):
    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    async def __call__(self, handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
                       event: TelegramObject, data: dict[str, Any]) -> Any:
        kind = event.event_type if isinstance(event, Update) else type(event).__name__
        started = time.perf_counter()
        try:
            return await handler(event, data)
        finally:
            self.metrics.updates.labels(kind).inc()
            self.metrics.latency.labels(kind).observe(time.perf_counter() - started)


def add_routes(web_app: web.Application, metrics: Metrics, db: Database, clock: Clock) -> None:
    """``/healthz`` (the database answers: 200, else 503) and ``/metrics``."""
    from aiohttp import web

    async def healthz(request: web.Request) -> web.Response:
        try:
            depth, _oldest = await outbox.backlog(db, clock.now())
        except Exception as error:  # any failure of the database makes the worker unhealthy
            return web.json_response({"status": "unhealthy", "error": type(error).__name__},
                                     status=503)
        return web.json_response({"status": "ok", "outbox_pending": depth})

    async def scrape(request: web.Request) -> web.Response:
        await metrics.refresh(db, clock)
        return web.Response(body=metrics.render(),
                            headers={"Content-Type": CONTENT_TYPE_LATEST})

    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/metrics", scrape)
