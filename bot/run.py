"""Run modes: long polling (default) and a webhook behind a reverse proxy."""

from __future__ import annotations

import asyncio
import logging
import signal

from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

from .app import App

log = logging.getLogger("bagalau")
WEBHOOK_PATH = "/telegram/webhook"


async def run_polling(app: App, *, handle_as_tasks: bool = True) -> None:
    """Long polling until SIGINT/SIGTERM; then stop cleanly and close everything."""
    try:
        await app.bot.delete_webhook()
        await app.dispatcher.start_polling(
            app.bot, handle_as_tasks=handle_as_tasks, handle_signals=True,
            allowed_updates=app.dispatcher.resolve_used_update_types(),
        )
    finally:
        await app.close()


async def run_webhook(app: App) -> None:
    """Serve WEBHOOK_URL's path on WEBHOOK_HOST:WEBHOOK_PORT, checking the secret token."""
    settings = app.settings
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    web_app = web.Application()
    SimpleRequestHandler(dispatcher=app.dispatcher, bot=app.bot, secret_token=secret
                         ).register(web_app, path=WEBHOOK_PATH)
    setup_application(web_app, app.dispatcher, bot=app.bot)
    runner = web.AppRunner(web_app)
    await runner.setup()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await web.TCPSite(runner, settings.webhook_host, settings.webhook_port).start()
        url = settings.webhook_url.rstrip("/") + WEBHOOK_PATH
        await app.bot.set_webhook(url, secret_token=secret,
                                  allowed_updates=app.dispatcher.resolve_used_update_types())
        log.info("webhook at %s, listening on %s:%s", url, settings.webhook_host,
                 settings.webhook_port)
        await stop.wait()
    finally:
        await runner.cleanup()
        await app.close()
