"""A case on disk: its record file, the small files of its latest changes, and the copy in memory.

    cases/<case id>.age                 {"format": "helper.casefile.v1", "case": …, "journal": […],
                                         "through": N, "sender": {…}}: the record and its
                                         hash-chained journal (and, for a case received from another
                                         vault, who sent it)
    cases/<case id>.adds/<seq>.age      one change since (`changes`): the new value of the top-level
                                         fields it changed, the entries it put (an item added or
                                         described, a link, a note, a letter…), its journal entries,
                                         and the case's row in the case list once it is applied
    cases/index.age                     the case list (`caseindex`): a cache, never the truth

Changing a case must cost the same in a case of 3,000 items as in one of 10, so a change, whatever
the verb (an item added, a draft saved while the person types, a step, a description, a link, a
consent, a note, a letter recorded as sent) is one small file of what it changed; now and then the
record is written whole with the changes folded in. What makes that safe, and what every reader and
writer here keeps true:

- **seq.** Changes are numbered 1, 2, 3… for the life of the case, never reused and never reset by a
  fold: the next one is always the last one applied + 1. A reader applies them in order and refuses a
  gap (`DamagedCase`), so a lost file is noticed, never skipped.
- **through.** The record names the last change it already holds. Changes numbered at or below
  `through` are skipped: a crash between writing a folded record and deleting its changes leaves them
  behind, and they are never applied twice. A record written before changes existed has none (read
  as 0).
- **revision.** Every write (a whole record or a change) raises the case's revision by one, and a
  change carries the revision it made (a reader refuses one that does not raise it);
  `update_case(expected_revision=…)` compares with it. Each journal entry of a change must follow the
  journal as read so far (its place and the previous entry's hash), or the case is reported damaged.
- **fold.** A whole-record write (a new case, a received case, a change a change file cannot say)
  folds every change so far into the record, with `through` the highest number on disk or applied,
  then deletes them. A change is written as a fold instead when it would make FOLD_AFTER files, when
  the change files would then outweigh the record (and FOLD_BYTES), or when it alone weighs half as
  much (an item taken out of a big case gives the collection whole): reading a case never costs more
  than twice reading its record.
- **read-back check.** What a read would refuse is never written: a change is read back, from the
  bytes about to be encrypted, by the very function a reader applies, and must give the case and
  journal the verb made; a value the record cannot hold raises `InvalidRecord`, and one a change file
  cannot say (an id given twice) is written as a whole record, whose own check is `Case.from_dict`.
  Either way a refused write leaves every file as it was.
- **sender.** A case received in a hand-over keeps, beside its record, the signing key of the vault
  that first delivered it (trust on first use) and the sender's revision last taken from it. It is
  this vault's own knowledge, not part of the record: never exported, never taken from a bundle, kept
  by every later write of the case, and gone only with the case. A file written before it existed, or
  for a case made here, has none.

Every write is atomic (temp name, flush, rename, flush of the folder) and made under the vault's
write lock by the caller. Each case is kept in memory as last read, with the identity of its record
file (inode, time, size): any window or process writing it is noticed, only changes not yet seen are
read, and `forget()` (the vault being locked) lets the whole of it go with the key. A reader holds no
lock: a change file folded away by another window between listing and reading it sends the reader
back to the record.
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
from helper.vault import changes, crypto, journal
from helper.vault.atomic import atomic_write_bytes, fsync_dir
from helper.vault.caseindex import CaseIndex, Indexed, Stamp
from helper.vault.errors import CaseNotFound, DamagedCase, VaultError
from helper.vault.journal import JournalEntry
from helper.vault.keyfiles import Keys
from helper.vault.listings import CaseListing, CaseSummary
from helper.vocabulary import N_

CASES = "cases"
CASEFILE_FORMAT = "helper.casefile.v1"
ADDS_SUFFIX = ".adds"
# A case's changes are small files of their own until this many have gathered, or until together they
# would weigh more than the record and than FOLD_BYTES; then the next change is written as a fold.
FOLD_AFTER = 256
FOLD_BYTES = 256 * 1024


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
    """A case as last read: the identity of its record file, the last change applied, the values, who
    sent it (a received case), and the bytes of the change files applied over the record."""

    stamp: Stamp
    last_seq: int
    case: Case
    entries: tuple[JournalEntry, ...]
    sender: Sender | None = None
    pending: int = 0


class _ReadAgain(Exception):
    """A change file went between listing and reading it: another window folded the case."""


class CaseFiles:
    """The case files of one vault folder, read and written with the vault's keys."""

    def __init__(self, folder: Path, keys: Keys) -> None:
        self.folder = folder / CASES
        self._keys = keys
        self._cases: dict[str, Cached] = {}  # memory only; emptied by `forget()`
        self.index = CaseIndex(self.folder, keys)

    def forget(self) -> None:
        self._cases.clear()
        self.index.forget()

    def _remember(self, case_id: str, cached: Cached) -> None:
        """Keep a case in memory, unless the vault was locked meanwhile: a read in another thread (a
        page, the orphan sweep) finishing after `lock()` must not put back what it let go."""
        self._cases[case_id] = cached
        if self._keys.is_locked:  # the key goes before the cases (`UnlockedVault.lock`)
            self._cases.clear()

    # -- where -------------------------------------------------------------------------------------

    def path(self, case_id: str) -> Path:
        if not ID_PATTERN.match(case_id):
            raise CaseNotFound(case_id)
        return self.folder / f"{case_id}.age"

    def adds_dir(self, case_id: str) -> Path:
        return self.folder / f"{case_id}{ADDS_SUFFIX}"

    def change_path(self, case_id: str, seq: int) -> Path:
        return self.adds_dir(case_id) / f"{seq:010d}.age"

    def ids(self) -> list[str]:
        return sorted(p.stem for p in self.folder.glob("*.age") if ID_PATTERN.match(p.stem))

    def exists(self, case_id: str) -> bool:
        """One file looked at, whatever the number of cases."""
        return bool(ID_PATTERN.match(case_id)) and (self.folder / f"{case_id}.age").exists()

    @staticmethod
    def _stamp(path: Path) -> Stamp:
        """What changes whenever a case file is written (by any window or process): each write is an
        atomic rename, so a new inode, and its time and size."""
        st = path.stat()
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def _add_seqs(self, case_id: str) -> list[int]:
        """The sequence numbers of the case's changes on disk, in order."""
        try:
            names = os.listdir(os.path.join(self.folder, f"{case_id}{ADDS_SUFFIX}"))
        except FileNotFoundError:
            return []
        return sorted(int(n[:-4]) for n in names if n.endswith(".age") and n[:-4].isdigit())

    def _changes_after(self, case_id: str, seq: int) -> list[int]:
        """The numbers of the case's changes on disk after `seq`, in order. The names are zero-padded,
        so the last one in text order is the last change: when it is not after `seq` (a case left
        alone since the index was written: the common case, with up to FOLD_AFTER files) no other
        name is parsed."""
        try:
            names = os.listdir(os.path.join(self.folder, f"{case_id}{ADDS_SUFFIX}"))
        except FileNotFoundError:
            return []
        last = max(names, default="")  # temp files (".tmp-…") sort before every number
        if last.endswith(".age") and last[:-4].isdigit() and int(last[:-4]) <= seq:
            return []
        return sorted(
            n for n in (int(n[:-4]) for n in names if n.endswith(".age") and n[:-4].isdigit()) if n > seq
        )

    # -- reading -----------------------------------------------------------------------------------

    def read(self, case_id: str) -> tuple[Case, tuple[JournalEntry, ...]]:
        cached = self.current(case_id)
        return cached.case, cached.entries

    def current(self, case_id: str) -> Cached:
        """The case as saved now: its record file (decrypted once per change of that file, then kept in
        memory while unlocked) with the changes made since applied in order; only changes not yet seen
        are read."""
        path = self.path(case_id)
        for attempt in range(3):
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
                try:
                    cached = self._apply_changes(case_id, cached, newer, may_retry=attempt < 2)
                except _ReadAgain:
                    continue
            self._remember(case_id, cached)
            return cached
        raise AssertionError("unreachable: the last attempt never reads again")  # pragma: no cover

    def _apply_changes(self, case_id: str, cached: Cached, seqs: list[int], may_retry: bool) -> Cached:
        case, entries, last, pending = cached.case, cached.entries, cached.last_seq, cached.pending
        for seq in seqs:
            path = self.change_path(case_id, seq)
            try:
                if seq != last + 1:
                    raise ValueError("a change is missing")
                ciphertext = path.read_bytes()
                data = json.loads(crypto.decrypt_bytes(ciphertext, self._keys.identity))
                if data["seq"] != seq:
                    raise ValueError("a change is not where its number says")
                case, entries = changes.apply(case, entries, data)
            except FileNotFoundError as exc:
                if may_retry and self._moved_on(case_id, cached.stamp):
                    raise _ReadAgain from exc
                raise self._damaged(case_id, exc) from exc
            except (pyrage.DecryptError, ValueError, KeyError, TypeError) as exc:
                raise self._damaged(case_id, exc) from exc
            last = seq
            pending += len(ciphertext)
        return Cached(cached.stamp, last, case, entries, cached.sender, pending)

    def _moved_on(self, case_id: str, stamp: Stamp) -> bool:
        try:
            return self._stamp(self.path(case_id)) != stamp
        except FileNotFoundError:
            return True

    @staticmethod
    def _damaged(case_id: str, exc: BaseException) -> DamagedCase:
        return DamagedCase(N_("case %(case)s cannot be read: %(why)s"), case=case_id, why=str(exc))

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
            raise self._damaged(case_id, exc) from exc
        if case.id != case_id:
            raise DamagedCase(N_("case %(case)s holds another case's record"), case=case_id)
        return case, entries, through, sender

    # -- the case list -----------------------------------------------------------------------------

    def listing(self) -> tuple[list[CaseListing], dict[str, Indexed | None]]:
        """Every case's row of the list, read from the index where it still holds for the case's files,
        else from the case's latest change, else from the record; and what the index should say now
        where it was out of date (None: a case gone), for `refresh_index`."""
        index = self.index.entries()
        rows: list[CaseListing] = []
        fresh: dict[str, Indexed | None] = {}
        # Plain names and one look at the folder: this runs for every case of a counselor's vault.
        folder = os.fspath(self.folder)
        with os.scandir(folder) as found:
            names = {entry.name for entry in found}
        ids = sorted(n[:-4] for n in names if n.endswith(".age") and ID_PATTERN.match(n[:-4]))
        for case_id in ids:
            try:
                st = os.stat(os.path.join(folder, f"{case_id}.age"))
            except FileNotFoundError:
                continue  # deleted in the meantime
            stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
            summary = None
            known = index.get(case_id)
            if known is not None and known.stamp == stamp:
                newer = self._changes_after(case_id, known.seq) if f"{case_id}{ADDS_SUFFIX}" in names else []
                if not newer:
                    summary = known.summary
                elif newer == list(range(known.seq + 1, newer[-1] + 1)):
                    summary = self._change_summary(case_id, newer[-1])
                    if summary is not None:
                        fresh[case_id] = Indexed(stamp, newer[-1], summary)
            if summary is None:
                try:
                    cached = self.current(case_id)
                except CaseNotFound:
                    continue
                except DamagedCase as exc:
                    rows.append(CaseListing(case_id, None, str(exc)))
                    continue
                summary = CaseSummary.of(cached.case, cached.entries)
                fresh[case_id] = Indexed(cached.stamp, cached.last_seq, summary)
            rows.append(CaseListing(case_id, summary))
        fresh.update(dict.fromkeys(set(index) - set(ids)))
        return rows, fresh

    def _change_summary(self, case_id: str, seq: int) -> CaseSummary | None:
        """The case's row as its change number `seq` left it (None: not to be had from that file)."""
        try:
            ciphertext = self.change_path(case_id, seq).read_bytes()
            data = json.loads(crypto.decrypt_bytes(ciphertext, self._keys.identity))
            if data.get("format") != changes.CHANGE_FORMAT or data.get("seq") != seq:
                return None
            return CaseSummary.from_dict(data["summary"])
        except (OSError, pyrage.DecryptError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def refresh_index(self, fresh: dict[str, Indexed | None]) -> None:
        """Under the vault's write lock: write into the index what `listing` found, where it is still
        true of the case's files now (another window may have written since)."""
        keep: dict[str, Indexed | None] = {}
        for case_id, entry in fresh.items():
            try:
                stamp = self._stamp(self.path(case_id))
            except FileNotFoundError:
                keep[case_id] = None
                continue
            if (
                entry is not None
                and stamp == entry.stamp
                and max(self._add_seqs(case_id), default=0) <= entry.seq
            ):
                keep[case_id] = entry
        if keep:
            self.index.update(keep)

    def _index_quietly(self, changes_: dict[str, Indexed | None]) -> None:
        """The index written after a record: a cache, so a failure (a full disk) leaves the list to be
        made from the records, and never fails the write that was made."""
        with contextlib.suppress(OSError, VaultError):
            self.index.update(changes_)

    # -- writing (under the vault's write lock) ----------------------------------------------------

    def write(self, case: Case, entries: tuple[JournalEntry, ...], sender: Sender | None = None) -> None:
        """Write the whole record, folding in every change so far. The changes are deleted after: a
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
        stamp = self._stamp(path)
        self._remember(case.id, Cached(stamp, through, case, entries, sender))
        if seqs:
            for seq in seqs:
                with contextlib.suppress(FileNotFoundError):
                    self.change_path(case.id, seq).unlink()
            fsync_dir(self.adds_dir(case.id))
        self._index_quietly({case.id: Indexed(stamp, through, CaseSummary.of(case, entries))})

    def commit(self, cached: Cached, case: Case, entries: tuple[JournalEntry, ...], made: int) -> Case:
        """Save `case` and `entries` (the last `made` of them new), made from `cached` (the latest saved
        case, `current`) by a verb: as a change file of what differs, or folded into the record."""
        found = changes.diff(cached.case, case)
        if found is None:
            self.write(case, entries)
            return case
        return self._write_change(cached, found, case, entries, made)

    def append(self, cached: Cached, action: str, detail: dict[str, Any], item: EvidenceItem | None) -> Case:
        """Add one item and its journal entry (or an entry alone): a change that puts it, without
        comparing the case's thousands of items to find it. Called with the latest saved case."""
        evidence = cached.case.evidence if item is None else (*cached.case.evidence, item)
        case = replace(cached.case, evidence=evidence, revision=cached.case.revision + 1)
        entries = journal.append(cached.entries, utc_now(), action, detail)
        put = {"evidence": [item.to_dict()]} if item is not None else {}
        return self._write_change(cached, {"fields": {}, "put": put}, case, entries, 1)

    def _write_change(
        self,
        cached: Cached,
        change: dict[str, Any],
        case: Case,
        entries: tuple[JournalEntry, ...],
        made: int,
    ) -> Case:
        case_id = cached.case.id
        if len(self._add_seqs(case_id)) + 1 >= FOLD_AFTER:
            self.write(case, entries)
            return case
        seq = cached.last_seq + 1
        try:
            raw = json.dumps(changes.payload(seq, change, case, entries, made), ensure_ascii=False).encode()
            again = changes.apply(cached.case, cached.entries, json.loads(raw))
        except (ValueError, KeyError, TypeError) as exc:  # a value the record cannot hold
            raise InvalidRecord(f"case {case_id} was not saved: {exc}") from exc
        if again != (case, entries):  # not a change a change file can say: the whole record
            self.write(case, entries)
            return case
        ciphertext = crypto.encrypt_bytes(raw, self._keys.recipient)
        pending = cached.pending + len(ciphertext)
        weight = max(cached.stamp[2], FOLD_BYTES)  # the record's, in bytes of ciphertext
        if pending > weight or 2 * len(ciphertext) > weight:  # a fold costs hardly more, or is due
            self.write(case, entries)
            return case
        folder = self.adds_dir(case_id)
        made_folder = not folder.exists()
        folder.mkdir(mode=0o700, exist_ok=True)
        try:
            atomic_write_bytes(self.change_path(case_id, seq), ciphertext)
        except BaseException:
            if made_folder:  # a full disk: not even an empty folder stays
                with contextlib.suppress(OSError):
                    folder.rmdir()
            raise
        self._remember(case_id, Cached(cached.stamp, seq, case, entries, cached.sender, pending))
        return case

    def delete(self, case_id: str) -> None:
        """The record and its changes, for good (the case's files are the caller's to delete first)."""
        with contextlib.suppress(FileNotFoundError):
            self.path(case_id).unlink()
        fsync_dir(self.folder)
        shutil.rmtree(self.adds_dir(case_id), ignore_errors=True)
        self._cases.pop(case_id, None)
        self._index_quietly({case_id: None})
