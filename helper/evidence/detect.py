"""File type from the first bytes, with `filetype`; a name or a browser's word is never trusted."""

from __future__ import annotations

import re
from dataclasses import dataclass

import filetype

HEAD_BYTES = 8192  # filetype reads at most 262 bytes; text sniffing looks a little further

_FAMILIES = ("image", "video", "audio", "text")
_ACTIVE_TEXT = (
    (
        re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<svg[\s>]", re.IGNORECASE | re.DOTALL),
        "image/svg+xml",
        "svg",
    ),
    (
        re.compile(rb"^\s*(<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<script[\s>])", re.IGNORECASE),
        "text/html",
        "html",
    ),
)


@dataclass(frozen=True)
class DetectedType:
    mime: str
    extension: str

    @property
    def family(self) -> str:
        """image, video, audio, text, document (PDF), archive, or other."""
        major = self.mime.split("/", 1)[0]
        if major in _FAMILIES:
            return major
        if self.mime == "application/pdf":
            return "document"
        if self.mime in (
            "application/zip",
            "application/gzip",
            "application/x-tar",
            "application/x-7z-compressed",
            "application/x-rar-compressed",
        ):
            return "archive"
        return "other"

    @property
    def is_active(self) -> bool:
        """Content a browser would run if shown inline: never rendered, only offered as a download."""
        return self.mime in ("image/svg+xml", "text/html", "application/pdf")


def _looks_like_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        if exc.start < len(head) - 3:
            return False
    return True


def detect_type(head: bytes) -> DetectedType:
    kind = filetype.guess(head) if head else None
    if kind is not None:
        return DetectedType(kind.mime, kind.extension)
    for pattern, mime, extension in _ACTIVE_TEXT:
        if pattern.match(head):
            return DetectedType(mime, extension)
    if _looks_like_text(head):
        return DetectedType("text/plain", "txt")
    return DetectedType("application/octet-stream", "bin")
