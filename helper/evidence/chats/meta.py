"""Instagram's and Facebook's "Download your information": messages as JSON or HTML.

JSON (message_1.json): {"participants": [{"name"}], "messages": [{"sender_name", "timestamp_ms",
"content", "photos": [{"uri"}], ...}], "title"}, newest first. Meta writes text as UTF-8 bytes
escaped one by one (\\u00c3\\u00a9 for é); that is undone here.

HTML (message_1.html): one block per message (class "pam ... uiBoxWhite"), holding the sender, the
content and the time ("Dec 31, 2025 9:15 pm"), in that order.
"""

from __future__ import annotations

import html
from datetime import datetime
from html.parser import HTMLParser
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


def parse_meta_json(data: Any) -> Chat | None:
    if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
        return None
    if not isinstance(data.get("participants"), list):
        return None
    messages = []
    for raw in data["messages"][:MAX_MESSAGES]:
        if not isinstance(raw, dict) or "sender_name" not in raw:
            continue
        at = _from_milliseconds(raw.get("timestamp_ms"))
        attachment = ""
        for key in ("photos", "videos", "audio_files", "files", "gifs"):
            media = raw.get(key)
            if isinstance(media, list) and media and isinstance(media[0], dict):
                attachment = fix_mojibake(str(media[0].get("uri", "")))
                break
        text = fix_mojibake(raw["content"]) if isinstance(raw.get("content"), str) else ""
        share = raw.get("share")
        if isinstance(share, dict) and isinstance(share.get("link"), str):
            text = f"{text}\n{share['link']}".strip()
        messages.append(
            Message(
                sender=fix_mojibake(str(raw["sender_name"])), at=at, text=clip(text), attachment=attachment
            )
        )
    if not messages:
        return None
    messages.sort(key=lambda m: m.at or "")
    names = tuple(
        fix_mojibake(p["name"])
        for p in data["participants"]
        if isinstance(p, dict) and isinstance(p.get("name"), str)
    )
    title = fix_mojibake(data["title"]) if isinstance(data.get("title"), str) else ""
    return valid_chat(Chat("meta", title, names or participants_of(messages), tuple(messages)))


def _from_milliseconds(stamp: object) -> str | None:
    # A number past any clock (10**400 cannot even be divided into a float) is no time, nor is true.
    if isinstance(stamp, bool) or not isinstance(stamp, int | float) or not abs(stamp) < 1e17:
        return None
    return from_epoch(stamp / 1000)


def fix_mojibake(text: str) -> str:
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


_TIME_FORMATS = (
    "%b %d, %Y %I:%M %p",
    "%b %d, %Y, %I:%M %p",
    "%b %d, %Y %I:%M:%S %p",
    "%b %d, %Y, %I:%M:%S %p",
    "%d %b %Y, %H:%M",
    "%d %b %Y %H:%M",
)


def _meta_time(text: str) -> str | None:
    cleaned = " ".join(text.replace("\u202f", " ").split())
    for fmt in _TIME_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).isoformat()
        except ValueError:
            continue
    return None


class _Node:
    __slots__ = ("tag", "classes", "children")

    def __init__(self, tag: str, classes: frozenset[str]) -> None:
        self.tag = tag
        self.classes = classes
        self.children: list[_Node | str] = []

    def all_text(self) -> str:
        parts = [child if isinstance(child, str) else child.all_text() for child in self.children]
        return " ".join(" ".join(parts).split())

    def elements(self) -> list[_Node]:
        return [c for c in self.children if isinstance(c, _Node)]


_VOID = frozenset(
    {"br", "img", "hr", "meta", "link", "input", "source", "wbr", "area", "base", "col", "embed"}
)
_SKIP = frozenset({"script", "style", "head", "title"})
MAX_NODES = 2_000_000


class _TreeBuilder(HTMLParser):
    """The smallest tree that lets the message blocks be found; scripts and styles are dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root", frozenset())
        self._stack = [self.root]
        self._skipping = 0
        self.nodes = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in _SKIP:
            self._skipping += 1
            return
        if self._skipping or tag in _VOID:
            return
        self.nodes += 1
        if self.nodes > MAX_NODES or len(self._stack) > 400:
            return
        classes = frozenset((dict(attrs).get("class") or "").split())
        node = _Node(tag, classes)
        self._stack[-1].children.append(node)
        self._stack.append(node)

    def handle_endtag(self, tag) -> None:
        if tag in _SKIP:
            self._skipping = max(0, self._skipping - 1)
            return
        for i in range(len(self._stack) - 1, 0, -1):
            if self._stack[i].tag == tag:
                del self._stack[i:]
                return

    def handle_data(self, data) -> None:
        if not self._skipping:
            self._stack[-1].children.append(data)


def parse_meta_html(text: str) -> Chat | None:
    builder = _TreeBuilder()
    try:
        builder.feed(text)
        builder.close()
    except (AssertionError, ValueError, RecursionError):
        return None
    blocks: list[_Node] = []
    pending = [builder.root]
    while pending:
        node = pending.pop()
        if "uiBoxWhite" in node.classes and "pam" in node.classes:
            blocks.append(node)
        else:
            pending.extend(reversed(node.elements()))
    messages = []
    for block in blocks[:MAX_MESSAGES]:
        parts = [e for e in block.elements() if e.all_text()]
        if len(parts) < 2:
            continue
        sender = parts[0].all_text()
        stamp = parts[-1].all_text()
        body = " ".join(p.all_text() for p in parts[1:-1])
        at = _meta_time(stamp)
        messages.append(
            Message(sender=sender[:200], at=at, text=clip(body), at_text="" if at else stamp[:100])
        )
    if not messages:
        return None
    messages.sort(key=lambda m: m.at or "")
    title_match = _title(text)
    return valid_chat(Chat("meta", title_match, participants_of(messages), tuple(messages)))


def _title(text: str) -> str:
    start = text.find("<title>")
    end = text.find("</title>", start)
    if start < 0 or end < 0:
        return ""
    return " ".join(html.unescape(text[start + 7 : end]).split())[:200]
