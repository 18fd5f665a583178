"""What a user sees on the phone: immutable snapshots of chat messages."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Button:
    """An inline keyboard button."""

    text: str
    callback_data: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class ChatMessage:
    """One message as currently shown in a chat (edits applied).

    ``text`` is what the user reads (HTML already rendered, or the caption of a media
    message); ``source`` is the text exactly as the bot sent it.
    """

    message_id: int
    from_bot: bool
    text: str
    buttons: list[list[Button]] = field(default_factory=list)
    parse_mode: str | None = None
    photo: bytes | None = None
    document: tuple[str, bytes] | None = None
    edited: bool = False
    source: str = ""
    contact: str | None = None
    revision: int = field(default=0, repr=False, compare=False)
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def button_labels(self) -> list[str]:
        """Texts of all inline buttons, row by row."""
        return [button.text for row in self.buttons for button in row]

    def button(self, label: str) -> Button | None:
        """The inline button with exactly this text, if any."""
        return next((b for row in self.buttons for b in row if b.text == label), None)

    def __str__(self) -> str:
        parts = []
        if "photo" in self.raw:
            parts.append("[photo]")
        if self.document is not None:
            parts.append(f"[document {self.document[0]}, {len(self.document[1])} bytes]")
        if self.contact is not None:
            parts.append(f"[contact {self.contact}]")
        if self.text:
            parts.append(self.text)
        head = f"{'bot' if self.from_bot else 'user'} #{self.message_id}"
        lines = [f"{head}{' (edited)' if self.edited else ''}: {' '.join(parts)}"]
        lines += ["    " + " ".join(f"[{b.text}]" for b in row) for row in self.buttons]
        return "\n".join(lines)


def parse_buttons(markup: dict[str, Any] | None) -> list[list[Button]]:
    """Inline keyboard rows of a Telegram reply_markup object."""
    rows = (markup or {}).get("inline_keyboard", [])
    return [[Button(b["text"], b.get("callback_data"), b.get("url")) for b in row] for row in rows]


def make_view(
    raw: dict[str, Any],
    *,
    parse_mode: str | None,
    source: str,
    file: Callable[[str], tuple[str, bytes | None]],
    revision: int = 0,
) -> ChatMessage:
    """Snapshot of a stored Telegram Message; ``file`` maps a file_id to (name, bytes)."""
    photo = file(raw["photo"][-1]["file_id"])[1] if "photo" in raw else None
    document = None
    if "document" in raw:
        name, content = file(raw["document"]["file_id"])
        document = (name, content or b"")
    return ChatMessage(
        message_id=raw["message_id"],
        from_bot=raw["from"]["is_bot"],
        text=raw.get("text") or raw.get("caption") or "",
        buttons=parse_buttons(raw.get("reply_markup")),
        parse_mode=parse_mode,
        photo=photo,
        document=document,
        edited="edit_date" in raw,
        source=source,
        contact=raw["contact"]["phone_number"] if "contact" in raw else None,
        revision=revision,
        raw=copy.deepcopy(raw),
    )
