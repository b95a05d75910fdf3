"""age files encrypted with a passphrase, at a fixed scrypt work factor (C2SP age, "scrypt recipient").

rage (behind pyrage) calibrates the work factor to the machine that writes the file, so a vault made
on a fast desktop could get log2(N) = 20 or more and then not open on a slow laptop (rage refuses a
factor above its own calibration + 4), and unlocking cost from 512 MiB to 1 GiB at random. This module
writes the same format with the factor the age reference implementation uses, 18 (256 MiB, about a
second here), from `cryptography`'s scrypt, HKDF, HMAC and ChaCha20-Poly1305. Reading stays with pyrage,
and Debian's `age -d` opens what is written here (both tested).

    age-encryption.org/v1
    -> scrypt <salt, 16 bytes, base64 without padding> <log2 N>
    <the 16-byte file key, sealed with ChaCha20-Poly1305 under scrypt(passphrase), base64>
    --- <HMAC-SHA256 of the header, keyed by HKDF(file key, "header"), base64>
    <16-byte nonce><payload in 64 KiB ChaCha20-Poly1305 chunks, keyed by HKDF(file key, nonce, "payload")>
"""

from __future__ import annotations

import base64
import os

from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

LOG_N = 18  # the age reference implementation's choice: 256 MiB and about a second
CHUNK = 64 * 1024
SCRYPT_LABEL = b"age-encryption.org/v1/scrypt"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii").rstrip("=")


def _hkdf(key: bytes, salt: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt or None, info=info).derive(key)


def _body_lines(data: bytes) -> str:
    """A stanza body: base64 in lines of 64 columns, the last one always shorter than 64."""
    text = _b64(data)
    lines = [text[i : i + 64] for i in range(0, len(text), 64)]
    if not lines or len(lines[-1]) == 64:
        lines.append("")
    return "\n".join(lines)


def encrypt(plaintext: bytes, passphrase: str, log_n: int = LOG_N) -> bytes:
    """`plaintext` as an age file that opens with `passphrase` (`age -d`, pyrage)."""
    file_key = os.urandom(16)
    salt = os.urandom(16)
    wrap_key = Scrypt(salt=SCRYPT_LABEL + salt, length=32, n=2**log_n, r=8, p=1).derive(
        passphrase.encode("utf-8")
    )
    sealed = ChaCha20Poly1305(wrap_key).encrypt(b"\x00" * 12, file_key, None)
    header = f"age-encryption.org/v1\n-> scrypt {_b64(salt)} {log_n}\n{_body_lines(sealed)}\n---".encode(
        "ascii"
    )
    mac = hmac.HMAC(_hkdf(file_key, b"", b"header"), hashes.SHA256())
    mac.update(header)
    out = bytearray(header + b" " + _b64(mac.finalize()).encode("ascii") + b"\n")
    nonce = os.urandom(16)
    stream = ChaCha20Poly1305(_hkdf(file_key, nonce, b"payload"))
    out += nonce
    chunks = [plaintext[i : i + CHUNK] for i in range(0, len(plaintext), CHUNK)] or [b""]
    for counter, chunk in enumerate(chunks):
        last = b"\x01" if counter == len(chunks) - 1 else b"\x00"
        out += stream.encrypt(counter.to_bytes(11, "big") + last, chunk, None)
    return bytes(out)


class AgeError(ValueError):
    """A file this reader refuses: not age, malformed, or not for this passphrase (`wrong` is True
    only when the header is sound and the passphrase does not open it)."""

    def __init__(self, why: str, wrong: bool = False) -> None:
        super().__init__(why)
        self.wrong = wrong


def _unb64(text: str, size: int | None = None) -> bytes:
    """Canonical unpadded base64, as age requires (a re-encoding must give the same text back)."""
    if not text or "=" in text or any(c not in _B64 for c in text):
        raise AgeError("not canonical base64")
    data = base64.b64decode(text + "=" * (-len(text) % 4))
    if _b64(data) != text or (size is not None and len(data) != size):
        raise AgeError("not canonical base64")
    return data


_B64 = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")


def decrypt(data: bytes, passphrase: str, max_log_n: int = 22) -> bytes:
    """The plaintext of a binary age file with one scrypt stanza. No calibration: a work factor up to
    `max_log_n` is accepted on any machine (rage refuses one above its own timing of the machine + 4,
    so a loaded or slow computer could refuse a vault's own key file). Raises AgeError."""
    header_end = data.find(b"\n---")
    if not data.startswith(b"age-encryption.org/v1\n") or header_end < 0:
        raise AgeError("not an age file")
    mac_line_end = data.find(b"\n", header_end + 1)
    if mac_line_end < 0:
        raise AgeError("no header end")
    try:
        lines = data[:header_end].decode("ascii").split("\n")
        mac_text = data[header_end + 1 : mac_line_end].decode("ascii")
    except UnicodeDecodeError as exc:
        raise AgeError("header is not text") from exc
    stanzas: list[tuple[list[str], list[str]]] = []
    for line in lines[1:]:
        if line.startswith("-> "):
            stanzas.append((line[3:].split(" "), []))
        elif stanzas:
            stanzas[-1][1].append(line)
        else:
            raise AgeError("malformed header")
    if len(stanzas) != 1 or stanzas[0][0][0] != "scrypt":
        raise AgeError("not a passphrase file (exactly one scrypt stanza)")
    args, body = stanzas[0]
    if len(args) != 3:
        raise AgeError("malformed scrypt stanza")
    salt = _unb64(args[1], 16)
    log_text = args[2]
    if not log_text.isdigit() or not log_text.isascii() or (log_text.startswith("0")) or len(log_text) > 2:
        raise AgeError("malformed work factor")
    log_n = int(log_text)
    if not 1 <= log_n <= max_log_n:
        raise AgeError("work factor out of bounds")
    if (
        not body
        or any(len(b) > 64 for b in body)
        or len(body[-1]) >= 64
        or any(len(b) != 64 for b in body[:-1])
    ):
        raise AgeError("malformed stanza body")
    sealed = _unb64("".join(body), 32)
    if not mac_text.startswith("--- "):
        raise AgeError("malformed header end")
    mac = _unb64(mac_text[4:], 32)
    wrap_key = Scrypt(salt=SCRYPT_LABEL + salt, length=32, n=2**log_n, r=8, p=1).derive(
        passphrase.encode("utf-8")
    )
    try:
        file_key = ChaCha20Poly1305(wrap_key).decrypt(b"\x00" * 12, sealed, None)
    except Exception as exc:  # InvalidTag: this passphrase does not open it
        raise AgeError("wrong passphrase", wrong=True) from exc
    check = hmac.HMAC(_hkdf(file_key, b"", b"header"), hashes.SHA256())
    check.update(data[: header_end + 4])
    try:
        check.verify(mac)
    except Exception as exc:
        raise AgeError("header MAC does not match") from exc
    rest = data[mac_line_end + 1 :]
    if len(rest) < 16 + 16:
        raise AgeError("payload too short")
    nonce, payload = rest[:16], rest[16:]
    stream = ChaCha20Poly1305(_hkdf(file_key, nonce, b"payload"))
    out = bytearray()
    size = CHUNK + 16
    count = -(-len(payload) // size)
    for counter in range(count):
        chunk = payload[counter * size : (counter + 1) * size]
        last = counter == count - 1
        if len(chunk) < 16 or (not last and len(chunk) != size):
            raise AgeError("payload damaged")
        try:
            plain = stream.decrypt(counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00"), chunk, None)
        except Exception as exc:
            raise AgeError("payload damaged or cut short") from exc
        if last and not plain and counter > 0:
            raise AgeError("empty last chunk")
        out += plain
    return bytes(out)
