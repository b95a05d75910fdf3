"""The age v1 payload (C2SP age, "Payload"): a 16-byte nonce, then STREAM chunks of 64 KiB, each
sealed with ChaCha20-Poly1305 under HKDF(file key, nonce, "payload"), the last one marked as last.

`PayloadWriter` follows the reference implementation's stream writer (filippo.io/age/internal/stream):
a failed write is sticky (every later call raises it again, since some chunks may have reached the sink
and others not, and the counter can no longer be trusted), and a finished or aborted writer is closed:
nothing more can be written, so a stream can never be sealed twice or continued after its last chunk.
"""

from __future__ import annotations

import os
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from helper.vault.age_header import AgeError, hkdf

CHUNK = 64 * 1024
SEALED = CHUNK + 16
NONCE_SIZE = 16


class StreamError(ValueError):
    """The writer cannot go on: an earlier write failed, or the stream is already closed."""


def _nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def _payload_aead(file_key: bytes, nonce: bytes) -> ChaCha20Poly1305:
    return ChaCha20Poly1305(hkdf(file_key, nonce, b"payload"))


class PayloadWriter:
    """Streams a payload into `sink` (after `prefix`, the encoded header, in the same first write).

    A chunk is sealed only once a byte after it is known, because the last chunk carries a flag: a
    stream stopped half-way (`finish` never called) leaves a file no reader accepts. Chunks are sealed
    straight from the caller's buffer into one reused output buffer: no copy of the stream is made."""

    def __init__(self, sink: BinaryIO, file_key: bytes, prefix: bytes = b"") -> None:
        self._sink = sink
        nonce = os.urandom(NONCE_SIZE)
        self._aead = _payload_aead(file_key, nonce)
        self._counter = 0
        self._pending = bytearray()  # held back: 1 to CHUNK bytes once anything was written
        self._out = bytearray()
        self._error: BaseException | None = None
        self._closed = False
        try:
            sink.write(prefix + nonce)
        except BaseException as exc:
            self._error = exc
            raise

    def _check_open(self) -> None:
        if self._error is not None:
            raise StreamError("an earlier write to this stream failed") from self._error
        if self._closed:
            raise StreamError("the stream is already closed")

    def write(self, data) -> None:
        self._check_open()
        try:
            self._write(data)
        except BaseException as exc:  # some chunks may have reached the sink: no going on
            self._error = exc
            raise

    def finish(self) -> None:
        """Seal the last chunk (empty only if nothing at all was written); the stream is closed."""
        self._check_open()
        try:
            self._finish()
        except BaseException as exc:
            self._error = exc
            raise
        self._closed = True

    def abort(self) -> None:
        """Close without sealing the last chunk: what was written can never pass for a whole file."""
        self._closed = True
        self._pending = bytearray()

    def _write(self, data) -> None:
        view = memoryview(data).cast("B")
        total = len(self._pending) + len(view)
        count = (total - 1) // CHUNK if total else 0  # chunks with at least one byte after them
        if count == 0:
            self._pending += view
            return
        if len(self._out) < count * SEALED:
            self._out = bytearray(count * SEALED)
        at = 0  # where the next chunk starts in `view`
        chunk: bytes | memoryview
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
            self._sink.write(out[: count * SEALED])

    def _finish(self) -> None:
        if len(self._out) < SEALED:
            self._out = bytearray(SEALED)
        self._seal_into(self._pending, 0, last=True)
        with memoryview(self._out) as out:
            self._sink.write(out[: len(self._pending) + 16])
        # A closed stream lets go of its buffer and its key (an OpenSSL context): a hand-over being
        # received holds thousands of finished files until it publishes them all, and 64 KiB and 3 KiB
        # each would grow with their number.
        self._pending = bytearray()
        self._out = bytearray()
        del self._aead

    def _seal_into(self, chunk, slot: int, last: bool) -> None:
        nonce = _nonce(self._counter, last)
        self._counter += 1
        with memoryview(self._out) as out:
            self._aead.encrypt_into(nonce, chunk, None, out[slot * SEALED : slot * SEALED + len(chunk) + 16])


def decrypt_payload(file_key: bytes, payload: bytes) -> bytes:
    """The plaintext of a whole payload held in memory (a key file: a few hundred bytes). Reading
    evidence, which may be gigabytes, is pyrage's job (see crypto.decrypt_pieces). Raises AgeError."""
    if len(payload) < NONCE_SIZE + 16:
        raise AgeError("payload too short")
    nonce, sealed = payload[:NONCE_SIZE], payload[NONCE_SIZE:]
    aead = _payload_aead(file_key, nonce)
    out = bytearray()
    count = -(-len(sealed) // SEALED)
    for counter in range(count):
        chunk = sealed[counter * SEALED : (counter + 1) * SEALED]
        last = counter == count - 1
        if len(chunk) < 16 or (not last and len(chunk) != SEALED):
            raise AgeError("payload damaged")
        try:
            plain = aead.decrypt(_nonce(counter, last), chunk, None)
        except InvalidTag as exc:
            raise AgeError("payload damaged or cut short") from exc
        if last and not plain and counter > 0:
            raise AgeError("empty last chunk")
        out += plain
    return bytes(out)
