"""Chat exports read into messages: WhatsApp, Telegram, Instagram and Facebook.

Every parser takes untrusted bytes and returns a `Chat` or `None`; none raises on bad input. The
export itself is kept as evidence, unchanged; the messages are a reading of it.
"""

from __future__ import annotations

import io
import json
import logging
import posixpath
import zipfile
from dataclasses import replace

from helper.evidence.chats.meta import parse_meta_html, parse_meta_json
from helper.evidence.chats.model import MAX_MESSAGES, Chat, Message, participants_of
from helper.evidence.chats.telegram import parse_telegram
from helper.evidence.chats.whatsapp import parse_whatsapp

log = logging.getLogger(__name__)

MAX_MEMBER = 64 * 1024 * 1024  # a chat text or JSON inside an archive, uncompressed


def parse_chat(data: bytes, mime: str, name: str = "") -> Chat | None:
    try:
        if mime == "application/zip":
            return _from_zip(data)
        if mime in ("text/plain", "text/html"):
            return _from_text(data.decode("utf-8-sig", errors="replace"), mime, name)
    except Exception:  # untrusted input: an export that cannot be read is simply not a chat
        log.info("a file that looked like a chat export could not be read", exc_info=True)
        return None
    return None


def _from_text(text: str, mime: str, name: str) -> Chat | None:
    if mime == "text/html":
        return parse_meta_html(text)
    stripped = text.lstrip()
    if stripped.startswith("{"):
        try:
            data = json.loads(stripped)
        except (ValueError, RecursionError):
            return None
        return parse_telegram(data) or parse_meta_json(data)
    if stripped.startswith("<"):
        return parse_meta_html(text)
    return parse_whatsapp(text, title=_whatsapp_title(name))


def _whatsapp_title(name: str) -> str:
    stem = name.rsplit(".", 1)[0]
    for prefix in ("WhatsApp Chat with ", "WhatsApp Chat - ", "Discussion WhatsApp avec "):
        if stem.startswith(prefix):
            return stem[len(prefix) :]
    return ""


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    with archive.open(info) as member:
        raw = member.read(MAX_MEMBER + 1)
    if len(raw) > MAX_MEMBER:
        raise ValueError("member too large")
    return raw.decode("utf-8-sig", errors="replace")


def _from_zip(data: bytes) -> Chat | None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        by_base = {posixpath.basename(i.filename): i for i in infos}
        # WhatsApp: "_chat.txt" (iPhone) or "WhatsApp Chat with NAME.txt" (Android).
        chat_txt = by_base.get("_chat.txt") or next(
            (i for i in infos if i.filename.endswith(".txt") and "whatsapp" in i.filename.lower()), None
        )
        if chat_txt is None:
            texts = [i for i in infos if i.filename.endswith(".txt")]
            chat_txt = texts[0] if len(texts) == 1 else None
        if chat_txt is not None:
            title = _whatsapp_title(posixpath.basename(chat_txt.filename))
            return parse_whatsapp(_read(archive, chat_txt), title=title)
        if "result.json" in by_base:
            return _from_text(_read(archive, by_base["result.json"]), "text/plain", "")
        threads = sorted(i.filename for i in infos if posixpath.basename(i.filename).startswith("message_"))
        return _meta_threads(archive, threads)


def _meta_threads(archive: zipfile.ZipFile, names: list[str]) -> Chat | None:
    """A Meta data download: one conversation per folder, each read and labelled with its title."""
    messages: list[Message] = []
    titles = []
    for name in names[:500]:
        text = _read(archive, archive.getinfo(name))
        chat = _from_text(text, "text/html" if name.endswith(".html") else "text/plain", name)
        if chat is None:
            continue
        thread = chat.title or posixpath.basename(posixpath.dirname(name))
        titles.append(thread)
        messages.extend(replace(m, thread=thread) for m in chat.messages)
        if len(messages) >= MAX_MESSAGES:
            break
    if not messages:
        return None
    messages.sort(key=lambda m: m.at or "")
    unique = list(dict.fromkeys(titles))
    # Several conversations have no one title (each message keeps its own); the page counts them.
    title = unique[0] if len(unique) == 1 else ""
    return Chat("meta", title, participants_of(messages), tuple(messages[:MAX_MESSAGES]))


__all__ = ["Chat", "Message", "parse_chat"]
