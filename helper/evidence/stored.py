"""A chat export's messages, kept beside the export as their own encrypted file (JSON inside)."""

from __future__ import annotations

import json
from collections.abc import Callable

from helper.case import ChatInfo, EvidenceItem
from helper.evidence.chats import Chat
from helper.vault import ItemNotFound, TamperedItem, UnlockedVault
from helper.vault.errors import MESSAGES_UNREADABLE

CHAT_FORMAT = "helper.chat.v1"


def store_chat(parsed: Chat, keep: Callable[[bytes], tuple[str, str]]) -> ChatInfo:
    """Write the messages with `keep` (which encrypts and stores bytes, returning the file's id and the
    SHA-256 pinned for it)."""
    payload = json.dumps({"format": CHAT_FORMAT, "chat": parsed.to_dict()}, ensure_ascii=False)
    blob, sha256 = keep(payload.encode("utf-8"))
    return ChatInfo(
        format=parsed.format,
        messages_blob=blob,
        messages_sha256=sha256,
        message_count=len(parsed.messages),
        title=parsed.title,
        participants=parsed.participants[:50],
        first_at=parsed.first_at,
        last_at=parsed.last_at,
        dates_ambiguous=parsed.dates_ambiguous,
    )


def read_chat(vault: UnlockedVault, item: EvidenceItem) -> Chat:
    if item.chat is None:
        raise ItemNotFound(item.id)
    try:
        data = json.loads(vault.open_item(item).derived(item.chat.messages_blob))
        if data.get("format") != CHAT_FORMAT:
            raise ValueError(f"unknown chat format {data.get('format')!r}")
        return Chat.from_dict(data["chat"])
    except (ValueError, KeyError, TypeError) as exc:
        raise TamperedItem(item.id, MESSAGES_UNREADABLE) from exc
