"""WhatsApp's "Export chat": a .txt file, or a .zip holding it with the media.

The line shapes of the Android and iPhone apps, in the phone's own date format and language:

    31/12/2025, 21:15 - Alex Sample: message                 (Android, English, 24 h)
    12/31/25, 9:15\u202fPM - Alex Sample: message              (Android, US, 12 h, narrow no-break space)
    12/03/2026 à 21:14 - Léa: message                        (Android, French)
    12.03.26, 21:14 - Lena: Nachricht                        (Android, German)
    12.03.26 um 21:14 - Lena: Nachricht                      (Android, German, some versions)
    12/3/26, 21:14 - Lucía: mensaje                          (Android, Spanish)
    12/3/2026 a las 9:14 p. m. - Lucía: mensaje              (Android, Spanish, 12 h)
    [31/12/2025, 21:15:03] Alex Sample: message               (iPhone)
    [12/03/2026 21:14:05] Léa: message                        (iPhone, French: no comma)
    \u200e[12.03.26, 21:14:05] Lena: \u200e<Anhang: 0001-PHOTO.jpg>  (iPhone, German, attachment)

A line that does not start with a date continues the message before it. Times are the phone's local
time, without an offset. When no date in the file has a day over 12, day/month order cannot be told;
the chat is then read day-first (or month-first for 12-hour clocks, as in the US) and says so.
"""

from __future__ import annotations

import re
from datetime import datetime

from helper.evidence.chats.model import MAX_MESSAGES, Chat, Message, clip, participants_of, valid_chat

_SPACE = r"[\s\u00a0\u202f]"
# The word some languages put between the date and the time: "à", "um", "a las", "at", "às", "alle", "om".
_BETWEEN = r"(?:,|,?" + _SPACE + r"+(?:à|a las|a la|um|at|às|alle|om|kl\.?))?"
_LINE = re.compile(
    r"^[\u200e\u200f\ufeff]*\[?"
    r"(?P<a>\d{1,4})[/.\-](?P<b>\d{1,2})[/.\-](?P<c>\d{2,4})\.?"
    + _BETWEEN
    + _SPACE
    + r"+(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?:[:.](?P<s>\d{2}))?"
    r"(?:" + _SPACE + r"*(?P<ampm>[AaPp])\.?" + _SPACE + r"?[Mm]\.?)?"
    r"\]?(?:" + _SPACE + r"+[-\u2013]" + _SPACE + r"+|" + _SPACE + r"+)(?P<rest>.*)$"
)
# "<attached: X>" (iPhone) in the phone's language; "X (file attached)" (Android) likewise.
_ATTACHED_IOS = re.compile(
    r"^[\u200e]?<(?:attached|pièce jointe|Anhang|adjunto|allegato|anexo)\s?: (?P<name>[^>]+)>$"
)
_ATTACHED_ANDROID = re.compile(
    r"^[\u200e]?(?P<name>\S.*?) \((?:file attached|fichier joint|Datei angehängt|archivo adjunto"
    r"|file allegato|arquivo anexado)\)$"
)


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
    return valid_chat(
        Chat(
            format="whatsapp",
            title=title,
            participants=participants_of(messages),
            messages=messages,
            dates_ambiguous=ambiguous,
        )
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
