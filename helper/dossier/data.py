"""Everything the dossier shows, read from the vault into one plain object."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field, replace

from helper.case import Case, EvidenceItem, Quote, utc_now
from helper.timeline import TimelineEntry, build_timeline
from helper.vault import ItemNotFound, MissingItem, TamperedItem
from helper.vault.journal import JournalEntry


@dataclass(frozen=True)
class DossierOptions:
    lang: str = "en"
    person: str = ""  # how the person chooses to be named; empty: not named
    items: frozenset[str] | None = None  # ids of the items to include; None: all
    show_intimate: frozenset[str] = frozenset()  # intimate items the person chose to show unblurred
    hide_intimate: bool = False  # no picture at all for intimate items, not even blurred
    redact_names: bool = False  # names of people who are not one of their accounts are withheld
    password: str = ""  # AES-256 protection when set
    # The case's name is the person's own label ("Instagram, Léa's ex"): printed only when they choose.
    show_title: bool = False
    letters: bool = False  # an appendix with the letters written, as they were written
    counselor_notes: bool = False  # a counselor's notes: only when the person chooses, per export


def item_numbers(text: str, count: int) -> frozenset[int]:
    """The file numbers a person typed ("E12, E40-E45", "12 40-45"; commas, spaces or semicolons
    between), each from 1 to `count`. Raises ValueError on anything else: nothing is guessed."""
    numbers: set[int] = set()
    for part in re.split(r"[\s,;]+", text.strip().upper()):
        if not part:
            continue
        match = re.fullmatch(r"E?(\d{1,7})(?:[-–]E?(\d{1,7}))?", part)
        if match is None:
            raise ValueError(part)
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if not 1 <= first <= last <= count:
            raise ValueError(part)
        numbers.update(range(first, last + 1))
    return frozenset(numbers)


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
    def title(self) -> str:
        """The case's name when the person chose to print it; empty for the neutral title."""
        return self.case.title if self.options.show_title else ""

    @property
    def journal_head(self) -> str:
        return self.journal[-1].hash if self.journal else ""


WITHHELD = "[…]"


def _their_names(case: Case) -> set[str]:
    return {
        n.casefold() for a in case.accounts for n in (a.display_name, a.handle, a.handle.lstrip("@")) if n
    }


def _redacted_quote(quote: Quote, case: Case) -> Quote:
    """A quoted message with the names of people other than their accounts withheld, in the sender
    field and wherever those names appear in the text."""
    theirs = _their_names(case)
    others = {
        name
        for item in case.evidence
        if item.chat
        for name in item.chat.participants
        if name.casefold() not in theirs
    }
    if quote.sender and quote.sender.casefold() not in theirs:
        others.add(quote.sender)
    text = quote.text
    for name in sorted(others, key=len, reverse=True):
        text = re.sub(re.escape(name), WITHHELD, text, flags=re.IGNORECASE)
    sender = quote.sender if quote.sender.casefold() in theirs else WITHHELD if quote.sender else ""
    return replace(quote, sender=sender, text=text)


def gather(vault, case_id: str, options: DossierOptions, signer: str = "") -> DossierData:
    """Read the case, its journal and its thumbnails (decrypted into memory) for the dossier."""
    case = vault.load_case(case_id)
    entries = []
    for number, item in enumerate(case.evidence, start=1):
        if options.items is not None and item.id not in options.items:
            continue
        blurred = item.intimate and item.id not in options.show_intimate
        thumbnail = None
        if item.image is not None and not (blurred and options.hide_intimate):
            blob = item.image.blurred_blob if blurred else item.image.thumbnail_blob
            # A rendition missing or failing its check leaves the page without a picture, never a
            # sharper one; anything else (the vault locked half-way) stops the export.
            with contextlib.suppress(ItemNotFound, MissingItem, TamperedItem):
                thumbnail = vault.open_item(item).derived(blob)
        quotes = tuple(q for q in case.quotes if q.item_id == item.id)
        if options.redact_names:
            quotes = tuple(_redacted_quote(q, case) for q in quotes)
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
