"""Everything the dossier shows, read from the vault into one plain object."""

from __future__ import annotations

from dataclasses import dataclass, field

from helper.case import Case, EvidenceItem, Quote, utc_now
from helper.timeline import TimelineEntry, build_timeline
from helper.vault.journal import JournalEntry


@dataclass(frozen=True)
class DossierOptions:
    lang: str = "en"
    person: str = ""  # how the person chooses to be named; empty: not named
    items: frozenset[str] | None = None  # ids of the items to include; None: all
    show_intimate: frozenset[str] = frozenset()  # intimate items the person chose to show unblurred
    password: str = ""  # AES-256 protection when set


@dataclass(frozen=True)
class ItemEntry:
    number: int  # E1, E2... in the order added
    item: EvidenceItem
    thumbnail: bytes | None  # JPEG, already the blurred one when the item stays hidden
    blurred: bool
    quotes: tuple[Quote, ...] = ()


@dataclass(frozen=True)
class DossierData:
    case: Case
    options: DossierOptions
    exported_at: str
    items: tuple[ItemEntry, ...]
    journal: tuple[JournalEntry, ...]
    timeline: tuple[TimelineEntry, ...] = field(default_factory=tuple)
    signer: str = ""  # fingerprint of the vault's signing key

    @property
    def journal_head(self) -> str:
        return self.journal[-1].hash if self.journal else ""


def gather(vault, case_id: str, options: DossierOptions, signer: str = "") -> DossierData:
    """Read the case, its journal and its thumbnails (decrypted into memory) for the dossier."""
    case = vault.load_case(case_id)
    entries = []
    for number, item in enumerate(case.evidence, start=1):
        if options.items is not None and item.id not in options.items:
            continue
        blurred = item.intimate and item.id not in options.show_intimate
        thumbnail = None
        if item.image is not None:
            blob = item.image.blurred_blob if blurred else item.image.thumbnail_blob
            try:
                thumbnail = vault.read_blob(blob)
            except Exception:  # noqa: BLE001 - a missing rendition leaves the page without a picture
                thumbnail = None
        quotes = tuple(q for q in case.quotes if q.item_id == item.id)
        entries.append(ItemEntry(number, item, thumbnail, blurred, quotes))
    return DossierData(
        case=case,
        options=options,
        exported_at=utc_now(),
        items=tuple(entries),
        journal=vault.journal(case_id),
        timeline=tuple(build_timeline(case)),
        signer=signer,
    )
