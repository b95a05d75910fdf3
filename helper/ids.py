"""The one minter of ids: cases, files, and every entry of a record (letters, reports, notes, links).

One format everywhere (32 lowercase hex digits, 128 random bits), whichever entry point made the
record, so an id read in the web page, the command line or a dossier always looks the same.
"""

from __future__ import annotations

import re
import secrets

ID_PATTERN = re.compile(r"^[0-9a-f]{32}$")


def new_id() -> str:
    return secrets.token_hex(16)


def is_id(value: str) -> bool:
    return bool(ID_PATTERN.match(value))
