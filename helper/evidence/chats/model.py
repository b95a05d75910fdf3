"""A chat read out of an export: who said what, and when."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from typing import Any

from helper import records

MAX_MESSAGES = 200_000
MAX_TEXT = 20_000  # one message; longer ones are cut, with a mark


@dataclass(frozen=True)
class Message:
    sender: str  # "" for the app's own notices ("Messages are end-to-end encrypted")
    at: str | None  # ISO 8601; with an offset only when the export gives one
    text: str
    attachment: str = ""  # the name of a photo, video or file sent with it
    thread: str = ""  # the conversation, when one export holds several
    at_text: str = ""  # the time as the export wrote it, when it could not be read

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Message:
        return records.from_dict(cls, data)


@dataclass(frozen=True)
class Chat:
    format: str  # "whatsapp", "telegram", "meta" (Instagram or Facebook Messenger)
    title: str
    participants: tuple[str, ...]
    messages: tuple[Message, ...]
    dates_ambiguous: bool = False  # WhatsApp day/month order could not be told apart

    def to_dict(self) -> dict[str, Any]:
        return records.to_dict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Chat:
        return records.from_dict(cls, data)

    @property
    def first_at(self) -> str | None:
        return next((m.at for m in self.messages if m.at), None)

    @property
    def last_at(self) -> str | None:
        return next((m.at for m in reversed(self.messages) if m.at), None)


# A lone half of a UTF-16 pair: JSON's "\\ud800" decodes to one, and no UTF-8 text can hold it.
_SURROGATE = re.compile("[\ud800-\udfff]")


def valid_text(text: str) -> str:
    """`text` with each lone surrogate replaced by U+FFFD, so that it can be written as UTF-8."""
    return _SURROGATE.sub("\ufffd", text)


def valid_chat(chat: Chat) -> Chat:
    """The chat with every string valid Unicode: what a parser returns, whatever the export held (a
    sender's name is chosen by whoever wrote to the person)."""

    def cleaned(record):
        changes = {
            f.name: valid_text(value)
            for f in fields(record)
            if isinstance(value := getattr(record, f.name), str) and _SURROGATE.search(value)
        }
        return replace(record, **changes) if changes else record

    return replace(
        cleaned(chat),
        participants=tuple(dict.fromkeys(valid_text(p) for p in chat.participants)),
        messages=tuple(cleaned(m) for m in chat.messages),
    )


def clip(text: str) -> str:
    text = "".join(ch for ch in text if ch.isprintable() or ch in "\n\t")
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + " […]"


def from_epoch(seconds: float) -> str | None:
    try:
        return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds")
    except (OverflowError, OSError, ValueError):
        return None


def participants_of(messages: tuple[Message, ...] | list[Message]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for m in messages:
        if m.sender:
            seen.setdefault(m.sender, None)
    return tuple(seen)
