"""End-to-end harness: a fake Telegram Bot API server and users who drive the real bot."""

from .driver import FakeUser
from .fake_api import FakeTelegram, Request
from .views import Button, ChatMessage

__all__ = ["Button", "ChatMessage", "FakeTelegram", "FakeUser", "Request"]
