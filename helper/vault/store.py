"""The vault: a folder of age files, opened with a passphrase or a recovery key.

Layout (DESIGN.md section 4):

    incident-helper-vault.json   {"format": "helper.vault.v1"}: nothing secret, marks the folder
    identity.age                 the X25519 identity, encrypted with the passphrase (scrypt)
    recovery.age                 the same identity, encrypted with the recovery key (scrypt)
    signing.age                  the Ed25519 key that signs dossier manifests
    cases/<random id>.age        a case record and its journal, JSON, encrypted to the identity
    cases/<random id>.adds/      the case's latest changes, each a small file, folded into the record
                                 now and then
    cases/index.age              what the case list shows of each case (a cache of the records)
    blobs/<random id>.age        evidence bytes as they came in, and the files made from them

This module is the front: `Vault` (a folder, still locked) and `UnlockedVault`, which holds the key
and puts together the parts, each in a module of its own: the key files (`keyfiles`), the case files
and their changes (`casefiles`, `changes`), the case list (`caseindex`), the encrypted files and the
one way their bytes come out (`blobs.VerifiedItem`). It decides what happens under the write lock; the
parts decide how it is written.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pyrage
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from helper import vocabulary
from helper.case import Case, EvidenceItem, clean_title, utc_now
from helper.ids import new_id
from helper.vault import crypto, journal, keyfiles, portable
from helper.vault.atomic import atomic_file, atomic_write_bytes, fsync_dir, remove_stale_temps
from helper.vault.blobs import BLOBS, BlobFiles, PendingBlob, VerifiedItem
from helper.vault.casefiles import ADDS_SUFFIX, CASES, CaseFiles, Sender
from helper.vault.errors import (
    DERIVED_CHANGED,
    CaseNotFound,
    DamagedCase,
    ItemNotFound,
    MissingItem,
    NotAVault,
    StaleRevision,
    TamperedItem,
    VaultError,
    VaultExists,
    is_disk_full,
)
from helper.vault.journal import JournalEntry
from helper.vault.keyfiles import IDENTITY, RECOVERY, SIGNING, Keys
from helper.vault.listings import CaseListing, Problem
from helper.vault.passphrase import check_new_passphrase
from helper.vocabulary import N_

log = logging.getLogger(__name__)

VAULT_FORMAT = "helper.vault.v1"
MARKER = "incident-helper-vault.json"
LOCKFILE = ".lock"

# A journal entry to write: its code (helper.vocabulary) and its facts.
Event = tuple[str, dict[str, Any]]


@contextlib.contextmanager
def write_lock(folder: Path) -> Iterator[None]:
    """Serialises read-modify-write of a vault across threads and processes."""
    with portable.exclusive(folder / LOCKFILE):
        yield


def write_lock_if_free(folder: Path) -> contextlib.AbstractContextManager[bool]:
    """The write lock if nobody holds it (True), without waiting; for upkeep that can wait its turn."""
    return portable.exclusive_if_free(folder / LOCKFILE)


class Vault:
    """A vault folder, still locked. Opening it yields an `UnlockedVault`."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    def exists(self) -> bool:
        return (self.path / MARKER).is_file()

    def require(self) -> None:
        if not self.path.is_dir():
            raise NotAVault(N_("%(path)s does not exist"), path=str(self.path))
        marker = self.path / MARKER
        try:
            data = json.loads(marker.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise NotAVault(N_("%(path)s is not an Incident Helper vault"), path=str(self.path)) from exc
        if data.get("format") != VAULT_FORMAT:
            raise NotAVault(
                N_("%(path)s holds a vault format this version does not know"), path=str(self.path)
            )

    @classmethod
    def create(cls, path: Path | str, passphrase: str) -> tuple[UnlockedVault, str]:
        """Make a new vault; returns it unlocked, with the recovery key to show once."""
        check_new_passphrase(passphrase)
        vault = cls(path)
        if vault.path.exists() and any(vault.path.iterdir()):
            raise VaultExists(N_("%(path)s is not empty"), path=str(vault.path))
        vault.path.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(vault.path, 0o700)  # an existing empty folder keeps its mode otherwise
        identity = crypto.generate_identity()
        recovery_key = crypto.generate_recovery_key()
        keyfiles.write_new(vault.path, identity, passphrase, recovery_key)
        for sub in (CASES, BLOBS):
            (vault.path / sub).mkdir(mode=0o700, exist_ok=True)
            os.chmod(vault.path / sub, 0o700)
        unlocked = UnlockedVault(vault.path, identity)
        unlocked.signing_key()  # made now: exporting a dossier never has to write it (a full disk)
        # The marker is written last: a vault interrupted during creation is not taken for a vault.
        atomic_write_bytes(vault.path / MARKER, json.dumps({"format": VAULT_FORMAT}).encode())
        log.info("created a vault")
        return unlocked, recovery_key

    def too_open(self) -> list[Path]:
        """Vault folders wider than 0700 and files wider than 0600 (another user could read them)."""
        found = []
        for path in [self.path, *sorted(self.path.rglob("*"))]:
            with contextlib.suppress(OSError):
                mode = path.lstat().st_mode
                limit = 0o700 if path.is_dir() else 0o600
                if mode & 0o777 & ~limit:
                    found.append(path)
        return found

    def unlock(self, passphrase: str) -> UnlockedVault:
        self.require()
        return self._opened(keyfiles.open_with_passphrase(self.path, passphrase))

    def unlock_with_recovery(self, recovery_key: str) -> UnlockedVault:
        self.require()
        return self._opened(keyfiles.open_with_recovery(self.path, recovery_key))

    def _opened(self, identity: pyrage.x25519.Identity) -> UnlockedVault:
        # No cleanup here: unlocking in a second window must never touch an upload in flight.
        unlocked = UnlockedVault(self.path, identity)
        if not (self.path / SIGNING).exists():  # a vault made before the key came with the vault
            with contextlib.suppress(OSError, VaultError):  # a full disk: the first export makes it
                unlocked.signing_key()
        return unlocked

    def remove_stale_temps(self, older_than: float = 2.0) -> int:
        """Delete what killed writers left behind, under the write lock; temp files in use are locked
        by their writers and stay. Run when the app starts and before the command line writes."""
        if not self.exists():
            return 0
        with write_lock(self.path):
            return sum(
                remove_stale_temps(folder, older_than)
                for folder in (
                    self.path,
                    self.path / CASES,
                    self.path / BLOBS,
                    *(self.path / CASES).glob(f"*{ADDS_SUFFIX}"),
                )
            )


class UnlockedVault:
    """An open vault: holds the identity in memory until `lock()`."""

    ORPHAN_AGE = 600.0  # seconds: far longer than any file waits between being written and being added

    def __init__(self, path: Path, identity: pyrage.x25519.Identity) -> None:
        self.path = Path(path)
        self._keys = Keys(identity)
        # Each case as last decrypted: every page and thumbnail reads the case, and a case of thousands
        # of items should be decrypted and parsed once per change, not once per request.
        self._cases = CaseFiles(self.path, self._keys)
        self._blobs = BlobFiles(self.path, self._keys)

    # -- keys -------------------------------------------------------------------------------------

    @property
    def identity(self) -> pyrage.x25519.Identity:
        return self._keys.identity

    @property
    def is_locked(self) -> bool:
        return self._keys.is_locked

    def lock(self) -> None:
        self._keys.drop()
        self._cases.forget()  # what was decrypted goes with the key

    def change_passphrase(self, current: str, new: str) -> None:
        """Rewrites only identity.age; the evidence and the recovery key stay as they are."""
        check_new_passphrase(new)
        Vault(self.path).unlock(current)  # raises WrongPassphrase
        keyfiles.write_passphrase(self.path, self.identity, new)

    def reset_passphrase(self, new: str) -> None:
        """After unlocking with the recovery key: choose a new passphrase."""
        check_new_passphrase(new)
        keyfiles.write_passphrase(self.path, self.identity, new)

    def signing_key(self) -> Ed25519PrivateKey:
        """The vault's dossier-signing key (Ed25519), made and stored encrypted on first use."""
        with self._write_lock():
            return keyfiles.signing_key(self.path, self._keys)

    def remove_stale_temps(self, older_than: float = 2.0) -> int:
        return Vault(self.path).remove_stale_temps(older_than)

    def _write_lock(self) -> contextlib.AbstractContextManager[None]:
        return write_lock(self.path)

    # -- cases --------------------------------------------------------------------------------

    def case_ids(self) -> list[str]:
        return self._cases.ids()

    def list_cases(self) -> list[CaseListing]:
        """The case list (newest first): what it shows of each case, read from the index where it holds
        and never from whole records but where it does not (see `caseindex`). What was found out of
        date is written back, when no writer holds the vault: a list never waits on an upload."""
        rows, fresh = self._cases.listing()
        if fresh:
            with write_lock_if_free(self.path) as held, contextlib.suppress(OSError, VaultError):
                if held:
                    self._cases.refresh_index(fresh)
        rows.sort(key=lambda row: row.summary.created_at if row.summary else "", reverse=True)
        return rows

    def cases(self) -> list[Case]:
        """Every case that can be read, whole (what compares across cases needs them all): reads every
        record, unlike `list_cases`."""
        found = []
        for case_id in self.case_ids():
            with contextlib.suppress(CaseNotFound, DamagedCase):
                found.append(self.load_case(case_id))
        return found

    def create_case(self, title: str) -> Case:
        with self._write_lock():
            return self._new_case(title)

    def _new_case(self, title: str) -> Case:
        case = Case(id=new_id(), title=clean_title(title) or "Untitled case", created_at=utc_now())
        entries = journal.append((), case.created_at, vocabulary.CASE_CREATED, {"title": case.title})
        self._cases.write(case, entries)
        return case

    def find_or_create_case(self, title: str) -> tuple[Case, bool]:
        """The case with this title, or a new one (and True): looked up and created under the write
        lock, so two imports naming the same new case at once make one case, not two."""
        with self._write_lock():
            found = self._case_titled(title)
            return (found, False) if found else (self._new_case(title), True)

    def load_case(self, case_id: str) -> Case:
        return self._cases.read(case_id)[0]

    def journal(self, case_id: str) -> tuple[JournalEntry, ...]:
        return self._cases.read(case_id)[1]

    def find_case(self, name_or_id: str) -> Case:
        """A case by id, or by its exact title (the command line names cases by title)."""
        if self.has_case(name_or_id):
            return self.load_case(name_or_id)
        found = self._case_titled(name_or_id)
        if found is None:
            raise CaseNotFound(name_or_id)
        return found

    def has_case(self, case_id: str) -> bool:
        """Whether a case with this id is saved (one file looked at, whatever the number of cases)."""
        return self._cases.exists(case_id)

    def _case_titled(self, title: str) -> Case | None:
        """The case with this exact title (newest first if several), whatever its letter case: found in
        the case list, then that one case read."""
        wanted = clean_title(title).casefold()
        for row in self.list_cases():
            if row.summary and row.summary.title.casefold() == wanted:
                with contextlib.suppress(CaseNotFound):
                    return self.load_case(row.id)
        return None

    def update_case(
        self,
        case_id: str,
        change: Callable[[Case], Case],
        action: str | None = None,
        detail: dict[str, Any] | None = None,
        expected_revision: int | None = None,
        *,
        events: Sequence[Event] = (),
    ) -> Case:
        """Apply `change` to the latest saved case under the lock and journal it, in one write: a small
        file of what changed (its top-level fields, the entries it put), whatever the case's size, or
        now and then the whole record (see `casefiles`).

        The journal entries are `action` with `detail` (one event) or `events` (several, in order: an
        act that says two things, such as a letter kept and its report recorded, is still one atomic
        write, so a crash leaves both or neither). With `expected_revision`, refuse (StaleRevision)
        when another window saved in between, rather than silently overwrite what it saved. With no
        event (a draft saved while the person types), nothing is added to the journal: it records
        events, not keystrokes.
        """
        if action is not None:
            events = ((action, detail or {}), *events)
        with self._write_lock():
            cached = self._cases.current(case_id)
            case, entries = cached.case, cached.entries
            if expected_revision is not None and case.revision != expected_revision:
                raise StaleRevision(
                    N_("case %(case)s is at revision %(revision)s"), case=case_id, revision=case.revision
                )
            updated = replace(change(case), revision=case.revision + 1)
            at = utc_now()
            for code, facts in events:
                entries = journal.append(entries, at, code, facts)
            return self._cases.commit(cached, updated, entries, len(events))

    def delete_case(self, case_id: str) -> None:
        """Delete a case for good: every file of it (originals and what was made from them), then its
        record and journal. Files first: a crash half-way leaves the case listed, with some files
        missing, and deleting it again finishes the job; never a file left behind unlisted."""
        case = self.load_case(case_id)
        self.remove_blobs([b for it in case.evidence for b in it.blobs])
        with self._write_lock():
            self._cases.delete(case_id)

    def case_sender(self, case_id: str) -> Sender | None:
        """Who sent a case received from another vault (None for one made here, or received before
        the sender was kept; see `casefiles.Sender`)."""
        return self._cases.current(case_id).sender

    def receive_case(
        self,
        case: Case,
        entries: tuple[JournalEntry, ...],
        detail: dict[str, Any],
        sender: Sender,
        replacing: int | None,
    ) -> None:
        """Save a case received from another vault (its files already published here), its journal
        continued with the receipt, and who sent it. `replacing` is the revision of the copy held here
        that the person agreed to replace (None: the vault held none); if the vault holds another
        state of the case now, StaleRevision and nothing is written. The old copy's files are deleted
        after."""
        with self._write_lock():
            old = self._cases.read(case.id)[0] if self.has_case(case.id) else None
            if (None if old is None else old.revision) != replacing:
                raise StaleRevision(N_("case %(case)s changed while it was being received"), case=case.id)
            received = journal.append(entries, utc_now(), vocabulary.HANDOVER_RECEIVED, detail)
            self._cases.write(case, received, sender)
        if old is not None:
            kept = {b for it in case.evidence for b in it.blobs}
            self.remove_blobs([b for it in old.evidence for b in it.blobs if b not in kept])

    def note(self, case_id: str, action: str, detail: dict[str, Any]) -> None:
        """Journal something that happened without changing the record (an item revealed, exported)."""
        with self._write_lock():
            self._cases.append(self._cases.current(case_id), action, detail, None)

    def note_handed_out(self, case_id: str, action: str, detail: dict[str, Any]) -> bool:
        """Journal a file handed out of the vault (a dossier, the originals). With the vault's disk full,
        the file is still handed out (it is going to another disk, and may be what the person needs
        most): only the journal misses the event, and the log says so. False when it was not noted."""
        try:
            self.note(case_id, action, detail)
        except OSError as exc:
            if not is_disk_full(exc):
                raise
            log.warning("the disk is full: %s was not written in the case's journal", action)
            return False
        return True

    # -- evidence -----------------------------------------------------------------------------

    def begin_blob(
        self,
        expected_size: int | None = None,
        on_progress: Callable[[int], None] | None = None,
        md5: bool = True,
    ) -> PendingBlob:
        """Start writing a file into the vault; `expected_size` (when known) picks the fastest way to
        encrypt it; `on_progress` hears the byte count as it grows."""
        return self._blobs.begin(expected_size, on_progress, md5)

    def store_blob(self, data: bytes) -> str:
        """A small file (a thumbnail, a chat's messages): encrypted, then written atomically."""
        return self._blobs.store(data)

    def remove_blobs(self, blob_ids: tuple[str, ...] | list[str]) -> None:
        """Delete files no case refers to (an item taken out, or one refused before it was added)."""
        self._blobs.remove(blob_ids)

    def add_item(self, case_id: str, item: EvidenceItem, declared_not_intimate: bool = False) -> Case:
        """Pin an item, whose files are already durable, in its case; the record's rules (the under-18
        rule among them) are applied to the latest saved case, under the write lock."""
        detail = {"item": item.id, "sha256": item.sha256, "md5": item.md5, "size": item.size}
        if item.image and item.image.pdq:
            detail["pdq"] = item.image.pdq
        with self._write_lock():
            cached = self._cases.current(case_id)
            cached.case.check_accepts(intimate=item.intimate, declared_not_intimate=declared_not_intimate)
            return self._cases.append(cached, vocabulary.EVIDENCE_ADDED, detail, item)

    def open_item(self, item: EvidenceItem) -> VerifiedItem:
        """The one way to an item's bytes and to the files made from it, each checked against its pinned
        SHA-256 before it is handed on (see `blobs.VerifiedItem`). Opening reads nothing yet."""
        return self._blobs.open(item)

    def open_evidence(self, case_id: str, item_id: str) -> VerifiedItem:
        """`open_item` for an item named by its case and id (ItemNotFound when it is not there)."""
        item = self.load_case(case_id).item(item_id)
        if item is None:
            raise ItemNotFound(item_id)
        return self.open_item(item)

    # -- upkeep -------------------------------------------------------------------------------

    def orphans(self, older_than: float = 0.0) -> list[str] | None:
        """Encrypted files no case refers to: what an import or upload killed between writing a file
        and adding it left behind. None when a case cannot be read (its files cannot be told apart).
        Reads every case (once per change of it, while unlocked): upkeep, never on the way in."""
        referenced: set[str] = set()
        for case_id in self.case_ids():
            try:
                case = self.load_case(case_id)
            except CaseNotFound:
                continue  # deleted in the meantime, its files first
            except DamagedCase:
                return None
            referenced.update(b for it in case.evidence for b in it.blobs)
        now = time.time()
        found = []
        for path in self._blobs.files():
            if path.stem in referenced:
                continue
            with contextlib.suppress(FileNotFoundError):
                if now - path.stat().st_mtime >= older_than:
                    found.append(path.stem)
        return sorted(found)

    def remove_orphans(self, older_than: float = ORPHAN_AGE) -> int:
        """Delete files no case refers to, once they are old enough that no writer can still be about to
        add them, under the write lock (which every add holds). Returns how many.

        The cases are read first without the lock (the long part, which must not hold up the person's
        saves), and only when that finds something are they read again under it, each at the cost of
        what changed since: so a file an add took in between is never deleted."""
        if not self.orphans(older_than):
            return 0
        with self._write_lock():
            found = self.orphans(older_than)
            if found:
                self.remove_blobs(found)
        return len(found or [])

    def sweep_orphans_in_background(self) -> threading.Thread:
        """`remove_orphans` in a thread of its own, started now: what an unlock starts, so that opening
        a vault costs its key file and nothing that grows with the cases. A failure (the vault locked
        meanwhile, a full disk, a case that cannot be read) leaves the files for the next time."""

        def sweep() -> None:
            try:
                removed = self.remove_orphans()
            except (OSError, VaultError) as exc:
                log.info("files no case refers to were left for another time: %s", type(exc).__name__)
                return
            if removed:
                log.info("removed %d file(s) no case refers to", removed)

        thread = threading.Thread(target=sweep, name="orphan-sweep", daemon=True)
        thread.start()
        return thread

    def verify(self) -> list[Problem]:
        problems: list[Problem] = []
        for case_id in self.case_ids():
            try:
                case, entries = self._cases.read(case_id)
            except DamagedCase:
                problems.append(Problem(case_id, "?", None, None, N_("the case record cannot be read")))
                continue
            if journal.broken_links(entries):
                problems.append(
                    Problem(case.id, case.title, None, None, N_("the journal's hash chain is broken"))
                )
            for item in case.evidence:
                opened = self.open_item(item)
                try:
                    opened.check()
                except (MissingItem, TamperedItem) as exc:
                    problems.append(Problem(case.id, case.title, item.id, item.original_name, exc.reason))
                for blob, _sha256 in item.derived:
                    try:
                        opened.derived(blob)
                    except (MissingItem, TamperedItem):
                        problems.append(
                            Problem(case.id, case.title, item.id, item.original_name, DERIVED_CHANGED)
                        )
        return problems


__all__ = [
    "BLOBS",
    "CASES",
    "IDENTITY",
    "RECOVERY",
    "SIGNING",
    "CaseListing",
    "Sender",
    "PendingBlob",
    "Problem",
    "UnlockedVault",
    "Vault",
    "VerifiedItem",
    "atomic_file",
    "fsync_dir",
    "new_id",
]
