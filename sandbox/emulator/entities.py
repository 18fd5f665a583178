"""Telegram-style HTML parse mode: plain text plus entities, or the API's parse error."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_TOKEN = re.compile(
    r"<(?P<end>/?)(?P<name>[a-zA-Z0-9-]*)(?P<attrs>[^>]*)(?P<close>>?)"
    r"|&(?P<ref>#[xX][0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);"
)
_ATTR = re.compile(r"""([\w-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")


class EntityParseError(ValueError):
    """The text is not valid Telegram HTML; the message is the API's wording."""


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram entity offsets."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class _Open:
    name: str
    attrs: dict[str, str]
    offset: int
    extra: dict[str, str] = field(default_factory=dict)


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.parts: list[str] = []
        self.length = 0
        self.stack: list[_Open] = []
        self.entities: list[dict[str, Any]] = []

    def text(self, chunk: str) -> None:
        self.parts.append(chunk)
        self.length += utf16_len(chunk)

    def byte_offset(self, index: int) -> int:
        return len(self.source[:index].encode())

    def reference(self, ref: str, literal: str) -> None:
        if ref.startswith(("#x", "#X")):
            self.text(chr(int(ref[2:], 16)))
        elif ref.startswith("#"):
            self.text(chr(int(ref[1:])))
        else:
            self.text(_NAMED.get(ref, literal))

    def start_tag(self, name: str, attrs_text: str, closed: bool, index: int) -> None:
        where = self.byte_offset(index)
        if name not in _ENTITY_TYPES:
            raise EntityParseError(f'Unsupported start tag "{name}" at byte offset {where}')
        if not closed:
            raise EntityParseError(f"Unclosed start tag at byte offset {where}")
        attrs = {m[0].lower(): m[1] or m[2] or m[3] for m in _ATTR.findall(attrs_text)}
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise EntityParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {where}'
            )
        self.stack.append(_Open(name, attrs, self.length))

    def end_tag(self, name: str, index: int) -> None:
        where = self.byte_offset(index)
        if not self.stack:
            raise EntityParseError(f"Unexpected end tag at byte offset {where}")
        opened = self.stack.pop()
        if opened.name != name:
            raise EntityParseError(
                f'Unmatched end tag at byte offset {where}, expected "</{opened.name}>", '
                f'found "</{name}>"'
            )
        self.close(opened)

    def close(self, opened: _Open) -> None:
        entity: dict[str, Any] = {"type": _ENTITY_TYPES[opened.name], **opened.extra}
        language = opened.attrs.get("class", "")
        if opened.name == "code" and self.stack and self.stack[-1].name == "pre":
            if language.startswith("language-"):
                self.stack[-1].extra["language"] = language.removeprefix("language-")
                return
        elif opened.name == "a":
            if not opened.attrs.get("href"):
                return
            entity["url"] = opened.attrs["href"]
        elif opened.name == "blockquote" and "expandable" in opened.attrs:
            entity["type"] = "expandable_blockquote"
        elif opened.name == "tg-emoji":
            entity["custom_emoji_id"] = opened.attrs.get("emoji-id", "")
        length = self.length - opened.offset
        if length > 0:
            self.entities.append({**entity, "offset": opened.offset, "length": length})

    def run(self) -> tuple[str, list[dict[str, Any]]]:
        position = 0
        for match in _TOKEN.finditer(self.source):
            self.text(self.source[position : match.start()])
            position = match.end()
            if match["ref"] is not None:
                self.reference(match["ref"], match[0])
            elif match["end"]:
                self.end_tag(match["name"].lower(), match.start())
            else:
                self.start_tag(
                    match["name"].lower(), match["attrs"], bool(match["close"]), match.start()
                )
        self.text(self.source[position:])
        if self.stack:
            raise EntityParseError(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"'
            )
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.parts), self.entities


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Render Telegram HTML to (plain text, entities) or raise EntityParseError."""
    return _Parser(source).run()
