"""What a dossier vouches for, signed: every item's fingerprints, the journal head, the export time.

The manifest travels inside the PDF as an attachment (`manifest.json`), with its Ed25519 signature
(`manifest.sig`, base64). The vault's signing key never leaves the vault; the PDF prints the public
key's fingerprint, and `incident-helper verify-dossier` checks the signature and, given the
exported original files, their hashes.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from helper.dossier.data import DossierData
from helper.vocabulary import N_, Translate

# What verifying can find wrong, in words the command line translates for its reader.
PROBLEMS = {
    "not_a_bundle": N_("this is not an originals bundle (%(detail)s)"),
    "file_missing_in_bundle": N_("%(number)s “%(name)s”: missing or changed"),
    "password_needed": N_("the dossier is password-protected: give its password with --password"),
    "wrong_password": N_("that password does not open the dossier: check it and try again"),
    "not_a_pdf": N_("this is not a readable PDF (%(detail)s)"),
    "no_manifest": N_("the dossier carries no signed manifest"),
    "bad_signature": N_("the signature does not match the manifest: it was changed after export"),
    "unreadable_manifest": N_("the manifest cannot be read (%(detail)s)"),
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


@dataclass
class Verification:
    signed: bool = False  # the signature matches the manifest
    fingerprint: str = ""
    manifest: dict = field(default_factory=dict)
    problems: list[VerifyProblem] = field(default_factory=list)
    files_checked: int = 0

    def problem(self, code: str, **params) -> None:
        self.problems.append(VerifyProblem(code, params))

    @property
    def ok(self) -> bool:
        return self.signed and not self.problems


def verify_bundle(archive: bytes) -> Verification:
    """An originals bundle (ZIP): the manifest's signature, then every file inside against it."""
    import zipfile

    result = Verification()
    try:
        with zipfile.ZipFile(io.BytesIO(archive)) as bundle:
            manifest = bundle.read(MANIFEST_NAME)
            signature = bundle.read(SIGNATURE_NAME)
            hashes = set()
            for info in bundle.infolist():
                if info.filename.startswith("originals/"):
                    digest = hashlib.sha256()
                    with bundle.open(info) as f:
                        while chunk := f.read(1 << 20):
                            digest.update(chunk)
                    hashes.add(digest.hexdigest())
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        result.problem("not_a_bundle", detail=str(exc))
        return result
    _check_signature(manifest, signature, result)
    if result.signed:
        for item in result.manifest.get("items", []):
            if item.get("sha256") in hashes:
                result.files_checked += 1
            else:
                result.problem("file_missing_in_bundle", number=item.get("number"), name=item.get("name"))
    return result


def verify_dossier(pdf: bytes, evidence_dir: Path | None = None, password: str = "") -> Verification:
    result = Verification()
    try:
        reader = PdfReader(io.BytesIO(pdf))
        if reader.is_encrypted and not reader.decrypt(password):
            result.problem("wrong_password" if password else "password_needed")
            return result
        attachments = reader.attachments
    except (PdfReadError, ValueError, OSError) as exc:
        result.problem("not_a_pdf", detail=str(exc))
        return result
    if MANIFEST_NAME not in attachments or SIGNATURE_NAME not in attachments:
        result.problem("no_manifest")
        return result
    _check_signature(attachments[MANIFEST_NAME][0], attachments[SIGNATURE_NAME][0], result)
    if result.signed and evidence_dir is not None:
        _check_files(result.manifest, evidence_dir, result)
    return result


def _check_signature(manifest: bytes, signature_b64: bytes, result: Verification) -> None:
    try:
        signature = base64.b64decode(signature_b64, validate=True)
        data = json.loads(manifest)
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(data["public_key"]))
        key.verify(signature, manifest)
    except InvalidSignature:
        result.problem("bad_signature")
        return
    except (ValueError, KeyError, TypeError) as exc:
        result.problem("unreadable_manifest", detail=str(exc))
        return
    result.signed = True
    result.fingerprint = fingerprint(key)
    result.manifest = data


def _check_files(manifest: dict, folder: Path, result: Verification) -> None:
    by_hash: dict[str, Path] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest = hashlib.sha256()
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                digest.update(chunk)
        by_hash.setdefault(digest.hexdigest(), path)
    for item in manifest.get("items", []):
        if item.get("sha256") in by_hash:
            result.files_checked += 1
        else:
            result.problem("file_not_found", number=item.get("number"), name=item.get("name"))
