"""Reaching the Bot API: what went wrong, in one paragraph a ministry's administrator can act on,
and retries with backoff for the bot's direct replies."""

from __future__ import annotations

import asyncio
import logging
import ssl
from typing import Any

import aiohttp
from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramNetworkError, TelegramServerError
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response, TelegramType

log = logging.getLogger("bagalau.network")
RETRIES = (0.5, 1.0, 2.0)  # seconds before the 2nd, 3rd and 4th attempt


def _causes(error: BaseException) -> list[BaseException]:
    found: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in found:
        found.append(current)
        current = current.__cause__ or current.__context__
    return found


def explain(error: BaseException, api: str, proxy: str | None) -> str:
    """Why the Bot API at ``api`` could not be reached, and what to check."""
    causes = _causes(error)
    where = f"the Telegram Bot API at {api}" + (f" through the proxy {proxy}" if proxy else "")
    if any(isinstance(c, aiohttp.ClientProxyConnectionError) for c in causes):
        what = "the proxy refused the connection or could not be reached"
        check = "TELEGRAM_PROXY (scheme, host, port, user and password)"
    elif any(isinstance(c, aiohttp.ClientConnectorDNSError) for c in causes):
        what = "the host name could not be resolved (DNS)"
        check = ("the machine's DNS settings, or set TELEGRAM_PROXY if this network reaches "
                 "Telegram only through a proxy")
    elif any(isinstance(c, aiohttp.ClientConnectorCertificateError | ssl.SSLError
                        | aiohttp.ClientSSLError) for c in causes):
        what = "the TLS handshake failed (a certificate or an intercepting firewall)"
        check = "the system's CA certificates, the clock, and whether a firewall rewrites TLS"
    elif any(isinstance(c, asyncio.TimeoutError | aiohttp.ServerTimeoutError) for c in causes):
        what = "the connection timed out"
        check = ("whether a firewall drops traffic to Telegram; set TELEGRAM_PROXY if it must "
                 "go through a proxy")
    elif any(isinstance(c, ConnectionRefusedError) for c in causes) or \
            "Connect call failed" in str(error):
        what = "the connection was refused"
        check = "TELEGRAM_API_BASE (a self-hosted Bot API server must be running), or the proxy"
    else:
        what = f"the network failed ({type(causes[-1]).__name__})"
        check = "the network, TELEGRAM_API_BASE and TELEGRAM_PROXY"
    return (f"Cannot reach {where}: {what}. Check {check}, then start the bot again. "
            "Nothing was changed.")


class RetryServerErrors(BaseRequestMiddleware):
    """A 5xx or a network error on a request is retried with backoff (three more attempts):
    a reply to /start lost to a transient 502 would otherwise be lost for good. Long polls are
    left to aiogram, which retries them itself."""

    async def __call__(self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot,
                       method: TelegramMethod[TelegramType]) -> Response[TelegramType]:
        if method.__api_method__ == "getUpdates":
            return await make_request(bot, method)
        for delay in RETRIES:
            try:
                return await make_request(bot, method)
            except (TelegramServerError, TelegramNetworkError) as error:
                log.warning("%s failed (%s); retrying in %ss", method.__api_method__,
                            error.message, delay)
                await asyncio.sleep(delay)
        return await make_request(bot, method)


def session_kwargs(proxy: str | None) -> dict[str, Any]:
    """AiohttpSession arguments for an optional http(s) or socks5 proxy URL."""
    return {"proxy": proxy} if proxy else {}
