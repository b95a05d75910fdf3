"""A counselor beside the person: who was there, what the person agreed to show, the notes kept, the
summary taken away. Counselor mode itself lives in the browser's session; these are its traces in the
case's journal."""

from __future__ import annotations

from helper.case import Case, CounselorNote, utc_now
from helper.ids import new_id
from helper.vault import UnlockedVault
from helper.vocabulary import (
    CONSENT_GRANTED,
    CONSENT_WITHDRAWN,
    COUNSELOR_ENDED,
    COUNSELOR_STARTED,
    NOTE_ADDED,
    NOTE_REMOVED,
    SUMMARY_EXPORTED,
)


class EmptyNote(ValueError):
    """A note with no words in it."""


def note_present(vault: UnlockedVault, case_id: str, counselor: str, organisation: str) -> None:
    """The first time a case is opened with a counselor there, its journal says who."""
    vault.note(case_id, COUNSELOR_STARTED, {"counselor": counselor, "organisation": organisation})


def note_ended(vault: UnlockedVault, case_id: str, counselor: str, consents: int) -> None:
    """Counselor mode ended: every consent given in it ends too."""
    vault.note(case_id, COUNSELOR_ENDED, {"counselor": counselor, "count": consents})


def record_consent(vault: UnlockedVault, case_id: str, item_id: str, granted: bool) -> None:
    """The person agreed to show an item to the counselor, or took that back."""
    vault.note(case_id, CONSENT_GRANTED if granted else CONSENT_WITHDRAWN, {"item": item_id})


def add_note(vault: UnlockedVault, case_id: str, author: str, text: str) -> CounselorNote:
    """A counselor's private note, kept encrypted with the case."""
    text = text.strip()
    if not text:
        raise EmptyNote
    note = CounselorNote(id=new_id(), at=utc_now(), author=author, text=text)
    vault.update_case(case_id, lambda c: c.with_counselor_note(note), NOTE_ADDED, {"counselor": author})
    return note


def remove_note(vault: UnlockedVault, case_id: str, note_id: str) -> Case:
    return vault.update_case(case_id, lambda c: c.without_counselor_note(note_id), NOTE_REMOVED, {})


def note_summary_taken(vault: UnlockedVault, case_id: str, lang: str) -> None:
    """The session summary was saved as a PDF by the person (it leaves the vault unencrypted)."""
    vault.note(case_id, SUMMARY_EXPORTED, {"lang": lang})
