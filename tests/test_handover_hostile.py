"""Receiving a hand-over as an attacker would shape it (issue 21, items 1–6): a case the vault holds,
re-sent by another key; a newer copy from the same sender; escape sequences in what is printed; a
sparse member; thousands of items; a minor's intimate picture; hostile manifests and a weak key.

Hostile bundles are built here as an attacker would build them: the real bundle's parts, changed,
signed with a key of the attacker's own, put in a tar and encrypted to the helpline's public key with
the project's own age writer (anyone holding the public key can encrypt)."""

from __future__ import annotations

import base64
import copy
import hashlib
import io
import json
import os
import pty
import shutil
import subprocess
import sys
import tarfile
import threading
import tracemalloc
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pyrage
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from helper import handover
from helper.case import Case, EvidenceItem, InvalidRecord, utc_now
from helper.dossier.manifest import fingerprint
from helper.vault import UnlockedVault, crypto
from tests.support import samples
from tests.support.cli import ROOT, run, terminal_env
from tests.support.evidence import add_file
from tests.support.web import PASSPHRASE

KEY_PASSPHRASE = "helpline key passphrase"


@pytest.fixture(scope="module")
def org():
    private, public = handover.keygen(KEY_PASSPHRASE)
    return private, public, crypto.unwrap_identity(private, KEY_PASSPHRASE)


@pytest.fixture
def helpline(vault_template, tmp_path) -> UnlockedVault:
    """The receiving vault (a copy of the template, opened without scrypt)."""
    target = tmp_path / "helpline"
    shutil.copytree(vault_template.path, target)
    return UnlockedVault(target, pyrage.x25519.Identity.from_str(vault_template.identity))


@pytest.fixture
def case(unlocked) -> Case:
    made = unlocked.create_case("Hand me over")
    add_file(unlocked, made.id, samples.png(64, 48), "profile-SAMPLE.png", "image/png")
    add_file(unlocked, made.id, b"SAMPLE chat line\n" * 50, "notes-SAMPLE.txt", "text/plain")
    return unlocked.load_case(made.id)


def bundle_of(vault, case_id: str, public: str, path: Path, items=None) -> Path:
    with open(path, "wb") as out:
        handover.write_bundle(vault, case_id, handover.parse_recipient(public), out, items)
    return path


def snapshot(vault: UnlockedVault) -> dict[str, str]:
    """Every file of the vault's cases and blobs folders (temporary ones too), by its bytes."""
    return {
        str(p.relative_to(vault.path)): hashlib.sha256(p.read_bytes()).hexdigest()
        for folder in ("cases", "blobs")
        for p in sorted((vault.path / folder).rglob("*"))
        if p.is_file()
    }


def decrypting_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name in ("age-decrypt", "handover") and t.is_alive()]


@dataclass
class Parts:
    """A bundle taken apart, to be changed and put together again."""

    manifest: Any
    record: Any
    journal: Any
    files: dict[str, bytes]

    @classmethod
    def of(cls, path: Path, identity) -> Parts:
        plain = pyrage.decrypt(path.read_bytes(), [identity])
        with tarfile.open(fileobj=io.BytesIO(plain)) as tar:
            data = {m.name: _read(tar, m) for m in tar.getmembers()}
        files = {k: v for k, v in data.items() if k.startswith(("evidence/", "derived/"))}
        return cls(
            json.loads(data["handover.json"]),
            json.loads(data["case.json"]),
            json.loads(data["journal.json"]),
            files,
        )

    def item_path(self, name: str) -> str:
        item = next(it for it in self.record["evidence"] if it["original_name"] == name)
        return f"evidence/{item['id']}"

    def sealed(
        self,
        key: Ed25519PrivateKey,
        public: str,
        path: Path,
        *,
        refresh: bool = True,
        members: list[tuple[tarfile.TarInfo, bytes]] | None = None,
    ) -> Path:
        """Signed with `key` (the manifest's fingerprints brought up to date first, with `refresh`),
        in the order the program writes, encrypted to `public` by the project's own age writer."""
        record = json.dumps(self.record).encode()
        journal = json.dumps(self.journal).encode()
        manifest = copy.deepcopy(self.manifest)
        if refresh and isinstance(manifest, dict):
            manifest["public_key"] = base64.b64encode(key.public_key().public_bytes_raw()).decode()
            manifest["record_sha256"] = hashlib.sha256(record).hexdigest()
            manifest["journal_sha256"] = hashlib.sha256(journal).hexdigest()
        raw = json.dumps(manifest).encode()
        head = [
            ("handover.json", raw),
            ("handover.sig", base64.b64encode(key.sign(raw))),
            ("case.json", record),
            ("journal.json", journal),
        ]
        out = io.BytesIO()
        with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for name, data in [*head, *self.files.items()]:
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
            for info, data in members or []:
                tar.addfile(info, io.BytesIO(data) if info.isreg() else None)
        path.write_bytes(crypto.encrypt_bytes(out.getvalue(), handover.parse_recipient(public)))
        return path


def _read(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    source = tar.extractfile(member)
    assert source is not None, member.name
    return source.read()


def attacker_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


# -- 1. trust on first use ------------------------------------------------------------------------


def test_a_held_case_resent_signed_by_another_key_is_refused_with_both_fingerprints(
    unlocked, helpline, case, org, tmp_path
):
    _private, public, identity = org
    first = handover.receive_bundle(
        helpline, bundle_of(unlocked, case.id, public, tmp_path / "a.age"), identity
    )
    before = snapshot(helpline)
    parts = Parts.of(bundle_of(unlocked, case.id, public, tmp_path / "b.age"), identity)
    parts.record["revision"] = parts.manifest["case"]["revision"] = 1000  # "newer" than anything held
    parts.record["evidence"] = parts.record["evidence"][:1]  # and the notes gone
    parts.manifest["files"] = [f for f in parts.manifest["files"] if f.get("item") != case.evidence[1].id]
    del parts.files[f"evidence/{case.evidence[1].id}"]
    key = attacker_key()
    with pytest.raises(handover.HandoverError) as refused:
        handover.receive_bundle(helpline, parts.sealed(key, public, tmp_path / "forged.age"), identity, True)
    assert refused.value.code == "other_sender"
    said = refused.value.describe()
    assert first.signer in said
    assert fingerprint(key.public_key()) in said
    assert snapshot(helpline) == before
    assert len(helpline.load_case(case.id).evidence) == 2


def test_the_sender_is_remembered_across_changes_made_here_and_for_cases_received_before(
    unlocked, helpline, case, org, tmp_path, vault_template
):
    _private, public, identity = org
    got = handover.receive_bundle(
        helpline, bundle_of(unlocked, case.id, public, tmp_path / "a.age"), identity
    )
    assert helpline.case_sender(case.id).key == unlocked.signing_key().public_key().public_bytes_raw()
    # A change made here (the record written whole again) keeps it.
    helpline.update_case(case.id, lambda c: c.with_incident(narrative="SAMPLE, noted here"), None, {})
    assert helpline.case_sender(case.id) is not None
    # A case received before the sender was kept: its receipt in the journal names the sender.
    record = helpline.path / "cases" / f"{case.id}.age"
    envelope = json.loads(crypto.decrypt_bytes(record.read_bytes(), helpline.identity))
    del envelope["sender"]
    record.write_bytes(crypto.encrypt_bytes(json.dumps(envelope).encode(), helpline.identity.to_public()))
    legacy = UnlockedVault(helpline.path, pyrage.x25519.Identity.from_str(vault_template.identity))
    assert legacy.case_sender(case.id) is None
    parts = Parts.of(bundle_of(unlocked, case.id, public, tmp_path / "b.age"), identity)
    parts.record["revision"] = parts.manifest["case"]["revision"] = 1000
    with pytest.raises(handover.HandoverError) as refused:
        handover.receive_bundle(
            legacy, parts.sealed(attacker_key(), public, tmp_path / "f.age"), identity, True
        )
    assert refused.value.code == "other_sender"
    assert got.signer in refused.value.describe()


def test_a_case_made_here_is_never_replaced_by_a_bundle(unlocked, case, org, tmp_path):
    """The case id is printed in every dossier's manifest: a bundle naming it must not overwrite the
    person's own case, whatever revision it claims."""
    _private, public, identity = org
    parts = Parts.of(bundle_of(unlocked, case.id, public, tmp_path / "a.age"), identity)
    parts.record["revision"] = parts.manifest["case"]["revision"] = 1000
    parts.record["evidence"], parts.manifest["files"], parts.files = [], [], {}
    before = snapshot(unlocked)
    with pytest.raises(handover.HandoverError) as refused:
        handover.receive_bundle(
            unlocked, parts.sealed(attacker_key(), public, tmp_path / "f.age"), identity, True
        )
    assert refused.value.code == "made_here"
    assert snapshot(unlocked) == before


@pytest.fixture
def newer(unlocked, helpline, case, org, tmp_path) -> Path:
    """The case received once; then, at the sender's, a file added and one taken out: the newer bundle."""
    _private, public, identity = org
    handover.receive_bundle(helpline, bundle_of(unlocked, case.id, public, tmp_path / "a.age"), identity)
    add_file(unlocked, case.id, b"SAMPLE later file\n", "later-SAMPLE.txt", "text/plain")
    unlocked.update_case(case.id, lambda c: c.without_evidence(case.evidence[1].id), None, {})
    return bundle_of(unlocked, case.id, public, tmp_path / "b.age")


def test_a_newer_copy_from_the_same_sender_says_what_changes_and_replaces_only_when_agreed(
    helpline, case, org, newer
):
    _private, _public, identity = org
    before = snapshot(helpline)
    with handover.staged_bundle(helpline, newer, identity) as staged:
        assert staged.change is not None
        assert staged.change.added == ("later-SAMPLE.txt",)
        assert staged.change.removed == ("notes-SAMPLE.txt",)
        # Until it is committed, the copy held here is as it was, every file of it readable.
        assert [it.original_name for it in helpline.load_case(case.id).evidence] == [
            "profile-SAMPLE.png",
            "notes-SAMPLE.txt",
        ]
        assert helpline.verify() == []
    assert snapshot(helpline) == before  # let go without committing: nothing kept
    with pytest.raises(handover.HandoverError) as refused:
        handover.receive_bundle(helpline, newer, identity)
    assert refused.value.code == "would_replace"
    assert snapshot(helpline) == before
    got = handover.receive_bundle(helpline, newer, identity, replace=True)
    assert got.replaced is not None
    names = [it.original_name for it in helpline.load_case(case.id).evidence]
    assert names == ["profile-SAMPLE.png", "later-SAMPLE.txt"]
    assert helpline.verify() == []
    assert helpline.orphans() == []  # the removed file's encrypted copy went with it


def test_the_command_line_shows_the_change_and_replaces_only_with_replace(helpline, org, newer, tmp_path):
    private, _public, _identity = org
    key = tmp_path / "org.key"
    key.write_bytes(private)

    def receive(*extra: str) -> subprocess.CompletedProcess:
        return run(
            "receive", "--vault", str(helpline.path), str(newer), "--key", str(key), *extra,
            stdin=f"{PASSPHRASE}\n{KEY_PASSPHRASE}\n",
        )  # fmt: skip

    before = snapshot(helpline)
    asked = receive()
    assert asked.returncode == 1, asked.stderr
    assert "later-SAMPLE.txt" in asked.stdout
    assert "notes-SAMPLE.txt" in asked.stdout
    assert "--replace" in asked.stderr
    assert snapshot(helpline) == before
    agreed = receive("--replace")
    assert agreed.returncode == 0, agreed.stderr
    assert "replaced" in agreed.stdout
    assert "Traceback" not in asked.stderr + agreed.stderr


# -- 2. what the terminal is shown ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("notes-SAMPLE.txt", "notes-SAMPLE.txt"),
        ("a\x1b[2Jb", "a\\x1b[2Jb"),
        ("x\nIt was signed by", "x\\nIt was signed by"),
        ("\x9b31m", "\\x9b31m"),
        ("\u202egnp.exe", "\\u202egnp.exe"),
        ("lone \ud800", "lone \\ud800"),
        ("café 👩\u200d👩", "café 👩\u200d👩"),
    ],
)
def test_control_characters_are_shown_escaped_and_escaping_twice_changes_nothing(text, expected):
    from helper.cli.terminal import shown

    assert shown(text) == expected
    assert shown(shown(text)) == expected


def test_a_bundle_s_title_and_file_names_reach_the_terminal_escaped(unlocked, helpline, case, org, tmp_path):
    private, public, identity = org
    lying = "SAMPLE\x1b[1A\x1b[2K\nIt was signed by the vault with key fingerprint 0000 0000"
    parts = Parts.of(bundle_of(unlocked, case.id, public, tmp_path / "a.age"), identity)
    parts.record["title"] = parts.manifest["case"]["title"] = lying
    path = parts.item_path("notes-SAMPLE.txt")
    parts.record["evidence"][1]["original_name"] = lying
    changed = tmp_path / "changed.age"
    parts.files[path] = parts.files[path].replace(b"SAMPLE", b"CHANGE")  # refused, naming the file
    parts.sealed(attacker_key(), public, changed)
    del parts.files[path]
    parts.record["evidence"] = parts.record["evidence"][:1]
    parts.manifest["files"] = [f for f in parts.manifest["files"] if f["path"] != path]
    clean = parts.sealed(attacker_key(), public, tmp_path / "clean.age")
    key = tmp_path / "org.key"
    key.write_bytes(private)
    outputs = []
    for bundle in (changed, clean):
        done = run(
            "receive", "--vault", str(helpline.path), str(bundle), "--key", str(key),
            stdin=f"{PASSPHRASE}\n{KEY_PASSPHRASE}\n",
        )  # fmt: skip
        outputs.append(done)
        assert "\x1b" not in done.stdout + done.stderr
        assert [line for line in done.stdout.splitlines() if line.startswith("It was signed")] == (
            [line for line in done.stdout.splitlines() if "compare it with the sender" in line]
        )
    assert outputs[0].returncode == 1
    assert "\\x1b[1A" in outputs[0].stderr
    assert len(outputs[0].stderr.strip().splitlines()) == 1
    assert outputs[1].returncode == 0, outputs[1].stderr
    title = helpline.load_case(case.id).title
    assert title.isprintable()
    assert title.startswith("SAMPLE")
    assert "It was signed by" in title


def test_a_letter_printed_on_a_terminal_shows_the_case_s_words_escaped(vault_dir, unlocked):
    """The letter's words come from the case, which may have come in a bundle: on a terminal, an escape
    sequence in them is shown, not obeyed; written to a file or a pipe, the letter is as it is."""
    made = unlocked.create_case("Letter case")
    unlocked.update_case(
        made.id,
        lambda c: c.with_incident(narrative="SAMPLE\x1b]0;owned\x07 story", kind="financial"),
        None,
        {},
    )
    primary, secondary = pty.openpty()
    child = subprocess.Popen(
        [sys.executable, "-m", "helper", "letter", "--vault", str(vault_dir), "--case", "Letter case",
         "--kind", "police-uk"],
        stdin=subprocess.PIPE, stdout=secondary, stderr=subprocess.PIPE, cwd=ROOT, env=terminal_env(),
    )  # fmt: skip
    os.close(secondary)
    child.stdin.write(f"{PASSPHRASE}\n".encode())
    child.stdin.close()
    printed = b""
    while True:
        try:
            piece = os.read(primary, 65536)
        except OSError:  # the terminal closes when the child ends
            break
        if not piece:
            break
        printed += piece
    os.close(primary)
    child.wait(timeout=60)
    child.stderr.close()
    assert b"SAMPLE" in printed
    assert b"\x1b" not in printed
    assert b"\\x1b]0;owned\\x07" in printed


# -- 3. only ordinary files, bounded, checked as they stream -------------------------------------


def _sparse(name: str, size: int) -> tarfile.TarInfo:
    """A PAX sparse member (GNU 0.1): one byte stored, `size` declared, zeros for the rest."""
    info = tarfile.TarInfo(name)
    info.size = 1
    info.pax_headers = {"GNU.sparse.map": f"{size - 1},1", "GNU.sparse.size": str(size)}
    return info


def _special(name: str, kind: bytes) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = "/etc/passwd" if kind in (tarfile.SYMTYPE, tarfile.LNKTYPE) else ""
    return info


@pytest.mark.parametrize("kind", ["sparse", "symlink", "hardlink", "folder", "fifo"])
def test_a_member_that_is_not_an_ordinary_file_is_refused_before_anything_is_written(
    unlocked, helpline, case, org, tmp_path, kind
):
    _private, public, identity = org
    parts = Parts.of(bundle_of(unlocked, case.id, public, tmp_path / "a.age"), identity)
    path = parts.item_path("notes-SAMPLE.txt")
    size = 64 * 1024 * 1024  # a few bytes of bundle that would write 64 MiB of zeros
    spec = next(f for f in parts.manifest["files"] if f["path"] == path)
    spec["size"] = size
    parts.record["evidence"][1]["size"] = size
    del parts.files[path]
    member = (
        _sparse(path, size)
        if kind == "sparse"
        else _special(
            path,
            {"symlink": tarfile.SYMTYPE, "hardlink": tarfile.LNKTYPE, "folder": tarfile.DIRTYPE}.get(
                kind, tarfile.FIFOTYPE
            ),
        )
    )
    forged = parts.sealed(attacker_key(), public, tmp_path / "f.age", members=[(member, b"x")])
    assert forged.stat().st_size < 100_000
    before = snapshot(helpline)
    with pytest.raises(handover.HandoverError) as refused:
        handover.receive_bundle(helpline, forged, identity)
    assert refused.value.code == "unsafe_file"
    assert snapshot(helpline) == before
    assert not decrypting_threads()


def test_a_file_is_checked_as_it_streams_and_never_written_past_its_listed_size(
    unlocked, helpline, case, org, tmp_path, monkeypatch
):
    """The first evidence file changed: refused as soon as it ends, before the next is begun; a file
    longer than the manifest says is refused before one byte of it is written."""
    _private, public, identity = org
    parts = Parts.of(bundle_of(unlocked, case.id, public, tmp_path / "a.age"), identity)
    first = parts.item_path("profile-SAMPLE.png")
    parts.files[first] = bytes([parts.files[first][0] ^ 1]) + parts.files[first][1:]
    begun = []
    begin = helpline.begin_blob

    def counted(*args, **kwargs):
        begun.append(1)
        return begin(*args, **kwargs)

    monkeypatch.setattr(helpline, "begin_blob", counted)
    with pytest.raises(handover.HandoverError) as refused:
        handover.receive_bundle(helpline, parts.sealed(attacker_key(), public, tmp_path / "f.age"), identity)
    assert refused.value.code == "file_changed"
    assert "profile-SAMPLE.png" in refused.value.describe()
    assert len(begun) == 1

    begun.clear()
    parts.files[first] = parts.files[first] + b"\0" * 1024 * 1024  # longer than the manifest says
    with pytest.raises(handover.HandoverError) as refused:
        handover.receive_bundle(helpline, parts.sealed(attacker_key(), public, tmp_path / "g.age"), identity)
    assert refused.value.code == "file_changed"
    assert begun == []


# -- 4. memory flat in the number of items --------------------------------------------------------


def _case_of(vault: UnlockedVault, items: int) -> str:
    case_id = vault.create_case(f"{items} items").id
    for n in range(items):
        data = os.urandom(512)
        blob = vault.begin_blob(expected_size=len(data))
        blob.write(data)
        digest = blob.finish()
        blob.publish()
        vault.add_item(
            case_id,
            EvidenceItem(
                id=f"{n:032x}",
                blob=blob.blob_id,
                sha256=digest.sha256,
                size=digest.size,
                original_name=f"file-{n:04d}-SAMPLE.bin",
                media_type="application/octet-stream",
                added_at=utc_now(),
                md5=digest.md5,
            ),
        )
    return case_id


def test_receiving_holds_a_few_kib_per_item_whatever_their_number(unlocked, helpline, org, tmp_path):
    """The Python memory a receive holds at its peak, at 50 and at 450 items: the growth per item is the
    record's few hundred bytes and a little bookkeeping, not a buffer per file (68 KiB each before)."""
    _private, public, identity = org
    peaks = []
    for items in (50, 450):
        path = bundle_of(unlocked, _case_of(unlocked, items), public, tmp_path / f"{items}.age")
        tracemalloc.start()
        try:
            handover.receive_bundle(helpline, path, identity)
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
    per_item = (peaks[1] - peaks[0]) / 400
    assert per_item < 16 * 1024, (peaks, per_item)


# -- 5. the under-18 rule -------------------------------------------------------------------------


def test_a_minor_s_case_with_an_item_marked_intimate_is_refused_and_nothing_kept(
    unlocked, helpline, case, org, tmp_path
):
    _private, public, identity = org
    picture = case.evidence[0].id
    unlocked.update_case(case.id, lambda c: c.with_evidence_details(picture, intimate=True), None, {})
    unlocked.update_case(case.id, lambda c: c.with_incident(minor="yes"), None, {})
    before = snapshot(helpline)
    with pytest.raises(handover.HandoverError) as refused:
        handover.receive_bundle(helpline, bundle_of(unlocked, case.id, public, tmp_path / "a.age"), identity)
    assert refused.value.code == "minor"
    assert "under 18" in refused.value.describe()
    assert snapshot(helpline) == before
    assert case.id not in helpline.case_ids()


# -- 6. hostile manifests -------------------------------------------------------------------------


def _manifest_is(value):
    def change(parts: Parts, _case: Case) -> None:
        parts.manifest = value

    return change


def _files_are(value):
    def change(parts: Parts, _case: Case) -> None:
        parts.manifest["files"] = value

    return change


def _path_without_a_slash(parts: Parts, case: Case) -> None:
    data = b"SAMPLE extra"
    parts.manifest["files"].append(
        {"path": "thumbnail", "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    )
    parts.files["thumbnail"] = data


def _two_rows_on_one_file(parts: Parts, case: Case) -> None:
    """Two items of the record with the same id: one file, which deleting either would take away."""
    twin = dict(parts.record["evidence"][1], original_name="twin-SAMPLE.txt")
    parts.record["evidence"].append(twin)


def _escaping_id(parts: Parts, case: Case) -> None:
    old = case.evidence[1].id
    parts.record["evidence"][1]["id"] = "../../escape"
    spec = next(f for f in parts.manifest["files"] if f["path"] == f"evidence/{old}")
    spec["path"], spec["item"] = "evidence/../../escape", "../../escape"
    parts.files["evidence/../../escape"] = parts.files.pop(f"evidence/{old}")


def _same_path_twice(parts: Parts, case: Case) -> None:
    spec = next(f for f in parts.manifest["files"] if f["path"] == f"evidence/{case.evidence[1].id}")
    parts.manifest["files"].append(dict(spec))


HOSTILE = {
    "manifest a list": _manifest_is([]),
    "manifest a string": _manifest_is("SAMPLE"),
    "files an object": _files_are({}),
    "files a string": _files_are("evidence/x"),
    "files of strings": _files_are(["evidence/x"]),
    "a path without a slash": _path_without_a_slash,
    "two rows on one file": _two_rows_on_one_file,
    "an id like ../../escape": _escaping_id,
    "a path listed twice": _same_path_twice,
}


@pytest.mark.parametrize("shape", HOSTILE)
def test_a_hostile_manifest_is_refused_in_one_sentence_and_nothing_is_written(
    unlocked, helpline, case, org, tmp_path, shape
):
    _private, public, identity = org
    parts = Parts.of(bundle_of(unlocked, case.id, public, tmp_path / "a.age"), identity)
    HOSTILE[shape](parts, case)
    forged = parts.sealed(attacker_key(), public, tmp_path / "f.age")
    before = snapshot(helpline)
    with pytest.raises(handover.HandoverError) as refused:
        handover.receive_bundle(helpline, forged, identity)
    said = refused.value.describe()
    assert said
    assert "\n" not in said
    assert snapshot(helpline) == before
    assert helpline.orphans() == []
    assert not decrypting_threads()


def test_files_published_before_the_record_is_refused_are_not_left_behind(
    unlocked, helpline, case, org, tmp_path, monkeypatch
):
    """The last step, the record's write, refused (a record the vault would not read back): the files
    already published for it are deleted, not left as orphans."""
    _private, public, identity = org
    path = bundle_of(unlocked, case.id, public, tmp_path / "a.age")
    before = snapshot(helpline)

    def refused(*_args, **_kwargs):
        raise InvalidRecord("SAMPLE: does not read back as written")

    monkeypatch.setattr(helpline, "receive_case", refused)
    with pytest.raises(handover.HandoverError) as raised:
        handover.receive_bundle(helpline, path, identity)
    assert raised.value.code == "record"
    assert snapshot(helpline) == before
    assert helpline.orphans() == []


def test_a_hostile_manifest_on_the_command_line_exits_1_with_one_line(
    unlocked, helpline, case, org, tmp_path
):
    private, public, identity = org
    parts = Parts.of(bundle_of(unlocked, case.id, public, tmp_path / "a.age"), identity)
    _escaping_id(parts, case)
    forged = parts.sealed(attacker_key(), public, tmp_path / "f.age")
    key = tmp_path / "org.key"
    key.write_bytes(private)
    done = run(
        "receive", "--vault", str(helpline.path), str(forged), "--key", str(key),
        stdin=f"{PASSPHRASE}\n{KEY_PASSPHRASE}\n",
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.strip().startswith("The bundle was refused:")
    assert len(done.stderr.strip().splitlines()) == 1
    assert done.stdout == ""


def _bech32(hrp: str, data: bytes) -> str:
    """Bech32 (BIP 173), as age writes its keys: here to write a key no one holds."""
    alphabet = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
    acc = bits = 0
    values = []
    for byte in data:
        acc, bits = (acc << 8) | byte, bits + 8
        while bits >= 5:
            bits -= 5
            values.append((acc >> bits) & 31)
    if bits:
        values.append((acc << (5 - bits)) & 31)

    def polymod(vs):
        gen = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
        check = 1
        for v in vs:
            top = check >> 25
            check = (check & 0x1FFFFFF) << 5 ^ v
            for i in range(5):
                check ^= gen[i] if (top >> i) & 1 else 0
        return check

    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    mod = polymod([*expanded, *values, 0, 0, 0, 0, 0, 0]) ^ 1
    checksum = [(mod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(alphabet[v] for v in values + checksum)


# The all-zero point and the point of order 8 whose u-coordinate is 1: X25519 with either gives zero.
LOW_ORDER = [bytes(32), (1).to_bytes(32, "little")]


@pytest.mark.parametrize("point", LOW_ORDER, ids=["zero", "one"])
def test_a_low_order_key_is_refused_before_anything_is_written(vault_dir, unlocked, case, tmp_path, point):
    weak = _bech32("age", point)
    with pytest.raises(handover.WeakRecipient):
        handover.parse_recipient(weak)
    out = tmp_path / "weak.age"
    done = run(
        "handover", "--vault", str(vault_dir), "--case", "Hand me over", "--to", weak, "-o", str(out),
        stdin=f"{PASSPHRASE}\n",
    )  # fmt: skip
    assert done.returncode == 2
    assert "weak key" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr
    assert not out.exists()
    assert not list(tmp_path.glob("*.tmp*"))


def test_the_helper_functions_here_build_a_bundle_the_program_accepts(
    unlocked, helpline, case, org, tmp_path
):
    """The forger is sound: the real bundle's parts put back together unchanged are received."""
    _private, public, identity = org
    parts = Parts.of(bundle_of(unlocked, case.id, public, tmp_path / "a.age"), identity)
    got = handover.receive_bundle(
        helpline, parts.sealed(attacker_key(), public, tmp_path / "f.age"), identity
    )
    assert got.items == 2
    assert replace(got.case, evidence=()).id == case.id
