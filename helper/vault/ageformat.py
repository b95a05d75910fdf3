"""The age file format (C2SP age v1), written here; read back by pyrage and by Debian's `age -d`.

Two things are written with `cryptography` (OpenSSL) rather than through pyrage:

- **Key files, at a fixed scrypt work factor.** rage (behind pyrage) calibrates the factor to the
  machine that writes the file, so a vault made on a fast desktop could get log2(N) = 20 or more and
  then not open on a slow laptop (rage refuses a factor above its own calibration + 4), and unlocking
  cost from 512 MiB to 1 GiB at random. Here the factor is the age reference implementation's, 18.
- **Evidence, streamed to an X25519 recipient.** OpenSSL's ChaCha20-Poly1305 encrypts about five times
  faster than rage here and needs no second process: a 1 GiB upload is hashed (SHA-256, MD5) on other
  cores while it is encrypted, in one process, on any operating system.

    age-encryption.org/v1
    -> X25519 <ephemeral share, base64>            (or: -> scrypt <salt> <log2 N>)
    <the 16-byte file key, sealed with ChaCha20-Poly1305 under the stanza's key, base64>
    --- <HMAC-SHA256 of the header, keyed by HKDF(file key, "header"), base64>
    <16-byte nonce><payload in 64 KiB ChaCha20-Poly1305 chunks, keyed by HKDF(file key, nonce, "payload")>

Reading evidence stays with pyrage; the key file reader below exists so the work factor is checked
before any work and no machine refuses its own vault.
"""

from __future__ import annotations

import base64
import functools
import io
import os
from typing import BinaryIO

from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
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


def _header(stanza: str, file_key: bytes) -> bytes:
    """The header with its MAC line, ready for the payload."""
    header = f"age-encryption.org/v1\n{stanza}\n---".encode("ascii")
    mac = hmac.HMAC(_hkdf(file_key, b"", b"header"), hashes.SHA256())
    mac.update(header)
    return header + b" " + _b64(mac.finalize()).encode("ascii") + b"\n"


def _scrypt_stanza(file_key: bytes, passphrase: str, log_n: int) -> str:
    salt = os.urandom(16)
    wrap_key = Scrypt(salt=SCRYPT_LABEL + salt, length=32, n=2**log_n, r=8, p=1).derive(
        passphrase.encode("utf-8")
    )
    sealed = ChaCha20Poly1305(wrap_key).encrypt(b"\x00" * 12, file_key, None)
    return f"-> scrypt {_b64(salt)} {log_n}\n{_body_lines(sealed)}"


X25519_LABEL = b"age-encryption.org/v1/X25519"


def _x25519_stanza(file_key: bytes, recipient: bytes) -> str:
    """The file key sealed for one X25519 recipient (its 32-byte public key)."""
    ephemeral = X25519PrivateKey.generate()
    share = ephemeral.public_key().public_bytes_raw()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient))  # refuses an all-zero result
    wrap_key = _hkdf(shared, share + recipient, X25519_LABEL)
    sealed = ChaCha20Poly1305(wrap_key).encrypt(b"\x00" * 12, file_key, None)
    return f"-> X25519 {_b64(share)}\n{_body_lines(sealed)}"


_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def _bech32_polymod(values: list[int]) -> int:
    generator = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    check = 1
    for value in values:
        top = check >> 25
        check = (check & 0x1FFFFFF) << 5 ^ value
        for i in range(5):
            check ^= generator[i] if (top >> i) & 1 else 0
    return check


@functools.lru_cache(maxsize=16)
def recipient_key(recipient: str) -> bytes:
    """The 32-byte public key of an `age1…` recipient (Bech32, BIP 173), checksum verified. Decoded
    once per recipient: every file the vault writes (each add, each thumbnail) is for the same one."""
    text = recipient.strip()
    if text.lower() != text and text.upper() != text:
        raise AgeError("mixed case recipient")
    text = text.lower()
    hrp, sep, data = text.rpartition("1")
    if hrp != "age" or not sep or len(data) < 6 or any(c not in _BECH32 for c in data):
        raise AgeError("not an age recipient")
    values = [_BECH32.index(c) for c in data]
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    if _bech32_polymod(expanded + values) != 1:
        raise AgeError("recipient checksum does not match")
    acc = bits = 0
    out = bytearray()
    for value in values[:-6]:
        acc = (acc << 5) | value
        bits += 5
        if bits >= 8:
            bits -= 8
            out.append((acc >> bits) & 0xFF)
    if bits >= 5 or (acc & ((1 << bits) - 1)) or len(out) != 32:
        raise AgeError("not an X25519 recipient")
    return bytes(out)


class PayloadWriter:
    """Streams an age file into `sink`: the header at once, then the payload 64 KiB chunk by chunk.

    A chunk is sealed only once a byte after it is known, because the last chunk carries a flag: a
    stream stopped half-way (`finish` never called) leaves a file no reader accepts. Chunks are sealed
    straight from the caller's buffer into one reused output buffer: no copy of the stream is made."""

    SEALED = CHUNK + 16

    def __init__(self, sink: BinaryIO, stanza: str, file_key: bytes) -> None:
        self._sink = sink
        nonce = os.urandom(16)
        sink.write(_header(stanza, file_key) + nonce)
        self._aead = ChaCha20Poly1305(_hkdf(file_key, nonce, b"payload"))
        self._counter = 0
        self._pending = bytearray()  # held back: 1 to CHUNK bytes once anything was written
        self._out = bytearray()

    def write(self, data) -> None:
        view = memoryview(data).cast("B")
        total = len(self._pending) + len(view)
        count = (total - 1) // CHUNK if total else 0  # chunks with at least one byte after them
        if count == 0:
            self._pending += view
            return
        if len(self._out) < count * self.SEALED:
            self._out = bytearray(count * self.SEALED)
        at = 0  # where the next chunk starts in `view`
        for n in range(count):
            if n == 0 and self._pending:
                at = CHUNK - len(self._pending)
                chunk = bytes(self._pending) + view[:at]
            else:
                chunk = view[at : at + CHUNK]
                at += CHUNK
            self._seal_into(chunk, n, last=False)
        self._pending = bytearray(view[at:])
        with memoryview(self._out) as out:
            self._sink.write(out[: count * self.SEALED])

    def finish(self) -> None:
        """Seal the last chunk (empty only if nothing at all was written)."""
        if len(self._out) < self.SEALED:
            self._out = bytearray(self.SEALED)
        self._seal_into(self._pending, 0, last=True)
        with memoryview(self._out) as out:
            self._sink.write(out[: len(self._pending) + 16])
        self._pending = bytearray()

    def _seal_into(self, chunk, slot: int, last: bool) -> None:
        nonce = self._counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")
        self._counter += 1
        with memoryview(self._out) as out:
            self._aead.encrypt_into(
                nonce, chunk, None, out[slot * self.SEALED : slot * self.SEALED + len(chunk) + 16]
            )


def writer_for_recipient(sink: BinaryIO, recipient: str) -> PayloadWriter:
    """An age file for the X25519 recipient `age1…`, written as it streams."""
    file_key = os.urandom(16)
    return PayloadWriter(sink, _x25519_stanza(file_key, recipient_key(recipient)), file_key)


def encrypt_to(plaintext: bytes, recipient: str) -> bytes:
    """`plaintext` as an age file for the recipient `age1…` (opened by pyrage and `age -d`)."""
    out = io.BytesIO()
    writer = writer_for_recipient(out, recipient)
    writer.write(plaintext)
    writer.finish()
    return out.getvalue()


def encrypt(plaintext: bytes, passphrase: str, log_n: int = LOG_N) -> bytes:
    """`plaintext` as an age file that opens with `passphrase` (`age -d`, pyrage)."""
    file_key = os.urandom(16)
    out = io.BytesIO()
    writer = PayloadWriter(out, _scrypt_stanza(file_key, passphrase, log_n), file_key)
    writer.write(plaintext)
    writer.finish()
    return out.getvalue()


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
