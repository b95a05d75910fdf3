"""What a hand-over made from the page holds: the choices on the page settled into one answer, and what
the page lists before the file is made.

The page offers "every file", single files, the intimate files and the counselor's notes. Choices that
contradict each other settle on the side of less: files ticked one by one mean only those, whatever
"every file" says; "every file" means every file not marked intimate, the intimate ones too only when
that is ticked as well; the counselor's private notes go only when ticked."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from helper.case import Case, EvidenceItem


@dataclass(frozen=True)
class HandoverChoice:
    files: tuple[EvidenceItem, ...]  # in the case's order
    counselor_notes: bool

    @property
    def item_ids(self) -> frozenset[str]:
        return frozenset(it.id for it in self.files)

    @property
    def intimate_files(self) -> int:
        return sum(1 for it in self.files if it.intimate)


def settle(case: Case, *, every: bool, picked: Iterable[str], intimate: bool, notes: bool) -> HandoverChoice:
    ticked = set(picked)
    if ticked:
        files = tuple(it for it in case.evidence if it.id in ticked)
    elif every:
        files = tuple(it for it in case.evidence if intimate or not it.intimate)
    else:
        files = ()
    return HandoverChoice(files, bool(notes and case.counselor_notes))


def letter_details(case: Case) -> bool:
    """Whether the record holds the details letters are signed with (they go with the record)."""
    signer = case.signer
    given = (signer.name, signer.email, signer.phone, signer.address, signer.signature, signer.harm)
    complaint = case.complaint
    return any(given) or bool(complaint.birth_date or complaint.birth_place or complaint.witnesses)
