"""Run modes: long polling (default) and a webhook behind a reverse proxy."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import signal
from typing import TYPE_CHECKING

from .app import App
from .metrics import add_routes
from .settings import Settings

if TYPE_CHECKING:  # aiohttp's web server is imported only when one is served
    from aiohttp import web

log = logging.getLogger("bagalau")
WEBHOOK_PATH = "/telegram/webhook"


async def run_polling(app: App, *, handle_as_tasks: bool = True) -> None:
    """Long polling until SIGINT/SIGTERM; then stop cleanly and close everything. With
    METRICS_PORT set, /healthz and /metrics are served meanwhile."""
    runner = None
    if app.settings.metrics_port is not None:
        from aiohttp import web

        web_app = web.Application()
        add_routes(web_app, app.metrics, app.db, app.clock)
        runner = web.AppRunner(web_app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, app.settings.metrics_host, app.settings.metrics_port).start()
    try:
        await app.bot.delete_webhook()
        await app.dispatcher.start_polling(
            app.bot, handle_as_tasks=handle_as_tasks, handle_signals=True,
            allowed_updates=app.dispatcher.resolve_used_update_types(),
        )
    finally:
        if runner is not None:
            await runner.cleanup()
        await app.close()


def webhook_secret(settings: Settings) -> str:
    """WEBHOOK_SECRET, or one derived from the bot token: never no secret at all (anyone who
    reaches the port could post updates as any user), and the same in every worker."""
    if settings.webhook_secret is not None and settings.webhook_secret.get_secret_value():
        return settings.webhook_secret.get_secret_value()
    assert settings.bot_token is not None
    token = settings.bot_token.get_secret_value().strip()
    return hmac.new(token.encode(), b"bagalau webhook secret", hashlib.sha256).hexdigest()


def create_webhook_app(app: App) -> web.Application:
    """An aiohttp application serving the dispatcher at ``WEBHOOK_PATH``; requests without the
    secret token (``X-Telegram-Bot-Api-Secret-Token``) are refused with 401."""
    from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
    from aiohttp import web

    web_app = web.Application()
    SimpleRequestHandler(
        dispatcher=app.dispatcher, bot=app.bot, secret_token=webhook_secret(app.settings),
    ).register(web_app, path=WEBHOOK_PATH)
    setup_application(web_app, app.dispatcher, bot=app.bot)
    add_routes(web_app, app.metrics, app.db, app.clock)
    return web_app


async def register_webhook(app: App) -> str:
    """Tell Telegram where to send updates; returns the URL."""
    assert app.settings.webhook_url is not None
    url = app.settings.webhook_url.rstrip("/") + WEBHOOK_PATH
    await app.bot.set_webhook(url, secret_token=webhook_secret(app.settings),
                              allowed_updates=app.dispatcher.resolve_used_update_types())
    return url


async def run_webhook(app: App) -> None:
    """Serve the webhook on WEBHOOK_HOST:WEBHOOK_PORT until SIGINT/SIGTERM."""
    from aiohttp import web

    settings = app.settings
    runner = web.AppRunner(create_webhook_app(app), access_log=None)
    await runner.setup()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await web.TCPSite(runner, settings.webhook_host, settings.webhook_port).start()
        url = await register_webhook(app)
        log.info("webhook at %s, listening on %s:%s", url, settings.webhook_host,
                 settings.webhook_port)
        await stop.wait()
    finally:
        await runner.cleanup()
        await app.close()
