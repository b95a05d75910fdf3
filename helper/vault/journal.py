"""A hash-chained journal of what happened to a case, for the chain of custody.

Each entry's hash covers its content and the previous entry's hash, so an entry cannot be removed,
reordered or changed without breaking every hash after it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


@dataclass(frozen=True)
class JournalEntry:
    seq: int
    at: str
    action: str
    detail: dict[str, Any]
    prev: str
    hash: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": self.at,
            "action": self.action,
            "detail": self.detail,
            "prev": self.prev,
            "hash": self.hash,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> JournalEntry:
        return cls(
            seq=int(data["seq"]),
            at=str(data["at"]),
            action=str(data["action"]),
            detail=dict(data["detail"]),
            prev=str(data["prev"]),
            hash=str(data["hash"]),
        )


def entry_hash(seq: int, at: str, action: str, detail: dict[str, Any], prev: str) -> str:
    canonical = json.dumps(
        {"seq": seq, "at": at, "action": action, "detail": detail, "prev": prev},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def append(
    journal: tuple[JournalEntry, ...], at: str, action: str, detail: dict[str, Any]
) -> tuple[JournalEntry, ...]:
    prev = journal[-1].hash if journal else GENESIS
    seq = len(journal)
    entry = JournalEntry(seq, at, action, detail, prev, entry_hash(seq, at, action, detail, prev))
    return (*journal, entry)


def head(journal: tuple[JournalEntry, ...]) -> str:
    return journal[-1].hash if journal else GENESIS


def broken_links(journal: tuple[JournalEntry, ...]) -> list[int]:
    """Sequence numbers of the entries whose hash or link does not check out."""
    broken = []
    prev = GENESIS
    for index, entry in enumerate(journal):
        expected = entry_hash(entry.seq, entry.at, entry.action, entry.detail, entry.prev)
        if entry.seq != index or entry.prev != prev or entry.hash != expected:
            broken.append(entry.seq)
        prev = entry.hash
    return broken
