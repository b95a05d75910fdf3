"""Identities, passphrase wrapping and streaming encryption, in the age format.

pyrage generates identities and reads evidence and records; `ageformat` writes every file and reads the
key files (see why there). Every
function works on bytes or file objects; none touches a path, so the vault decides where ciphertext
goes and plaintext never reaches the disk.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import queue
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

import pyrage

from helper.vault import ageformat
from helper.vault.age_header import AgeError, NotAge
from helper.vault.errors import KeyFileRefused, WrongPassphrase
from helper.vocabulary import N_

RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to copy by hand
RECOVERY_GROUPS = 8
RECOVERY_GROUP_LEN = 5  # 8 groups x 5 chars x 5 bits = 200 bits


def generate_identity() -> pyrage.x25519.Identity:
    return pyrage.x25519.Identity.generate()


def wrap_identity(identity: pyrage.x25519.Identity, passphrase: str) -> bytes:
    """The identity as an age file encrypted with a passphrase (scrypt at log2 N = 18 on every machine,
    see ageformat.py), openable by `age -d`."""
    return ageformat.encrypt(f"{identity}\n".encode("ascii"), passphrase, ageformat.LOG_N)


def needs_rewrap(wrapped: bytes) -> bool:
    """A key file written with another work factor (by rage's calibration, before version 0.2): it
    is re-written at the fixed one after it was opened, so the vault opens at the same cost anywhere."""
    return scrypt_work_factors(wrapped) != [ageformat.LOG_N]


# The age reference implementation's own default limit; 2^18 is what this program writes.
MAX_SCRYPT_LOG_N = 22


def scrypt_work_factors(wrapped: bytes) -> list[int]:
    """The log2(N) of every scrypt stanza in an age header, read before any key derivation runs (by the
    one header parser, `age_header.parse`). Raises `KeyFileRefused` for a header that is not age v1."""
    try:
        return ageformat.scrypt_work_factors(wrapped)
    except NotAge as exc:
        raise KeyFileRefused(N_("the key file is not an age file")) from exc
    except AgeError as exc:
        raise KeyFileRefused(N_("the key file's header is damaged")) from exc


def unwrap_identity(wrapped: bytes, passphrase: str) -> pyrage.x25519.Identity:
    """Refuses, before deriving anything, a work factor made to hang the unlock and exhaust memory.

    Read by our own reader, not rage: no calibration to the machine, so a loaded or slow computer opens
    the vault's key file as a fast one does (rage could refuse it and read as a wrong passphrase)."""
    if any(n > MAX_SCRYPT_LOG_N for n in scrypt_work_factors(wrapped)):
        raise KeyFileRefused(
            N_("the key file asks for far more memory than this program ever uses: it was replaced")
        )
    try:
        secret = ageformat.decrypt(wrapped, passphrase, MAX_SCRYPT_LOG_N)
    except AgeError as exc:
        if not exc.wrong:  # a salt, a MAC or a payload no age writer makes: no passphrase would do
            raise KeyFileRefused(N_("the key file's header is damaged")) from exc
        raise WrongPassphrase(N_("the passphrase does not open this vault")) from exc
    try:
        return pyrage.x25519.Identity.from_str(secret.decode("ascii").strip())
    except (pyrage.IdentityError, UnicodeDecodeError, ValueError) as exc:
        raise KeyFileRefused(
            N_("the key file opens, but holds no key: it is damaged or was replaced")
        ) from exc


def generate_recovery_key() -> str:
    chars = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_GROUPS * RECOVERY_GROUP_LEN))
    return "-".join(chars[i : i + RECOVERY_GROUP_LEN] for i in range(0, len(chars), RECOVERY_GROUP_LEN))


def normalize_recovery_key(typed: str) -> str:
    """Accept the key as people copy it: any case, with spaces or dashes anywhere."""
    cleaned = "".join(ch for ch in typed.upper() if ch.isalnum())
    return "-".join(cleaned[i : i + RECOVERY_GROUP_LEN] for i in range(0, len(cleaned), RECOVERY_GROUP_LEN))


def encrypt_bytes(data: bytes, recipient: pyrage.x25519.Recipient) -> bytes:
    return ageformat.encrypt_to(data, str(recipient))


def decrypt_bytes(data: bytes, identity: pyrage.x25519.Identity) -> bytes:
    return pyrage.decrypt(data, [identity])


@dataclass(frozen=True)
class Digest:
    sha256: str
    size: int
    md5: str = ""


class Fingerprints:
    """SHA-256 and MD5 of a stream as it passes, in the one pass."""

    def __init__(self, md5: bool = True) -> None:
        self._sha256 = hashlib.sha256()
        # MD5: a fingerprint platforms and police ask for, not security. Left out where it is known.
        self._md5 = hashlib.md5() if md5 else None  # noqa: S324
        self.size = 0

    def update(self, data: bytes) -> None:
        self._sha256.update(data)
        if self._md5 is not None:
            self._md5.update(data)
        self.size += len(data)

    def digest(self) -> Digest:
        return Digest(self._sha256.hexdigest(), self.size, self._md5.hexdigest() if self._md5 else "")

    def close(self) -> None:
        """Nothing to stop: the hashing is done as the bytes are written."""


class BackgroundFingerprints(Fingerprints):
    """The same fingerprints, each computed by a thread of its own, beside whatever else writes.

    hashlib lets go of Python's lock while it hashes a large piece, so SHA-256 and MD5 run on other
    cores while the writer reads the next piece and the encryption worker encrypts the last: a large
    file takes about as long as the slowest of the three, not their sum. The pieces are shared, not
    copied, through small bounded queues: memory stays a few pieces whatever the size of the file."""

    QUEUE_PIECES = 8

    def __init__(self, md5: bool = True) -> None:
        super().__init__(md5)
        hashes = [self._sha256] + ([self._md5] if self._md5 is not None else [])
        self._queues: list[queue.Queue[bytes | None]] = []
        self._threads: list[threading.Thread] = []
        for h in hashes:
            pieces: queue.Queue[bytes | None] = queue.Queue(maxsize=self.QUEUE_PIECES)
            thread = threading.Thread(target=self._run, args=(h, pieces), name="fingerprint", daemon=True)
            thread.start()
            self._queues.append(pieces)
            self._threads.append(thread)

    @staticmethod
    def _run(h, pieces: queue.Queue[bytes | None]) -> None:
        while (piece := pieces.get()) is not None:
            h.update(piece)

    def update(self, data: bytes) -> None:
        if not data:
            return
        piece = bytes(data)  # immutable: the writer may reuse its buffer
        for pieces in self._queues:
            pieces.put(piece)
        self.size += len(piece)

    def close(self) -> None:
        """Let the threads finish the pieces already queued, then stop them."""
        for pieces in self._queues:
            pieces.put(None)
        for thread in self._threads:
            thread.join()
        self._queues = []

    def digest(self) -> Digest:
        self.close()
        return super().digest()


class Encryptor:
    """A file-like object you write plaintext into; age ciphertext goes to `sink` as it comes.

    The plaintext's SHA-256 and MD5 are computed on the way (`md5` False: SHA-256 only, for a stream
    whose MD5 is already on record; `fingerprint` False: none, for a stream whose parts are
    fingerprinted elsewhere). With `background`, each fingerprint is computed by a thread of its own
    while this one encrypts: worth it for a large file, where hashing would otherwise double the time.
    Memory stays a few chunks whatever the size of the stream, and a stream never finished leaves a
    file no reader accepts."""

    def __init__(
        self,
        sink: BinaryIO,
        recipient: pyrage.x25519.Recipient,
        md5: bool = True,
        fingerprint: bool = True,
        background: bool = False,
    ) -> None:
        self._fingerprints = (BackgroundFingerprints if background and fingerprint else Fingerprints)(md5=md5)
        self._fingerprinting = fingerprint
        self._writer = ageformat.writer_for_recipient(sink, str(recipient))
        self._finished = False
        self.size = 0

    def write(self, data) -> int:
        if self._finished:
            raise ValueError("write after finish")
        if data:
            if self._fingerprinting:
                self._fingerprints.update(data)
            self._writer.write(data)
            self.size += len(data)
        return len(data)

    def finish(self) -> Digest:
        """End the stream (its last chunk is sealed now) and return the plaintext's digest."""
        if not self._finished:
            self._finished = True
            try:
                self._writer.finish()
            finally:
                self._fingerprints.close()
        if not self._fingerprinting:
            return Digest("", self.size)
        return self._fingerprints.digest()

    def abort(self) -> None:
        """Stop: the last chunk is never sealed, so what was written cannot pass for a whole file."""
        if not self._finished:
            self._finished = True
            self._writer.abort()
            self._fingerprints.close()


class _Stopped(Exception):
    """The reader of `decrypt_pieces` went away (a browser closed the page)."""


class _QueueWriter(io.RawIOBase):
    def __init__(self, chunks: queue.Queue[bytes | BaseException | None], chunk_size: int) -> None:
        self._chunks = chunks
        self._chunk_size = chunk_size
        self._buffer = bytearray()
        self.stopped = threading.Event()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        if self.stopped.is_set():
            raise _Stopped
        self._buffer += data
        while len(self._buffer) >= self._chunk_size:
            self.put(bytes(self._buffer[: self._chunk_size]))
            del self._buffer[: self._chunk_size]
        return len(data)

    def flush_rest(self) -> None:
        if self._buffer:
            self.put(bytes(self._buffer))
            self._buffer.clear()

    def put(self, chunk: bytes | BaseException | None) -> None:
        """Hand a piece (or the end, or what went wrong) to the reader, unless it went away."""
        while not self.stopped.is_set():
            try:
                self._chunks.put(chunk, timeout=0.5)
                return
            except queue.Full:
                continue
        raise _Stopped


class IntegrityError(Exception):
    """Decrypted bytes did not match the fingerprint pinned when the item came in."""


def decrypt_pieces(path, identity: pyrage.x25519.Identity, chunk_size: int) -> Iterator[bytes]:
    """A file's plaintext in pieces of `chunk_size` (the last may be shorter), in memory only.

    rage emits plaintext as it authenticates each of its own chunks, so a damaged file fails part-way
    (`IntegrityError`): callers hand nothing on before they have checked the whole of it."""
    chunks: queue.Queue[bytes | BaseException | None] = queue.Queue(maxsize=8)
    writer = _QueueWriter(chunks, chunk_size)

    def run() -> None:
        try:
            with open(path, "rb") as source:
                pyrage.decrypt_io(source, writer, [identity])
            writer.flush_rest()
            writer.put(None)
        except _Stopped:
            return
        except BaseException as exc:  # handed to the reader
            with contextlib.suppress(_Stopped):
                writer.put(exc)

    thread = threading.Thread(target=run, name="age-decrypt", daemon=True)
    thread.start()
    try:
        while True:
            chunk = chunks.get()
            if isinstance(chunk, BaseException):
                raise IntegrityError(str(path)) from chunk
            if chunk is None:
                return
            yield chunk
    finally:
        writer.stopped.set()
        thread.join(timeout=5)


@dataclass(frozen=True)
class CheckedPieces:
    """What a first, discarding pass learnt of a file: its size, SHA-256, and one SHA-256 per piece."""

    size: int
    sha256: str
    pieces: tuple[bytes, ...]


def check_pieces(path, identity: pyrage.x25519.Identity, chunk_size: int) -> CheckedPieces:
    """Decrypt a whole file into nothing but fingerprints (the plaintext is let go piece by piece)."""
    whole = hashlib.sha256()
    pieces = []
    size = 0
    for chunk in decrypt_pieces(path, identity, chunk_size):
        whole.update(chunk)
        pieces.append(hashlib.sha256(chunk).digest())
        size += len(chunk)
    return CheckedPieces(size, whole.hexdigest(), tuple(pieces))


def verified_pieces(
    path, identity: pyrage.x25519.Identity, checked: CheckedPieces, chunk_size: int
) -> Iterator[bytes]:
    """The plaintext again, each piece handed on only once it matches the first pass's fingerprint for
    it: if the file changed in between, the stream stops before the first piece that differs."""
    count = 0
    for n, chunk in enumerate(decrypt_pieces(path, identity, chunk_size)):
        if n >= len(checked.pieces) or hashlib.sha256(chunk).digest() != checked.pieces[n]:
            raise IntegrityError(str(path))
        count = n + 1
        yield chunk
    if count != len(checked.pieces):
        raise IntegrityError(str(path))
