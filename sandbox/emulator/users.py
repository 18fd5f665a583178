"""A user on a phone: writes, presses buttons, uploads, and reads the private chat."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .entities import utf16_len
from .views import ChatMessage

if TYPE_CHECKING:
    from .server import FakeTelegram
    from .world import CallbackQuery, Chat


class FakeUser:
    """A Telegram user in a private chat with the bot (chat id == user id).

    Every action queues one update and returns once the bot acknowledged it, so with
    ``handle_as_tasks=False`` the bot's reaction is already visible in ``chat``. Notices the
    bot sends in the background can arrive at any moment, so a test reads the message it
    means (``expect``, ``wait_for``), never "the newest one".
    """

    def __init__(self, tg: FakeTelegram, user_id: int) -> None:
        self._tg = tg
        self.id = user_id
        self.chat_id = user_id
        self.last_answer: CallbackQuery | None = None  # the bot's answer to the latest press

    @property
    def info(self) -> dict[str, Any]:
        """The Telegram User object."""
        return self._tg.world.users[self.id]

    @property
    def first_name(self) -> str:
        return str(self.info["first_name"])

    @property
    def language_code(self) -> str | None:
        return self.info.get("language_code")

    # ----- actions -------------------------------------------------------------------------

    @staticmethod
    def text_content(text: str) -> dict[str, Any]:
        """Message fields for typed text; a leading /command gets its bot_command entity."""
        content: dict[str, Any] = {"text": text}
        if text.startswith("/") and len(text) > 1:
            command = text.split(maxsplit=1)[0]
            content["entities"] = [
                {"type": "bot_command", "offset": 0, "length": utf16_len(command)}
            ]
        return content

    async def send(self, text: str) -> None:
        """Type and send a text message."""
        await self._write(self.text_content(text))

    async def share_contact(self, phone: str, *, user_id: int | None = None) -> None:
        """Share a contact: one's own (default) or someone else's ``user_id``."""
        owner = self._tg.world.users.get(user_id or self.id, {"first_name": "Contact"})
        contact = {"phone_number": phone, "first_name": owner["first_name"]}
        await self._write({"contact": contact | {"user_id": user_id or self.id}})

    async def upload(
        self,
        filename: str,
        content: bytes,
        *,
        caption: str | None = None,
        mime_type: str | None = None,
    ) -> None:
        """Send a file as a document; the bot can getFile and download it."""
        world = self._tg.world
        stored = world.store_file(filename, content, mime_type, "documents")
        await self._write({"document": world.document_object(stored), "caption": caption})

    async def press(self, label: str, *, message: ChatMessage | None = None) -> str | None:
        """Press the inline button labelled ``label`` in ``message`` or else in the newest bot
        message that has it; returns the answerCallbackQuery text (None if the bot answered
        without text or did not answer)."""
        candidates = [self._current(message)] if message else self.bot_messages[::-1]
        found = next((m for m in candidates if m.button(label)), None)
        if found is None:
            shown = "\n".join(f"  #{m.message_id}: {m.button_labels()}" for m in candidates)
            msg = f"user {self.id} sees no button {label!r}; buttons:\n{shown or '  (none)'}"
            raise AssertionError(f"{msg}\nchat:\n{self.text()}")
        button = found.button(label)
        assert button is not None
        if button.callback_data is None:
            raise AssertionError(f"button {label!r} has no callback_data ({button})")
        return await self.press_data(button.callback_data, found)

    async def press_data(self, data: str, message: ChatMessage) -> str | None:
        """Send a callback query with any ``data`` for ``message`` (e.g. a forged one)."""
        world = self._tg.world
        stored = self._chat().messages.get(message.message_id)
        query_id = world.new_callback(self.id)
        world.action_marks[self.id] = world.revision
        query = {
            "id": query_id,
            "from": self.info,
            "message": copy.deepcopy(stored.raw if stored else message.raw),
            "chat_instance": f"ci{self.chat_id}",
            "data": data,
        }
        await self._tg.deliver({"callback_query": query})
        if self._tg.answer_timeout:
            await self._tg.wait_answered(query_id)
        self.last_answer = world.callbacks[query_id]
        return self.last_answer.text

    async def _write(self, content: dict[str, Any]) -> None:
        self._tg.world.action_marks[self.id] = self._tg.world.revision
        message = self._tg.world.user_message(self._chat(), self.id, content)
        await self._tg.deliver({"message": message})

    # ----- reading -------------------------------------------------------------------------

    def _chat(self) -> Chat:
        return self._tg.world.private_chat(self.id)

    def _current(self, message: ChatMessage) -> ChatMessage:
        stored = self._chat().messages.get(message.message_id)
        if stored is None:
            raise AssertionError(f"message #{message.message_id} was deleted\n{self.text()}")
        return self._tg.world.view(stored)

    @property
    def chat(self) -> list[ChatMessage]:
        """The private chat as shown now: both sides, edits applied, deletions removed."""
        chat = self._tg.world.chats.get(self.chat_id)
        return [self._tg.world.view(m) for m in chat.messages.values()] if chat else []

    @property
    def bot_messages(self) -> list[ChatMessage]:
        """The bot's messages in the private chat, oldest first."""
        return [m for m in self.chat if m.from_bot]

    @property
    def callback_answers(self) -> list[str | None]:
        """Texts of the bot's answers to this user's callback queries, in order."""
        return list(self._tg.world.callback_answers.get(self.id, []))

    @property
    def reply_keyboard(self) -> list[list[str]] | None:
        """The reply keyboard shown under the input field, if any."""
        chat = self._tg.world.chats.get(self.chat_id)
        return chat.reply_keyboard if chat else None

    def commands(self) -> list[tuple[str, str]]:
        """The command menu this user sees in the private chat."""
        return self._tg.commands(self.chat_id, self.language_code)

    def text(self) -> str:
        """The whole chat as readable text, for assertion messages."""
        lines = [str(m) for m in self.chat] or ["(empty chat)"]
        if self.reply_keyboard:
            lines.append(f"keyboard: {self.reply_keyboard}")
        return "\n".join(lines)

    async def wait_for(
        self, predicate: Callable[[ChatMessage], bool], timeout: float = 5
    ) -> ChatMessage:
        """The oldest bot message that satisfies ``predicate`` now or once it appears or is
        edited to satisfy it."""

        def match() -> ChatMessage | None:
            return next((m for m in self.bot_messages if predicate(m)), None)

        await self._tg.wait_until(
            lambda: match() is not None,
            timeout,
            lambda: f"no matching bot message for user {self.id} within {timeout}s\n{self.text()}",
        )
        found = match()
        assert found is not None
        return found

    async def expect(self, *fragments: str, timeout: float = 5) -> ChatMessage:
        """The newest bot message sent or edited since this user's latest action whose text
        contains every fragment, waiting for it if need be: the reply the test means, whatever
        background notices arrive meanwhile."""
        mark = self._tg.world.action_marks.get(self.id, 0)

        def match() -> ChatMessage | None:
            return next((m for m in reversed(self.bot_messages)
                         if m.revision > mark and all(f in m.text for f in fragments)), None)

        await self._tg.wait_until(
            lambda: match() is not None,
            timeout,
            lambda: (f"user {self.id} got no reply containing {fragments!r} within {timeout}s "
                     f"of his latest action\n{self.text()}"),
        )
        found = match()
        assert found is not None
        return found

    def __repr__(self) -> str:
        return f"FakeUser({self.id}, {self.first_name!r})"
