"""The age v1 header (C2SP age, "Header"): one parser and one writer, used by every part of the vault.

    age-encryption.org/v1
    -> <type> <arg> <arg>…          one stanza per recipient, its body in base64 lines of 64 columns,
    <body, base64>                  the last line always shorter (empty when the body fills the line)
    --- <HMAC-SHA256 of everything above, up to "---", keyed by HKDF(file key, "header"), base64>
    <payload: see age_stream>

The key-file check (the scrypt work factor, read before any work) and the passphrase reader both go
through `parse`: a header read two ways could be accepted by one and refused by the other.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION_LINE = b"age-encryption.org/v1"
COLUMNS = 64
_B64 = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")


class AgeError(ValueError):
    """A file this reader refuses: not age, malformed, or not for this passphrase (`wrong` is True
    only when the header is sound and the passphrase does not open it)."""

    def __init__(self, why: str, wrong: bool = False) -> None:
        super().__init__(why)
        self.wrong = wrong


class NotAge(AgeError):
    """The file does not even begin as an age v1 file."""


@dataclass(frozen=True)
class Stanza:
    """One recipient's line: its type (`X25519`, `scrypt`), its arguments and its decoded body."""

    type: str
    args: tuple[str, ...]
    body: bytes


@dataclass(frozen=True)
class Header:
    stanzas: tuple[Stanza, ...]
    mac: bytes
    signed: bytes  # the header up to and including "---": what the MAC covers
    payload_at: int  # where the payload (its nonce first) begins in the file


def b64(data: bytes) -> str:
    """Unpadded standard base64, as age writes it."""
    return base64.b64encode(data).decode("ascii").rstrip("=")


def unb64(text: str, size: int | None = None, empty: bool = False) -> bytes:
    """Canonical unpadded base64, as age requires (a re-encoding must give the same text back)."""
    if (not text and not empty) or "=" in text or any(c not in _B64 for c in text) or len(text) % 4 == 1:
        raise AgeError("not canonical base64")  # no length of bytes gives 4n + 1 characters
    data = base64.b64decode(text + "=" * (-len(text) % 4))
    if b64(data) != text or (size is not None and len(data) != size):
        raise AgeError("not canonical base64")
    return data


def hkdf(key: bytes, salt: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt or None, info=info).derive(key)


def _body_lines(data: bytes) -> str:
    text = b64(data)
    lines = [text[i : i + COLUMNS] for i in range(0, len(text), COLUMNS)]
    if not lines or len(lines[-1]) == COLUMNS:
        lines.append("")
    return "\n".join(lines)


def _mac(signed: bytes, file_key: bytes) -> hmac.HMAC:
    mac = hmac.HMAC(hkdf(file_key, b"", b"header"), hashes.SHA256())
    mac.update(signed)
    return mac


def encode(stanzas: Sequence[Stanza], file_key: bytes) -> bytes:
    """The header with its MAC line, ready for the payload."""
    lines = [VERSION_LINE.decode("ascii")]
    for stanza in stanzas:
        lines.append(" ".join(("->", stanza.type, *stanza.args)))
        lines.append(_body_lines(stanza.body))
    signed = ("\n".join(lines) + "\n---").encode("ascii")
    return signed + b" " + b64(_mac(signed, file_key).finalize()).encode("ascii") + b"\n"


def _is_arg(text: str) -> bool:
    return bool(text) and all("!" <= c <= "~" for c in text)


def parse(data: bytes) -> Header:
    """The header of an age file (the bytes of the whole file, or at least of its header). Checks the
    grammar only: what a stanza's arguments mean is its recipient type's business. Raises AgeError."""
    if not data.startswith(VERSION_LINE + b"\n"):
        raise NotAge("not an age file")
    end = data.find(b"\n---")
    mac_end = data.find(b"\n", end + 1) if end >= 0 else -1
    if mac_end < 0:
        raise AgeError("no header end")
    try:
        lines = data[:end].decode("ascii").split("\n")[1:]
        mac_line = data[end + 1 : mac_end].decode("ascii")
    except UnicodeDecodeError as exc:
        raise AgeError("header is not text") from exc
    found: list[tuple[list[str], list[str]]] = []
    for line in lines:
        if line.startswith("-> "):
            found.append((line[3:].split(" "), []))
        elif found:
            found[-1][1].append(line)
        else:
            raise AgeError("malformed header")
    stanzas = []
    for args, body in found:
        if not all(_is_arg(a) for a in args):
            raise AgeError("malformed stanza")
        if not body or len(body[-1]) >= COLUMNS or any(len(b) != COLUMNS for b in body[:-1]):
            raise AgeError("malformed stanza body")
        stanzas.append(Stanza(args[0], tuple(args[1:]), unb64("".join(body), empty=True)))
    if not mac_line.startswith("--- "):
        raise AgeError("malformed header end")
    return Header(tuple(stanzas), unb64(mac_line[4:], 32), data[: end + 4], mac_end + 1)


def verify_mac(header: Header, file_key: bytes) -> None:
    """Raises AgeError unless the header's MAC is the one this file key gives."""
    try:
        _mac(header.signed, file_key).verify(header.mac)
    except InvalidSignature as exc:
        raise AgeError("header MAC does not match") from exc
