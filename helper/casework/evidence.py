"""What a person does with the evidence once it is in: describe it, take it out, keep links, put chat
messages on the timeline, look at an intimate picture, save a copy. (Receiving a file is the evidence
desk's job, `helper.evidence.desk`, which applies every intake rule once.)"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from helper.case import Case, EvidenceItem, Link, Quote, utc_now
from helper.evidence.chats.model import Chat
from helper.ids import new_id
from helper.vault import ItemNotFound, UnlockedVault
from helper.vocabulary import (
    EVIDENCE_DESCRIBED,
    EVIDENCE_EXPORTED,
    EVIDENCE_REMOVED,
    EVIDENCE_REVEALED,
    LINK_ADDED,
    LINK_REMOVED,
    QUOTES_CHANGED,
)


def _item(vault: UnlockedVault, case_id: str, item_id: str) -> EvidenceItem:
    item = vault.load_case(case_id).item(item_id)
    if item is None:
        raise ItemNotFound(item_id)
    return item


def describe(vault: UnlockedVault, case_id: str, item_id: str, **details: Any) -> Case:
    """Save an item's description, capture time, account, platform and intimate flag (the record's
    rules, the under-18 rule among them, are applied to the latest saved case)."""
    _item(vault, case_id, item_id)
    return vault.update_case(
        case_id,
        lambda c: c.with_evidence_details(item_id, **details),
        EVIDENCE_DESCRIBED,
        {"item": item_id, "intimate": bool(details.get("intimate"))},
    )


def remove(vault: UnlockedVault, case_id: str, item_id: str) -> EvidenceItem:
    """Take an item out of the case for good (journaled with its fingerprint), then delete its files.

    The case is saved first: a crash in between leaves an unreferenced, still encrypted file (swept as
    an orphan), never a case pointing at nothing.
    """
    item = _item(vault, case_id, item_id)
    vault.update_case(
        case_id,
        lambda c: c.without_evidence(item_id),
        EVIDENCE_REMOVED,
        {"item": item.id, "sha256": item.sha256, "name": item.original_name},
    )
    vault.remove_blobs(item.blobs)
    return item


def add_link(
    vault: UnlockedVault, case_id: str, *, url: str, seen_at: str | None, platform: str = "", note: str = ""
) -> Link:
    """Keep a web address as evidence (the program never opens or fetches it)."""
    link = Link(
        id=new_id(), url=url.strip(), seen_at=seen_at, platform=platform.strip(), note=note.strip(),
        added_at=utc_now(),
    )  # fmt: skip
    vault.update_case(case_id, lambda c: c.with_entry("links", link), LINK_ADDED, {"link": link.id})
    return link


def remove_link(vault: UnlockedVault, case_id: str, link_id: str) -> Case:
    return vault.update_case(
        case_id, lambda c: c.without_entry("links", link_id), LINK_REMOVED, {"link": link_id}
    )


def choose_quotes(
    vault: UnlockedVault,
    case_id: str,
    item: EvidenceItem,
    chat: Chat,
    shown: Iterable[int],
    ticked: Iterable[int],
) -> Case:
    """Put the ticked messages of a chat on the timeline, and take off those shown but not ticked.
    Messages the page did not show (another page of a long chat) keep what they had."""
    count = len(chat.messages)
    shown_set = {i for i in shown if 0 <= i < count}
    ticked_set = {i for i in ticked if i in shown_set}

    def change(current: Case) -> Case:
        kept = tuple(
            q for q in current.quotes
            if q.item_id != item.id or q.index not in shown_set or q.index in ticked_set
        )  # fmt: skip
        have = {q.index for q in kept if q.item_id == item.id}
        added = tuple(
            Quote(
                id=new_id(),
                item_id=item.id,
                index=i,
                sender=chat.messages[i].sender,
                at=chat.messages[i].at,
                text=chat.messages[i].text,
            )
            for i in sorted(ticked_set - have)
        )
        return current.with_quotes((*kept, *added))

    return vault.update_case(
        case_id, change, QUOTES_CHANGED, {"item": item.id, "on_timeline": len(ticked_set)}
    )


def note_revealed(vault: UnlockedVault, case_id: str, item_id: str) -> None:
    """An intimate picture was shown unblurred, because the person asked."""
    vault.note(case_id, EVIDENCE_REVEALED, {"item": item_id})


def note_copy_saved(vault: UnlockedVault, case_id: str, item: EvidenceItem) -> None:
    """An unencrypted copy of the original was saved out of the vault, by the person's choice."""
    vault.note(case_id, EVIDENCE_EXPORTED, {"item": item.id, "sha256": item.sha256})
