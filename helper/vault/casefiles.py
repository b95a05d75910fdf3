"""A case on disk: its record file, the small files of its latest additions, and the copy in memory.

    cases/<case id>.age                 {"format": "helper.casefile.v1", "case": …, "journal": […],
                                         "through": N, "sender": {…}}: the record and its
                                         hash-chained journal (and, for a case received from another
                                         vault, who sent it)
    cases/<case id>.adds/<seq>.age      {"seq": n, "revision": r, "item": … or null, "entry": …}:
                                         one addition (an item and its journal entry, or an entry alone)

Adding to a case must cost the same in a case of 3,000 items as in one of 10, so an addition is one
small file of its own; now and then the record is written whole with the additions folded in. What
makes that safe, and what every reader and writer here keeps true:

- **seq.** Additions are numbered 1, 2, 3… for the life of the case, never reused and never reset by
  a fold: the next one is always the last one applied + 1. A reader applies them in order and refuses
  a gap (`DamagedCase`), so a lost file is noticed, never skipped.
- **through.** The record names the last addition it already holds. Additions numbered at or below
  `through` are skipped: a crash between writing a folded record and deleting its additions leaves
  them behind, and they are never applied twice. A record written before additions existed has none
  (read as 0).
- **revision.** Every change (a whole-record write or an addition) raises the case's revision by one,
  and an addition carries the revision it made; `update_case(expected_revision=…)` compares with it.
  Each addition's journal entry must follow the journal as read so far (its place and the previous
  entry's hash), or the case is reported damaged.
- **fold.** Any whole-record write (an edit of the record, a received case) folds every addition so
  far into the record, with `through` the highest number on disk or applied, then deletes them; and
  an addition that would make FOLD_AFTER files is written as a fold instead.
- **read-back check.** What a read would refuse is never written: a record or an item that does not
  read back as written raises `InvalidRecord`, and the file on disk stays as it was.
- **sender.** A case received in a hand-over keeps, beside its record, the signing key of the vault
  that first delivered it (trust on first use) and the sender's revision last taken from it. It is
  this vault's own knowledge, not part of the record: never exported, never taken from a bundle, kept
  by every later write of the case, and gone only with the case. A file written before it existed, or
  for a case made here, has none.

Every write is atomic (temp name, flush, rename, flush of the folder) and made under the vault's
write lock by the caller. Each case is kept in memory as last read, with the identity of its record
file (inode, time, size): any window or process writing it is noticed, only additions not yet seen are
read, and `forget()` (the vault being locked) lets the whole of it go with the key.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import os
import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pyrage

from helper.case import Case, CaseFormatError, EvidenceItem, InvalidRecord, utc_now
from helper.ids import ID_PATTERN
from helper.vault import crypto, journal
from helper.vault.atomic import atomic_write_bytes, fsync_dir
from helper.vault.errors import CaseNotFound, DamagedCase
from helper.vault.journal import JournalEntry
from helper.vault.keyfiles import Keys
from helper.vocabulary import N_

CASES = "cases"
CASEFILE_FORMAT = "helper.casefile.v1"
ADDS_SUFFIX = ".adds"
# A case's additions are small files of their own until this many have gathered; then the next
# addition is written as a fold (see `append`).
FOLD_AFTER = 256


@dataclass(frozen=True)
class Sender:
    """The vault whose hand-over first delivered a case here: its Ed25519 public key (32 bytes), and the
    sender's own revision of the case in the last bundle taken from it (a replay of an older one is
    refused by it, whatever was changed here since)."""

    key: bytes
    revision: int

    def __post_init__(self) -> None:
        if type(self.key) is not bytes or len(self.key) != 32:
            raise ValueError("a sender's key is 32 bytes")
        if type(self.revision) is not int or self.revision < 0:
            raise ValueError("a sender's revision is a whole number")

    def to_dict(self) -> dict[str, Any]:
        return {"key": base64.b64encode(self.key).decode("ascii"), "revision": self.revision}

    @classmethod
    def from_dict(cls, data: Any) -> Sender:
        if not isinstance(data, dict) or set(data) != {"key", "revision"} or not isinstance(data["key"], str):
            raise ValueError("a sender is its key and a revision")
        try:
            key = base64.b64decode(data["key"], validate=True)
        except binascii.Error as exc:
            raise ValueError("a sender's key is base64") from exc
        return cls(key, data["revision"])


@dataclass(frozen=True)
class Cached:
    """A case as last read: the identity of its record file, the last addition applied, the values,
    and who sent it (a received case)."""

    stamp: tuple[int, int, int]
    last_seq: int
    case: Case
    entries: tuple[JournalEntry, ...]
    sender: Sender | None = None


class CaseFiles:
    """The case files of one vault folder, read and written with the vault's keys."""

    def __init__(self, folder: Path, keys: Keys) -> None:
        self.folder = folder / CASES
        self._keys = keys
        self._cases: dict[str, Cached] = {}  # memory only; emptied by `forget()`

    def forget(self) -> None:
        self._cases.clear()

    # -- where -------------------------------------------------------------------------------------

    def path(self, case_id: str) -> Path:
        if not ID_PATTERN.match(case_id):
            raise CaseNotFound(case_id)
        return self.folder / f"{case_id}.age"

    def adds_dir(self, case_id: str) -> Path:
        return self.folder / f"{case_id}{ADDS_SUFFIX}"

    def ids(self) -> list[str]:
        return sorted(p.stem for p in self.folder.glob("*.age") if ID_PATTERN.match(p.stem))

    def exists(self, case_id: str) -> bool:
        """One file looked at, whatever the number of cases."""
        return bool(ID_PATTERN.match(case_id)) and (self.folder / f"{case_id}.age").exists()

    @staticmethod
    def _stamp(path: Path) -> tuple[int, int, int]:
        """What changes whenever a case file is written (by any window or process): each write is an
        atomic rename, so a new inode, and its time and size."""
        st = path.stat()
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def _add_seqs(self, case_id: str) -> list[int]:
        """The sequence numbers of the case's additions on disk, in order."""
        try:
            names = os.listdir(self.adds_dir(case_id))
        except FileNotFoundError:
            return []
        return sorted(int(n[:-4]) for n in names if n.endswith(".age") and n[:-4].isdigit())

    # -- reading -----------------------------------------------------------------------------------

    def read(self, case_id: str) -> tuple[Case, tuple[JournalEntry, ...]]:
        cached = self.current(case_id)
        return cached.case, cached.entries

    def current(self, case_id: str) -> Cached:
        """The case as saved now: its record file (decrypted once per change of that file, then kept in
        memory while unlocked) with the additions made since applied in order; only additions not yet
        seen are read."""
        path = self.path(case_id)
        try:
            stamp = self._stamp(path)
        except FileNotFoundError as exc:
            self._cases.pop(case_id, None)
            raise CaseNotFound(case_id) from exc
        cached = self._cases.get(case_id)
        if cached is None or cached.stamp != stamp or self._keys.is_locked:
            case, entries, through, sender = self._decrypt_record(case_id, path)
            cached = Cached(stamp, through, case, entries, sender)
        newer = [seq for seq in self._add_seqs(case_id) if seq > cached.last_seq]
        if newer:
            cached = self._apply_adds(case_id, cached, newer)
        self._cases[case_id] = cached
        return cached

    def _apply_adds(self, case_id: str, cached: Cached, seqs: list[int]) -> Cached:
        case, entries, last = cached.case, cached.entries, cached.last_seq
        folder = self.adds_dir(case_id)
        for seq in seqs:
            try:
                if seq != last + 1:
                    raise ValueError("an addition is missing")
                data = json.loads(
                    crypto.decrypt_bytes((folder / f"{seq:010d}.age").read_bytes(), self._keys.identity)
                )
                entry = JournalEntry.from_dict(data["entry"])
                if data["seq"] != seq or entry.seq != len(entries) or entry.prev != journal.head(entries):
                    raise ValueError("the addition does not follow the journal")
                if data["item"] is not None:
                    case = replace(case, evidence=(*case.evidence, EvidenceItem.from_dict(data["item"])))
                case = replace(case, revision=int(data["revision"]))
            except (pyrage.DecryptError, FileNotFoundError, ValueError, KeyError, TypeError) as exc:
                raise DamagedCase(
                    N_("case %(case)s cannot be read: %(why)s"), case=case_id, why=str(exc)
                ) from exc
            entries = (*entries, entry)
            last = seq
        return Cached(cached.stamp, last, case, entries, cached.sender)

    def _decrypt_record(
        self, case_id: str, path: Path
    ) -> tuple[Case, tuple[JournalEntry, ...], int, Sender | None]:
        try:
            ciphertext = path.read_bytes()
        except FileNotFoundError as exc:
            raise CaseNotFound(case_id) from exc
        try:
            data: dict[str, Any] = json.loads(crypto.decrypt_bytes(ciphertext, self._keys.identity))
            if data.get("format") != CASEFILE_FORMAT:
                raise CaseFormatError(f"unknown case file format {data.get('format')!r}")
            case = Case.from_dict(data["case"])
            entries = tuple(JournalEntry.from_dict(e) for e in data["journal"])
            through = int(data.get("through", 0))  # files written before additions existed have none
            sender = Sender.from_dict(data["sender"]) if data.get("sender") is not None else None
        except (pyrage.DecryptError, ValueError, KeyError, TypeError) as exc:
            raise DamagedCase(
                N_("case %(case)s cannot be read: %(why)s"), case=case_id, why=str(exc)
            ) from exc
        if case.id != case_id:
            raise DamagedCase(N_("case %(case)s holds another case's record"), case=case_id)
        return case, entries, through, sender

    # -- writing (under the vault's write lock) ----------------------------------------------------

    def write(self, case: Case, entries: tuple[JournalEntry, ...], sender: Sender | None = None) -> None:
        """Write the whole record, folding in every addition so far. The additions are deleted after: a
        crash in between leaves them on disk, numbered at or below `through`, and they are skipped.
        The case's sender is kept as it was read, unless `sender` (a case received) is given."""
        data = case.to_dict()
        try:  # what a read would refuse is never written: a bad change fails here, the file stays
            if Case.from_dict(data) != case:
                raise CaseFormatError("the case does not read back as written")
        except (CaseFormatError, TypeError, ValueError) as exc:
            raise InvalidRecord(f"case {case.id} was not saved: {exc}") from exc
        seqs = self._add_seqs(case.id)
        known = self._cases.get(case.id)
        through = max([known.last_seq if known else 0, *seqs])
        if sender is None and known is not None:
            sender = known.sender
        envelope: dict[str, Any] = {
            "format": CASEFILE_FORMAT,
            "case": data,
            "journal": [e.to_dict() for e in entries],
            "through": through,
        }
        if sender is not None:
            envelope["sender"] = sender.to_dict()
        payload = json.dumps(envelope, ensure_ascii=False).encode("utf-8")
        path = self.path(case.id)
        atomic_write_bytes(path, crypto.encrypt_bytes(payload, self._keys.recipient))
        self._cases[case.id] = Cached(self._stamp(path), through, case, entries, sender)
        if seqs:
            folder = self.adds_dir(case.id)
            for seq in seqs:
                with contextlib.suppress(FileNotFoundError):
                    (folder / f"{seq:010d}.age").unlink()
            fsync_dir(folder)

    def append(self, cached: Cached, action: str, detail: dict[str, Any], item: EvidenceItem | None) -> Case:
        """Add one item and its journal entry (or an entry alone) as a small file of its own, so the
        cost does not grow with the case; every FOLD_AFTER additions, the record is written whole
        instead. Called with the latest saved case (`current`)."""
        case_id = cached.case.id
        evidence = cached.case.evidence
        if item is not None:
            if EvidenceItem.from_dict(item.to_dict()) != item:
                raise InvalidRecord(f"item {item.id} was not saved: it does not read back as written")
            evidence = (*evidence, item)
        case = replace(cached.case, evidence=evidence, revision=cached.case.revision + 1)
        entries = journal.append(cached.entries, utc_now(), action, detail)
        seqs = self._add_seqs(case_id)
        if len(seqs) + 1 >= FOLD_AFTER:
            self.write(case, entries)
            return case
        seq = cached.last_seq + 1
        payload = json.dumps(
            {
                "seq": seq,
                "revision": case.revision,
                "item": item.to_dict() if item is not None else None,
                "entry": entries[-1].to_dict(),
            },
            ensure_ascii=False,
        ).encode("utf-8")
        folder = self.adds_dir(case_id)
        folder.mkdir(mode=0o700, exist_ok=True)
        atomic_write_bytes(folder / f"{seq:010d}.age", crypto.encrypt_bytes(payload, self._keys.recipient))
        self._cases[case_id] = Cached(cached.stamp, seq, case, entries, cached.sender)
        return case

    def delete(self, case_id: str) -> None:
        """The record and its additions, for good (the case's files are the caller's to delete first)."""
        with contextlib.suppress(FileNotFoundError):
            self.path(case_id).unlink()
        fsync_dir(self.folder)
        shutil.rmtree(self.adds_dir(case_id), ignore_errors=True)
        self._cases.pop(case_id, None)
