"""No plaintext at rest (DESIGN.md section 2), checked through the real server and a real socket.

An audit hook records every file opened for writing while uploads are handled: the only writes
allowed are the vault's own temp names, which hold age ciphertext. Then every file under the vault
and the temp folder is searched for a marker that was in the upload.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import tracemalloc
from pathlib import Path

import pytest

from helper.vault.atomic import TEMP_PREFIX
from tests.support.live_client import LiveClient, repeat
from tests.support.samples import MP4_HEAD
from tests.support.web import PASSPHRASE

MARKER = b"PLAINTEXT-MARKER-3b1f0c"
_recording = threading.Event()
_writes: list[str] = []


def _audit(event: str, args: tuple) -> None:
    if not _recording.is_set():
        return
    if event == "open":
        path, mode, flags = args
        writing = (mode and any(c in str(mode) for c in "wax+")) or (
            isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
        )
        if writing and not isinstance(path, int):  # an int is a descriptor already opened (and seen)
            _writes.append(str(path))
    elif event in ("tempfile.mkstemp", "tempfile.mkdtemp"):
        _writes.append(f"{event}:{args[0]}")


sys.addaudithook(_audit)


def unlocked_live_client(live) -> LiveClient:
    client = LiveClient(live.url)
    client.launch(live.launch_url())
    client.unlock(PASSPHRASE)
    return client


def new_case(client) -> str:
    return client.new_case("Marker case")


def all_files(*folders: Path):
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                yield path


def test_uploads_write_only_ciphertext_and_no_temp_file(live, tmp_path):
    client = unlocked_live_client(live)
    case_id = new_case(client)
    token = client.csrf(f"/cases/{case_id}")
    temp_root = Path(tempfile.gettempdir())
    before_temp = {p for p in temp_root.iterdir()}

    _writes.clear()
    _recording.set()
    try:
        status, _, _ = client.upload(
            f"/evidence/{case_id}/upload",
            token,
            [
                ("big-screen-recording.mp4", 3 * 1024 * 1024, repeat(MARKER, 3 * 1024 * 1024)),
                ("small.png", 700, repeat(MARKER, 700)),
            ],
        )
    finally:
        _recording.clear()
    assert status == 302

    blobs = live.vault_path / "blobs"
    unexpected = [
        w
        for w in _writes
        if not (vault_folder(live, Path(w).parent) and Path(w).name.startswith(TEMP_PREFIX))
        and not w.endswith("/.lock")
    ]
    assert unexpected == [], f"files opened for writing during the upload: {unexpected}"
    assert any(Path(w).parent == blobs for w in _writes)  # the hook did see the vault's writes

    new_temp = {p for p in temp_root.iterdir()} - before_temp
    suspects = [p for p in all_files(live.vault_path, *[p for p in new_temp if p.is_dir()])]
    suspects += [p for p in new_temp if p.is_file()]
    for path in suspects:
        assert MARKER not in path.read_bytes(), f"plaintext found in {path}"
        assert b"big-screen-recording" not in path.read_bytes(), f"file name found in {path}"


def _recorded_writes(live, run) -> list[str]:
    _writes.clear()
    _recording.set()
    try:
        run()
    finally:
        _recording.clear()
    return [
        w
        for w in _writes
        if not (vault_folder(live, Path(w).parent) and Path(w).name.startswith(TEMP_PREFIX))
        and not w.endswith("/.lock")
    ]


def vault_folder(live, folder: Path) -> bool:
    """The vault's own folders, where it writes ciphertext under temp names: its root, the files, the
    cases and each case's folder of additions."""
    cases = live.vault_path / "cases"
    return folder in (live.vault_path, live.vault_path / "blobs", cases) or (
        folder.parent == cases and folder.name.endswith(".adds")
    )


def test_images_chats_renditions_previews_and_find_copies_leave_no_plaintext(live):
    """Intake decodes images, parses chats and makes thumbnails; find copies hashes a picture; the item
    page streams previews. All of it in memory: only ciphertext is written, and only into the vault."""
    from tests.support import samples
    from tests.support.hostile import png_with_text

    client = unlocked_live_client(live)
    case_id = new_case(client)
    token = client.csrf(f"/cases/{case_id}")
    marked_png = png_with_text(b"Comment", MARKER)
    chat = samples.WHATSAPP_ANDROID.replace("please stop", MARKER.decode()).encode()
    heic = samples.encode(samples.picture(300, 200), "HEIF")
    files = [("shot.png", marked_png), ("WhatsApp Chat with Sam Sample.txt", chat), ("photo.heic", heic)]

    def work():
        for name, data in files:
            status, _, _ = client.upload_raw(f"/evidence/{case_id}/raw", token, name, len(data), [data])
            assert status == 200
        status, _, _ = client.upload(
            f"/evidence/{case_id}/copies",
            token,
            [("found.png", len(marked_png), [marked_png])],
            field="image",
        )
        assert status == 200
        # The renditions are made in the background: wait for them, inside the watched window.
        assert live.services.renditions.wait(60), "the renditions were not made in time"
        vault = next(iter(live.services.keyring._entries.values())).vault
        for item in vault.load_case(case_id).evidence:
            assert client.get(f"/evidence/{case_id}/{item.id}")[0] == 200
            if item.image:
                assert client.get(f"/evidence/{case_id}/{item.id}/thumbnail")[0] == 200
                assert client.get(f"/evidence/{case_id}/{item.id}/view")[0] == 200
            if item.chat:
                assert client.get(f"/evidence/{case_id}/{item.id}/messages")[0] == 200

    temp_root = Path(tempfile.gettempdir())
    before_temp = set(temp_root.iterdir())
    unexpected = _recorded_writes(live, work)
    assert unexpected == [], f"files opened for writing: {unexpected}"
    for path in all_files(
        live.vault_path, *[p for p in set(temp_root.iterdir()) - before_temp if p.is_dir()]
    ):
        data = path.read_bytes()
        assert MARKER not in data, f"plaintext found in {path}"
        if path.parent.name in ("blobs", "cases"):
            assert data.startswith(b"age-encryption.org/v1\n"), f"{path} is not an age file"
    vault = next(iter(live.services.keyring._entries.values())).vault
    assert len(vault.load_case(case_id).evidence) == 3  # the picture checked with find copies was not kept


def video_of(size: int):
    """A video-shaped stream (intake never opens videos) carrying the marker."""
    yield MP4_HEAD
    yield from repeat(MARKER, size - len(MP4_HEAD))


def test_upload_memory_stays_bounded(live):
    """A large upload streams through: Python-side peak memory stays far below its size."""
    client = unlocked_live_client(live)
    case_id = new_case(client)
    token = client.csrf(f"/cases/{case_id}")
    size = 96 * 1024 * 1024
    tracemalloc.start()
    try:
        status, _, _ = client.upload(
            f"/evidence/{case_id}/upload", token, [("long.mp4", size, video_of(size))]
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert status == 302
    assert peak < 24 * 1024 * 1024, f"peak {peak / 2**20:.1f} MiB for a {size / 2**20:.0f} MiB upload"
    vault = next(iter(live.services.keyring._entries.values())).vault
    assert vault.load_case(case_id).evidence[0].size == size
    assert vault.verify() == []  # a large upload takes the worker-process path: check its output


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_page_text_and_titles_never_reach_disk(live, lang):
    client = unlocked_live_client(live)
    token = client.csrf("/cases/")
    client.post_form("/session/language", {"csrf_token": token, "lang": lang, "next": "/cases/"})
    client.post_form("/cases/new", {"csrf_token": token, "title": "TITLE-MARKER-0042"})
    for path in all_files(live.vault_path):
        assert b"TITLE-MARKER-0042" not in path.read_bytes()


def test_the_dossier_and_the_originals_bundle_are_built_in_memory(live):
    """Exporting writes nothing in clear: the PDF and the ZIP go from memory to the browser; the only
    files written are the vault's own (the journal entry, the signing key), encrypted."""
    from tests.support import samples

    client = unlocked_live_client(live)
    case_id = new_case(client)
    token = client.csrf(f"/cases/{case_id}")
    png_with_marker = samples.png(300, 200)
    marked = png_with_marker
    client.upload_raw(f"/evidence/{case_id}/raw", token, "shot.png", len(marked), [marked])
    bodies = []

    def work():
        for action in ("pdf", "originals"):
            status, _, body = client.post_form(
                f"/dossier/{case_id}", {"csrf_token": token, "lang": "en", "action": action}
            )
            assert status == 200
            bodies.append(body)

    temp_root = Path(tempfile.gettempdir())
    before_temp = set(temp_root.iterdir())
    unexpected = _recorded_writes(live, work)
    assert unexpected == [], f"files opened for writing: {unexpected}"
    assert bodies[0].startswith(b"%PDF")
    assert png_with_marker in bodies[1]  # the original, byte for byte, inside the ZIP
    for path in all_files(
        live.vault_path, *[p for p in set(temp_root.iterdir()) - before_temp if p.is_dir()]
    ):
        data = path.read_bytes()
        assert png_with_marker not in data
        if path.suffix == ".age":
            assert data.startswith(b"age-encryption.org/v1\n")


def test_letters_details_and_reports_are_kept_only_encrypted_and_letters_built_in_memory(live):
    """The details for letters, a letter saved as .txt and .eml, and a report recorded as sent: the
    only files written are the vault's own temp names (ciphertext), and none holds the marker."""
    client = unlocked_live_client(live)
    case_id = new_case(client)
    marker = MARKER.decode()

    def run():
        token = client.csrf(f"/letters/{case_id}/details")
        client.post_form(
            f"/letters/{case_id}/details",
            {
                "csrf_token": token,
                "name": f"Name {marker}",
                "email": "sample@example.org",
                "signature": f"Sig {marker}",
                "harm": marker,
                "good_faith": "y",
                "accurate": "y",
            },
        )
        for fmt in ("txt", "eml"):
            status, _headers, data = client.post_form(
                f"/letters/{case_id}/dsa-notice/download",
                {"csrf_token": token, "platform": "x", "lang": "en", "format": fmt},
            )
            assert status == 200
            assert MARKER in data
        client.post_form(
            f"/walkthrough/{case_id}/reports", {"csrf_token": token, "target": "police", "reference": marker}
        )

    assert _recorded_writes(live, run) == []
    for path in all_files(live.vault_path):
        assert MARKER not in path.read_bytes(), f"plaintext found in {path}"


def test_counselor_notes_and_mode_are_kept_only_encrypted(live):
    client = unlocked_live_client(live)
    case_id = new_case(client)
    marker = MARKER.decode()

    def run():
        token = client.csrf("/counselor/start")
        client.post_form(
            "/counselor/start",
            {
                "csrf_token": token,
                "name": f"Counselor {marker}",
                "organisation": marker,
                "next": f"/cases/{case_id}",
            },
        )
        client.get(f"/cases/{case_id}")
        client.post_form(f"/counselor/{case_id}/notes", {"csrf_token": token, "text": f"Note {marker}"})
        status, _headers, data = client.get(f"/counselor/{case_id}/summary")
        assert status == 200
        assert data.startswith(b"%PDF")
        client.post_form("/counselor/end", {"csrf_token": token, "next": "/cases/"})

    assert _recorded_writes(live, run) == []
    for path in all_files(live.vault_path):
        assert MARKER not in path.read_bytes(), f"plaintext found in {path}"
