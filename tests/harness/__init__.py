"""The end-to-end harness: the product's Bot API emulator (bot.emulator) seen from the tests."""

from sandbox.emulator import Button, ChatMessage, FakeTelegram, FakeUser, Request

__all__ = ["Button", "ChatMessage", "FakeTelegram", "FakeUser", "Request"]
