"""Uploads stream straight into the vault's encryption: no plaintext temp file, ever.

Werkzeug writes each uploaded file into the object `_get_file_stream` returns; by default that
is a temp file on disk once the upload passes 500 KB. Here it is the evidence desk's `Incoming`,
which encrypts as the bytes arrive (the pattern of SecureDrop's `request_that_secures_file_uploads`).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import IO

from flask import Request, current_app, g
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import FormDataParser, MultiPartParser

from helper.web.services import current_vault, evidence_desk, keep_alive

# What a view does with the file parts of a form, as the view itself declares it (below); a view that
# declares nothing gets none of them (they are read and dropped, never written anywhere).
UPLOADS = "_helper_uploads"
INTO_THE_VAULT = "vault"


def streams_uploads(view: Callable) -> Callable:
    """This view's file parts are encrypted into the vault as they arrive (the multipart form)."""
    setattr(view, UPLOADS, INTO_THE_VAULT)
    return view


def keeps_upload_in_memory(limit: int) -> Callable[[Callable], Callable]:
    """This view's file parts are only looked at, never kept: held in memory, refused past `limit`."""

    def mark(view: Callable) -> Callable:
        setattr(view, UPLOADS, limit)
        return view

    return mark


def _declared(endpoint: str | None) -> str | int | None:
    view = current_app.view_functions.get(endpoint) if endpoint else None
    return getattr(view, UPLOADS, None)


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
        declared = _declared(self.endpoint)
        if isinstance(declared, int):
            return MemoryUpload(declared)
        vault = current_vault() if declared == INTO_THE_VAULT else None
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


def discard_unclaimed_uploads(_exc: BaseException | None = None) -> None:
    """At the end of every request, drop encrypted uploads that the view did not commit."""
    for pending in g.pop("pending_uploads", []):
        pending.discard()


__all__ = ["SecureRequest", "discard_unclaimed_uploads", "keeps_upload_in_memory", "streams_uploads"]
