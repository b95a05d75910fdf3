"""The vault: a folder of age files, opened with a passphrase or a recovery key.

Layout (DESIGN.md section 4):

    incident-helper-vault.json   {"format": "helper.vault.v1"}: nothing secret, marks the folder
    identity.age                 the X25519 identity, encrypted with the passphrase (scrypt)
    recovery.age                 the same identity, encrypted with the recovery key (scrypt)
    cases/<random id>.age        a case record and its journal, JSON, encrypted to the identity
    blobs/<random id>.age        evidence bytes as they came in, encrypted to the identity

The public recipient is never written in clear, so nobody without the passphrase can forge a file
that the vault would accept.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pyrage
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from helper.case import Case, CaseFormatError, EvidenceItem, InvalidRecord, clean_title, utc_now
from helper.ids import ID_PATTERN, new_id
from helper.vault import crypto, journal, portable
from helper.vault.atomic import (
    atomic_file,
    atomic_write_bytes,
    fsync_dir,
    open_temp,
    publish,
    remove_stale_temps,
    temp_path_for,
)
from helper.vault.errors import (
    DERIVED_CHANGED,
    ITEM_CHANGED,
    ITEM_DAMAGED,
    ITEM_MISMATCH,
    ITEM_MISSING,
    CaseNotFound,
    DamagedCase,
    ItemNotFound,
    KeyFileRefused,
    MissingItem,
    NotAVault,
    StaleRevision,
    TamperedItem,
    VaultError,
    VaultExists,
    WrongPassphrase,
    is_disk_full,
)
from helper.vault.journal import JournalEntry
from helper.vault.passphrase import check_new_passphrase
from helper.vocabulary import N_, Translate

log = logging.getLogger(__name__)

VAULT_FORMAT = "helper.vault.v1"
CASEFILE_FORMAT = "helper.casefile.v1"
MARKER = "incident-helper-vault.json"
IDENTITY = "identity.age"
RECOVERY = "recovery.age"
SIGNING = "signing.age"  # the vault's Ed25519 key that signs dossier manifests, made on first export
CASES = "cases"
BLOBS = "blobs"
LOCKFILE = ".lock"
_ID = ID_PATTERN

# A journal entry to write: its code (helper.vocabulary) and its facts.
Event = tuple[str, dict[str, Any]]


@contextlib.contextmanager
def write_lock(folder: Path) -> Iterator[None]:
    """Serialises read-modify-write of a vault across threads and processes."""
    with portable.exclusive(folder / LOCKFILE):
        yield


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
        atomic_write_bytes(vault.path / IDENTITY, crypto.wrap_identity(identity, passphrase))
        atomic_write_bytes(vault.path / RECOVERY, crypto.wrap_identity(identity, recovery_key))
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
        wrapped = (self.path / IDENTITY).read_bytes()
        identity = crypto.unwrap_identity(wrapped, passphrase)
        self._rewrap_if_needed(IDENTITY, wrapped, identity, passphrase)
        return self._opened(identity)

    def _rewrap_if_needed(self, name: str, wrapped: bytes, identity, secret: str) -> None:
        """A key file made with another scrypt work factor (rage's calibration, before this version) is
        written again at the fixed one, now that it opened: next time it opens at the same cost on any
        machine. A failure here (a full disk) leaves the old file, which still opens."""
        if crypto.needs_rewrap(wrapped):
            with contextlib.suppress(OSError):
                atomic_write_bytes(self.path / name, crypto.wrap_identity(identity, secret))

    def unlock_with_recovery(self, recovery_key: str) -> UnlockedVault:
        self.require()
        wrapped = (self.path / RECOVERY).read_bytes()
        key = crypto.normalize_recovery_key(recovery_key)
        try:
            identity = crypto.unwrap_identity(wrapped, key)
        except KeyFileRefused:
            raise
        except WrongPassphrase as exc:
            raise WrongPassphrase(N_("the recovery key does not open this vault")) from exc
        self._rewrap_if_needed(RECOVERY, wrapped, identity, key)
        return self._opened(identity)

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


@dataclass(frozen=True)
class _Cached:
    """A case as last read: the identity of its record file, the last addition applied, the values."""

    stamp: tuple[int, int, int]
    last_seq: int
    case: Case
    entries: tuple[JournalEntry, ...]


# A case's additions (items, journal entries) are small files of their own until this many have
# gathered; then the next write folds them into the record (see `add_item`).
FOLD_AFTER = 256
ADDS_SUFFIX = ".adds"


@dataclass(frozen=True)
class CaseListing:
    """One row of the case list: the case, or why it could not be read."""

    id: str
    case: Case | None
    problem: str | None = None
    last_activity: str = ""  # the time of the journal's last entry

    def matches(self, query: str) -> bool:
        """Whether a search finds this case: its title, a platform or a handle of theirs."""
        if self.case is None:
            return False
        wanted = query.casefold().strip().lstrip("@")
        c = self.case
        words = [c.title, c.incident.first_contact_platform, c.incident.moved_to_platform]
        words += [w for a in c.accounts for w in (a.platform, a.handle, a.display_name, a.platform_id)]
        words += [p.platform for p in c.places] + [p.url for p in c.places]
        return any(wanted in w.casefold() for w in words if w)


@dataclass(frozen=True)
class Problem:
    """One integrity problem found by `verify`, named by case and item."""

    case_id: str
    case_title: str
    item_id: str | None
    item_name: str | None
    reason: str

    def describe(self, gettext: Translate = str) -> str:
        where = gettext("case “%(title)s” (%(id)s)") % {"title": self.case_title, "id": self.case_id}
        if self.item_id:
            where += gettext(", item “%(name)s” (%(id)s)") % {"name": self.item_name, "id": self.item_id}
        return f"{where}: {gettext(self.reason)}"

    def __str__(self) -> str:
        return self.describe()


class PendingBlob:
    """A file being written into the vault: encrypted on the fly, then published or discarded.

    It knows nothing of what the bytes are (the evidence desk looks inside them); its temp file is
    locked while it lives, so no cleanup anywhere deletes it mid-way."""

    # From this size on, SHA-256 and MD5 are computed by threads of their own while this one encrypts.
    BACKGROUND_HASHING = 16 * 1024 * 1024

    def __init__(
        self,
        blob_dir: Path,
        recipient: pyrage.x25519.Recipient,
        expected_size: int | None = None,
        on_progress: Callable[[int], None] | None = None,
        md5: bool = True,
    ) -> None:
        self.blob_id = new_id()
        self.target = blob_dir / f"{self.blob_id}.age"
        self._temp = temp_path_for(self.target)
        self._file = open_temp(self._temp)  # owned until finish() or discard()
        large = expected_size is not None and expected_size >= self.BACKGROUND_HASHING
        try:
            self._encryptor = crypto.Encryptor(self._file, recipient, md5=md5, background=large)
        except BaseException:  # the header could not be written (a full disk): no temp file stays
            self._close_and_remove()
            raise
        self.digest: crypto.Digest | None = None
        self.committed = False
        self._on_progress = on_progress

    @property
    def size(self) -> int:
        return self._encryptor.size

    def write(self, data: bytes) -> int:
        written = self._encryptor.write(data)
        if self._on_progress is not None:
            self._on_progress(self._encryptor.size)
        return written

    def finish(self, durable: bool = True) -> crypto.Digest:
        """Finish encrypting and make the temp file durable (it is not published yet). With `durable`
        False, whoever writes many files at once makes them durable together (`publish_all`)."""
        if self.digest is None:
            try:
                self.digest = self._encryptor.finish()
                self._file.flush()
                if durable:
                    os.fsync(self._file.fileno())
            finally:
                self._file.close()
        return self.digest

    def publish(self, durable: bool = True) -> None:
        if durable:
            publish(self._temp, self.target)
        else:
            os.replace(self._temp, self.target)
        self.committed = True

    @staticmethod
    def publish_all(blobs: list[PendingBlob]) -> None:
        """Publish many finished files with one flush of the disk for all of them, rather than two per
        file (a hand-over of a thousand items would otherwise wait on two thousand flushes)."""
        if not blobs:
            return
        portable.sync_files([blob._temp for blob in blobs])  # all on disk before any becomes visible
        for blob in blobs:
            blob.publish(durable=False)
        fsync_dir(blobs[0].target.parent)

    def discard(self) -> None:
        if self.committed:
            return
        self._encryptor.abort()
        self._close_and_remove()

    def _close_and_remove(self) -> None:
        with contextlib.suppress(OSError):  # closing flushes: on a full disk that fails too
            self._file.close()
        with contextlib.suppress(FileNotFoundError):
            self._temp.unlink()


class UnlockedVault:
    """An open vault: holds the identity in memory until `lock()`."""

    def __init__(self, path: Path, identity: pyrage.x25519.Identity) -> None:
        self.path = Path(path)
        self._identity: pyrage.x25519.Identity | None = identity
        self._recipient = identity.to_public()
        # Each case as last decrypted, with the identity of the file it came from (inode, time, size):
        # every page and thumbnail reads the case, and a case of thousands of items should be decrypted
        # and parsed once per change, not once per request. Memory only; emptied by `lock()`.
        self._cases: dict[str, _Cached] = {}

    # -- keys -------------------------------------------------------------------------------------

    @property
    def identity(self) -> pyrage.x25519.Identity:
        if self._identity is None:
            raise VaultError(N_("the vault is locked"))
        return self._identity

    @property
    def is_locked(self) -> bool:
        return self._identity is None

    def lock(self) -> None:
        self._identity = None
        self._cases.clear()  # what was decrypted goes with the key

    def change_passphrase(self, current: str, new: str) -> None:
        """Rewrites only identity.age; the evidence and the recovery key stay as they are."""
        check_new_passphrase(new)
        Vault(self.path).unlock(current)  # raises WrongPassphrase
        atomic_write_bytes(self.path / IDENTITY, crypto.wrap_identity(self.identity, new))

    def reset_passphrase(self, new: str) -> None:
        """After unlocking with the recovery key: choose a new passphrase."""
        check_new_passphrase(new)
        atomic_write_bytes(self.path / IDENTITY, crypto.wrap_identity(self.identity, new))

    def signing_key(self) -> Ed25519PrivateKey:
        """The vault's dossier-signing key (Ed25519), made and stored encrypted on first use."""
        path = self.path / SIGNING
        with self._write_lock():
            if not path.exists():
                raw = Ed25519PrivateKey.generate().private_bytes(
                    Encoding.Raw, PrivateFormat.Raw, NoEncryption()
                )
                atomic_write_bytes(path, crypto.encrypt_bytes(raw, self._recipient))
            try:
                raw = crypto.decrypt_bytes(path.read_bytes(), self.identity)
                return Ed25519PrivateKey.from_private_bytes(raw)
            except (pyrage.DecryptError, ValueError) as exc:
                raise VaultError(N_("the dossier signing key cannot be read")) from exc

    def remove_stale_temps(self, older_than: float = 2.0) -> int:
        return Vault(self.path).remove_stale_temps(older_than)

    # -- files --------------------------------------------------------------------------------

    def _write_lock(self) -> contextlib.AbstractContextManager[None]:
        return write_lock(self.path)

    def _case_path(self, case_id: str) -> Path:
        if not _ID.match(case_id):
            raise CaseNotFound(case_id)
        return self.path / CASES / f"{case_id}.age"

    def _blob_path(self, blob_id: str) -> Path:
        if not _ID.match(blob_id):
            raise ItemNotFound(blob_id)
        return self.path / BLOBS / f"{blob_id}.age"

    @staticmethod
    def _stamp(path: Path) -> tuple[int, int, int]:
        """What changes whenever a case file is written (by any window or process): each write is an
        atomic rename, so a new inode, and its time and size."""
        st = path.stat()
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def _adds_dir(self, case_id: str) -> Path:
        return self.path / CASES / f"{case_id}{ADDS_SUFFIX}"

    def _add_seqs(self, case_id: str) -> list[int]:
        """The sequence numbers of the case's additions on disk, in order."""
        try:
            names = os.listdir(self._adds_dir(case_id))
        except FileNotFoundError:
            return []
        return sorted(int(n[:-4]) for n in names if n.endswith(".age") and n[:-4].isdigit())

    def _read_casefile(self, case_id: str) -> tuple[Case, tuple[JournalEntry, ...]]:
        cached = self._current(case_id)
        return cached.case, cached.entries

    def _current(self, case_id: str) -> _Cached:
        """The case as saved now: its record file (decrypted once per change of that file, then kept in
        memory while unlocked) with the additions made since applied in order; only additions not yet
        seen are read."""
        path = self._case_path(case_id)
        try:
            stamp = self._stamp(path)
        except FileNotFoundError as exc:
            self._cases.pop(case_id, None)
            raise CaseNotFound(case_id) from exc
        cached = self._cases.get(case_id)
        if cached is None or cached.stamp != stamp or self.is_locked:
            case, entries, through = self._decrypt_casefile(case_id, path)
            cached = _Cached(stamp, through, case, entries)
        newer = [seq for seq in self._add_seqs(case_id) if seq > cached.last_seq]
        if newer:
            cached = self._apply_adds(case_id, cached, newer)
        self._cases[case_id] = cached
        return cached

    def _apply_adds(self, case_id: str, cached: _Cached, seqs: list[int]) -> _Cached:
        case, entries, last = cached.case, cached.entries, cached.last_seq
        folder = self._adds_dir(case_id)
        for seq in seqs:
            try:
                if seq != last + 1:
                    raise ValueError("an addition is missing")
                data = json.loads(
                    crypto.decrypt_bytes((folder / f"{seq:010d}.age").read_bytes(), self.identity)
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
        return _Cached(cached.stamp, last, case, entries)

    def _decrypt_casefile(self, case_id: str, path: Path) -> tuple[Case, tuple[JournalEntry, ...], int]:
        try:
            ciphertext = path.read_bytes()
        except FileNotFoundError as exc:
            raise CaseNotFound(case_id) from exc
        try:
            data: dict[str, Any] = json.loads(crypto.decrypt_bytes(ciphertext, self.identity))
            if data.get("format") != CASEFILE_FORMAT:
                raise CaseFormatError(f"unknown case file format {data.get('format')!r}")
            case = Case.from_dict(data["case"])
            entries = tuple(JournalEntry.from_dict(e) for e in data["journal"])
            through = int(data.get("through", 0))  # files written before additions existed have none
        except (pyrage.DecryptError, ValueError, KeyError, TypeError) as exc:
            raise DamagedCase(
                N_("case %(case)s cannot be read: %(why)s"), case=case_id, why=str(exc)
            ) from exc
        if case.id != case_id:
            raise DamagedCase(N_("case %(case)s holds another case's record"), case=case_id)
        return case, entries, through

    def _write_casefile(self, case: Case, entries: tuple[JournalEntry, ...]) -> None:
        """Write the whole record, folding in every addition so far. The additions are deleted after: a
        crash in between leaves them on disk, numbered at or below `through`, and they are skipped."""
        data = case.to_dict()
        try:  # what a read would refuse is never written: a bad change fails here, the file stays
            if Case.from_dict(data) != case:
                raise CaseFormatError("the case does not read back as written")
        except (CaseFormatError, TypeError, ValueError) as exc:
            raise InvalidRecord(f"case {case.id} was not saved: {exc}") from exc
        seqs = self._add_seqs(case.id)
        known = self._cases.get(case.id)
        through = max([known.last_seq if known else 0, *seqs])
        payload = json.dumps(
            {
                "format": CASEFILE_FORMAT,
                "case": data,
                "journal": [e.to_dict() for e in entries],
                "through": through,
            },
            ensure_ascii=False,
        ).encode("utf-8")
        path = self._case_path(case.id)
        atomic_write_bytes(path, crypto.encrypt_bytes(payload, self._recipient))
        self._cases[case.id] = _Cached(self._stamp(path), through, case, entries)
        if seqs:
            folder = self._adds_dir(case.id)
            for seq in seqs:
                with contextlib.suppress(FileNotFoundError):
                    (folder / f"{seq:010d}.age").unlink()
            fsync_dir(folder)

    def _append(
        self, cached: _Cached, action: str, detail: dict[str, Any], item: EvidenceItem | None
    ) -> Case:
        """Add one item and its journal entry (or an entry alone) as a small file of its own, so the
        cost does not grow with the case; every FOLD_AFTER additions, the record is written whole
        instead. Called under the write lock, with the latest saved case (`_current`)."""
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
            self._write_casefile(case, entries)
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
        folder = self._adds_dir(case_id)
        folder.mkdir(mode=0o700, exist_ok=True)
        atomic_write_bytes(folder / f"{seq:010d}.age", crypto.encrypt_bytes(payload, self._recipient))
        self._cases[case_id] = _Cached(cached.stamp, seq, case, entries)
        return case

    # -- cases --------------------------------------------------------------------------------

    def case_ids(self) -> list[str]:
        return sorted(p.stem for p in (self.path / CASES).glob("*.age") if _ID.match(p.stem))

    def list_cases(self) -> list[CaseListing]:
        listings = []
        for case_id in self.case_ids():
            try:
                case, entries = self._read_casefile(case_id)
                last = entries[-1].at if entries else case.created_at
                listings.append(CaseListing(case_id, case, last_activity=last))
            except DamagedCase as exc:
                listings.append(CaseListing(case_id, None, str(exc)))
        listings.sort(key=lambda row: row.case.created_at if row.case else "", reverse=True)
        return listings

    def create_case(self, title: str) -> Case:
        with self._write_lock():
            return self._new_case(title)

    def _new_case(self, title: str) -> Case:
        case = Case(id=new_id(), title=clean_title(title) or "Untitled case", created_at=utc_now())
        entries = journal.append((), case.created_at, "case.created", {"title": case.title})
        self._write_casefile(case, entries)
        return case

    def find_or_create_case(self, title: str) -> tuple[Case, bool]:
        """The case with this title, or a new one (and True): looked up and created under the write
        lock, so two imports naming the same new case at once make one case, not two."""
        with self._write_lock():
            found = self._case_titled(title)
            return (found, False) if found else (self._new_case(title), True)

    def load_case(self, case_id: str) -> Case:
        return self._read_casefile(case_id)[0]

    def journal(self, case_id: str) -> tuple[JournalEntry, ...]:
        return self._read_casefile(case_id)[1]

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
        return bool(_ID.match(case_id)) and (self.path / CASES / f"{case_id}.age").exists()

    def _case_titled(self, title: str) -> Case | None:
        """The case with this exact title (newest first if several), whatever its letter case."""
        wanted = clean_title(title).casefold()
        return next((r.case for r in self.list_cases() if r.case and r.case.title.casefold() == wanted), None)

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
        """Apply `change` to the latest saved case under the lock and journal it, in one write.

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
            case, entries = self._read_casefile(case_id)
            if expected_revision is not None and case.revision != expected_revision:
                raise StaleRevision(
                    N_("case %(case)s is at revision %(revision)s"), case=case_id, revision=case.revision
                )
            updated = replace(change(case), revision=case.revision + 1)
            at = utc_now()
            for code, facts in events:
                entries = journal.append(entries, at, code, facts)
            self._write_casefile(updated, entries)
            return updated

    def delete_case(self, case_id: str) -> None:
        """Delete a case for good: every file of it (originals and what was made from them), then its
        record and journal. Files first: a crash half-way leaves the case listed, with some files
        missing, and deleting it again finishes the job; never a file left behind unlisted."""
        case = self.load_case(case_id)
        self.remove_blobs([b for it in case.evidence for b in it.blobs])
        with self._write_lock():
            with contextlib.suppress(FileNotFoundError):
                self._case_path(case_id).unlink()
            fsync_dir(self.path / CASES)
            shutil.rmtree(self._adds_dir(case_id), ignore_errors=True)
            self._cases.pop(case_id, None)

    def rename_case(self, case_id: str, title: str, expected_revision: int | None = None) -> Case:
        title = clean_title(title)
        if not title:
            raise ValueError("a case needs a name")
        return self.update_case(
            case_id, lambda c: c.with_title(title), "case.renamed", {"title": title}, expected_revision
        )

    # -- evidence -----------------------------------------------------------------------------

    def begin_blob(
        self,
        expected_size: int | None = None,
        on_progress: Callable[[int], None] | None = None,
        md5: bool = True,
    ) -> PendingBlob:
        """Start writing a file into the vault; `expected_size` (when known) picks the fastest way to
        encrypt it; `on_progress` hears the byte count as it grows."""
        if self.is_locked:
            raise VaultError(N_("the vault is locked"))
        return PendingBlob(self.path / BLOBS, self._recipient, expected_size, on_progress, md5)

    def store_blob(self, data: bytes) -> str:
        """A small file (a thumbnail, a chat's messages): encrypted, then written atomically."""
        if self.is_locked:
            raise VaultError(N_("the vault is locked"))
        blob_id = new_id()
        atomic_write_bytes(self.path / BLOBS / f"{blob_id}.age", crypto.encrypt_bytes(data, self._recipient))
        return blob_id

    def remove_blobs(self, blob_ids: tuple[str, ...] | list[str]) -> None:
        """Delete files no case refers to (an item taken out, or one refused before it was added)."""
        for blob in blob_ids:
            with contextlib.suppress(FileNotFoundError):
                self._blob_path(blob).unlink()
        fsync_dir(self.path / BLOBS)

    def add_item(self, case_id: str, item: EvidenceItem, declared_not_intimate: bool = False) -> Case:
        """Pin an item, whose files are already durable, in its case; the record's rules (the under-18
        rule among them) are applied to the latest saved case, under the write lock."""
        detail = {"item": item.id, "sha256": item.sha256, "md5": item.md5, "size": item.size}
        if item.image and item.image.pdq:
            detail["pdq"] = item.image.pdq
        with self._write_lock():
            cached = self._current(case_id)
            cached.case.check_accepts(intimate=item.intimate, declared_not_intimate=declared_not_intimate)
            return self._append(cached, "evidence.added", detail, item)

    def read_blob(self, blob_id: str, sha256: str = "") -> bytes:
        """A small file made from an item, decrypted into memory (never to disk), and compared with the
        SHA-256 pinned for it when it was made: a swapped or changed file raises `TamperedItem`."""
        try:
            ciphertext = self._blob_path(blob_id).read_bytes()
        except FileNotFoundError as exc:
            raise MissingItem(blob_id, ITEM_MISSING) from exc
        try:
            data = crypto.decrypt_bytes(ciphertext, self.identity)
        except (pyrage.DecryptError, ValueError) as exc:
            raise TamperedItem(blob_id, ITEM_DAMAGED) from exc
        if sha256 and hashlib.sha256(data).hexdigest() != sha256:
            raise TamperedItem(blob_id, ITEM_CHANGED)
        return data

    PIECE = 256 * 1024

    def check_evidence(self, item: EvidenceItem) -> crypto.CheckedPieces:
        """Decrypt the whole item into fingerprints only, and compare with those pinned when it came in.
        Raises `MissingItem` or `TamperedItem` naming the item; nothing of it has been handed on."""
        path = self._blob_path(item.blob)
        if not path.exists():
            raise MissingItem(item.id, ITEM_MISSING)
        try:
            checked = crypto.check_pieces(path, self.identity, self.PIECE)
        except crypto.IntegrityError as exc:
            raise TamperedItem(item.id, ITEM_DAMAGED) from exc
        if checked.sha256 != item.sha256 or checked.size != item.size:
            raise TamperedItem(item.id, ITEM_CHANGED)
        return checked

    def stream_checked(self, item: EvidenceItem, checked: crypto.CheckedPieces) -> Iterator[bytes]:
        """The item's bytes after `check_evidence`: each piece handed on only once it matches."""
        path = self._blob_path(item.blob)

        def pieces() -> Iterator[bytes]:
            try:
                yield from crypto.verified_pieces(path, self.identity, checked, self.PIECE)
            except (crypto.IntegrityError, OSError) as exc:
                raise TamperedItem(item.id, ITEM_MISMATCH) from exc

        return pieces()

    def stream_evidence(self, case_id: str, item_id: str) -> Iterator[bytes]:
        """The item's original bytes, decrypted into memory piece by piece, once the whole item has been
        checked against its pinned SHA-256 (checked here, before this returns: a changed, swapped or
        truncated file raises `TamperedItem` and not one byte of it is served)."""
        item = self.load_case(case_id).item(item_id)
        if item is None:
            raise ItemNotFound(item_id)
        return self.stream_checked(item, self.check_evidence(item))

    def stream_once(self, item: EvidenceItem, piece: int = 256 * 1024) -> Iterator[bytes]:
        """The item's bytes in one decrypting pass, fingerprinted as they go; `TamperedItem` at the end
        (or part-way) if they do not match. For writers that discard their whole output on failure (a
        hand-over bundle), where a second pass would only double the cost."""
        path = self._blob_path(item.blob)
        if not path.exists():
            raise MissingItem(item.id, ITEM_MISSING)
        digest, size = hashlib.sha256(), 0
        try:
            for chunk in crypto.decrypt_pieces(path, self.identity, piece):
                digest.update(chunk)
                size += len(chunk)
                yield chunk
        except crypto.IntegrityError as exc:
            raise TamperedItem(item.id, ITEM_DAMAGED) from exc
        if size != item.size or digest.hexdigest() != item.sha256:
            raise TamperedItem(item.id, ITEM_CHANGED)

    def receive_case(self, case: Case, entries: tuple[JournalEntry, ...], detail: dict[str, Any]) -> None:
        """Save a case received from another vault (its files already published here), its journal
        continued with the receipt. A previous copy of it is replaced, and its files deleted after."""
        with self._write_lock():
            old = self._read_casefile(case.id)[0] if self.has_case(case.id) else None
            self._write_casefile(case, journal.append(entries, utc_now(), "handover.received", detail))
        if old is not None:
            kept = {b for it in case.evidence for b in it.blobs}
            self.remove_blobs([b for it in old.evidence for b in it.blobs if b not in kept])

    def note(self, case_id: str, action: str, detail: dict[str, Any]) -> None:
        """Journal something that happened without changing the record (an item revealed, exported)."""
        with self._write_lock():
            self._append(self._current(case_id), action, detail, None)

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

    def describe_evidence(self, case_id: str, item_id: str, **details: Any) -> Case:
        """Save an item's description, capture time, account, platform and intimate flag."""
        if self.load_case(case_id).item(item_id) is None:
            raise ItemNotFound(item_id)
        return self.update_case(
            case_id,
            lambda c: c.with_evidence_details(item_id, **details),
            "evidence.described",
            {"item": item_id, "intimate": bool(details.get("intimate"))},
        )

    def remove_evidence(self, case_id: str, item_id: str) -> None:
        """Take an item out of the case for good (journaled with its fingerprint), then delete its file.

        The case is saved first: a crash in between leaves an unreferenced, still encrypted file,
        never a case pointing at nothing.
        """
        item = self.load_case(case_id).item(item_id)
        if item is None:
            raise ItemNotFound(item_id)
        self.update_case(
            case_id,
            lambda c: c.without_evidence(item_id),
            "evidence.removed",
            {"item": item.id, "sha256": item.sha256, "name": item.original_name},
        )
        self.remove_blobs(item.blobs)

    def read_evidence(self, case_id: str, item_id: str, sink) -> EvidenceItem:
        """Decrypt an item into `sink`, once it has been checked whole against its pinned SHA-256."""
        item = self.load_case(case_id).item(item_id)
        if item is None:
            raise ItemNotFound(item_id)
        for piece in self.stream_checked(item, self.check_evidence(item)):
            sink.write(piece)
        return item

    ORPHAN_AGE = 600.0  # seconds: far longer than any file waits between being written and being added

    def orphans(self, older_than: float = 0.0) -> list[str] | None:
        """Encrypted files no case refers to: what an import or upload killed between writing a file
        and adding it left behind. None when a case cannot be read (its files cannot be told apart)."""
        referenced: set[str] = set()
        for case_id in self.case_ids():
            try:
                case = self.load_case(case_id)
            except DamagedCase:
                return None
            referenced.update(b for it in case.evidence for b in it.blobs)
        now = time.time()
        found = []
        for path in (self.path / BLOBS).glob("*.age"):
            if path.stem in referenced:
                continue
            with contextlib.suppress(FileNotFoundError):
                if now - path.stat().st_mtime >= older_than:
                    found.append(path.stem)
        return sorted(found)

    def remove_orphans(self, older_than: float = ORPHAN_AGE) -> int:
        """Delete files no case refers to, once they are old enough that no writer can still be about to
        add them (under the write lock, which every add holds). Returns how many."""
        with self._write_lock():
            found = self.orphans(older_than)
            if found:
                self.remove_blobs(found)
        return len(found or [])

    def verify(self) -> list[Problem]:
        problems: list[Problem] = []
        for case_id in self.case_ids():
            try:
                case, entries = self._read_casefile(case_id)
            except DamagedCase:
                problems.append(Problem(case_id, "?", None, None, N_("the case record cannot be read")))
                continue
            if journal.broken_links(entries):
                problems.append(
                    Problem(case.id, case.title, None, None, N_("the journal's hash chain is broken"))
                )
            for item in case.evidence:
                try:
                    self.check_evidence(item)
                except (MissingItem, TamperedItem) as exc:
                    problems.append(Problem(case.id, case.title, item.id, item.original_name, exc.reason))
                for blob, sha256 in item.derived:
                    try:
                        self.read_blob(blob, sha256)
                    except (MissingItem, TamperedItem):
                        problems.append(
                            Problem(case.id, case.title, item.id, item.original_name, DERIVED_CHANGED)
                        )
        return problems


__all__ = ["Vault", "UnlockedVault", "PendingBlob", "CaseListing", "Problem", "atomic_file", "fsync_dir"]
