"""The vault's encrypted files (`blobs/<random id>.age`): written as they stream in, and read back out
only through `VerifiedItem`.

Decryption is trusted only once it has finished: rage hands plaintext on chunk by chunk and finds a
bad later chunk only when it reaches it. So nothing of an item leaves the vault (to a browser, a ZIP,
a hand-over bundle, a printed dossier) but through the one handle below, whose every method checks
the bytes against the SHA-256 pinned in the case record before, or as, they are handed on:

- `pieces()` / `write_to()`: the whole file checked first (nothing handed on), then streamed again,
  each piece handed on only once it matches the first pass (a file changed in between stops the
  stream before the first piece that differs). For what is shown or saved as it streams.
- `single_pass()`: one decrypting pass, checked at the end; for a writer that discards its whole
  output on failure (a hand-over bundle), where a second pass would only double the cost.
- `derived(blob)`: a small file made from the item (a thumbnail, a blurred thumbnail, a display copy,
  a chat's messages), decrypted into memory and checked against the SHA-256 the item pins for it, so a
  swapped file (the sharp thumbnail in the blurred one's place) is refused, never shown.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

import pyrage

from helper.case import EvidenceItem
from helper.ids import ID_PATTERN, new_id
from helper.vault import crypto, portable
from helper.vault.atomic import atomic_write_bytes, fsync_dir, open_temp, publish, temp_path_for
from helper.vault.errors import (
    ITEM_CHANGED,
    ITEM_DAMAGED,
    ITEM_MISMATCH,
    ITEM_MISSING,
    ItemNotFound,
    MissingItem,
    TamperedItem,
)
from helper.vault.keyfiles import Keys

BLOBS = "blobs"
PIECE = 256 * 1024  # what a reader is handed at a time, and what each piece's fingerprint covers


class PendingBlob:
    """A file being written into the vault: encrypted on the fly, then published or discarded.

    It knows nothing of what the bytes are (the evidence desk looks inside them); its temp file is
    locked while it lives, so no cleanup anywhere deletes it mid-way."""

    # From this size on, SHA-256 and MD5 are computed by threads of their own while this one encrypts.
    BACKGROUND_HASHING = 16 * 1024 * 1024

    def __init__(
        self,
        blob_dir: Path,
        recipient: pyrage.x25519.Recipient,
        expected_size: int | None = None,
        on_progress: Callable[[int], None] | None = None,
        md5: bool = True,
    ) -> None:
        self.blob_id = new_id()
        self.target = blob_dir / f"{self.blob_id}.age"
        self._temp = temp_path_for(self.target)
        self._file = open_temp(self._temp)  # owned until finish() or discard()
        large = expected_size is not None and expected_size >= self.BACKGROUND_HASHING
        try:
            self._encryptor = crypto.Encryptor(self._file, recipient, md5=md5, background=large)
        except BaseException:  # the header could not be written (a full disk): no temp file stays
            self._close_and_remove()
            raise
        self.digest: crypto.Digest | None = None
        self.committed = False
        self._on_progress = on_progress

    @property
    def size(self) -> int:
        return self.digest.size if self.digest is not None else self._encryptor.size

    def write(self, data: bytes) -> int:
        written = self._encryptor.write(data)
        if self._on_progress is not None:
            self._on_progress(self._encryptor.size)
        return written

    def finish(self, durable: bool = True) -> crypto.Digest:
        """Finish encrypting and make the temp file durable (it is not published yet). With `durable`
        False, whoever writes many files at once makes them durable together (`publish_all`)."""
        if self.digest is None:
            try:
                self.digest = self._encryptor.finish()
                self._file.flush()
                if durable:
                    os.fsync(self._file.fileno())
            finally:
                self._file.close()
            # Its work done, the encryptor goes: a hand-over being received holds thousands of finished
            # files until it publishes them all.
            del self._encryptor
        return self.digest

    def publish(self, durable: bool = True) -> None:
        if durable:
            publish(self._temp, self.target)
        else:
            os.replace(self._temp, self.target)
        self.committed = True

    @staticmethod
    def publish_all(blobs: list[PendingBlob]) -> None:
        """Publish many finished files with one flush of the disk for all of them, rather than two per
        file (a hand-over of a thousand items would otherwise wait on two thousand flushes)."""
        if not blobs:
            return
        portable.sync_files([blob._temp for blob in blobs])  # all on disk before any becomes visible
        for blob in blobs:
            blob.publish(durable=False)
        fsync_dir(blobs[0].target.parent)

    def discard(self) -> None:
        if self.committed:
            return
        if self.digest is None:  # a finished file has no stream left to stop
            self._encryptor.abort()
        self._close_and_remove()

    def _close_and_remove(self) -> None:
        with contextlib.suppress(OSError):  # closing flushes: on a full disk that fails too
            self._file.close()
        with contextlib.suppress(FileNotFoundError):
            self._temp.unlink()


class BlobFiles:
    """The `blobs/` folder of one vault: where each file is, writing, deleting, and the raw reads that
    only `VerifiedItem` makes."""

    def __init__(self, folder: Path, keys: Keys) -> None:
        self.folder = folder / BLOBS
        self._keys = keys

    def path(self, blob_id: str) -> Path:
        if not ID_PATTERN.match(blob_id):
            raise ItemNotFound(blob_id)
        return self.folder / f"{blob_id}.age"

    def files(self) -> Iterator[Path]:
        return self.folder.glob("*.age")

    def begin(
        self, expected_size: int | None, on_progress: Callable[[int], None] | None, md5: bool
    ) -> PendingBlob:
        self._keys.require_unlocked()
        return PendingBlob(self.folder, self._keys.recipient, expected_size, on_progress, md5)

    def store(self, data: bytes) -> str:
        self._keys.require_unlocked()
        blob_id = new_id()
        atomic_write_bytes(self.folder / f"{blob_id}.age", crypto.encrypt_bytes(data, self._keys.recipient))
        return blob_id

    def remove(self, blob_ids: tuple[str, ...] | list[str]) -> None:
        for blob in blob_ids:
            with contextlib.suppress(FileNotFoundError):
                self.path(blob).unlink()
        fsync_dir(self.folder)

    def open(self, item: EvidenceItem) -> VerifiedItem:
        return VerifiedItem(self, item)

    # -- the raw reads: for VerifiedItem only ----------------------------------------------------

    def _read_small(self, blob_id: str, sha256: str) -> bytes:
        try:
            ciphertext = self.path(blob_id).read_bytes()
        except FileNotFoundError as exc:
            raise MissingItem(blob_id, ITEM_MISSING) from exc
        try:
            data = crypto.decrypt_bytes(ciphertext, self._keys.identity)
        except (pyrage.DecryptError, ValueError) as exc:
            raise TamperedItem(blob_id, ITEM_DAMAGED) from exc
        if sha256 and hashlib.sha256(data).hexdigest() != sha256:
            raise TamperedItem(blob_id, ITEM_CHANGED)
        return data

    def _decrypt_pieces(self, blob_id: str) -> Iterator[bytes]:
        return crypto.decrypt_pieces(self.path(blob_id), self._keys.identity, PIECE)

    def _check_pieces(self, blob_id: str) -> crypto.CheckedPieces:
        return crypto.check_pieces(self.path(blob_id), self._keys.identity, PIECE)

    def _verified_pieces(self, blob_id: str, checked: crypto.CheckedPieces) -> Iterator[bytes]:
        return crypto.verified_pieces(self.path(blob_id), self._keys.identity, checked, PIECE)


class VerifiedItem:
    """An evidence item opened for its bytes: the one way they leave the vault (see the module's text).

    Every failure names the item: `MissingItem` (its file is gone) or `TamperedItem` (changed,
    truncated, swapped, or not matching its fingerprint). Opening reads nothing; each method does."""

    def __init__(self, files: BlobFiles, item: EvidenceItem) -> None:
        self.item = item
        self._files = files
        self._checked: crypto.CheckedPieces | None = None

    def check(self) -> VerifiedItem:
        """Decrypt the whole item into fingerprints only, and compare with those pinned when it came
        in; nothing of it is handed on. Done once: `pieces()` after it streams what was checked."""
        self._check()
        return self

    def _check(self) -> crypto.CheckedPieces:
        if self._checked is None:
            item = self.item
            if not self._files.path(item.blob).exists():
                raise MissingItem(item.id, ITEM_MISSING)
            try:
                checked = self._files._check_pieces(item.blob)
            except crypto.IntegrityError as exc:
                raise TamperedItem(item.id, ITEM_DAMAGED) from exc
            if checked.sha256 != item.sha256 or checked.size != item.size:
                raise TamperedItem(item.id, ITEM_CHANGED)
            self._checked = checked
        return self._checked

    def pieces(self) -> Iterator[bytes]:
        """The item's bytes, piece by piece, once the whole item has been checked (here, before this
        returns: a changed file raises now, and not one byte of it is served)."""
        return self._stream_checked(self._check())

    def _stream_checked(self, checked: crypto.CheckedPieces) -> Iterator[bytes]:
        try:
            yield from self._files._verified_pieces(self.item.blob, checked)
        except (crypto.IntegrityError, OSError) as exc:
            raise TamperedItem(self.item.id, ITEM_MISMATCH) from exc

    def write_to(self, sink: BinaryIO) -> None:
        """The item's bytes into `sink` (memory, for a small preview), checked whole first."""
        for piece in self.pieces():
            sink.write(piece)

    def single_pass(self) -> Iterator[bytes]:
        """The item's bytes in one decrypting pass, fingerprinted as they go; `TamperedItem` at the end
        (or part-way) if they do not match. Only for writers that discard their whole output when this
        raises: what was handed on before the end is unchecked until then."""
        item = self.item
        if not self._files.path(item.blob).exists():
            raise MissingItem(item.id, ITEM_MISSING)
        digest, size = hashlib.sha256(), 0
        try:
            for chunk in self._files._decrypt_pieces(item.blob):
                digest.update(chunk)
                size += len(chunk)
                yield chunk
        except crypto.IntegrityError as exc:
            raise TamperedItem(item.id, ITEM_DAMAGED) from exc
        if size != item.size or digest.hexdigest() != item.sha256:
            raise TamperedItem(item.id, ITEM_CHANGED)

    def derived(self, blob_id: str) -> bytes:
        """A small file made from this item, decrypted into memory (never to disk), checked against the
        SHA-256 the item pins for it (items recorded before version 4 of the record pin none). A file
        that is not one of this item's raises ItemNotFound: nothing is read by a bare file id."""
        pinned = dict(self.item.derived)
        if blob_id not in pinned:
            raise ItemNotFound(blob_id)
        return self._files._read_small(blob_id, pinned[blob_id])
