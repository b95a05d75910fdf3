"""Telegram Desktop's "Export chat history" in machine-readable JSON (result.json).

One chat: {"name", "type", "id", "messages": [...]}. A whole-account export holds them under
{"chats": {"list": [...]}}. A message's "text" is a string or a list of strings and
{"type", "text"} pieces; "date" is local time, "date_unixtime" the moment in seconds.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from helper.evidence.chats.model import (
    MAX_MESSAGES,
    Chat,
    Message,
    clip,
    from_epoch,
    participants_of,
    valid_chat,
)


def parse_telegram(data: Any) -> Chat | None:
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("messages"), list):
        chats = [data]
    elif isinstance(data.get("chats"), dict) and isinstance(data["chats"].get("list"), list):
        chats = [
            c for c in data["chats"]["list"] if isinstance(c, dict) and isinstance(c.get("messages"), list)
        ]
    else:
        return None
    if not chats:
        return None
    several = len(chats) > 1
    messages: list[Message] = []
    for chat in chats:
        thread = _str(chat.get("name")) if several else ""
        for raw in chat["messages"]:
            if not isinstance(raw, dict) or "date" not in raw:
                continue
            messages.append(_message(raw, thread))
            if len(messages) >= MAX_MESSAGES:
                break
    if not messages:
        return None
    messages.sort(key=lambda m: m.at or "")
    title = f"{len(chats)} chats" if several else _str(chats[0].get("name"))
    return valid_chat(Chat("telegram", title, participants_of(messages), tuple(messages)))


def _message(raw: dict[str, Any], thread: str) -> Message:
    # "date" is the time the person saw in the app; the Unix time is only a fallback (in UTC).
    at = _local(_str(raw.get("date")))
    unix = raw.get("date_unixtime")
    # ASCII digits only ("²" is a digit to str.isdigit, not to int), and no more than a clock has.
    if at is None and isinstance(unix, str) and unix.isascii() and unix.isdigit() and len(unix) <= 15:
        at = from_epoch(int(unix))
    if raw.get("type") == "service":
        sender = _str(raw.get("actor"))
        text = _str(raw.get("action")).replace("_", " ")
    else:
        sender = _str(raw.get("from"))
        text = _text(raw.get("text"))
    attachment = next((_str(raw[k]) for k in ("photo", "file") if raw.get(k)), "")
    return Message(sender=sender, at=at, text=clip(text), attachment=attachment, thread=thread)


def _local(value: str) -> str | None:
    try:
        return datetime.fromisoformat(value[:19]).isoformat()
    except ValueError:
        return None


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(
            piece if isinstance(piece, str) else _str(piece.get("text")) if isinstance(piece, dict) else ""
            for piece in value
        )
    return ""


def _str(value: Any) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)
