"""What a dossier vouches for, signed: every item's fingerprints, the journal head, the export time.

The manifest travels inside the PDF as an attachment (`manifest.json`), with its Ed25519 signature
(`manifest.sig`, base64). The vault's signing key never leaves the vault; the PDF prints the public
key's fingerprint, and `incident-helper verify-dossier` checks the signature and, given the
exported original files, their hashes.

A valid signature proves that the manifest is, byte for byte, what the holder of that key signed.
It does not say who that is: anyone can make a key, sign an invented manifest and print the key's
fingerprint on a cover. Only a fingerprint the reader obtained separately (read out from the person's
vault by `incident-helper fingerprint`) tells, given as `expect_key`. Nor does it cover the pages:
what is signed is the manifest, not the text a PDF reader shows.

The file being checked is anyone's: every shape is checked before it is used, and what is read is
bounded by the manifest's own sizes and by fixed caps (`zipcheck` for the originals ZIP).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import stat
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from helper.dossier import zipcheck
from helper.dossier.data import DossierData
from helper.vocabulary import N_, Translate

# What verifying can find wrong, in words the command line translates for its reader. A problem's
# parameters may come from the file being checked: the terminal escapes them (cli.terminal.shown).
PROBLEMS = {
    "not_a_bundle": N_("this is not an originals bundle (%(detail)s)"),
    "file_missing_in_bundle": N_("%(number)s “%(name)s”: missing or changed"),
    "file_not_in_manifest": N_("“%(name)s” is in the bundle but not in the manifest: nothing vouches for it"),
    "bundle_twice": N_("the bundle holds “%(name)s” twice: refused, as a reader could be shown either"),
    "bundle_overlap": N_(
        "the bundle's entries overlap at “%(name)s”: refused, this program never writes that"
    ),
    "bundle_sizes": N_("the sizes the bundle gives for “%(name)s” cannot be true: refused"),
    "bundle_method": N_("“%(name)s” is compressed in a way this program never writes: refused"),
    "bundle_encrypted": N_("“%(name)s” is encrypted inside the bundle: this program never writes that"),
    "bundle_too_many": N_("the bundle has more entries than any this program writes (%(limit)s)"),
    "bundle_no_manifest": N_("the bundle carries no signed manifest"),
    "password_needed": N_("the dossier is password-protected: give its password with --password"),
    "wrong_password": N_("that password does not open the dossier: check it and try again"),
    "not_a_pdf": N_("this is not a readable PDF (%(detail)s)"),
    "damaged_pdf": N_("this is not a readable PDF: its structure is damaged"),
    "dossier_too_large": N_("the file is larger than any dossier this program writes (%(limit)s MiB)"),
    "no_manifest": N_("the dossier carries no signed manifest"),
    "two_manifests": N_(
        "the dossier carries more than one manifest or signature: refused, as a reader could be shown either"
    ),
    "bad_signature": N_("the signature does not match the manifest: it was changed after export"),
    "bad_signature_shape": N_(
        "the signature is not an Ed25519 signature in base64, as this program writes it"
    ),
    "other_key": N_(
        "it was signed by another key than the one you expected (signed by %(found)s; expected %(expected)s)"
    ),
    "unreadable_manifest": N_("the manifest cannot be read (%(detail)s)"),
    "manifest_too_large": N_("the manifest is larger than any this program writes (%(limit)s MiB)"),
    "manifest_not_json": N_("the manifest is not JSON text as this program writes it"),
    "manifest_not_a_table": N_("the manifest is not a table of fields, as this program writes it"),
    "manifest_field": N_("the manifest's “%(field)s” is missing or not what this program writes"),
    "manifest_twice": N_("the manifest gives “%(field)s” twice: refused, as a reader could be shown either"),
    "file_not_found": N_("%(number)s “%(name)s”: no file here has its SHA-256"),
}


@dataclass(frozen=True)
class VerifyProblem:
    code: str  # one of PROBLEMS
    params: dict = field(default_factory=dict)

    def describe(self, gettext: Translate = str) -> str:
        return gettext(PROBLEMS[self.code]) % self.params

    def __str__(self) -> str:
        return self.describe()


class _Refused(Exception):
    """Checking stops here, with this problem."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.problem = VerifyProblem(code, params)


MANIFEST_FORMAT = "helper.dossier-manifest.v1"
MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "manifest.sig"


def public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def fingerprint(key: Ed25519PublicKey) -> str:
    """SHA-256 of the raw public key, in groups of four hex digits, easy to compare by eye."""
    digest = hashlib.sha256(public_bytes(key)).hexdigest()
    return " ".join(digest[i : i + 4] for i in range(0, len(digest), 4))


def build_manifest(data: DossierData, key: Ed25519PublicKey) -> bytes:
    manifest = {
        "format": MANIFEST_FORMAT,
        "case": {"id": data.case.id, "title": data.title},
        "exported_at": data.exported_at,
        "journal_head": data.journal_head,
        "journal_entries": len(data.journal),
        "public_key": base64.b64encode(public_bytes(key)).decode("ascii"),
        "items": [
            {
                "number": f"E{e.number}",
                "name": e.item.original_name,
                "type": e.item.detected_type,
                "size": e.item.size,
                "sha256": e.item.sha256,
                "md5": e.item.md5,
                "pdq": e.item.image.pdq if e.item.image else "",
            }
            for e in data.items
        ],
    }
    return json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")


def seal(pdf: bytes, manifest: bytes, key: Ed25519PrivateKey, password: str = "") -> bytes:
    """Attach the manifest and its signature; encrypt with AES-256 when a password is given."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.add_attachment(MANIFEST_NAME, manifest)
    writer.add_attachment(SIGNATURE_NAME, base64.b64encode(key.sign(manifest)))
    if password:
        writer.encrypt(user_password=password, owner_password=None, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def expected_fingerprint(text: str) -> str:
    """A fingerprint as a person types it (any case; spaces, colons or dashes anywhere) in the form
    `fingerprint` prints. Raises ValueError unless it is 64 hexadecimal digits."""
    digits = "".join(ch for ch in text.lower() if ch not in " :-\t")
    if len(digits) != 64 or any(ch not in "0123456789abcdef" for ch in digits):
        raise ValueError("not a key fingerprint")
    return " ".join(digits[i : i + 4] for i in range(0, 64, 4))


def archive_name(number: int, name: str) -> str:
    """E3-screenshot.png, in the originals bundle: numbered as in the dossier, and safe as a path on
    any system. The check finds each item of the manifest under this name."""
    safe = re.sub(r'[\x00-\x1f\x7f/\\:*?"<>|]+', "_", name).strip(" .") or "file"
    return f"originals/E{number}-{safe[:150]}"


# Bounds on what a check reads, far above what this program writes: a dossier of 10,000 items has a
# manifest of about 4 MiB; a PDF above 1 GiB is not one of its dossiers.
MAX_DOSSIER_BYTES = 1 << 30
MAX_MANIFEST_BYTES = 64 << 20
MAX_SIGNATURE_BYTES = 256
MAX_BUNDLE_ENTRIES = 1_000_002  # the items, the manifest and its signature

_MANIFEST_FIELDS = {
    "format": str,
    "case": dict,
    "exported_at": str,
    "journal_head": str,
    "journal_entries": int,
    "public_key": str,
    "items": list,
}
_CASE_FIELDS = {"id": str, "title": str}
_ITEM_FIELDS = {"number": str, "name": str, "type": str, "size": int, "sha256": str, "md5": str, "pdq": str}
_SHA256 = re.compile(r"[0-9a-f]{64}")
_NUMBER = re.compile(r"E[1-9][0-9]{0,8}")


def _no_key_twice(pairs: list[tuple[str, object]]) -> dict[str, object]:
    table: dict[str, object] = {}
    for key, value in pairs:
        if key in table:
            raise _Refused("manifest_twice", field=key)
        table[key] = value
    return table


def _not_json(_constant: str) -> None:
    raise _Refused("manifest_not_json")  # NaN, Infinity: Python's JSON reads them, JSON has none


def _require(table: object, fields: Mapping[str, type], where: str) -> dict:
    if not isinstance(table, dict):
        raise _Refused("manifest_field", field=where)
    for key, kind in fields.items():
        value = table.get(key)
        wrong_number = kind is int and (isinstance(value, bool) or not isinstance(value, int) or value < 0)
        if not isinstance(value, kind) or wrong_number:
            raise _Refused("manifest_field", field=f"{where}.{key}" if where else key)
    return table


def read_manifest(data: bytes) -> tuple[dict, Ed25519PublicKey]:
    """The manifest as JSON, and the key it names; its other fields are checked once the signature
    is (`check_shape`), so that a manifest changed after signing is reported as that."""
    if len(data) > MAX_MANIFEST_BYTES:
        raise _Refused("manifest_too_large", limit=MAX_MANIFEST_BYTES >> 20)
    try:
        manifest = json.loads(data.decode("utf-8"), object_pairs_hook=_no_key_twice, parse_constant=_not_json)
    except (ValueError, RecursionError):  # not UTF-8, not JSON, a number too long, nested too deep
        raise _Refused("manifest_not_json") from None
    if not isinstance(manifest, dict):
        raise _Refused("manifest_not_a_table")
    try:
        raw = base64.b64decode(_require(manifest, {"public_key": str}, "")["public_key"], validate=True)
        key = Ed25519PublicKey.from_public_bytes(raw)
    except ValueError:
        raise _Refused("manifest_field", field="public_key") from None
    return manifest, key


def check_shape(manifest: dict) -> None:
    """Refuses, field by field, a manifest of any other shape than `build_manifest` writes: what the
    check prints or compares is then always of the type it expects."""
    _require(manifest, _MANIFEST_FIELDS, "")
    if manifest["format"] != MANIFEST_FORMAT:
        raise _Refused("manifest_field", field="format")
    _require(manifest["case"], _CASE_FIELDS, "case")
    try:
        datetime.fromisoformat(manifest["exported_at"])
    except ValueError:
        raise _Refused("manifest_field", field="exported_at") from None
    numbers: set[str] = set()
    for i, entry in enumerate(manifest["items"]):
        where = f"items[{i}]"
        _require(entry, _ITEM_FIELDS, where)
        if not _SHA256.fullmatch(entry["sha256"]):
            raise _Refused("manifest_field", field=f"{where}.sha256")
        if not _NUMBER.fullmatch(entry["number"]) or entry["number"] in numbers:
            raise _Refused("manifest_field", field=f"{where}.number")
        numbers.add(entry["number"])


@dataclass
class Verification:
    """What a check found. `signed`: the signature matches the manifest, by the key whose
    `fingerprint` is given, which proves nothing about who holds it; `key_expected`: that key is the
    one the reader obtained separately (`expect_key`), the only way to know who signed."""

    signed: bool = False
    fingerprint: str = ""
    key_expected: bool = False
    manifest: dict = field(default_factory=dict)
    problems: list[VerifyProblem] = field(default_factory=list)
    files_checked: int = 0

    def problem(self, code: str, **params) -> None:
        self.problems.append(VerifyProblem(code, params))

    @property
    def ok(self) -> bool:
        return self.signed and not self.problems


_ZIP_PROBLEMS = {
    "twice": "bundle_twice",
    "overlap": "bundle_overlap",
    "sizes": "bundle_sizes",
    "method": "bundle_method",
    "encrypted": "bundle_encrypted",
    "too_many": "bundle_too_many",
}


def verify_bundle(archive: bytes | BinaryIO, expect_key: str = "") -> Verification:
    """An originals bundle (ZIP; bytes or a seekable file): the manifest's signature (and its key,
    given `expect_key`), then each item's file inside it against the manifest. Every entry is checked
    before anything is read (zipcheck), and only the files the manifest lists are read, each no
    further than the size it gives: what is read is bounded by the manifest and by the archive."""
    source = io.BytesIO(archive) if isinstance(archive, bytes | bytearray) else archive
    result = Verification()
    try:
        with zipfile.ZipFile(source) as bundle:
            entries = zipcheck.checked_entries(bundle, source, MAX_BUNDLE_ENTRIES)
            if MANIFEST_NAME not in entries or SIGNATURE_NAME not in entries:
                raise _Refused("bundle_no_manifest")
            manifest = _member(bundle, entries[MANIFEST_NAME], MAX_MANIFEST_BYTES, "manifest_too_large")
            signature = _member(bundle, entries[SIGNATURE_NAME], MAX_SIGNATURE_BYTES, "bad_signature_shape")
            _check_signature(manifest, signature, result, expect_key)
            _check_bundle_files(bundle, entries, result)
    except _Refused as refused:
        result.problems.append(refused.problem)
    except zipcheck.ZipRefused as refused:
        result.problem(_ZIP_PROBLEMS[refused.code], name=refused.name, **refused.params)
    except (zipfile.LargeZipFile, ValueError, *zipcheck.MEMBER_ERRORS) as exc:
        result.problem("not_a_bundle", detail=str(exc))  # the archive's directory, before any entry
    return result


def _member(bundle: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, too_large: str) -> bytes:
    try:
        return zipcheck.read_member(bundle, info, limit)
    except zipcheck.ZipRefused:
        raise _Refused(too_large, limit=limit >> 20) from None
    except zipcheck.MEMBER_ERRORS as exc:
        raise _Refused("not_a_bundle", detail=str(exc)) from None


def _check_bundle_files(
    bundle: zipfile.ZipFile, entries: dict[str, zipfile.ZipInfo], result: Verification
) -> None:
    listed = {MANIFEST_NAME, SIGNATURE_NAME}
    for entry in result.manifest["items"]:
        name = archive_name(int(entry["number"][1:]), entry["name"])
        listed.add(name)
        info = entries.get(name)
        if (
            info is not None
            and info.file_size == entry["size"]
            and _sha256_of(bundle, info) == entry["sha256"]
        ):
            result.files_checked += 1
        else:
            result.problem("file_missing_in_bundle", number=entry["number"], name=entry["name"])
    for name in entries:
        if name not in listed and not name.endswith("/"):
            result.problem("file_not_in_manifest", name=name)


def _sha256_of(bundle: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    """The member's SHA-256, or "" when its data is not what its entry says (a CRC that does not
    match, data that ends early or runs on, a broken deflate stream)."""
    digest = hashlib.sha256()
    try:
        for piece in zipcheck.member_pieces(bundle, info):
            digest.update(piece)
    except zipcheck.MEMBER_ERRORS:
        return ""
    return digest.hexdigest()


def verify_dossier(
    pdf: bytes, evidence_dir: Path | None = None, password: str = "", expect_key: str = ""
) -> Verification:
    """A dossier (PDF): the manifest's signature (and its key, given `expect_key`) and, given the
    folder of original files, each item's file among them."""
    result = Verification()
    try:
        manifest, signature = _pdf_attachments(pdf, password)
        _check_signature(manifest, signature, result, expect_key)
    except _Refused as refused:
        result.problems.append(refused.problem)
        return result
    if evidence_dir is not None:
        _check_files(result.manifest, evidence_dir, result)
    return result


def _pdf_attachments(pdf: bytes, password: str) -> tuple[bytes, bytes]:
    """The manifest and its signature, each the only attachment of its name."""
    if len(pdf) > MAX_DOSSIER_BYTES:
        raise _Refused("dossier_too_large", limit=MAX_DOSSIER_BYTES >> 20)
    try:
        reader = PdfReader(io.BytesIO(pdf))
        if reader.is_encrypted and not reader.decrypt(password):
            raise _Refused("wrong_password" if password else "password_needed")
        attachments = reader.attachments
        if MANIFEST_NAME not in attachments or SIGNATURE_NAME not in attachments:
            raise _Refused("no_manifest")
        manifests, signatures = attachments[MANIFEST_NAME], attachments[SIGNATURE_NAME]
    except _Refused:
        raise
    except PdfReadError as exc:
        raise _Refused("not_a_pdf", detail=str(exc)) from None
    except Exception:  # what pypdf raises on a hostile file is no closed set
        raise _Refused("damaged_pdf") from None
    if len(manifests) != 1 or len(signatures) != 1:
        raise _Refused("two_manifests")
    return manifests[0], signatures[0]


def _check_signature(
    manifest_bytes: bytes, signature_b64: bytes, result: Verification, expect_key: str
) -> None:
    manifest, key = read_manifest(manifest_bytes)
    try:
        if len(signature_b64) > MAX_SIGNATURE_BYTES:
            raise ValueError("too long")
        signature = base64.b64decode(signature_b64, validate=True)
    except ValueError:
        raise _Refused("bad_signature_shape") from None
    if len(signature) != 64:
        raise _Refused("bad_signature_shape")
    try:
        key.verify(signature, manifest_bytes)
    except InvalidSignature:
        raise _Refused("bad_signature") from None
    check_shape(manifest)
    result.signed = True
    result.fingerprint = fingerprint(key)
    result.manifest = manifest
    if expect_key:
        result.key_expected = result.fingerprint == expected_fingerprint(expect_key)
        if not result.key_expected:
            result.problem("other_key", found=result.fingerprint, expected=expected_fingerprint(expect_key))


def _files_under(folder: Path) -> list[Path]:
    """The files below `folder`, without following links to other folders."""
    return sorted(Path(root, name) for root, _dirs, names in os.walk(folder) for name in names)


def _check_files(manifest: dict, folder: Path, result: Verification) -> None:
    """Each item's file among the folder's, found by its SHA-256; only files of a size some item has
    are read (and only regular files: a pipe or a device would never end)."""
    sizes = {entry["size"] for entry in manifest["items"]}
    by_hash: dict[str, Path] = {}
    for path in _files_under(folder):
        try:
            found = path.stat()
        except OSError:
            continue  # a dangling link
        if not stat.S_ISREG(found.st_mode) or found.st_size not in sizes:
            continue
        digest = hashlib.sha256()
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                digest.update(chunk)
        by_hash.setdefault(digest.hexdigest(), path)
    for entry in manifest["items"]:
        if entry["sha256"] in by_hash:
            result.files_checked += 1
        else:
            result.problem("file_not_found", number=entry["number"], name=entry["name"])
