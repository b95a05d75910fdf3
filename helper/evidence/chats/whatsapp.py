"""WhatsApp's "Export chat": a .txt file, or a .zip holding it with the media.

Two line shapes, from the Android and the iPhone app, in the phone's own date format:

    31/12/2025, 21:15 - Alex Sample: message            (Android)
    12/31/25, 9:15 PM - Alex Sample: message
    [31/12/2025, 21:15:03] Alex Sample: message          (iPhone)

A line that does not start with a date continues the message before it. Times are the phone's local
time, without an offset. When no date in the file has a day over 12, day/month order cannot be told;
the chat is then read day-first (or month-first for 12-hour clocks, as in the US) and says so.
"""

from __future__ import annotations

import re
from datetime import datetime

from helper.evidence.chats.model import MAX_MESSAGES, Chat, Message, clip, participants_of

_LINE = re.compile(
    r"^[\u200e\u200f]?\[?"
    r"(?P<a>\d{1,4})[/.\-](?P<b>\d{1,2})[/.\-](?P<c>\d{2,4}),?\s+"
    r"(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?:[:.](?P<s>\d{2}))?"
    r"(?:[\s\u202f\u00a0]*(?P<ampm>[AaPp])\.?\s?[Mm]\.?)?"
    r"\]?(?:\s[-\u2013]\s|\s)(?P<rest>.*)$"
)
_ATTACHED_IOS = re.compile(r"^[\u200e]?<attached: (?P<name>[^>]+)>$")
_ATTACHED_ANDROID = re.compile(r"^[\u200e]?(?P<name>\S.*?) \((?:file attached|fichier joint)\)$")


def parse_whatsapp(text: str, title: str = "") -> Chat | None:
    rows: list[tuple[re.Match[str], list[str]]] = []
    for line in text.splitlines():
        match = _LINE.match(line)
        if match:
            rows.append((match, [match["rest"]]))
            if len(rows) > MAX_MESSAGES:
                break
        elif rows:
            rows[-1][1].append(line)
    if not rows or len(rows) * 4 < min(len(text.splitlines()), 40):
        return None  # a text file that only happens to hold a date or two
    order, ambiguous = _date_order([m for m, _ in rows])
    messages = tuple(_message(match, lines, order) for match, lines in rows)
    return Chat(
        format="whatsapp",
        title=title,
        participants=participants_of(messages),
        messages=messages,
        dates_ambiguous=ambiguous,
    )


def _date_order(matches: list[re.Match[str]]) -> tuple[str, bool]:
    if any(len(m["a"]) == 4 for m in matches):
        return "ymd", False
    if any(int(m["a"]) > 12 for m in matches):
        return "dmy", False
    if any(int(m["b"]) > 12 for m in matches):
        return "mdy", False
    twelve_hour = any(m["ampm"] for m in matches)
    return ("mdy" if twelve_hour else "dmy"), True


def _message(match: re.Match[str], lines: list[str], order: str) -> Message:
    at = _moment(match, order)
    rest = "\n".join(lines).strip()
    sender, text = "", rest
    head, sep, body = rest.partition(": ")
    if sep and head and "\n" not in head and len(head) <= 100:
        sender, text = head.strip("\u200e\u200f "), body
    attachment = ""
    for pattern in (_ATTACHED_IOS, _ATTACHED_ANDROID):
        found = pattern.match(text.strip())
        if found:
            attachment = found["name"].strip()
            break
    at_text = "" if at else match.group(0)[: match.start("rest")].strip(" []-\u200e")
    return Message(
        sender=sender, at=at, text=clip(text.strip("\u200e")), attachment=attachment, at_text=at_text
    )


def _moment(match: re.Match[str], order: str) -> str | None:
    a, b, c = match["a"], match["b"], match["c"]
    year, month, day = {"ymd": (a, b, c), "dmy": (c, b, a), "mdy": (c, a, b)}[order]
    hour = int(match["h"])
    if match["ampm"]:
        hour = hour % 12 + (12 if match["ampm"].lower() == "p" else 0)
    try:
        return datetime(
            int(year) + (2000 if len(year) == 2 else 0),
            int(month),
            int(day),
            hour,
            int(match["mi"]),
            int(match["s"] or 0),
        ).isoformat()
    except ValueError:
        return None
