"""Uploads stream straight into the vault's encryption: no plaintext temp file, ever.

Werkzeug writes each uploaded file into the object `_get_file_stream` returns; by default that
is a temp file on disk once the upload passes 500 KB. Here it is the evidence desk's `Incoming`,
which encrypts as the bytes arrive (the pattern of SecureDrop's `request_that_secures_file_uploads`).
"""

from __future__ import annotations

import io
import threading
import time
from typing import IO

from flask import Request, g, request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import FormDataParser, MultiPartParser

UPLOAD_ENDPOINTS = frozenset({"evidence.upload"})  # the multipart form; the raw path streams itself
# Forms whose file is only looked at, never kept: it stays in memory, up to a limit.
MEMORY_ENDPOINTS = {"evidence.find_copies_view": 64 * 1024 * 1024}


class _Discard(io.RawIOBase):
    """Where file parts sent to any other page go: nowhere."""

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        return len(data)

    def seek(self, offset: int, whence: int = 0) -> int:
        return 0


class MemoryUpload(io.BytesIO):
    """A file part held in memory only, refused past `limit` bytes."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self._limit = limit

    def write(self, data) -> int:
        if self.tell() + len(data) > self._limit:
            raise RequestEntityTooLarge()
        return super().write(data)


class _LargeBufferFormDataParser(FormDataParser):
    """Werkzeug's parser, reading 1 MiB at a time instead of 64 KiB: a large upload goes through
    far fewer parser rounds. Werkzeug applies its form-memory limit to its read buffer too, so the
    request's limit holds two reads (`SecureRequest.max_form_memory_size`): a text field may take
    2 MiB in memory for the moment it is parsed (the forms' own validators refuse anything near that)."""

    BUFFER_SIZE = 1024 * 1024

    def _parse_multipart(self, stream, mimetype, content_length, options):
        parser = MultiPartParser(
            stream_factory=self.stream_factory,
            max_form_memory_size=self.max_form_memory_size,
            max_form_parts=self.max_form_parts,
            cls=self.cls,
            buffer_size=self.BUFFER_SIZE,
        )
        boundary = options.get("boundary", "").encode("ascii")
        if not boundary:
            raise ValueError("Missing boundary")
        form, files = parser.parse(stream, boundary, content_length)
        return stream, form, files


class SecureRequest(Request):
    form_data_parser_class = _LargeBufferFormDataParser

    @property
    def max_form_memory_size(self) -> int | None:
        """At least two of the parser's reads (see `_LargeBufferFormDataParser`)."""
        limit = super().max_form_memory_size
        return None if limit is None else max(limit, 2 * _LargeBufferFormDataParser.BUFFER_SIZE)

    @max_form_memory_size.setter
    def max_form_memory_size(self, value: int | None) -> None:
        # As Flask's: a view may set its own limit (still held to two reads, above).
        self._max_form_memory_size = value

    def _get_file_stream(
        self,
        total_content_length: int | None,
        content_type: str | None,
        filename: str | None = None,
        content_length: int | None = None,
    ) -> IO[bytes]:
        from helper.web.services import current_vault, evidence_desk, keep_alive

        if self.endpoint in MEMORY_ENDPOINTS:
            return MemoryUpload(MEMORY_ENDPOINTS[self.endpoint])
        vault = current_vault() if self.endpoint in UPLOAD_ENDPOINTS else None
        if vault is None:
            return _Discard()  # type: ignore[return-value]
        # The whole request is capped by MAX_CONTENT_LENGTH (a calm 413), so the desk need not stop it.
        incoming = evidence_desk(vault).begin(
            filename or "",
            expected_size=content_length or total_content_length,
            on_progress=keep_alive(),
            enforce_limit=False,
        )
        g.setdefault("pending_uploads", []).append(incoming)
        return incoming  # type: ignore[return-value]


class InOrder:
    """Files the page sends side by side (two at a time, so one is received while the computer looks
    at the other) join the case in the order the person chose them: each waits, just before it is
    added, for the one before it to be added or given up. A file that never comes (a closed tab) holds
    the next one `patience` seconds at most. Memory only; batches are forgotten once idle."""

    def __init__(self, patience: float = 120.0) -> None:
        self._patience = patience
        self._next: dict[str, tuple[int, float]] = {}  # batch -> (index expected next, last activity)
        self._changed = threading.Condition()

    def wait_turn(self, batch: str, index: int) -> None:
        deadline = time.monotonic() + self._patience
        with self._changed:
            while self._next.get(batch, (0, 0.0))[0] < index:
                left = deadline - time.monotonic()
                if left <= 0:
                    return  # the one before never came: this one goes on
                self._changed.wait(left)

    def done(self, batch: str, index: int) -> None:
        """This file was added, or will not be (refused, broken off): the next one may go."""
        now = time.monotonic()
        with self._changed:
            expected = self._next.get(batch, (0, now))[0]
            self._next[batch] = (max(expected, index + 1), now)
            for old in [b for b, (_n, seen) in self._next.items() if now - seen > 10 * self._patience]:
                del self._next[old]
            self._changed.notify_all()


def upload_position(headers) -> tuple[str, int] | None:
    """The batch and the file's place in it, as the page's script sends them (`X-Upload-Batch`,
    `X-Upload-Index`); None when absent or malformed (then it joins whenever it is ready)."""
    batch = headers.get("X-Upload-Batch", "")
    index = headers.get("X-Upload-Index", "")
    if not (0 < len(batch) <= 64 and batch.isalnum() and index.isdigit() and len(index) <= 6):
        return None
    return batch, int(index)


def discard_unclaimed_uploads(_exc: BaseException | None = None) -> None:
    """At the end of every request, drop encrypted uploads that the view did not commit."""
    for pending in g.pop("pending_uploads", []):
        pending.discard()


__all__ = ["InOrder", "SecureRequest", "discard_unclaimed_uploads", "request", "upload_position"]
