"""Telegram's side of the conversation: chats, messages, files, commands and Bot API methods.

Every public ``World`` method named after a Bot API method takes the decoded request
parameters (uploads as ``Upload``) and returns the JSON ``result`` or raises ``ApiError``.
"""

from __future__ import annotations

import itertools
import mimetypes
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .entities import EntityParseError, parse_html
from .views import ChatMessage, make_view

BLOCKED = "Forbidden: bot was blocked by the user"
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a specified content and reply markup of the message"
)
QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_TEXT_LIMIT = 4096
_CAPTION_LIMIT = 1024
_CALLBACK_DATA_LIMIT = 64
_DESCRIPTION_LIMIT = 256
_DOWNLOAD_LIMIT = 20 * 2**20  # getFile refuses bigger files

ScopeKey = tuple[Any, ...]


class ApiError(Exception):
    """A Bot API error answer: ``{"ok": false, "error_code": status, ...}``."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def body(self) -> dict[str, Any]:
        """The JSON body Telegram would answer with."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request."""

    filename: str
    content: bytes
    content_type: str | None = None


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    filename: str
    mime_type: str
    content: bytes | None  # None for files "sent by URL"


@dataclass
class StoredMessage:
    raw: dict[str, Any]
    parse_mode: str | None = None
    source: str = ""
    revision: int = 0  # the world's revision when it was last sent or edited


@dataclass
class Chat:
    raw: dict[str, Any]
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    last_message_id: int = 0
    reply_keyboard: list[list[str]] | None = None


@dataclass
class CallbackQuery:
    user_id: int
    answered: bool = False
    text: str | None = None
    show_alert: bool = False


def now() -> int:
    """Current unix time in seconds."""
    return int(datetime.now(UTC).timestamp())


def _require(params: dict[str, Any], name: str) -> Any:
    value = params.get(name)
    if value is None or value == "":
        raise ApiError(400, f"Bad Request: {name} is empty")
    return value


def _scope_key(scope: dict[str, Any] | None) -> ScopeKey:
    scope = scope or {"type": "default"}
    return (scope["type"], *(scope[k] for k in ("chat_id", "user_id") if k in scope))


def _validate_inline(markup: dict[str, Any]) -> None:
    for row in markup["inline_keyboard"]:
        for button in row:
            if len(button) == 1:
                raise ApiError(
                    400, "Bad Request: text buttons are unallowed in the inline keyboard"
                )
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode()) <= _CALLBACK_DATA_LIMIT:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")


def _keyboard_texts(markup: dict[str, Any]) -> list[list[str]]:
    return [[b if isinstance(b, str) else b["text"] for b in row] for row in markup["keyboard"]]


class World:
    """The state behind the fake Bot API."""

    def __init__(self, bot_user: dict[str, Any]) -> None:
        self.bot_user = bot_user
        self.users: dict[int, dict[str, Any]] = {}
        self.chats: dict[int, Chat] = {}
        self.files: dict[str, StoredFile] = {}
        self.blocked: set[int] = set()
        self.commands: dict[tuple[ScopeKey, str], list[tuple[str, str]]] = {}
        self.menu_buttons: dict[int | None, dict[str, Any]] = {}
        self.callbacks: dict[str, CallbackQuery] = {}
        self.callback_answers: dict[int, list[str | None]] = {}
        self.webhook_url: str | None = None
        self.webhook_secret: str | None = None
        self.webhook_connections = 40  # setWebhook's max_connections
        self.revision = 0  # bumped by every message sent or edited
        self.action_marks: dict[int, int] = {}  # user id -> revision when he last acted
        self._ids = itertools.count(1)

    # ----- the users' side -------------------------------------------------------------

    def private_chat(self, user_id: int) -> Chat:
        """The user's private chat with the bot, opened on first use."""
        if user_id not in self.chats:
            user = self.users[user_id]
            raw = {"id": user_id, "type": "private", "first_name": user["first_name"]}
            raw |= {k: user[k] for k in ("last_name", "username") if k in user}
            self.chats[user_id] = Chat(raw)
        return self.chats[user_id]

    def group_chat(self, chat_id: int) -> Chat:
        """A group chat with the bot in it, created on first use."""
        if chat_id not in self.chats:
            self.chats[chat_id] = Chat(
                {"id": chat_id, "type": "group", "title": f"Group {chat_id}"}
            )
        return self.chats[chat_id]

    def user_message(self, chat: Chat, user_id: int, content: dict[str, Any]) -> dict[str, Any]:
        """Store a message written by a user; returns the Telegram Message object."""
        source = content.get("text") or content.get("caption") or ""
        return self._add_message(chat, self.users[user_id], content, source=source).raw

    def store_file(
        self, filename: str, content: bytes | None, mime_type: str | None, folder: str
    ) -> StoredFile:
        """Keep a file so that getFile and the download URL can serve it."""
        n = next(self._ids)
        extension = filename.rpartition(".")[2] if "." in filename else "bin"
        guessed = mimetypes.guess_type(filename)[0]
        stored = StoredFile(
            file_id=f"{folder[:3].upper()}-file-{n:06d}",
            file_unique_id=f"uniq{n:06d}",
            file_path=f"{folder}/file_{n}.{extension}",
            filename=filename,
            mime_type=guessed or mime_type or "application/octet-stream",
            content=content,
        )
        self.files[stored.file_id] = stored
        return stored

    def new_callback(self, user_id: int) -> str:
        """Register a callback query id that the bot must answer."""
        query_id = str(10**15 + next(self._ids))
        self.callbacks[query_id] = CallbackQuery(user_id)
        return query_id

    def document_object(self, stored: StoredFile) -> dict[str, Any]:
        """A Telegram Document object for a stored file."""
        document = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": stored.filename,
            "mime_type": stored.mime_type,
        }
        if stored.content is not None:
            document["file_size"] = len(stored.content)
        return document

    def view(self, message: StoredMessage) -> ChatMessage:
        """The user's snapshot of a stored message."""
        return make_view(
            message.raw,
            parse_mode=message.parse_mode,
            source=message.source,
            revision=message.revision,
            file=lambda file_id: (self.files[file_id].filename, self.files[file_id].content),
        )

    def visible_commands(self, chat_id: int | None, language_code: str | None) -> list[Any]:
        """Commands shown in a chat: the narrowest scope set, language-specific first."""
        scopes: list[ScopeKey] = [("chat", chat_id)] if chat_id is not None else []
        group = chat_id is not None and chat_id < 0
        scopes += [("all_group_chats",) if group else ("all_private_chats",), ("default",)]
        languages = [language_code, ""] if language_code else [""]
        for scope in scopes:
            for language in languages:
                if (scope, language) in self.commands:
                    return list(self.commands[scope, language])
        return []

    # ----- helpers for the bot's side ----------------------------------------------------

    def _add_message(
        self,
        chat: Chat,
        sender: dict[str, Any],
        content: dict[str, Any],
        *,
        parse_mode: str | None = None,
        source: str = "",
    ) -> StoredMessage:
        chat.last_message_id += 1
        raw = {"message_id": chat.last_message_id, "date": now(), "chat": chat.raw}
        raw |= {"from": sender} | {k: v for k, v in content.items() if v}
        self.revision += 1
        message = StoredMessage(raw, parse_mode, source, self.revision)
        chat.messages[chat.last_message_id] = message
        return message

    def _chat(self, chat_id: Any, *, sending: bool = True) -> Chat:
        if chat_id is None or chat_id == "":
            raise ApiError(400, "Bad Request: chat_id is empty")
        if sending and chat_id in self.blocked:
            raise ApiError(403, BLOCKED)
        if chat_id in self.chats:
            return self.chats[chat_id]
        if chat_id in self.users:
            raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        raise ApiError(400, "Bad Request: chat not found")

    def _bot_message(self, params: dict[str, Any]) -> StoredMessage:
        if params.get("inline_message_id"):
            raise ApiError(400, "Bad Request: inline messages are not supported by the fake")
        chat = self._chat(params.get("chat_id"))
        message = chat.messages.get(params.get("message_id", 0))
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if not message.raw["from"]["is_bot"]:
            raise ApiError(400, "Bad Request: message can't be edited")
        return message

    @staticmethod
    def _format(
        params: dict[str, Any], key: str, entities_key: str
    ) -> tuple[str, list[dict[str, Any]]]:
        source = params.get(key) or ""
        parse_mode = params.get("parse_mode") or ""
        if parse_mode.lower() != "html":
            text, entities = source, params.get(entities_key) or []
        else:
            try:
                text, entities = parse_html(source)
            except EntityParseError as error:
                raise ApiError(400, f"Bad Request: can't parse entities: {error}") from None
        if key == "text" and not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if key == "text" and len(text) > _TEXT_LIMIT:
            raise ApiError(400, "Bad Request: message is too long")
        if key == "caption" and len(text) > _CAPTION_LIMIT:
            raise ApiError(400, "Bad Request: message caption is too long")
        return text, entities

    @staticmethod
    def _inline_markup(markup: dict[str, Any] | None) -> dict[str, Any] | None:
        if not markup:
            return None
        if "inline_keyboard" not in markup:
            raise ApiError(400, "Bad Request: inline keyboard expected")
        _validate_inline(markup)
        return {"inline_keyboard": markup["inline_keyboard"]}

    def _send_markup(self, chat: Chat, markup: dict[str, Any] | None) -> dict[str, Any] | None:
        if markup and "keyboard" in markup:
            chat.reply_keyboard = _keyboard_texts(markup)
            return None
        if markup and markup.get("remove_keyboard"):
            chat.reply_keyboard = None
            return None
        if markup and markup.get("force_reply"):
            return None
        return self._inline_markup(markup)

    def _send(
        self, params: dict[str, Any], content: dict[str, Any], text_key: str
    ) -> dict[str, Any]:
        chat = self._chat(params.get("chat_id"))
        entities_key = "entities" if text_key == "text" else "caption_entities"
        text, entities = self._format(params, text_key, entities_key)
        content = {**content, text_key: text, entities_key: entities}
        content["reply_markup"] = self._send_markup(chat, params.get("reply_markup"))
        source = params.get(text_key) or ""
        message = self._add_message(
            chat, self.bot_user, content, parse_mode=params.get("parse_mode"), source=source
        )
        return message.raw

    def _edit(
        self, message: StoredMessage, fields: dict[str, Any], params: dict[str, Any]
    ) -> None:
        fields["reply_markup"] = World._inline_markup(params.get("reply_markup"))
        if all((message.raw.get(k) or None) == (v or None) for k, v in fields.items()):
            raise ApiError(400, NOT_MODIFIED)
        for key, value in fields.items():
            if value:
                message.raw[key] = value
            else:
                message.raw.pop(key, None)
        message.raw["edit_date"] = now()
        self.revision += 1
        message.revision = self.revision

    def _input_file(self, params: dict[str, Any], kind: str) -> StoredFile:
        value = params.get(kind)
        if isinstance(value, Upload):
            if not value.content:
                raise ApiError(400, "Bad Request: file must be non-empty")
            return self.store_file(value.filename, value.content, value.content_type, f"{kind}s")
        if isinstance(value, str) and value in self.files:
            return self.files[value]
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            name = value.rstrip("/").rpartition("/")[2] or kind
            return self.store_file(name, None, None, f"{kind}s")
        if not value:
            raise ApiError(400, f"Bad Request: there is no {kind} in the request")
        raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")

    # ----- Bot API methods -----------------------------------------------------------------

    def get_me(self, params: dict[str, Any]) -> dict[str, Any]:
        extra = {
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        return self.bot_user | extra

    def set_webhook(self, params: dict[str, Any]) -> bool:
        self.webhook_url = _require(params, "url")
        self.webhook_secret = params.get("secret_token")
        self.webhook_connections = int(params.get("max_connections") or 40)
        return True

    def delete_webhook(self, params: dict[str, Any]) -> bool:
        self.webhook_url = None
        self.webhook_secret = None
        return True

    def send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._send(params, {}, "text")

    def send_photo(self, params: dict[str, Any]) -> dict[str, Any]:
        self._chat(params.get("chat_id"))
        stored = self._input_file(params, "photo")
        size = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "width": 800,
            "height": 600,
        }
        if stored.content is not None:
            size["file_size"] = len(stored.content)
        return self._send(params, {"photo": [size]}, "caption")

    def send_document(self, params: dict[str, Any]) -> dict[str, Any]:
        self._chat(params.get("chat_id"))
        stored = self._input_file(params, "document")
        return self._send(params, {"document": self.document_object(stored)}, "caption")

    def edit_message_text(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._bot_message(params)
        if "text" not in message.raw:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        text, entities = self._format(params, "text", "entities")
        self._edit(message, {"text": text, "entities": entities}, params)
        message.parse_mode, message.source = params.get("parse_mode"), params["text"]
        return message.raw

    def edit_message_caption(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._bot_message(params)
        if "text" in message.raw:
            raise ApiError(400, "Bad Request: there is no caption in the message to edit")
        caption, entities = self._format(params, "caption", "caption_entities")
        self._edit(message, {"caption": caption, "caption_entities": entities}, params)
        message.parse_mode, message.source = params.get("parse_mode"), params.get("caption", "")
        return message.raw

    def edit_message_reply_markup(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._bot_message(params)
        self._edit(message, {}, params)
        return message.raw

    def delete_message(self, params: dict[str, Any]) -> bool:
        chat = self._chat(params.get("chat_id"), sending=False)
        if chat.messages.pop(params.get("message_id", 0), None) is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        self.revision += 1
        return True

    def send_chat_action(self, params: dict[str, Any]) -> bool:
        self._chat(params.get("chat_id"))
        _require(params, "action")
        return True

    def answer_callback_query(self, params: dict[str, Any]) -> bool:
        query = self.callbacks.get(str(params.get("callback_query_id")))
        if query is None or query.answered:
            raise ApiError(400, QUERY_INVALID)
        query.answered, query.text = True, params.get("text")
        query.show_alert = bool(params.get("show_alert"))
        self.callback_answers.setdefault(query.user_id, []).append(query.text)
        return True

    def set_my_commands(self, params: dict[str, Any]) -> bool:
        commands = [(c["command"], c["description"]) for c in params.get("commands") or []]
        for name, description in commands:
            if not _COMMAND.fullmatch(name) or not 1 <= len(description) <= _DESCRIPTION_LIMIT:
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        key = (_scope_key(params.get("scope")), params.get("language_code") or "")
        if commands:
            self.commands[key] = commands
        else:
            self.commands.pop(key, None)
        return True

    def delete_my_commands(self, params: dict[str, Any]) -> bool:
        key = (_scope_key(params.get("scope")), params.get("language_code") or "")
        self.commands.pop(key, None)
        return True

    def get_my_commands(self, params: dict[str, Any]) -> list[dict[str, str]]:
        key = (_scope_key(params.get("scope")), params.get("language_code") or "")
        return [{"command": c, "description": d} for c, d in self.commands.get(key, [])]

    def set_chat_menu_button(self, params: dict[str, Any]) -> bool:
        button = params.get("menu_button") or {"type": "default"}
        self.menu_buttons[params.get("chat_id")] = button
        return True

    def get_file(self, params: dict[str, Any]) -> dict[str, Any]:
        stored = self.files.get(str(params.get("file_id")))
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        if stored.content is not None and len(stored.content) > _DOWNLOAD_LIMIT:
            raise ApiError(400, "Bad Request: file is too big")
        result: dict[str, Any] = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_path": stored.file_path,
        }
        if stored.content is not None:
            result["file_size"] = len(stored.content)
        return result

    def file_by_path(self, path: str) -> StoredFile | None:
        """The stored file served at ``/file/bot<token>/<path>``."""
        return next((f for f in self.files.values() if f.file_path == path), None)


Method = Callable[[World, dict[str, Any]], Any]

METHODS: dict[str, Method] = {
    "getMe": World.get_me,
    "setWebhook": World.set_webhook,
    "deleteWebhook": World.delete_webhook,
    "sendMessage": World.send_message,
    "sendPhoto": World.send_photo,
    "sendDocument": World.send_document,
    "editMessageText": World.edit_message_text,
    "editMessageCaption": World.edit_message_caption,
    "editMessageReplyMarkup": World.edit_message_reply_markup,
    "deleteMessage": World.delete_message,
    "sendChatAction": World.send_chat_action,
    "answerCallbackQuery": World.answer_callback_query,
    "setMyCommands": World.set_my_commands,
    "deleteMyCommands": World.delete_my_commands,
    "getMyCommands": World.get_my_commands,
    "setChatMenuButton": World.set_chat_menu_button,
    "getFile": World.get_file,
}
