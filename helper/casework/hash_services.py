"""Keep the case number and PIN a hash-matching service (StopNCII, Take It Down) gave the person.

Those services cannot find a lost case number or PIN again, and without them the person cannot check
or withdraw their case: the vault keeps them, encrypted with the case. The journal says that numbers
were kept for a service, never the numbers themselves (the journal is printed in the dossier's chain of
custody).
"""

from __future__ import annotations

from helper import vocabulary
from helper.case import Case, HashCase, utc_now
from helper.vault import UnlockedVault


class NothingToKeep(ValueError):
    """Neither a case number nor a PIN was given, and none was kept before."""


class NumbersChanged(Exception):
    """The numbers were saved in another window since the page showed them: nothing was saved over
    them. `saved` is what is kept now."""

    def __init__(self, saved: HashCase | None) -> None:
        super().__init__(saved.service if saved else "")
        self.saved = saved


def kept_revision(case: Case, service: str) -> int:
    """What a page carries to say which numbers it showed: the revision that saved them (0: none)."""
    kept = case.hash_case(service)
    return kept.revision if kept else 0


def keep_numbers(
    vault: UnlockedVault,
    case_id: str,
    service: str,
    *,
    case_number: str,
    pin: str,
    shown: int | None = None,
) -> Case:
    """Keep a service's case number and PIN, in one write. An empty PIN keeps the PIN already kept
    (the page never shows it unless asked, so an empty box means "unchanged").

    `shown` is `kept_revision` as the page showed it (None: not from a page, applied as it is): when
    another window saved other numbers since, nothing is saved (`NumbersChanged`). Raises
    `NothingToKeep` when there is nothing to keep, and `UnknownCode` for a service that is not ours."""
    vocabulary.HASH_SERVICES.check(service, optional=False)
    case_number, pin = case_number.strip(), pin.strip()

    def change(case: Case) -> Case:
        saved = case.hash_case(service)
        same = saved is not None and saved.case_number == case_number and pin in ("", saved.pin)
        if shown is not None and kept_revision(case, service) != shown and not same:
            raise NumbersChanged(saved)
        kept_pin = pin or (saved.pin if saved else "")
        if not (case_number or kept_pin):
            raise NothingToKeep(service)
        kept = HashCase(service, case_number, kept_pin, kept_at=utc_now(), revision=case.revision + 1)
        return case.with_hash_case(kept)

    return vault.update_case(case_id, change, vocabulary.HASH_NUMBERS_KEPT, {"service": service})
