"""Logging: the level from LOG_LEVEL, one line per event, and the bot token never written.

aiohttp errors carry the request URL, and Telegram's URLs contain the token
(``…/bot<token>/getMe``, ``…/file/bot<token>/documents/…``): every record, its arguments and its
traceback pass through ``RedactSecrets`` before any handler writes them.
"""

from __future__ import annotations

import logging
import re

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}")  # the shape of any bot token


class RedactSecrets(logging.Filter):
    """Replaces the configured secrets, and anything shaped like a bot token, with <secret>."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "<secret>")
        return _TOKEN.sub("<secret>", text)

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.redact(record.getMessage())
        record.args = ()
        if record.exc_info:
            formatter = logging.Formatter()
            record.exc_text = self.redact(formatter.formatException(record.exc_info))
            record.exc_info = None
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def setup(level: str, secrets: list[str]) -> None:
    """Configure the root logger once: ``level`` (DEBUG, INFO, WARNING, ERROR) and redaction."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # the access log of the webhook server: one line per update is noise at INFO
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
