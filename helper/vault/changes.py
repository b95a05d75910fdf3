"""One change of a case as what changed, not the whole record: how it is found, written and applied.

    {"format": "helper.casechange.v1", "seq": n, "revision": r,
     "fields": {name: value},           top-level fields of the record, each given whole
     "put": {collection: [entry, …]},   entries of a collection (evidence items among them), each
                                        replacing the one with its id where it stands, or added last
     "journal": [entry, …],             the journal entries it makes (none for a draft)
     "summary": {…}}                    the case's row in the case list once it is applied

A change is found by comparing the case before and after a verb's `change(case) -> case`, field by
field and entry by entry. Verbs build the new case with `dataclasses.replace` and keep what they do not
touch, so the comparison is first by identity (the same tuple, the same item: unchanged, whatever its
size) and only then by value: describing one item of 3,000 compares 3,000 references and writes one
item. An entry removed or moved is not a put: its collection is given whole (small ones are; the
caller folds a change that would outweigh the record).

Applying reads each value with the record's own checks (`helper.records`, as `Case.from_dict` does),
then builds the case with `dataclasses.replace`, so the record's cross-field rules run too: a change
holds nothing a whole record could not.

An addition written before changes existed (no "format"): {"seq": n, "revision": r, "item": … or null,
"entry": …}, read as a put of that item and that one journal entry.
"""

from __future__ import annotations

import dataclasses
import typing
from functools import cache
from typing import Any

from helper import records
from helper.case import Case
from helper.vault import journal
from helper.vault.journal import JournalEntry
from helper.vault.listings import CaseSummary

CHANGE_FORMAT = "helper.casechange.v1"

# Fields a change never carries: what names the case, and what the change itself sets.
_FIXED = frozenset({"id", "revision"})


@cache
def _keyed() -> dict[str, type]:
    """The record's collections whose entries have an id (evidence, accounts, letters…), each with the
    type of its entries: a change puts their entries one by one."""
    hints = typing.get_type_hints(Case)
    found: dict[str, type] = {}
    for f in dataclasses.fields(Case):
        hint = hints[f.name]
        if typing.get_origin(hint) is tuple:
            kind: type = typing.get_args(hint)[0]
            if dataclasses.is_dataclass(kind) and "id" in {g.name for g in dataclasses.fields(kind)}:
                found[f.name] = kind
    return found


@cache
def _names() -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(Case) if f.name not in _FIXED)


def _json(value: Any) -> Any:
    """A field's value as `Case.to_dict` writes it."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return records.to_dict(value)
    if isinstance(value, tuple):
        return [records.to_dict(v) if dataclasses.is_dataclass(v) else v for v in value]
    return value


def _puts(old: tuple[Any, ...], new: tuple[Any, ...]) -> list[Any] | None:
    """The entries of `new` that are not in `old` as they were: changed in place or added last; None
    when one was removed or moved (then the collection is given whole)."""
    if len(new) < len(old):
        return None
    changed = []
    for before, after in zip(old, new, strict=False):
        if before is after:
            continue
        if before.id != after.id:
            return None
        if before != after:
            changed.append(after)
    return [*changed, *new[len(old) :]]


def diff(before: Case, after: Case) -> dict[str, Any] | None:
    """What changed from `before` to `after`, as a change's "fields" and "put"; None when the case's id
    changed (not something a change can say)."""
    if before.id != after.id:
        return None
    fields: dict[str, Any] = {}
    put: dict[str, list[Any]] = {}
    keyed = _keyed()
    for name in _names():
        old, new = getattr(before, name), getattr(after, name)
        if old is new or old == new:
            continue
        entries = _puts(old, new) if name in keyed else None
        if entries is None:
            fields[name] = _json(new)
        else:
            put[name] = [records.to_dict(e) for e in entries]
    return {"fields": fields, "put": put}


def _field(name: str, value: Any) -> Any:
    """One top-level field read with the record's own checks (a minimal record around it)."""
    if name not in _names():
        raise ValueError(f"a change cannot set {name!r}")
    shell = records.from_dict(Case, {"id": "", "title": "", "created_at": "", name: value})
    return getattr(shell, name)


def _put(case: Case, name: str, values: Any) -> tuple[Any, ...]:
    kind = _keyed().get(name)
    if kind is None or not isinstance(values, list):
        raise ValueError(f"a change cannot put entries in {name!r}")
    entries = list(getattr(case, name))
    where = {e.id: n for n, e in enumerate(entries)}
    for value in values:
        if not isinstance(value, dict):
            raise ValueError(f"{name} takes objects")
        entry: Any = records.from_dict(kind, value)
        n = where.get(entry.id)
        if n is None:
            where[entry.id] = len(entries)
            entries.append(entry)
        else:
            entries[n] = entry
    return tuple(entries)


def apply(
    case: Case, entries: tuple[JournalEntry, ...], data: dict[str, Any]
) -> tuple[Case, tuple[JournalEntry, ...]]:
    """The case and journal with one change (or an old addition) applied. Raises ValueError, KeyError
    or TypeError for anything a whole record would not hold, or a journal entry that does not follow."""
    if "format" in data:
        if data["format"] != CHANGE_FORMAT:
            raise ValueError(f"unknown change format {data['format']!r}")
        fields, put, new_entries = data["fields"], data["put"], data["journal"]
    else:  # an addition, from before changes existed
        item = data["item"]
        fields, put, new_entries = {}, ({"evidence": [item]} if item is not None else {}), [data["entry"]]
    if not isinstance(fields, dict) or not isinstance(put, dict) or not isinstance(new_entries, list):
        raise ValueError("a change is fields, entries and journal entries")
    values = {name: _field(name, value) for name, value in fields.items()}
    for name, value in put.items():
        if name in values:
            raise ValueError(f"a change sets {name!r} twice")
        values[name] = _put(case, name, value)
    revision = data["revision"]
    if type(revision) is not int or revision <= case.revision:
        raise ValueError("a change must raise the revision")
    try:
        case = dataclasses.replace(case, **values, revision=revision)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"the change breaks the record: {exc}") from exc
    for raw in new_entries:
        entry = JournalEntry.from_dict(raw)
        if entry.seq != len(entries) or entry.prev != journal.head(entries):
            raise ValueError("the change does not follow the journal")
        entries = (*entries, entry)
    return case, entries


def payload(
    seq: int, change: dict[str, Any], case: Case, entries: tuple[JournalEntry, ...], made: int
) -> dict[str, Any]:
    """A change file's content: `change` (from `diff`) as number `seq`, making the case `case` with the
    last `made` of `entries`."""
    return {
        "format": CHANGE_FORMAT,
        "seq": seq,
        "revision": case.revision,
        **change,
        "journal": [e.to_dict() for e in entries[len(entries) - made :]] if made else [],
        "summary": CaseSummary.of(case, entries).to_dict(),
    }
