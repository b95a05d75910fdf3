"""Hand a case to a colleague, a lawyer or the police, with no cloud: one file, encrypted to them.

A bundle is an age file (X25519, to the organisation's public key `age1…`) holding a POSIX tar:

    handover.json     the manifest: case id, title, revision, export time, journal head, the sender
                      vault's Ed25519 public key, and every file below with its SHA-256 and size
    handover.sig      the manifest's Ed25519 signature (base64), by the sending vault's signing key
    case.json         the incident record (helper.case.v*), with only the chosen items
    journal.json      the case's hash-chained journal
    evidence/<id>     each chosen item's original bytes
    derived/<id>      the files made from it (thumbnails, a chat's messages), pinned by SHA-256

Anyone holding the organisation's key reads it with the standard tool (`age -d -i key.txt bundle |
tar -x`); `receive` imports it into another vault with every fingerprint checked: a changed,
truncated or foreign bundle is refused with what is wrong, and nothing is imported until everything
has been checked. Evidence streams through in pieces; memory stays bounded whatever the size.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import json
import re
import tarfile
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, replace
from typing import Any, BinaryIO, cast

import pyrage
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from helper.case import Case, EvidenceItem, InvalidRecord, MinorImageRefused, clean_title, utc_now
from helper.dossier.manifest import fingerprint, public_bytes
from helper.ids import is_id
from helper.vault import PendingBlob, crypto, journal
from helper.vault.age_recipients import recipient_key
from helper.vault.errors import VaultError
from helper.vault.journal import JournalEntry
from helper.vocabulary import HANDOVER_EXPORTED, HANDOVER_RECEIVED, N_, Translate

BUNDLE_FORMAT = "helper.handover.v1"
MANIFEST, SIGNATURE, RECORD, JOURNAL = "handover.json", "handover.sig", "case.json", "journal.json"
PIECE = 256 * 1024

# What receiving can find wrong, in words the page and the command line translate.
PROBLEMS = {
    "wrong_key": N_("this bundle was not made for this key, or it is not a hand-over bundle"),
    "damaged": N_("the bundle is damaged or incomplete (it may have been cut short or changed)"),
    "not_a_bundle": N_("this is not an Incident Helper hand-over bundle"),
    "bad_signature": N_("the bundle's signature does not match its contents: it was changed after export"),
    "file_changed": N_("“%(name)s” does not match the fingerprint recorded for it: it was changed"),
    "file_missing": N_("“%(name)s” is missing from the bundle"),
    "unexpected_file": N_("the bundle holds a file it does not list (%(name)s)"),
    "record": N_("the case record in the bundle cannot be read"),
    "journal": N_("the case's journal in the bundle is broken: an entry was changed or removed"),
    "older": N_(
        "this vault already holds this case at the same or a newer state: an older bundle is not imported"
    ),
    "unsafe_file": N_("the bundle holds “%(name)s”, which is not an ordinary file"),
    "duplicate": N_("the bundle lists “%(name)s” twice"),
    "manifest": N_("the bundle's list of its files is not one this program writes"),
    "minor": N_(
        "the case says the person was under 18, and the bundle holds files marked intimate: "
        "intimate images of a minor are never kept, so none of it is imported"
    ),
    "other_sender": N_(
        "this vault holds this case from another sender: it came signed by the key %(held)s, "
        "and this bundle is signed by the key %(signer)s"
    ),
    "made_here": N_("this vault holds this case and made it itself: a bundle never replaces it"),
    "held_unreadable": N_("this vault holds this case, but its copy cannot be read, so it is not replaced"),
    "would_replace": N_(
        "this vault already holds an older copy of this case, and it is replaced only once you agree"
    ),
    "changed_meanwhile": N_(
        "this vault's copy of the case changed while the bundle was read: receive it again"
    ),
}


class HandoverError(Exception):
    """A bundle that is refused, with what is wrong. Nothing was imported."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code, self.params = code, params

    def describe(self, gettext: Translate = str) -> str:
        return gettext(PROBLEMS[self.code]) % self.params


class WeakRecipient(ValueError):
    """A public key of the right form that no one holds the private key of (a low-order point): a file
    encrypted to it could be read by anyone, and the age format forbids it."""


def parse_recipient(text: str) -> pyrage.x25519.Recipient:
    """An organisation's public key (`age1…`). Raises ValueError for anything else, WeakRecipient for
    a key of the right form that cannot receive (checked here, before anything is written)."""
    try:
        recipient = pyrage.x25519.Recipient.from_str(text.strip())
    except (pyrage.RecipientError, ValueError) as exc:
        raise ValueError(text) from exc
    try:  # an all-zero shared secret: the key is a low-order point
        X25519PrivateKey.generate().exchange(X25519PublicKey.from_public_bytes(recipient_key(str(recipient))))
    except ValueError as exc:
        raise WeakRecipient(text) from exc
    return recipient


def keygen(passphrase: str) -> tuple[bytes, str]:
    """A new key pair for an organisation: the private key as an age file encrypted with
    `passphrase` (scrypt; `age -d` opens it), and the public key to give out (`age1…`)."""
    crypto_identity = crypto.generate_identity()
    return crypto.wrap_identity(crypto_identity, passphrase), str(crypto_identity.to_public())


# -- sending -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sent:
    items: int
    size: int  # plaintext bytes of evidence


class _PiecesReader(io.RawIOBase):
    """A generator of byte pieces as a readable file (what tarfile copies a member's data from)."""

    def __init__(self, pieces: Iterator[bytes]) -> None:
        self._pieces, self._pending = pieces, memoryview(b"")

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1, /) -> bytes:
        # RawIOBase.read answers None only for a non-blocking stream, which this is not.
        return super().read(size) or b""

    def readinto(self, buffer) -> int:
        while not self._pending:
            piece = next(self._pieces, None)
            if piece is None:
                return 0
            self._pending = memoryview(piece)
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n


def _add(tar: tarfile.TarFile, name: str, size: int, source: io.BytesIO | _PiecesReader) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o600, 0
    tar.addfile(info, source)


def write_bundle(
    vault,
    case_id: str,
    recipient: pyrage.x25519.Recipient,
    sink: BinaryIO,
    items: frozenset[str] | None = None,
    *,
    counselor_notes: bool = True,
) -> Sent:
    """Write the bundle for `case_id` (all items, or those in `items`) to `sink`, encrypted to
    `recipient`; the counselor's private notes go in only with `counselor_notes`. Raises the vault's
    MissingItem / TamperedItem if a stored file does not match its fingerprint: the caller discards
    what was written (an atomic file, or an aborted download)."""
    case = vault.load_case(case_id)
    entries = vault.journal(case_id)
    chosen = tuple(it for it in case.evidence if items is None or it.id in items)
    kept = {it.id for it in chosen}
    case = replace(case, evidence=chosen, quotes=tuple(q for q in case.quotes if q.item_id in kept))
    if not counselor_notes:
        case = replace(case, counselor_notes=())
    # The files made from each item (thumbnails, a chat's messages) are read twice, once here for their
    # sizes and once into the bundle, rather than held in memory: a case of 10,000 pictures has 30,000.
    derived = [(it, blob, sha) for it in chosen for blob, sha in it.derived if sha]
    sizes = {blob: len(vault.open_item(it).derived(blob)) for it, blob, _sha in derived}
    record = json.dumps(case.to_dict(), ensure_ascii=False).encode("utf-8")
    journal_bytes = json.dumps([e.to_dict() for e in entries], ensure_ascii=False).encode("utf-8")
    key = vault.signing_key()
    files = [
        {"path": f"evidence/{it.id}", "item": it.id, "sha256": it.sha256, "size": it.size} for it in chosen
    ] + [{"path": f"derived/{blob}", "sha256": sha, "size": sizes[blob]} for _it, blob, sha in derived]
    manifest = json.dumps(
        {
            "format": BUNDLE_FORMAT,
            "case": {"id": case.id, "title": case.title, "revision": case.revision},
            "exported_at": utc_now(),
            "journal_head": journal.head(entries),
            "public_key": base64.b64encode(public_bytes(key.public_key())).decode("ascii"),
            "record_sha256": hashlib.sha256(record).hexdigest(),
            "journal_sha256": hashlib.sha256(journal_bytes).hexdigest(),
            "files": files,
        },
        ensure_ascii=False,
        sort_keys=True,
    ).encode("utf-8")
    signature = base64.b64encode(key.sign(manifest))
    total = sum(it.size for it in chosen)
    # Every part is already fingerprinted in the manifest: the stream itself needs none.
    encryptor = crypto.Encryptor(sink, recipient, fingerprint=False)
    try:
        # A "w|" stream only writes to its file; typeshed's protocol asks for what every mode uses.
        with tarfile.open(  # type: ignore[call-overload]
            fileobj=encryptor, mode="w|", format=tarfile.PAX_FORMAT, bufsize=PIECE
        ) as tar:
            for name, data in ((MANIFEST, manifest), (SIGNATURE, signature), (RECORD, record)):
                _add(tar, name, len(data), io.BytesIO(data))
            _add(tar, JOURNAL, len(journal_bytes), io.BytesIO(journal_bytes))
            for it in chosen:
                _add(tar, f"evidence/{it.id}", it.size, _PiecesReader(vault.open_item(it).single_pass()))
            for it, blob, _sha in derived:
                data = vault.open_item(it).derived(blob)  # checked again against its pinned SHA-256
                _add(tar, f"derived/{blob}", len(data), io.BytesIO(data))
        encryptor.finish()
    except BaseException:
        encryptor.abort()
        raise
    vault.note(
        case_id,
        HANDOVER_EXPORTED,
        {"items": len(chosen), "to": str(recipient)[:16] + "…", "size": total},
    )
    return Sent(len(chosen), total)


# -- receiving -----------------------------------------------------------------------------------

# The members a bundle begins with, in this order (as `write_bundle` writes them): everything about the
# case is read and checked before the first byte of evidence is written into the vault.
HEAD = (MANIFEST, SIGNATURE, RECORD, JOURNAL)
SMALL_LIMIT = 256 * 1024 * 1024  # a manifest or record of a few hundred thousand items; never the evidence
TRAILER_LIMIT = 64 * 1024  # the tar's end and padding, read to the end so the age stream is checked whole
SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
FOLDERS = ("evidence", "derived")


@dataclass(frozen=True)
class Change:
    """What a newer copy of a case already held would change, said before it replaces the old one."""

    title: str
    added: tuple[str, ...]  # the names of the files it brings that the copy held here lacks
    removed: tuple[str, ...]  # the names of the files held here that it lacks: deleted if it replaces
    local_changes: int  # journal entries made in this vault since the case was last received: lost


@dataclass(frozen=True)
class Received:
    case: Case
    signer: str  # the sending vault's key fingerprint, to compare with what the sender reads out
    items: int
    replaced: Change | None = None


class Staged:
    """A bundle read and checked whole, its files written here but not yet published: `commit()` makes
    it the vault's copy of the case. Until then the vault is as it was (`change` says what committing
    would replace); leaving `staged_bundle` without committing discards every file written."""

    def __init__(
        self,
        vault,
        case: Case,
        entries: tuple[JournalEntry, ...],
        key: bytes,
        listed: dict[str, tuple[str, int]],
        change: Change | None,
        held: int | None,
    ) -> None:
        self.vault, self.case, self.entries, self.change = vault, case, entries, change
        self.signer = fingerprint(Ed25519PublicKey.from_public_bytes(key))
        self.listed = listed  # path -> (SHA-256, size), as the signed manifest states them
        self._key, self._held = key, held
        self.pending: list[PendingBlob] = []

    def commit(self) -> Received:
        from helper.vault.casefiles import Sender
        from helper.vault.errors import StaleRevision

        PendingBlob.publish_all(self.pending)
        try:
            self.vault.receive_case(
                self.case,
                self.entries,
                {"items": len(self.case.evidence), "from": self.signer},
                Sender(self._key, self.case.revision),
                self._held,
            )
        except BaseException as exc:
            # Published, but no record refers to them: deleted now rather than left as orphans.
            self.vault.remove_blobs([blob.blob_id for blob in self.pending])
            if isinstance(exc, StaleRevision):
                raise HandoverError("changed_meanwhile") from exc
            if isinstance(exc, InvalidRecord):  # a record the vault would not read back as written
                raise HandoverError("record") from exc
            raise
        return Received(self.case, self.signer, len(self.case.evidence), self.change)


@contextlib.contextmanager
def staged_bundle(vault, bundle_path, identity: pyrage.x25519.Identity) -> Iterator[Staged]:
    """Read and check a bundle whole (HandoverError for what is wrong, nothing kept), and hand it over
    staged: the caller shows what it changes and commits it, or lets it go."""
    pending: list[PendingBlob] = []
    try:
        yield _stage(vault, bundle_path, identity, pending)
    finally:
        for blob in pending:
            blob.discard()  # a no-op for the published ones


def receive_bundle(vault, bundle_path, identity: pyrage.x25519.Identity, replace: bool = False) -> Received:
    """Import a bundle into `vault`. The whole bundle is decrypted and every fingerprint, the record,
    the journal and the sender checked; nothing is published before (HandoverError, nothing kept). A
    newer copy of a case already held, from the sender that first delivered it, replaces the held one
    only with `replace` (the person has seen `Staged.change` and agreed); otherwise it is refused."""
    with staged_bundle(vault, bundle_path, identity) as staged:
        if staged.change is not None and not replace:
            raise HandoverError("would_replace")
        return staged.commit()


def _stage(vault, bundle_path, identity, pending: list[PendingBlob]) -> Staged:
    with open(bundle_path, "rb") as f:
        header = f.read(64)
    if not header.startswith(b"age-encryption.org/v1"):
        raise HandoverError("not_a_bundle")
    # Closed on every way out: its decrypting thread stops then, not at the interpreter's exit.
    pieces = cast(Generator[bytes, None, None], crypto.decrypt_pieces(bundle_path, identity, PIECE))
    with contextlib.closing(pieces):
        try:
            reader = io.BufferedReader(_PiecesReader(pieces), PIECE)
            with tarfile.open(fileobj=reader, mode="r|", bufsize=PIECE) as tar:
                staged = _read_head(vault, tar)
                staged.pending = pending
                _read_files(vault, tar, staged, pending)
            _read_to_end(reader)
        except crypto.IntegrityError as exc:
            cause = exc.__cause__
            if isinstance(cause, pyrage.DecryptError) and "no matching keys" in str(cause).lower():
                raise HandoverError("wrong_key") from exc
            raise HandoverError("damaged") from exc
        except (tarfile.TarError, EOFError) as exc:
            raise HandoverError("damaged") from exc
    return staged


def _next(tar: tarfile.TarFile) -> tarfile.TarInfo | None:
    member = tar.next()
    # A stream keeps every header it read, and a bundle of 100,000 files needs none of them (typeshed
    # does not list the attribute tarfile keeps them in).
    tar.members.clear()  # type: ignore[attr-defined]
    if member is None:
        return None
    # An ordinary file only: a sparse one would write its declared size of zeros (any size, from a few
    # bytes of bundle), and links, devices and folders have no place in a bundle.
    if member.type not in (tarfile.REGTYPE, tarfile.AREGTYPE) or member.sparse is not None:
        raise HandoverError("unsafe_file", name=member.name)
    return member


def _read_head(vault, tar: tarfile.TarFile) -> Staged:
    small: dict[str, bytes] = {}
    for name in HEAD:
        member = _next(tar)
        if member is None:
            raise HandoverError("damaged")
        if member.name != name:
            raise HandoverError("not_a_bundle")
        small[name] = _read_small(tar, member)
    manifest = _verified_manifest(small[MANIFEST], small[SIGNATURE])
    key = base64.b64decode(manifest["public_key"])
    listed = _listed_files(manifest)
    case, entries = _check_contents(manifest, small, listed)
    change, held = _against_held(vault, case, key)
    return Staged(vault, case, entries, key, listed, change, held)


def _read_small(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    if member.size > SMALL_LIMIT:
        raise HandoverError("not_a_bundle")
    source = tar.extractfile(member)
    if source is None:
        raise HandoverError("not_a_bundle")
    return source.read()


def _read_files(vault, tar: tarfile.TarFile, staged: Staged, pending: list[PendingBlob]) -> None:
    """Each listed file, written encrypted into the vault as it streams: no more bytes than the signed
    manifest lists for it, its fingerprint compared as soon as it ends. Unpublished until commit."""
    names = {f"evidence/{it.id}": it.original_name for it in staged.case.evidence}
    blobs: dict[str, str] = {}
    while (member := _next(tar)) is not None:
        name = member.name
        if name in blobs:
            raise HandoverError("duplicate", name=name)
        if name not in staged.listed:
            raise HandoverError("unexpected_file", name=name)
        sha256, size = staged.listed[name]
        shown = names.get(name, name)
        if member.size != size:
            raise HandoverError("file_changed", name=shown)
        source = tar.extractfile(member)
        if source is None:
            raise HandoverError("not_a_bundle")
        blob = vault.begin_blob(expected_size=size, md5=False)  # the record already has each MD5
        pending.append(blob)
        while piece := source.read(PIECE):
            blob.write(piece)
        digest = blob.finish(durable=False)  # all made durable at once, when published
        if (digest.sha256, digest.size) != (sha256, size):
            raise HandoverError("file_changed", name=shown)
        blobs[name] = blob.blob_id
    for name in staged.listed:
        if name not in blobs:
            raise HandoverError("file_missing", name=names.get(name, name))
    staged.case = _renamed(staged.case, blobs)


def _read_to_end(reader: io.BufferedIOBase) -> None:
    """What follows the tar's last member is only its end and padding; read to the end of the stream
    all the same, so that the age file's last chunk, and so the whole bundle, is authenticated."""
    rest = reader.read(TRAILER_LIMIT + 1)
    if len(rest) > TRAILER_LIMIT or rest.strip(b"\0"):
        raise HandoverError("damaged")


def _verified_manifest(raw: bytes, signature: bytes) -> dict[str, Any]:
    try:
        manifest = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise HandoverError("not_a_bundle") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != BUNDLE_FORMAT:
        raise HandoverError("not_a_bundle")
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(manifest["public_key"], validate=True))
        key.verify(base64.b64decode(signature, validate=True), raw)
    except InvalidSignature as exc:
        raise HandoverError("bad_signature") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise HandoverError("not_a_bundle") from exc
    return manifest


def _listed_files(manifest: dict[str, Any]) -> dict[str, tuple[str, int]]:
    """The manifest's files, each path once, as (SHA-256, size); every field of the shape written."""
    files = manifest.get("files")
    case = manifest.get("case")
    fields_ok = all(isinstance(manifest.get(f), str) for f in ("record_sha256", "journal_sha256"))
    if not isinstance(files, list) or not isinstance(case, dict) or not fields_ok:
        raise HandoverError("manifest")
    listed: dict[str, tuple[str, int]] = {}
    for spec in files:
        if not isinstance(spec, dict):
            raise HandoverError("manifest")
        path, sha256, size = spec.get("path"), spec.get("sha256"), spec.get("size")
        if not isinstance(path, str) or not isinstance(sha256, str) or not SHA256_HEX.match(sha256):
            raise HandoverError("manifest")
        if type(size) is not int or size < 0:
            raise HandoverError("manifest")
        folder, _slash, name = path.partition("/")
        if folder not in FOLDERS or not is_id(name):
            raise HandoverError("manifest")
        if path in listed:
            raise HandoverError("duplicate", name=path)
        listed[path] = (sha256, size)
    return listed


def _check_contents(manifest, small, listed) -> tuple[Case, tuple[JournalEntry, ...]]:
    for name, field in ((RECORD, "record_sha256"), (JOURNAL, "journal_sha256")):
        if hashlib.sha256(small[name]).hexdigest() != manifest[field]:
            raise HandoverError("file_changed", name=name)
    try:
        case = Case.from_dict(json.loads(small[RECORD]))
    except (ValueError, TypeError, AttributeError, RecursionError) as exc:  # CaseFormatError among them
        raise HandoverError("record") from exc
    try:
        entries = tuple(JournalEntry.from_dict(e) for e in json.loads(small[JOURNAL]))
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise HandoverError("journal") from exc
    if journal.broken_links(entries) or journal.head(entries) != manifest.get("journal_head"):
        raise HandoverError("journal")
    stated = manifest["case"]
    if not is_id(case.id) or stated.get("id") != case.id or stated.get("revision") != case.revision:
        raise HandoverError("record")
    _check_files(case, listed)
    try:  # the under-18 rule, as at every other way in: a minor's intimate images are never kept
        for it in case.evidence:
            case.check_accepts(intimate=it.intimate, declared_not_intimate=not it.intimate)
    except MinorImageRefused as exc:
        raise HandoverError("minor") from exc
    # Titles are cleaned on the way in, as when this app names a case; the sender's vault keeps none
    # of its own knowledge of who sent it anything.
    return replace(case, title=clean_title(case.title) or "Untitled case"), entries


def _check_files(case: Case, listed: dict[str, tuple[str, int]]) -> None:
    """The record and the manifest name the same files, each once: every item's original and each
    file made from it, with the fingerprints the record pins."""
    expected: dict[str, tuple[str, int | None, str]] = {}
    for it in case.evidence:
        if not is_id(it.id):
            raise HandoverError("record")
        paths: list[tuple[str, str, int | None]] = [(f"evidence/{it.id}", it.sha256, it.size)]
        paths += [(f"derived/{blob}", sha, None) for blob, sha in it.derived if sha]
        for path, sha256, size in paths:
            if path in expected:
                raise HandoverError("duplicate", name=it.original_name)
            if not is_id(path.partition("/")[2]):
                raise HandoverError("record")
            expected[path] = (sha256, size, it.original_name)
    for path, (sha256, size, name) in expected.items():
        spec = listed.get(path)
        if spec is None:
            raise HandoverError("file_missing", name=name)
        if spec[0] != sha256 or (size is not None and spec[1] != size):
            raise HandoverError("file_changed", name=name)
    for path in listed:
        if path not in expected:
            raise HandoverError("unexpected_file", name=path)


def _against_held(vault, case: Case, key: bytes) -> tuple[Change | None, int | None]:
    """Trust on first use, per case: a case this vault holds is replaced only by a newer copy signed by
    the key that first delivered it; what the replacement changes is said first. Returns the change
    (None: the vault holds no copy) and the revision of the copy held."""
    if not vault.has_case(case.id):
        return None, None
    try:
        held, held_entries = vault.load_case(case.id), vault.journal(case.id)
        sender = vault.case_sender(case.id)
    except VaultError as exc:
        raise HandoverError("held_unreadable") from exc
    signer = fingerprint(Ed25519PublicKey.from_public_bytes(key))
    pinned: str | None
    if sender is not None:
        pinned, sent_revision = fingerprint(Ed25519PublicKey.from_public_bytes(sender.key)), sender.revision
    else:
        # Received before the vault kept its sender: its own receipt, the last in the journal, names it.
        pinned, sent_revision = _receipt_signer(held_entries), held.revision
    if pinned is None:
        raise HandoverError("made_here")
    if pinned != signer:
        raise HandoverError("other_sender", held=pinned, signer=signer)
    if case.revision <= sent_revision:
        raise HandoverError("older")
    before = {(it.id, it.sha256): it.original_name for it in held.evidence}
    after = {(it.id, it.sha256): it.original_name for it in case.evidence}
    receipts = [n for n, e in enumerate(held_entries) if e.action == HANDOVER_RECEIVED]
    change = Change(
        title=held.title,
        added=tuple(name for k, name in after.items() if k not in before),
        removed=tuple(name for k, name in before.items() if k not in after),
        local_changes=len(held_entries) - 1 - receipts[-1] if receipts else 0,
    )
    return change, held.revision


def _receipt_signer(entries: tuple[JournalEntry, ...]) -> str | None:
    for entry in reversed(entries):
        if entry.action == HANDOVER_RECEIVED:
            found = entry.detail.get("from")
            return found if isinstance(found, str) else None
    return None


def _renamed(case: Case, blobs: dict[str, str]) -> Case:
    """The record with this vault's file names (new random ones) in place of the sender's."""

    def renamed(blob: str) -> str:
        return blobs.get(f"derived/{blob}", "") if blob else ""

    def item(it: EvidenceItem) -> EvidenceItem:
        image, chat = it.image, it.chat
        if image:
            image = replace(
                image,
                thumbnail_blob=renamed(image.thumbnail_blob),
                blurred_blob=renamed(image.blurred_blob),
                display_blob=renamed(image.display_blob),
            )
        if chat:
            chat = replace(chat, messages_blob=renamed(chat.messages_blob))
        return replace(it, blob=blobs[f"evidence/{it.id}"], image=image, chat=chat)

    return replace(case, evidence=tuple(item(it) for it in case.evidence))


def bundle_chunks(write: Callable[[BinaryIO], Any]) -> Iterator[bytes]:
    """Run `write(sink)` in a thread and yield what it writes, for a streamed download."""
    import queue
    import threading

    chunks: queue.Queue[bytes | BaseException | None] = queue.Queue(maxsize=16)

    class Sink(io.RawIOBase):
        def writable(self) -> bool:
            return True

        def write(self, data) -> int:
            chunks.put(bytes(data))
            return len(data)

    def run() -> None:
        try:
            write(cast(BinaryIO, Sink()))  # a file that is only written to, as write_bundle's sink is
            chunks.put(None)
        except BaseException as exc:  # handed to the reader, which stops the download
            chunks.put(exc)

    thread = threading.Thread(target=run, name="handover", daemon=True)
    thread.start()
    while True:
        chunk = chunks.get()
        if isinstance(chunk, BaseException):
            raise chunk
        if chunk is None:
            break
        yield chunk
    with contextlib.suppress(RuntimeError):
        thread.join(timeout=5)
