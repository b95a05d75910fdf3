"""A case as a whole: start it, name it, close or reopen it, delete it for good."""

from __future__ import annotations

from dataclasses import replace

from helper.case import Case, clean_title, utc_now
from helper.vault import UnlockedVault
from helper.vocabulary import CASE_CLOSED, CASE_RENAMED, CASE_REOPENED


class NameMissing(ValueError):
    """A case needs a name (one made only of spaces or invisible characters is none)."""


class NameNotConfirmed(ValueError):
    """The name typed to confirm a deletion is not the case's: nothing is deleted."""


def create(vault: UnlockedVault, title: str) -> Case:
    """Start a case; its journal opens with it."""
    return vault.create_case(title)


def rename(vault: UnlockedVault, case_id: str, title: str, expected_revision: int | None = None) -> Case:
    """Rename a case; with `expected_revision`, refused (StaleRevision) when another window saved first."""
    title = clean_title(title)
    if not title:
        raise NameMissing
    return vault.update_case(
        case_id, lambda c: c.with_title(title), CASE_RENAMED, {"title": title}, expected_revision
    )


def set_closed(vault: UnlockedVault, case_id: str, closed: bool) -> Case:
    """Close a case (it stays, marked closed, until deleted) or open it again."""
    return vault.update_case(
        case_id,
        lambda c: replace(c, closed_at=(c.closed_at or utc_now()) if closed else None),
        CASE_CLOSED if closed else CASE_REOPENED,
        {},
    )


def same_name(typed: str, title: str) -> bool:
    """Whether what was typed names the case, whatever its spacing and letter case."""
    return " ".join(typed.split()).casefold() == " ".join(title.split()).casefold()


def delete(vault: UnlockedVault, case: Case, typed_name: str) -> None:
    """Delete a case and every file of it, once its name has been typed: a slip cannot do it."""
    if not same_name(typed_name, case.title):
        raise NameNotConfirmed
    vault.delete_case(case.id)
