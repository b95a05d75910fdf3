"""The C2SP age test vectors (tests/data/age-testkit) against every place the vault reads an age file:
the key files (passphrase), case files and evidence files and the files made from them (X25519).

Whoever holds the disk can put any of these in the vault's place. Every vector that must fail is
refused with the vault's own error (a sentence for the person), never a traceback; nothing of a file
that fails is served; a file that succeeds is served only when it matches its pinned fingerprint."""

from __future__ import annotations

import time
import zlib
from dataclasses import dataclass, replace
from pathlib import Path

import pyrage
import pytest

from helper.case import EvidenceItem, ImageInfo, utc_now
from helper.vault import (
    DamagedCase,
    ItemProblem,
    Vault,
    WrongPassphrase,
)
from helper.vault.store import UnlockedVault, new_id

KIT = Path(__file__).resolve().parent / "data" / "age-testkit"


@dataclass(frozen=True)
class Vector:
    name: str
    header: dict[str, str]
    body: bytes

    @property
    def succeeds(self) -> bool:
        return self.header["expect"] == "success"

    @property
    def payload_sha256(self) -> str:
        return self.header.get("payload", "0" * 64)


def load(path: Path) -> Vector:
    head, _, body = path.read_bytes().partition(b"\n\n")
    header = dict(line.split(": ", 1) for line in head.decode().splitlines())
    if header.get("compressed") == "zlib":
        body = zlib.decompress(body)
    return Vector(path.name, header, body)


VECTORS = [load(p) for p in sorted(KIT.iterdir()) if p.name != "ORIGIN.md"]


def x25519_identity(vector: Vector):
    """The vector's identity when pyrage can read it (post-quantum hybrid identities it cannot)."""
    text = vector.header.get("identity", "")
    if not text.startswith("AGE-SECRET-KEY-1"):
        return None
    try:
        return pyrage.x25519.Identity.from_str(text)
    except pyrage.IdentityError:
        return None


KEYED = [v for v in VECTORS if x25519_identity(v) is not None]
PASSWORDED = [v for v in VECTORS if "passphrase" in v.header]


def test_the_kit_is_all_here():
    assert len(VECTORS) == 143
    assert len(KEYED) > 80
    assert len(PASSWORDED) == 26


def empty_vault(folder: Path, identity) -> UnlockedVault:
    for sub in ("cases", "blobs"):
        (folder / sub).mkdir(parents=True)
    (folder / "incident-helper-vault.json").write_text('{"format": "helper.vault.v1"}')
    return UnlockedVault(folder, identity)


def planted_item(vault: UnlockedVault, vector: Vector) -> tuple[str, EvidenceItem]:
    """A case whose one item's encrypted file is the vector, pinned with the vector's payload hash."""
    case = vault.create_case("Vectors")
    blob = new_id()
    (vault.path / "blobs" / f"{blob}.age").write_bytes(vector.body)
    size = int(vector.header["payload size"]) if "payload size" in vector.header else 0
    item = EvidenceItem(
        id=new_id(),
        blob=blob,
        sha256=vector.payload_sha256,
        size=size,
        original_name="planted.mp4",
        media_type="video/mp4",
        added_at=utc_now(),
        detected_type="video/mp4",
    )
    vault.update_case(case.id, lambda c: c.with_evidence(item), "evidence.added", {"item": item.id})
    return case.id, item


def _payload_size(vault: UnlockedVault, vector: Vector) -> int | None:
    try:
        return len(pyrage.decrypt(vector.body, [vault.identity]))
    except Exception:
        return None


@pytest.mark.parametrize("vector", KEYED, ids=[v.name for v in KEYED])
def test_evidence_and_derived_files(tmp_path, vector):
    vault = empty_vault(tmp_path / "vault", x25519_identity(vector))
    size = _payload_size(vault, vector)
    if vector.succeeds and size is not None:
        vector.header.setdefault("payload size", str(size))
    case_id, item = planted_item(vault, vector)
    try:
        served = b"".join(vault.open_evidence(case_id, item.id).pieces())
    except ItemProblem:
        served = None
    # The same file as a rendition made from an item (its display copy), pinned with the same hash.
    image = ImageInfo(format="JPEG", width=1, height=1, display_blob=item.blob, display_sha256=item.sha256)
    try:
        derived = vault.open_item(replace(item, image=image)).derived(item.blob)
    except ItemProblem:
        derived = None
    problems = vault.verify()
    if vector.succeeds and served is not None:
        assert served == derived
        assert problems == []
    else:
        assert served is None, vector.header
        assert derived is None or vector.succeeds
        assert [p.item_id for p in problems] == [item.id]


@pytest.mark.parametrize("vector", KEYED, ids=[v.name for v in KEYED])
def test_case_files(tmp_path, vector):
    vault = empty_vault(tmp_path / "vault", x25519_identity(vector))
    case_id = new_id()
    (vault.path / "cases" / f"{case_id}.age").write_bytes(vector.body)
    with pytest.raises(DamagedCase):  # even a vector that decrypts holds no case record
        vault.load_case(case_id)
    [row] = vault.list_cases()
    assert row.summary is None
    assert row.problem


@pytest.mark.parametrize("vector", PASSWORDED, ids=[v.name for v in PASSWORDED])
def test_key_files(vault_dir, vector):
    """As identity.age and recovery.age: refused in under a second, with the vault's own error."""
    for name, opener in (("identity.age", Vault.unlock), ("recovery.age", Vault.unlock_with_recovery)):
        (vault_dir / name).write_bytes(vector.body)
        started = time.monotonic()
        with pytest.raises(WrongPassphrase) as refused:  # KeyFileRefused is one of these
            opener(Vault(vault_dir), vector.header["passphrase"])
        assert time.monotonic() - started < 10
        assert refused.value.describe()


def test_the_app_serves_only_what_matches_and_stays_up(app, launched):
    """Through the web: each vector as an item's file; a calm answer every time, never a 500."""
    from helper.web.services import SESSION_HANDLE

    answers = {}
    for n, vector in enumerate(KEYED):
        vault = empty_vault(
            Path(app.extensions["helper"].config.vault_path).parent / f"v{n}", x25519_identity(vector)
        )
        size = _payload_size(vault, vector)
        if vector.succeeds and size is not None:
            vector.header.setdefault("payload size", str(size))
        case_id, item = planted_item(vault, vector)
        handle = app.extensions["helper"].keyring.add(vault)
        with launched.session_transaction() as sess:
            sess[SESSION_HANDLE] = handle
        response = launched.get(f"/evidence/{case_id}/{item.id}/view")
        answers[vector.name] = response.status_code
        assert response.status_code in (200, 409), (vector.name, response.status_code)
        if response.status_code == 200:
            assert vector.succeeds
            assert len(response.data) == item.size
    assert 200 in answers.values()
    assert 409 in answers.values()
    assert launched.get("/cases/").status_code == 200  # still up
