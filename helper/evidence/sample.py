"""What intake keeps of a file in memory while it streams into the vault.

Encryption and hashing see every byte once and keep none. To look inside a file (decode an image,
read a chat export), intake also needs its bytes: this keeps them in memory, never on disk, for the
kinds it reads and up to a size per kind, plus the first and last bytes of every file.
"""

from __future__ import annotations

from helper.evidence.detect import HEAD_BYTES, DetectedType, detect_type

TAIL_BYTES = 64 * 1024 + 22  # a zip's end-of-archive record, with its longest comment
MiB = 1024 * 1024
# How much of a file is kept to look inside it, by family. Videos, PDFs and the rest are not opened.
BODY_LIMITS = {"image": 64 * MiB, "text": 64 * MiB, "archive": 256 * MiB}


class Sample:
    def __init__(self, limits: dict[str, int] | None = None) -> None:
        self._limits = BODY_LIMITS if limits is None else limits
        self._head = bytearray()
        self._tail = b""
        self._body: bytearray | None = bytearray()
        self._limit: int | None = None  # decided once the head is known
        self.size = 0
        self.too_large_to_open = False

    def update(self, data: bytes) -> None:
        if not data:
            return
        self.size += len(data)
        if len(self._head) < HEAD_BYTES:
            self._head += data[: HEAD_BYTES - len(self._head)]
        self._tail = data[-TAIL_BYTES:] if len(data) >= TAIL_BYTES else (self._tail + data)[-TAIL_BYTES:]
        if self._body is None:
            return
        self._body += data
        if self._limit is None and len(self._head) >= HEAD_BYTES:
            self._limit = self._limit_for(detect_type(bytes(self._head)))
        if self._limit is not None and len(self._body) > self._limit:
            self._body = None
            self.too_large_to_open = self._limit > 0

    def _limit_for(self, detected: DetectedType) -> int:
        if detected.family == "archive" and detected.mime != "application/zip":
            return 0
        return self._limits.get(detected.family, 0)

    @property
    def head(self) -> bytes:
        return bytes(self._head)

    @property
    def tail(self) -> bytes:
        return self._tail

    @property
    def detected(self) -> DetectedType:
        return detect_type(self.head)

    def body(self) -> bytes | None:
        """The whole file, when it is of a kind intake opens and small enough to keep in memory.
        Call it once the file is complete: the buffer is handed over, not copied."""
        if self._body is None:
            return None
        if self._limit is None:
            self._limit = self._limit_for(self.detected)
        body, self._body = self._body, None
        if len(body) > self._limit:
            self.too_large_to_open = self._limit > 0
            return None
        return bytes(body)
