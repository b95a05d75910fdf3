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
