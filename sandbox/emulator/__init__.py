"""A Telegram Bot API emulator on 127.0.0.1 and users who talk to the bot through it.

The end-to-end tests drive the real bot with it; ``python -m bot sandbox`` runs the real bot
against it with a demo body and a chat page in the browser.
"""

from .server import FakeTelegram, Push, Request
from .users import FakeUser
from .views import Button, ChatMessage

__all__ = ["Button", "ChatMessage", "FakeTelegram", "FakeUser", "Push", "Request"]
