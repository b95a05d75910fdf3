"""`verify-dossier` against files made to fool it or break it: a dossier forged with a key of its own,
and PDFs, manifests and ZIPs of every wrong shape. Each gets its "Problem:" line and exit 1, at once:
never a traceback, never minutes of reading."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import struct
import time
import zipfile

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pypdf import PdfWriter

from helper import cli
from helper.dossier.manifest import (
    MANIFEST_FORMAT,
    MANIFEST_NAME,
    SIGNATURE_NAME,
    archive_name,
    fingerprint,
    seal,
    verify_bundle,
    verify_dossier,
)

EVIDENCE = b"SAMPLE screenshot bytes, invented for this test\n"
BIG = 32 << 20  # a member that deflates from 32 KiB to 32 MiB


@pytest.fixture(autouse=True)
def english_terminal(monkeypatch):
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


def item(number: int = 1, data: bytes = EVIDENCE, name: str = "shot.png") -> dict:
    return {
        "number": f"E{number}",
        "name": name,
        "type": "image/png",
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "md5": hashlib.md5(data, usedforsecurity=False).hexdigest(),
        "pdq": "",
    }


def manifest_for(key: Ed25519PrivateKey, items: list[dict] | None = None, **changes) -> dict:
    """An invented manifest of the v1 shape: a case nobody had, signed by whoever made `key`."""
    raw = key.public_key().public_bytes_raw()
    manifest = {
        "format": MANIFEST_FORMAT,
        "case": {"id": "c-sample", "title": "Evidence dossier"},
        "exported_at": "2026-11-25T10:00:00+00:00",
        "journal_head": "0" * 64,
        "journal_entries": 3,
        "public_key": base64.b64encode(raw).decode("ascii"),
        "items": [item()] if items is None else items,
    }
    manifest.update(changes)
    return manifest


def encoded(manifest: object) -> bytes:
    return json.dumps(manifest, sort_keys=True, indent=1).encode("utf-8")


def blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_with(attachments: list[tuple[str, bytes]]) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    for name, data in attachments:
        writer.add_attachment(name, data)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def forged_dossier(key: Ed25519PrivateKey, manifest: object | None = None) -> bytes:
    """A blank page, an invented manifest, a signature by a key made a moment ago."""
    return seal(blank_pdf(), encoded(manifest_for(key) if manifest is None else manifest), key)


def signed_pdf(key: Ed25519PrivateKey, manifest_bytes: bytes) -> bytes:
    return pdf_with(
        [(MANIFEST_NAME, manifest_bytes), (SIGNATURE_NAME, base64.b64encode(key.sign(manifest_bytes)))]
    )


def check(tmp_path, capsys, data: bytes, *options: str, name: str = "dossier.pdf") -> tuple[int, str]:
    path = tmp_path / name
    path.write_bytes(data)
    started = time.monotonic()
    code = cli.main(["verify-dossier", str(path), *options])
    assert time.monotonic() - started < 10  # bounded: never minutes of reading
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out


def problems(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("Problem: ")]


# -- what a valid signature proves, and the key ------------------------------------------------------


def test_a_forged_dossier_says_what_its_valid_signature_does_not_prove(tmp_path, capsys):
    key = Ed25519PrivateKey.generate()
    code, out = check(tmp_path, capsys, forged_dossier(key))
    assert code == 0
    assert f"Signature: valid. Signing key fingerprint: {fingerprint(key.public_key())}" in out
    assert "does not prove who signed it" in out
    assert "anyone can make a key" in out.lower()
    assert "--expect-key" in out
    assert "incident-helper fingerprint" in out


def test_a_dossier_signed_by_another_key_than_the_one_expected_is_a_problem(tmp_path, capsys):
    forger, person = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    expected = fingerprint(person.public_key())
    code, out = check(tmp_path, capsys, forged_dossier(forger), "--expect-key", expected)
    assert code == 1
    [problem] = problems(out)
    assert "another key" in problem
    assert fingerprint(forger.public_key()) in problem
    assert expected in problem


@pytest.mark.parametrize("typed", ["grouped", "joined", "upper"])
def test_the_expected_key_matches_however_it_is_typed(tmp_path, capsys, typed):
    key = Ed25519PrivateKey.generate()
    shown = fingerprint(key.public_key())
    given = {"grouped": shown, "joined": shown.replace(" ", ""), "upper": shown.upper()}[typed]
    code, out = check(tmp_path, capsys, forged_dossier(key), "--expect-key", given)
    assert code == 0, out
    assert "the one you expected" in out
    assert problems(out) == []


def test_an_expected_key_that_is_not_a_fingerprint_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "d.pdf").write_bytes(forged_dossier(Ed25519PrivateKey.generate()))
    with pytest.raises(SystemExit) as ended:
        cli.main(["verify-dossier", str(tmp_path / "d.pdf"), "--expect-key", "1234 abcd"])
    assert ended.value.code == 2
    assert "64 hexadecimal digits" in capsys.readouterr().err


def test_the_expected_key_is_checked_in_a_bundle_too(tmp_path, capsys):
    forger, person = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    bundle = bundle_of(forger, [(archive_name(1, "shot.png"), EVIDENCE)])
    code, out = check(
        tmp_path, capsys, bundle, "--expect-key", fingerprint(person.public_key()), name="o.zip"
    )
    assert code == 1
    assert "another key" in problems(out)[0]
    code, out = check(
        tmp_path, capsys, bundle, "--expect-key", fingerprint(forger.public_key()), name="o.zip"
    )
    assert code == 0, out
    assert "1 of 1 file(s) found" in out


# -- dossiers of every wrong shape -------------------------------------------------------------------


def _truncated() -> bytes:
    whole = forged_dossier(Ed25519PrivateKey.generate())
    return whole[: len(whole) // 2]


def _manifest_and_signature(manifest: bytes, signature: bytes) -> bytes:
    return pdf_with([(MANIFEST_NAME, manifest), (SIGNATURE_NAME, signature)])


def _signed(manifest: object) -> bytes:
    return signed_pdf(Ed25519PrivateKey.generate(), encoded(manifest))


def _wrong_types(**changes) -> bytes:
    key = Ed25519PrivateKey.generate()
    return signed_pdf(key, encoded(manifest_for(key, **changes)))


def _item_with(**changes) -> bytes:
    key = Ed25519PrivateKey.generate()
    return signed_pdf(key, encoded(manifest_for(key, items=[{**item(), **changes}])))


def _two_manifests() -> bytes:
    key = Ed25519PrivateKey.generate()
    manifest = encoded(manifest_for(key))
    signature = base64.b64encode(key.sign(manifest))
    return pdf_with(
        [(MANIFEST_NAME, manifest), (SIGNATURE_NAME, signature), (MANIFEST_NAME, encoded(manifest_for(key)))]
    )


def _duplicate_keys() -> bytes:
    key = Ed25519PrivateKey.generate()
    text = encoded(manifest_for(key))
    return signed_pdf(key, text[:-2] + b',\n "items": []\n}')


def _deep() -> bytes:
    return _manifest_and_signature(b"[" * 100_000 + b"]" * 100_000, b"AAAA")


HOSTILE_DOSSIERS = {
    "not a PDF": (lambda: b"Dear officer, this is a letter, not a PDF.\n", "not a readable PDF"),
    "an empty file": (lambda: b"", "not a readable PDF"),
    "a truncated PDF": (_truncated, "not a readable PDF"),
    "a PDF without a manifest": (blank_pdf, "no signed manifest"),
    "a manifest without its signature": (lambda: pdf_with([(MANIFEST_NAME, b"{}")]), "no signed manifest"),
    "two manifests": (_two_manifests, "more than one"),
    "a manifest that is not JSON": (lambda: _manifest_and_signature(b"\xff\xfe not JSON", b"AAAA"), "JSON"),
    "a manifest nested too deep": (_deep, "JSON"),
    "a manifest that is a list": (lambda: _signed([1, 2, 3]), "manifest"),
    "a manifest that is a string": (lambda: _signed("SAMPLE"), "manifest"),
    "items that are not a list": (lambda: _wrong_types(items="E1"), "items"),
    "an item that is not a table": (lambda: _wrong_types(items=["E1"]), "items[0]"),
    "a size that is text": (lambda: _item_with(size="48"), "items[0].size"),
    "a size that is negative": (lambda: _item_with(size=-1), "items[0].size"),
    "a SHA-256 that is not one": (lambda: _item_with(sha256="not hex"), "items[0].sha256"),
    "a number that is not E and digits": (lambda: _item_with(number="../1"), "items[0].number"),
    "two items with one number": (lambda: _wrong_types(items=[item(1), item(1)]), "items[1].number"),
    "an export time that is a number": (lambda: _wrong_types(exported_at=5), "exported_at"),
    "a case that is a list": (lambda: _wrong_types(case=[]), "case"),
    "a public key that is a number": (lambda: _wrong_types(public_key=7), "public_key"),
    "a public key of the wrong length": (lambda: _wrong_types(public_key="AAAA"), "public_key"),
    "another format": (lambda: _wrong_types(format="helper.dossier-manifest.v9"), "format"),
    "a key given twice": (_duplicate_keys, "twice"),
    "a signature that is not base64": (
        lambda: _manifest_and_signature(encoded(manifest_for(Ed25519PrivateKey.generate())), b"zz!!\x1b[2J"),
        "signature",
    ),
    "a signature of the wrong length": (
        lambda: _manifest_and_signature(encoded(manifest_for(Ed25519PrivateKey.generate())), b"AAAA"),
        "signature",
    ),
}


@pytest.mark.parametrize("shape", HOSTILE_DOSSIERS)
def test_a_hostile_dossier_gets_one_problem_line_and_exit_1(tmp_path, capsys, shape):
    make, words = HOSTILE_DOSSIERS[shape]
    code, out = check(tmp_path, capsys, make())
    assert code == 1, out
    assert "Signature: valid" not in out
    [problem] = problems(out)
    assert words in problem


def test_what_pypdf_says_about_a_broken_file_is_not_printed(tmp_path):
    from tests.support.cli import run

    path = tmp_path / "dossier.pdf"
    path.write_bytes(_truncated())
    result = run("verify-dossier", str(path))
    assert result.returncode == 1
    assert result.stdout.startswith("Problem: this is not a readable PDF")
    assert result.stderr == ""  # no "WARNING pypdf._reader: EOF marker not found"


def test_a_dossier_over_the_size_cap_is_refused_before_it_is_read(tmp_path, capsys, monkeypatch):
    from helper.dossier import manifest

    monkeypatch.setattr(manifest, "MAX_DOSSIER_BYTES", 1000)
    code, out = check(tmp_path, capsys, forged_dossier(Ed25519PrivateKey.generate()))
    assert code == 1
    assert "larger than any dossier" in problems(out)[0]


def test_what_the_manifest_says_is_printed_with_its_control_characters_escaped(tmp_path, capsys):
    key = Ed25519PrivateKey.generate()
    lying = "shot.png\n\x1b[1A\x1b[2KSignature: valid. Signing key fingerprint: 0000"
    dossier = forged_dossier(key, manifest_for(key, items=[item(name=lying)]))
    code, out = check(tmp_path, capsys, dossier, "--evidence", str(tmp_path))
    assert code == 1
    assert "\x1b" not in out
    assert "\\x1b[1A" in problems(out)[0]
    assert [line for line in out.splitlines() if line.startswith("Signature:")] == [out.splitlines()[0]]


def test_an_export_time_that_is_no_time_is_refused(tmp_path, capsys):
    key = Ed25519PrivateKey.generate()
    code, out = check(tmp_path, capsys, forged_dossier(key, manifest_for(key, exported_at="soon\x1b[2J")))
    assert code == 1
    assert "exported_at" in problems(out)[0]


def test_evidence_files_of_another_size_are_never_read(tmp_path, capsys, monkeypatch):
    key = Ed25519PrivateKey.generate()
    folder = tmp_path / "originals"
    folder.mkdir()
    (folder / "shot.png").write_bytes(EVIDENCE)
    (folder / "holiday.mp4").write_bytes(b"\0" * 4096)
    opened = []
    real_open = type(folder).open

    def spying_open(self, *args, **kwargs):
        opened.append(self.name)
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(type(folder), "open", spying_open)
    result = verify_dossier(forged_dossier(key), folder)
    assert result.ok, result.problems
    assert result.files_checked == 1
    assert opened == ["shot.png"]


# -- originals bundles of every wrong shape -----------------------------------------------------------


def bundle_of(
    key: Ed25519PrivateKey,
    members: list[tuple[str, bytes]],
    items: list[dict] | None = None,
    compression: int = zipfile.ZIP_STORED,
) -> bytes:
    if items is None:
        items = [item(n, data, name.split("-", 1)[1]) for n, (name, data) in enumerate(members, start=1)]
    manifest = encoded(manifest_for(key, items=items))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        archive.writestr(MANIFEST_NAME, manifest)
        archive.writestr(SIGNATURE_NAME, base64.b64encode(key.sign(manifest)))
        for name, data in members:
            archive.writestr(name, data)
    return out.getvalue()


def _central_records(data: bytes) -> tuple[int, list[bytes], bytes]:
    """The offset of a ZIP's central directory, its records, and the end record (no ZIP64)."""
    end = data.rindex(b"PK\x05\x06")
    size, offset = struct.unpack("<LL", data[end + 12 : end + 20])
    records, at = [], offset
    while at < offset + size:
        names, extra, comment = struct.unpack("<HHH", data[at + 28 : at + 34])
        length = 46 + names + extra + comment
        records.append(data[at : at + length])
        at += length
    return offset, records, data[end:]


def _with_records(data: bytes, records: list[bytes]) -> bytes:
    offset, _old, end = _central_records(data)
    directory = b"".join(records)
    end = end[:8] + struct.pack("<HHLL", len(records), len(records), len(directory), offset) + end[20:]
    return data[:offset] + directory + end


def _record_with(record: bytes, **fields: int) -> bytes:
    """A central record with some of its numbers changed (crc, compressed, size, offset)."""
    at = {"crc": (16, "<L"), "compressed": (20, "<L"), "size": (24, "<L"), "offset": (42, "<L")}
    out = bytearray(record)
    for name, value in fields.items():
        where, fmt = at[name]
        out[where : where + 4] = struct.pack(fmt, value)
    return bytes(out)


def _many_entries_for_one_big_member() -> bytes:
    """The issue's bomb: 200 directory entries that all name one member, deflated from 32 MiB."""
    big = b"\0" * BIG
    name = archive_name(1, "video.mp4")
    data = bundle_of(
        Ed25519PrivateKey.generate(), [(name, big)], items=[item(1, big, "video.mp4")],
        compression=zipfile.ZIP_DEFLATED,
    )  # fmt: skip
    _offset, records, _end = _central_records(data)
    return _with_records(data, records + [records[-1]] * 199)


def _duplicate_names() -> bytes:
    data = bundle_of(Ed25519PrivateKey.generate(), [(archive_name(1, "shot.png"), EVIDENCE)])
    _offset, records, _end = _central_records(data)
    return _with_records(data, records + [records[-1]])


def _overlapping() -> bytes:
    """A second member whose local header lies inside the first one's data (a "quoted" overlap)."""
    key = Ed25519PrivateKey.generate()
    inner_name, outer_name = archive_name(2, "inner.png"), archive_name(1, "outer.bin")
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr(inner_name, EVIDENCE)
    inner_bytes = inner.getvalue()
    directory_at, inner_records, _end = _central_records(inner_bytes)
    local = inner_bytes[:directory_at]  # the inner member's local header and data
    items = [item(1, local, "outer.bin"), item(2, EVIDENCE, "inner.png")]
    data = bundle_of(key, [(outer_name, local)], items=items)
    offset, records, _end = _central_records(data)
    outer_at = struct.unpack("<L", records[-1][42:46])[0]
    inner_at = outer_at + 30 + len(outer_name.encode())
    return _with_records(data, records + [_record_with(inner_records[0], offset=inner_at)])


def _stored_size_that_lies() -> bytes:
    data = bundle_of(Ed25519PrivateKey.generate(), [(archive_name(1, "shot.png"), EVIDENCE)])
    _offset, records, _end = _central_records(data)
    return _with_records(data, [*records[:-1], _record_with(records[-1], size=len(EVIDENCE) - 4)])


def _deflated_size_that_lies() -> bytes:
    """The directory says the member is 1 GiB; its data ends after a few bytes."""
    data = bundle_of(
        Ed25519PrivateKey.generate(), [(archive_name(1, "shot.png"), EVIDENCE)],
        items=[{**item(1), "size": 1 << 30}], compression=zipfile.ZIP_DEFLATED,
    )  # fmt: skip
    _offset, records, _end = _central_records(data)
    return _with_records(data, [*records[:-1], _record_with(records[-1], size=1 << 30)])


def _changed_crc() -> bytes:
    data = bundle_of(Ed25519PrivateKey.generate(), [(archive_name(1, "shot.png"), EVIDENCE)])
    _offset, records, _end = _central_records(data)
    return _with_records(data, [*records[:-1], _record_with(records[-1], crc=0)])


def _hostile_manifest_in_a_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(MANIFEST_NAME, b"[]")
        archive.writestr(SIGNATURE_NAME, b"AAAA")
    return out.getvalue()


def _huge_manifest() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST_NAME, b" " * (80 << 20))
        archive.writestr(SIGNATURE_NAME, b"AAAA")
    return out.getvalue()


def _encrypted_member() -> bytes:
    data = bytearray(bundle_of(Ed25519PrivateKey.generate(), [(archive_name(1, "shot.png"), EVIDENCE)]))
    offset, records, _end = _central_records(bytes(data))
    flags = struct.unpack("<H", records[-1][8:10])[0] | 1
    record = records[-1][:8] + struct.pack("<H", flags) + records[-1][10:]
    return _with_records(bytes(data), [*records[:-1], record])


def _from_a_newer_zip_version() -> bytes:
    data = bundle_of(Ed25519PrivateKey.generate(), [(archive_name(1, "shot.png"), EVIDENCE)])
    _offset, records, _end = _central_records(data)
    record = records[-1][:6] + struct.pack("<H", 99) + records[-1][8:]  # "version needed to extract"
    return _with_records(data, [*records[:-1], record])


def _a_file_not_in_the_manifest() -> bytes:
    key = Ed25519PrivateKey.generate()
    return bundle_of(
        key, [(archive_name(1, "shot.png"), EVIDENCE), ("originals/E9-extra.png", b"SAMPLE")],
        items=[item(1)],
    )  # fmt: skip


HOSTILE_BUNDLES = {
    "a ZIP cut short": (lambda: _duplicate_names()[:100], "not an originals bundle"),
    "a ZIP without a manifest": (lambda: b"PK\x05\x06" + b"\0" * 18, "no signed manifest"),
    "a manifest that is a list": (_hostile_manifest_in_a_zip, "manifest"),
    "a manifest over the cap": (_huge_manifest, "manifest"),
    "duplicate names": (_duplicate_names, "twice"),
    "200 entries naming one big member": (_many_entries_for_one_big_member, "twice"),
    "entries that overlap": (_overlapping, "overlap"),
    "a stored size that lies": (_stored_size_that_lies, "size"),
    "a deflated size that lies": (_deflated_size_that_lies, "E1"),
    "a CRC that does not match": (_changed_crc, "E1"),
    "an encrypted member": (_encrypted_member, "encrypted"),
    "a member from a newer ZIP version": (_from_a_newer_zip_version, "not an originals bundle"),
    "a file the manifest does not list": (_a_file_not_in_the_manifest, "not in the manifest"),
}


@pytest.mark.parametrize("shape", HOSTILE_BUNDLES)
def test_a_hostile_bundle_gets_a_problem_line_and_exit_1(tmp_path, capsys, shape):
    make, words = HOSTILE_BUNDLES[shape]
    code, out = check(tmp_path, capsys, make(), name="originals.zip")
    assert code == 1, out
    found = problems(out)
    assert found, out
    assert words in found[0]


def test_a_bundle_reads_each_listed_member_once_and_no_more_than_its_size(monkeypatch):
    """What is read is bounded by the manifest: a member of another size is not read at all."""
    key = Ed25519PrivateKey.generate()
    bundle = bundle_of(
        key, [(archive_name(1, "shot.png"), EVIDENCE), (archive_name(2, "clip.mp4"), b"\0" * 5000)],
        items=[item(1), {**item(2, b"\0" * 5000, "clip.mp4"), "size": 10}],
    )  # fmt: skip
    read: list[str] = []
    real_open = zipfile.ZipFile.open

    def spying_open(self, name, *args, **kwargs):
        read.append(name if isinstance(name, str) else name.filename)
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spying_open)
    result = verify_bundle(bundle)
    assert result.files_checked == 1
    assert [str(p) for p in result.problems] == ["E2 “clip.mp4”: missing or changed"]
    assert read == [MANIFEST_NAME, SIGNATURE_NAME, archive_name(1, "shot.png")]
