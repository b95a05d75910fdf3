"""Evidence type from the bytes, and fingerprints taken in the same pass as encryption."""

from __future__ import annotations

import hashlib
import io

import pytest

from helper.evidence import detect_type
from helper.vault.crypto import Fingerprints
from tests.support import samples
from tests.support.evidence import add_file

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"0" * 64
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
ZIP = b"PK\x03\x04" + b"\x00" * 64


@pytest.mark.parametrize(
    ("head", "mime", "family"),
    [
        (PNG, "image/png", "image"),
        (JPEG, "image/jpeg", "image"),
        (PDF, "application/pdf", "document"),
        (MP4, "video/mp4", "video"),
        (ZIP, "application/zip", "archive"),
        ("[25/10/2026, 21:05] SAMPLE: héllo\n".encode(), "text/plain", "text"),
        (
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="x()">',
            "image/svg+xml",
            "image",
        ),
        (b"  <!DOCTYPE html><script>x()</script>", "text/html", "text"),
        (b"\x00\x01\x02garbage", "application/octet-stream", "other"),
        (b"", "application/octet-stream", "other"),
    ],
)
def test_type_comes_from_the_bytes(head, mime, family):
    detected = detect_type(head)
    assert (detected.mime, detected.family) == (mime, family)


@pytest.mark.parametrize("mime_head", [PDF, b"<svg>", b"<html>"])
def test_active_content_is_marked(mime_head):
    assert detect_type(mime_head).is_active


def test_a_multibyte_character_cut_at_the_end_is_still_text():
    text = ("é" * 10).encode()
    assert detect_type(text[:-1]).mime == "text/plain"


def test_fingerprints_match_hashlib():
    data = bytes(range(256)) * 100
    fp = Fingerprints()
    for i in range(0, len(data), 1000):
        fp.update(data[i : i + 1000])
    digest = fp.digest()
    assert digest.sha256 == hashlib.sha256(data).hexdigest()
    assert digest.md5 == hashlib.md5(data).hexdigest()  # noqa: S324
    assert digest.size == len(data)


def test_known_answers_for_the_empty_file():
    digest = Fingerprints().digest()
    assert digest.sha256 == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert digest.md5 == "d41d8cd98f00b204e9800998ecf8427e"


def test_a_misnamed_file_is_recorded_by_what_it_is(unlocked):
    case = unlocked.create_case("Types")
    jpeg = samples.jpeg(320, 240)
    item = add_file(
        unlocked, case.id, io.BytesIO(jpeg), "screenshot.png", "image/png", "2026-10-31T21:00:00+00:00"
    )
    assert item.detected_type == "image/jpeg"
    assert item.media_type == "image/png"  # what was declared is kept, and never trusted
    assert item.md5 == hashlib.md5(jpeg).hexdigest()  # noqa: S324
    assert item.file_modified == "2026-10-31T21:00:00+00:00"
    assert unlocked.journal(case.id)[-1].detail["md5"] == item.md5
