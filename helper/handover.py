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
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any, BinaryIO, cast

import pyrage
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from helper.case import Case, CaseFormatError, EvidenceItem, utc_now
from helper.dossier.manifest import fingerprint, public_bytes
from helper.vault import PendingBlob, crypto, journal
from helper.vault.journal import JournalEntry
from helper.vocabulary import HANDOVER_EXPORTED, N_, Translate

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
}


class HandoverError(Exception):
    """A bundle that is refused, with what is wrong. Nothing was imported."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code, self.params = code, params

    def describe(self, gettext: Translate = str) -> str:
        return gettext(PROBLEMS[self.code]) % self.params


def parse_recipient(text: str) -> pyrage.x25519.Recipient:
    """An organisation's public key (`age1…`). Raises ValueError for anything else."""
    try:
        return pyrage.x25519.Recipient.from_str(text.strip())
    except (pyrage.RecipientError, ValueError) as exc:
        raise ValueError(text) from exc


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
    derived = {blob: vault.open_item(it).derived(blob) for it in chosen for blob, sha in it.derived if sha}
    record = json.dumps(case.to_dict(), ensure_ascii=False).encode("utf-8")
    journal_bytes = json.dumps([e.to_dict() for e in entries], ensure_ascii=False).encode("utf-8")
    key = vault.signing_key()
    files = [
        {"path": f"evidence/{it.id}", "item": it.id, "sha256": it.sha256, "size": it.size} for it in chosen
    ] + [
        {"path": f"derived/{blob}", "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        for blob, data in derived.items()
    ]
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
            for blob, data in derived.items():
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


@dataclass(frozen=True)
class Received:
    case: Case
    signer: str  # the sending vault's key fingerprint, to compare with what the sender reads out
    items: int


def _read_small(tar: tarfile.TarFile, member: tarfile.TarInfo, limit: int = 256 * 1024 * 1024) -> bytes:
    if member.size > limit:
        raise HandoverError("not_a_bundle")
    source = tar.extractfile(member)
    if source is None:
        raise HandoverError("not_a_bundle")
    return source.read()


def receive_bundle(vault, bundle_path, identity: pyrage.x25519.Identity) -> Received:
    """Import a bundle into `vault`. Every file is written encrypted to this vault as it streams in,
    but published only once the whole bundle has been decrypted and every fingerprint, the record
    and the journal have been checked; on any refusal all of it is discarded (HandoverError)."""
    pending: dict[str, Any] = {}  # tar path -> PendingBlob, finished but unpublished
    seen: dict[str, tuple[str, int]] = {}
    small: dict[str, bytes] = {}
    manifest: dict[str, Any] | None = None
    listed: dict[str, dict[str, Any]] = {}
    try:
        try:
            with open(bundle_path, "rb") as f:
                header = f.read(64)
            if not header.startswith(b"age-encryption.org/v1"):
                raise HandoverError("not_a_bundle")
            reader = io.BufferedReader(
                _PiecesReader(crypto.decrypt_pieces(bundle_path, identity, PIECE)), PIECE
            )
            with tarfile.open(fileobj=reader, mode="r|", bufsize=PIECE) as tar:
                for member in tar:
                    name = member.name
                    if not member.isfile() or name in seen or name in small:
                        raise HandoverError("not_a_bundle")
                    if name in (MANIFEST, SIGNATURE, RECORD, JOURNAL):
                        small[name] = _read_small(tar, member)
                        if name == SIGNATURE:
                            manifest = _verified_manifest(small.get(MANIFEST, b""), small[SIGNATURE])
                            listed = {f["path"]: f for f in manifest["files"]}
                        continue
                    if manifest is None or name not in listed:
                        raise HandoverError("unexpected_file", name=name)
                    blob = vault.begin_blob(md5=False)  # the record already has each item's MD5
                    pending[name] = blob
                    source = tar.extractfile(member)
                    if source is None:
                        raise HandoverError("not_a_bundle")
                    while piece := source.read(PIECE):
                        blob.write(piece)
                    digest = blob.finish(durable=False)  # all made durable at once, below
                    seen[name] = (digest.sha256, digest.size)
        except crypto.IntegrityError as exc:
            cause = exc.__cause__
            if isinstance(cause, pyrage.DecryptError) and "no matching keys" in str(cause).lower():
                raise HandoverError("wrong_key") from exc
            raise HandoverError("damaged") from exc
        except (tarfile.TarError, EOFError) as exc:
            raise HandoverError("damaged") from exc
        if manifest is None or RECORD not in small or JOURNAL not in small:
            raise HandoverError("damaged")
        case, entries = _check_contents(manifest, small, listed, seen)
        if vault.has_case(case.id) and vault.load_case(case.id).revision >= case.revision:
            raise HandoverError("older")
        renamed = {path.split("/", 1)[1]: blob.blob_id for path, blob in pending.items()}
        imported = _renamed(case, renamed)
        PendingBlob.publish_all(list(pending.values()))
        vault.receive_case(imported, entries, {"items": len(imported.evidence), "from": _signer(manifest)})
        return Received(imported, _signer(manifest), len(imported.evidence))
    finally:
        for blob in pending.values():
            blob.discard()  # a no-op for the published ones


def _signer(manifest: dict[str, Any]) -> str:
    return fingerprint(Ed25519PublicKey.from_public_bytes(base64.b64decode(manifest["public_key"])))


def _verified_manifest(raw: bytes, signature: bytes) -> dict[str, Any]:
    try:
        manifest = json.loads(raw)
        if manifest.get("format") != BUNDLE_FORMAT:
            raise HandoverError("not_a_bundle")
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(manifest["public_key"]))
        key.verify(base64.b64decode(signature), raw)
    except InvalidSignature as exc:
        raise HandoverError("bad_signature") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise HandoverError("not_a_bundle") from exc
    return manifest


def _check_contents(manifest, small, listed, seen) -> tuple[Case, tuple[JournalEntry, ...]]:
    for name, data, field in (
        (RECORD, small[RECORD], "record_sha256"),
        (JOURNAL, small[JOURNAL], "journal_sha256"),
    ):
        if hashlib.sha256(data).hexdigest() != manifest.get(field):
            raise HandoverError("file_changed", name=name)
    try:
        case = Case.from_dict(json.loads(small[RECORD]))
    except (CaseFormatError, ValueError, TypeError) as exc:
        raise HandoverError("record") from exc
    try:
        entries = tuple(JournalEntry.from_dict(e) for e in json.loads(small[JOURNAL]))
    except (ValueError, KeyError, TypeError) as exc:
        raise HandoverError("journal") from exc
    if journal.broken_links(entries) or journal.head(entries) != manifest.get("journal_head"):
        raise HandoverError("journal")
    names = {f"evidence/{it.id}": it.original_name for it in case.evidence}
    for path, spec in listed.items():
        shown = names.get(path, path)
        if path not in seen:
            raise HandoverError("file_missing", name=shown)
        if seen[path] != (spec["sha256"], spec["size"]):
            raise HandoverError("file_changed", name=shown)
    for it in case.evidence:
        spec = listed.get(f"evidence/{it.id}")
        if spec is None:
            raise HandoverError("file_missing", name=it.original_name)
        if (spec["sha256"], spec["size"]) != (it.sha256, it.size):
            raise HandoverError("file_changed", name=it.original_name)
    return case, entries


def _renamed(case: Case, blobs: dict[str, str]) -> Case:
    """The record with this vault's file names (new random ones) in place of the sender's."""

    def item(it: EvidenceItem) -> EvidenceItem:
        image, chat = it.image, it.chat
        if image:
            renamed: dict[str, Any] = {
                f: blobs.get(getattr(image, f), "")
                for f in ("thumbnail_blob", "blurred_blob", "display_blob")
                if getattr(image, f)
            }
            image = replace(image, **renamed)
        if chat:
            chat = replace(chat, messages_blob=blobs.get(chat.messages_blob, ""))
        return replace(it, blob=blobs[it.id], image=image, chat=chat)

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
