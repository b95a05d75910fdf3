"""File names as people knew them. A name is only ever shown, never used as a path."""

from __future__ import annotations

import unicodedata

from helper.evidence.rejections import Rejected

MAX_NAME = 255
# Direction marks and overrides can make "gpj.exe" display as "exe.jpg".
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def check_file_name(name: str) -> str:
    """The name to keep, or `Rejected("bad_name")` for one no ordinary device would produce."""
    name = name.strip()
    if not name:
        return "unnamed"
    if "/" in name or "\\" in name:
        raise Rejected("bad_name", "path separator")
    if name in (".", ".."):
        raise Rejected("bad_name", "dot name")
    if len(name) > MAX_NAME:
        raise Rejected("bad_name", "too long")
    for ch in name:
        if ch in _BIDI or unicodedata.category(ch) in ("Cc", "Zl", "Zp"):
            raise Rejected("bad_name", f"character U+{ord(ch):04X}")
    return name


def shown_name(name: str) -> str:
    """A file name safe to show: invisible and direction characters made visible, length bounded."""
    shown = "".join(
        "\ufffd" if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in name.strip()
    )
    return (shown[:80] + "…") if len(shown) > 80 else (shown or "?")
