"""The walkthrough's verbs: save a step, save a draft, save or remove a list entry, set the country,
save the signer's details for letters.

Each verb is one `update_case` call. A page sends what it shows (an `Edit`): the values as the person
left them, the revision the page was built from and a fingerprint of each value as the page showed it.
When another window saved in between, the two are merged field by field under the vault's lock: a field
only this page changed is written, a field only the other window changed is kept, and a field both
changed differently is never overwritten: `EditConflict` says which, with both values, and nothing at
all is saved (the person chooses, and the page sends its choice with `Edit.choosing`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from helper import vocabulary
from helper.case import ENTRY_TYPES, Case, Signer
from helper.vault import UnlockedVault


def fingerprint(value: Any) -> str:
    """A short digest of one value, as a page carries it to say what it showed. Not a secret: the page
    shows the value itself; the digest only spares it sending every text twice."""
    encoded = json.dumps(value, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()[:16]


def fingerprints(values: Mapping[str, Any]) -> dict[str, str]:
    return {name: fingerprint(value) for name, value in values.items()}


KEEP_TYPED = "typed"
KEEP_SAVED = "saved"


@dataclass(frozen=True)
class Edit:
    """What a page sends: the values as the person left them, the revision the page was built from
    (None: not from a page, applied as it is) and the fingerprint of each value as the page showed it."""

    values: Mapping[str, Any]
    revision: int | None = None
    shown: Mapping[str, str] = field(default_factory=dict)

    def choosing(self, keep: str, saved: Mapping[str, str]) -> Edit:
        """The person's answer to a conflict, for the fields in `saved` (each with the fingerprint of
        the saved value they were shown): keep what they typed over it, or keep the saved version."""
        if keep == KEEP_TYPED:
            return replace(self, shown={**self.shown, **saved})
        if keep == KEEP_SAVED:
            return replace(self, values={k: v for k, v in self.values.items() if k not in saved})
        return self


class EditConflict(Exception):
    """Another window saved a different value in a field this page changed too. Nothing was saved.

    `fields` names them; `saved` and `typed` hold both values of each; `values` and `shown` are what
    the page should show now (what was typed, and what the other window saved where this page changed
    nothing), so that the person's choice is sent with `Edit.choosing`."""

    def __init__(
        self,
        fields: tuple[str, ...],
        saved: dict[str, Any],
        typed: dict[str, Any],
        values: dict[str, Any],
        shown: dict[str, str],
    ) -> None:
        super().__init__(", ".join(fields))
        self.fields = fields
        self.saved = saved
        self.typed = typed
        self.values = values
        self.shown = shown


def merge(latest: Mapping[str, Any], revision: int, edit: Edit) -> dict[str, Any]:
    """The values to write over `latest` (the record's current values at `revision`), or EditConflict."""
    if edit.revision is None or edit.revision == revision:
        return dict(edit.values)  # nobody saved since the page was built (or no page at all)
    changes: dict[str, Any] = {}
    clashes: list[str] = []
    for name, value in edit.values.items():
        shown = edit.shown.get(name)
        mine = shown is None or fingerprint(value) != shown
        theirs = shown is None or fingerprint(latest.get(name)) != shown
        if not mine:
            continue  # left as the page showed it: whatever was saved since stays
        if theirs and value != latest.get(name):
            clashes.append(name)
        else:
            changes[name] = value
    if clashes:
        typed_here = set(changes) | set(clashes)
        # The page now shows what was typed, and the other window's values where it changed nothing;
        # its fingerprints say so, so that choosing sends back exactly this.
        page_values = {
            name: value if name in typed_here else latest.get(name) for name, value in edit.values.items()
        }
        prints = {name: fingerprint(latest.get(name)) for name in edit.values if name not in typed_here}
        prints.update({name: edit.shown[name] for name in typed_here if name in edit.shown})
        raise EditConflict(
            tuple(clashes),
            {name: latest.get(name) for name in clashes},
            {name: edit.values[name] for name in clashes},
            page_values,
            prints,
        )
    return changes


def _incident_values(case: Case) -> dict[str, Any]:
    return dataclasses.asdict(case.incident)


def _with_incident(case: Case, edit: Edit) -> Case:
    return case.with_incident(**merge(_incident_values(case), case.revision, edit))


@dataclass(frozen=True)
class EntryEdit:
    """An entry of a list step (an account, a payment…) as a page sends it: new, or one being edited."""

    collection: str
    entry_id: str
    edit: Edit


def _with_entry(case: Case, entry: EntryEdit) -> Case:
    entries = getattr(case, entry.collection)
    found = next((e for e in entries if e.id == entry.entry_id), None)
    if found is None:
        # New, or removed in another window since: what the person typed is kept, as an entry.
        return case.with_entry(
            entry.collection, ENTRY_TYPES[entry.collection](id=entry.entry_id, **entry.edit.values)
        )
    latest = {name: getattr(found, name) for name in entry.edit.values}
    return case.with_entry(entry.collection, replace(found, **merge(latest, case.revision, entry.edit)))


def entry_values(entry: Any) -> dict[str, Any]:
    """An entry's values as a page shows them (for its fingerprints)."""
    return {f.name: getattr(entry, f.name) for f in dataclasses.fields(entry) if f.name != "id"}


class EntryChanged(Exception):
    """The entry was changed in another window since the page showed it: it was not removed."""


def _step_saved(vault: UnlockedVault, case_id: str, step: str, change: Callable[[Case], Case]) -> Case:
    """The one write of every walkthrough save, journaled as the step saved."""
    return vault.update_case(case_id, change, vocabulary.WALKTHROUGH_SAVED, {"step": step})


def save_step(
    vault: UnlockedVault,
    case_id: str,
    step: str,
    *,
    incident: Edit | None = None,
    entry: EntryEdit | None = None,
) -> Case:
    """The person is done with a step: what it still holds (an answer, a pending entry) is saved with
    it, and the step is marked done. Raises EditConflict, saving nothing, when another window saved a
    different value in the same field."""

    def change(case: Case) -> Case:
        if incident is not None:
            case = _with_incident(case, incident)
        if entry is not None:
            case = _with_entry(case, entry)
        return case.with_step_done(step)

    return _step_saved(vault, case_id, step, change)


def save_draft(vault: UnlockedVault, case_id: str, incident: Edit) -> Case:
    """A draft saved while the person types, so closing the window loses nothing. Not an event of the
    case: no journal entry, the step not marked done. Raises EditConflict rather than save over another
    window's words."""
    return vault.update_case(case_id, lambda case: _with_incident(case, incident))


def save_entry(vault: UnlockedVault, case_id: str, step: str, entry: EntryEdit) -> Case:
    """Add an entry to a list step, or change one. The step is not marked done: "continue where you
    left off" comes back to it until the person says they are done."""
    return _step_saved(vault, case_id, step, lambda case: _with_entry(case, entry))


def remove_entry(
    vault: UnlockedVault, case_id: str, step: str, collection: str, entry_id: str, shown: str | None = None
) -> Case:
    """Remove an entry. With `shown` (the fingerprint of the entry as the page showed it), an entry
    changed in another window since is not removed: EntryChanged."""

    def change(case: Case) -> Case:
        found = next((e for e in getattr(case, collection) if e.id == entry_id), None)
        if found is not None and shown is not None and fingerprint(entry_values(found)) != shown:
            raise EntryChanged(entry_id)
        return case.without_entry(collection, entry_id)

    return vault.update_case(case_id, change, vocabulary.WALKTHROUGH_REMOVED, {"step": step})


def country_edit(code: str, revision: int | None, shown: str = "") -> Edit:
    """Where the person lives, as a country form sends it: `shown` is the country the page showed
    selected (none, the first time), so a country saved since by another window is not replaced
    blindly."""
    return Edit({"country": code}, revision, {"country": fingerprint(shown)})


def set_country(vault: UnlockedVault, case_id: str, edit: Edit) -> Case:
    """Where the person lives (`country` in `edit`, see `country_edit`), which decides the laws and the
    police to write to. Part of the takedown step, and journaled as it (the step is not marked done:
    the person has not seen the plan for that country yet). Raises EditConflict."""
    return _step_saved(vault, case_id, "takedown", lambda case: _with_incident(case, edit))


def signer_values(signer: Signer) -> dict[str, Any]:
    return dataclasses.asdict(signer)


def save_signer(vault: UnlockedVault, case_id: str, edit: Edit) -> Case:
    """The details the letters are written from: who signs, how to reach them, what they declare.
    Raises EditConflict when another window saved a different value in the same field."""

    def change(case: Case) -> Case:
        merged = merge(signer_values(case.signer), case.revision, edit)
        return case.with_signer(replace(case.signer, **merged))

    return vault.update_case(case_id, change, vocabulary.LETTER_DETAILS, {})
