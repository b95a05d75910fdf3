"""Hand-over without a cloud: keygen, a bundle encrypted to the organisation, an all-or-nothing receive."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import tarfile

import pyrage
import pytest

from helper import handover
from helper.vault import UnlockedVault, crypto
from tests.support import samples
from tests.support.cli import run
from tests.support.evidence import add_file
from tests.support.web import PASSPHRASE

KEY_PASSPHRASE = "helpline key passphrase"


@pytest.fixture(scope="module")
def org():
    """An organisation's key pair, as keygen makes it (scrypt once per module)."""
    private, public = handover.keygen(KEY_PASSPHRASE)
    return private, public, crypto.unwrap_identity(private, KEY_PASSPHRASE)


@pytest.fixture
def other_vault(vault_template, tmp_path):
    """A second vault (another helpline's), a copy of the template opened without scrypt."""
    target = tmp_path / "other"
    shutil.copytree(vault_template.path, target)
    return UnlockedVault(target, pyrage.x25519.Identity.from_str(vault_template.identity))


@pytest.fixture
def sent_case(unlocked):
    case = unlocked.create_case("Hand me over")
    unlocked.update_case(
        case.id, lambda c: c.with_incident(narrative="SAMPLE story", kind="financial"), None, {}
    )
    add_file(unlocked, case.id, samples.png(320, 200), "profile-SAMPLE.png", "image/png")
    add_file(unlocked, case.id, b"SAMPLE chat line\n" * 500, "notes-SAMPLE.txt", "text/plain")
    return unlocked.load_case(case.id)


def bundle(unlocked, case, public, tmp_path, items=None):
    path = tmp_path / "bundle.age"
    with open(path, "wb") as out:
        handover.write_bundle(unlocked, case.id, handover.parse_recipient(public), out, items)
    return path


def test_a_bundle_decrypts_with_the_standard_age_tool_and_lists_its_documented_inside(
    unlocked, sent_case, org, tmp_path
):
    private, public, identity = org
    path = bundle(unlocked, sent_case, public, tmp_path)
    key = tmp_path / "key.txt"
    key.write_text(f"{identity}\n")
    plain = subprocess.run(["age", "-d", "-i", str(key), str(path)], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(plain)) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("handover.json").read())
    assert names[:4] == ["handover.json", "handover.sig", "case.json", "journal.json"]
    assert {f"evidence/{it.id}" for it in sent_case.evidence} <= set(names)
    assert {f["sha256"] for f in manifest["files"]} >= {it.sha256 for it in sent_case.evidence}
    assert "handover.exported" in [e.action for e in unlocked.journal(sent_case.id)]
    # the private key file is itself a standard age file, opened with the passphrase
    assert private.startswith(b"age-encryption.org/v1\n")


def test_received_into_another_vault_with_every_fingerprint_intact(
    unlocked, other_vault, sent_case, org, tmp_path
):
    _private, public, identity = org
    got = handover.receive_bundle(other_vault, bundle(unlocked, sent_case, public, tmp_path), identity)
    case = other_vault.load_case(sent_case.id)
    assert got.items == 2
    assert [it.sha256 for it in case.evidence] == [it.sha256 for it in sent_case.evidence]
    for it in case.evidence:
        assert b"".join(other_vault.open_evidence(case.id, it.id).pieces())
    assert other_vault.verify() == []
    actions = [e.action for e in other_vault.journal(case.id)]
    assert actions[-1] == "handover.received"
    assert case.incident.narrative == "SAMPLE story"


def test_only_the_chosen_items_travel(unlocked, other_vault, sent_case, org, tmp_path):
    _private, public, identity = org
    first = sent_case.evidence[0]
    handover.receive_bundle(
        other_vault, bundle(unlocked, sent_case, public, tmp_path, frozenset({first.id})), identity
    )
    assert [it.id for it in other_vault.load_case(sent_case.id).evidence] == [first.id]


def files_of(vault):
    return sorted(p.name for p in (vault.path / "blobs").iterdir())


@pytest.mark.parametrize("damage", ["flip", "truncate"])
def test_a_damaged_bundle_is_refused_and_nothing_is_imported(
    unlocked, other_vault, sent_case, org, tmp_path, damage
):
    _private, public, identity = org
    path = bundle(unlocked, sent_case, public, tmp_path)
    data = bytearray(path.read_bytes())
    if damage == "flip":
        data[len(data) // 2] ^= 0x01
    else:
        data = data[: len(data) - 100]
    path.write_bytes(bytes(data))
    before = files_of(other_vault)
    with pytest.raises(handover.HandoverError) as refused:
        handover.receive_bundle(other_vault, path, identity)
    assert refused.value.code == "damaged"
    assert "damaged or incomplete" in refused.value.describe()
    assert sent_case.id not in other_vault.case_ids()
    assert files_of(other_vault) == before


def test_a_bundle_for_another_key_is_refused(unlocked, other_vault, sent_case, org, tmp_path):
    _private, public, _identity = org
    with pytest.raises(handover.HandoverError, match="wrong_key"):
        handover.receive_bundle(
            other_vault, bundle(unlocked, sent_case, public, tmp_path), crypto.generate_identity()
        )


def test_a_replayed_older_bundle_is_refused(unlocked, other_vault, sent_case, org, tmp_path):
    _private, public, identity = org
    old = bundle(unlocked, sent_case, public, tmp_path)
    older = tmp_path / "older.age"
    old.rename(older)
    unlocked.update_case(
        sent_case.id,
        lambda c: c.with_incident(narrative="SAMPLE story, later"),
        "walkthrough.saved",
        {"step": "story"},
    )
    handover.receive_bundle(other_vault, bundle(unlocked, sent_case, public, tmp_path), identity)
    with pytest.raises(handover.HandoverError) as refused:
        handover.receive_bundle(other_vault, older, identity)
    assert refused.value.code == "older"
    assert other_vault.load_case(sent_case.id).incident.narrative == "SAMPLE story, later"


def test_a_changed_file_inside_a_re_encrypted_bundle_is_named(
    unlocked, other_vault, sent_case, org, tmp_path
):
    """Anyone holding the public key can encrypt: a bundle rebuilt with one file changed is refused,
    naming that file, because the signed manifest pins its fingerprint."""
    _private, public, identity = org
    plain = pyrage.decrypt(bundle(unlocked, sent_case, public, tmp_path).read_bytes(), [identity])
    target = f"evidence/{sent_case.evidence[1].id}"
    out = io.BytesIO()
    with tarfile.open(fileobj=io.BytesIO(plain)) as source, tarfile.open(fileobj=out, mode="w") as rebuilt:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == target:
                data = data.replace(b"SAMPLE", b"CHANGE")
            member.size = len(data)
            rebuilt.addfile(member, io.BytesIO(data))
    forged = tmp_path / "forged.age"
    forged.write_bytes(pyrage.encrypt(out.getvalue(), [handover.parse_recipient(public)]))
    with pytest.raises(handover.HandoverError) as refused:
        handover.receive_bundle(other_vault, forged, identity)
    assert refused.value.code == "file_changed"
    assert "notes-SAMPLE.txt" in refused.value.describe()
    assert sent_case.id not in other_vault.case_ids()


def test_something_else_than_a_bundle_is_refused(other_vault, org, tmp_path):
    _private, _public, identity = org
    path = tmp_path / "photo.age"
    path.write_bytes(samples.png(10, 10))
    with pytest.raises(handover.HandoverError, match="not_a_bundle"):
        handover.receive_bundle(other_vault, path, identity)


def test_the_command_line_makes_a_key_hands_over_and_receives(vault_dir, unlocked, other_vault, tmp_path):
    case = unlocked.create_case("CLI hand-over")
    add_file(unlocked, case.id, samples.png(64, 48), "shot-SAMPLE.png", "image/png")
    key = tmp_path / "org.key"
    made = run("keygen", "-o", str(key), stdin=f"{KEY_PASSPHRASE}\n")
    assert made.returncode == 0, made.stderr
    public = next(line for line in made.stdout.splitlines() if line.startswith("age1"))
    out = tmp_path / "case.age"
    sent = run(
        "handover",
        "--vault",
        str(vault_dir),
        "--case",
        "CLI hand-over",
        "--to",
        public,
        "-o",
        str(out),
        stdin=f"{PASSPHRASE}\n",
    )
    assert sent.returncode == 0, sent.stderr

    def receive():
        return run(
            "receive", "--vault", str(other_vault.path), str(out), "--key", str(key),
            stdin=f"{PASSPHRASE}\n{KEY_PASSPHRASE}\n",
        )  # fmt: skip

    got = receive()
    assert got.returncode == 0, got.stderr
    assert "every fingerprint checked" in got.stdout
    assert case.id in other_vault.case_ids()
    again = receive()  # the same bundle a second time
    assert again.returncode == 1
    assert "Nothing was imported" in again.stderr
    bad = run(
        "handover", "--vault", str(vault_dir), "--case", "CLI hand-over", "--to", "not-a-key", "-o", str(out)
    )
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr


def test_a_1_gib_item_streams_through_with_bounded_memory():
    """Bundled and received in a fresh process (the benchmark's own harness): the resident memory above
    the level before stays far below the item's size."""
    import sys

    from tests.support.cli import ROOT

    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "handover.py"), "--items", "1", "--mib", "1024", "--json"],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["bundle_peak_mib"] <= 150, result
    assert result["receive_peak_mib"] <= 150, result
