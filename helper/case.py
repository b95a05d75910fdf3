"""The incident record as plain dataclasses, with its versioned JSON form.

Nothing here knows about encryption or Flask: the vault stores `Case.to_dict()` inside an age file.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

CASE_FORMAT = "helper.case.v1"


class CaseFormatError(ValueError):
    """A stored case does not have the shape this version understands."""


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class EvidenceItem:
    id: str
    blob: str  # random file name of the encrypted bytes, never derived from content
    sha256: str  # of the original bytes, pinned when the item came in
    size: int
    original_name: str
    media_type: str
    added_at: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "blob": self.blob,
            "sha256": self.sha256,
            "size": self.size,
            "original_name": self.original_name,
            "media_type": self.media_type,
            "added_at": self.added_at,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EvidenceItem:
        try:
            return cls(
                id=str(data["id"]),
                blob=str(data["blob"]),
                sha256=str(data["sha256"]),
                size=int(data["size"]),
                original_name=str(data["original_name"]),
                media_type=str(data["media_type"]),
                added_at=str(data["added_at"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise CaseFormatError(f"evidence item: {exc}") from exc


@dataclass(frozen=True)
class Case:
    id: str
    title: str
    created_at: str
    revision: int = 0
    evidence: tuple[EvidenceItem, ...] = field(default_factory=tuple)

    def item(self, item_id: str) -> EvidenceItem | None:
        return next((it for it in self.evidence if it.id == item_id), None)

    def with_title(self, title: str) -> Case:
        return replace(self, title=title)

    def with_evidence(self, item: EvidenceItem) -> Case:
        return replace(self, evidence=(*self.evidence, item))

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": CASE_FORMAT,
            "id": self.id,
            "title": self.title,
            "created_at": self.created_at,
            "revision": self.revision,
            "evidence": [it.to_dict() for it in self.evidence],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Case:
        if data.get("format") != CASE_FORMAT:
            raise CaseFormatError(f"unknown case format {data.get('format')!r}")
        try:
            return cls(
                id=str(data["id"]),
                title=str(data["title"]),
                created_at=str(data["created_at"]),
                revision=int(data["revision"]),
                evidence=tuple(EvidenceItem.from_dict(it) for it in data["evidence"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise CaseFormatError(f"case: {exc}") from exc


def clean_title(title: str) -> str:
    """A case title as shown: one line, no control characters, at most 120 characters."""
    printable = "".join(ch if ch.isprintable() else " " for ch in title)
    return " ".join(printable.split())[:120]
