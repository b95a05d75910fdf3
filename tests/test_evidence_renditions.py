"""A picture's renditions are made after it is saved: the upload answers first, pages say "preparing",
nothing sharper stands in for a missing blurred thumbnail, undecodable pixels mark the item (never lose
it), and a kill before the renditions leaves an item that gets them on the next look."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from helper.config import Config
from helper.evidence import renditions
from helper.evidence.desk import EvidenceDesk
from helper.evidence.renditions import RenditionWorker
from helper.web import create_app
from helper.web.services import SESSION_HANDLE
from tests.support import samples
from tests.support.evidence import add_file
from tests.support.hostile import UNDECODABLE
from tests.support.web import ORIGIN, TEST_PORT, new_case, upload, upload_raw

ROOT = Path(__file__).resolve().parent.parent
PREPARING_TEXT = "Preparing the preview…"


@pytest.fixture
def paused(app) -> Iterator[RenditionWorker]:
    """The app's worker, holding every picture until the test lets it go."""
    worker = RenditionWorker(paused=True)
    app.extensions["helper"].renditions = worker
    yield worker
    worker.close()


def _item(unlocked, case_id, name):
    return next(it for it in unlocked.load_case(case_id).evidence if it.original_name == name)


def test_the_upload_answers_before_the_renditions_exist_and_the_page_says_preparing(
    client, token, unlocked, paused
):
    case_id = new_case(client, token)
    response = upload_raw(client, token, case_id, samples.jpeg(1200, 900), "shot-SAMPLE.jpg")
    assert response.status_code == 200
    assert response.get_json()["ok"]
    item = _item(unlocked, case_id, "shot-SAMPLE.jpg")
    assert renditions.state(item) == renditions.PREPARING
    assert item.image.width == 1200
    assert not item.image.thumbnail_blob
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert PREPARING_TEXT in page
    assert f'/evidence/{case_id}/{item.id}/thumbnail" alt' not in page  # no <img> for it yet
    assert "renditions.js" in page
    asked = client.get(f"/evidence/{case_id}/renditions?item={item.id}").get_json()
    assert asked == {"items": {item.id: "preparing"}}

    paused.resume()
    assert paused.wait(60)
    item = _item(unlocked, case_id, "shot-SAMPLE.jpg")
    assert renditions.state(item) == renditions.READY
    assert item.image.pdq
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert PREPARING_TEXT not in page
    assert f'src="/evidence/{case_id}/{item.id}/thumbnail"' in page
    assert client.get(f"/evidence/{case_id}/{item.id}/thumbnail").status_code == 200
    asked = client.get(f"/evidence/{case_id}/renditions?item={item.id}").get_json()
    assert asked == {"items": {item.id: "ready"}}


def test_the_form_upload_answers_before_the_renditions_too(client, token, unlocked, paused):
    case_id = new_case(client, token)
    response = upload(client, token, case_id, (io.BytesIO(samples.png(800, 600)), "profile-SAMPLE.png"))
    assert response.status_code == 302
    assert "1 file saved and encrypted." in client.get(response.location).get_data(as_text=True)
    assert renditions.state(_item(unlocked, case_id, "profile-SAMPLE.png")) == renditions.PREPARING


def test_a_picture_that_does_not_decode_is_kept_marked_and_the_page_says_so_kindly(client, token, unlocked):
    case_id = new_case(client, token)
    whole = samples.jpeg(400, 300)
    broken = whole[: len(whole) // 2]  # its header is whole, its pixels stop half-way
    response = upload_raw(client, token, case_id, broken, "cut-SAMPLE.jpg")
    assert response.status_code == 200
    assert response.get_json()["ok"]
    item = _item(unlocked, case_id, "cut-SAMPLE.jpg")
    assert renditions.state(item) == renditions.UNREADABLE
    assert item.image.unreadable
    assert not item.image.thumbnail_blob
    assert not item.image.blurred_blob
    page = client.get(f"/evidence/{case_id}/{item.id}").get_data(as_text=True)
    assert "could not be opened to make a preview" in page
    assert "It is kept exactly as it came, encrypted, and it still counts as evidence." in page
    assert f"/evidence/{case_id}/{item.id}/view" not in page
    assert "could not be opened" in client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert client.get(f"/evidence/{case_id}/{item.id}/thumbnail").status_code == 404
    copy = client.post(f"/evidence/{case_id}/{item.id}/download", data={"csrf_token": token})
    assert copy.data == broken  # the file itself, whole and unchanged


def test_an_intimate_picture_is_never_served_unblurred_while_preparing(client, token, unlocked, paused):
    case_id = new_case(client, token)
    picture = samples.jpeg(640, 480)
    response = upload_raw(client, token, case_id, picture, "private-SAMPLE.jpg", **{"X-Intimate": "yes"})
    assert response.status_code == 200
    item = _item(unlocked, case_id, "private-SAMPLE.jpg")
    assert item.intimate
    assert renditions.state(item) == renditions.PREPARING
    pages = (f"/cases/{case_id}", f"/evidence/{case_id}/{item.id}", f"/walkthrough/{case_id}/evidence")
    for page_path in pages:
        page = client.get(page_path).get_data(as_text=True)
        assert PREPARING_TEXT in page, page_path
        assert f'{item.id}/thumbnail" alt' not in page, page_path
        assert f'{item.id}/view"' not in page, page_path
    assert client.get(f"/evidence/{case_id}/{item.id}/thumbnail").status_code == 404
    assert client.get(f"/evidence/{case_id}/{item.id}/view").status_code == 403

    # The person asks to see it.
    client.post(f"/evidence/{case_id}/{item.id}/reveal", data={"csrf_token": token})
    for path in (f"/evidence/{case_id}/{item.id}/thumbnail", f"/evidence/{case_id}/{item.id}/view"):
        served = client.get(path)
        assert served.status_code == 404, path
        assert picture not in served.data, path
    page = client.get(f"/evidence/{case_id}/{item.id}").get_data(as_text=True)
    assert PREPARING_TEXT in page
    assert f'{item.id}/view" alt' not in page

    client.post(f"/evidence/{case_id}/{item.id}/hide", data={"csrf_token": token})
    paused.resume()
    assert paused.wait(60)
    item = _item(unlocked, case_id, "private-SAMPLE.jpg")
    served = client.get(f"/evidence/{case_id}/{item.id}/thumbnail")
    assert served.data == unlocked.open_item(item).derived(item.image.blurred_blob)  # blurred, once it exists


def test_the_under_18_rule_is_decided_before_the_file_is_kept_not_by_the_worker(unlocked):
    from helper.casework import walkthrough

    case = unlocked.create_case("Minor path")
    walkthrough.save_step(unlocked, case.id, "age", incident=walkthrough.Edit({"minor": "yes"}))
    worker = RenditionWorker(paused=True)
    desk = EvidenceDesk(unlocked, renditions=worker)
    refused = desk.receive_stream(case.id, io.BytesIO(samples.jpeg(320, 240)), name="a.jpg")
    assert refused.status == "minor"
    assert worker.pending() == 0
    assert unlocked.load_case(case.id).evidence == ()
    kept = desk.receive_stream(
        case.id, io.BytesIO(samples.jpeg(320, 240)), name="chat-SAMPLE.jpg", declared_not_intimate=True
    )
    assert kept.saved
    assert worker.pending() == 1
    worker.close()


def test_the_command_line_desk_adds_a_picture_whole_in_one_write(unlocked):
    """Without a worker (the command line's `import`), the renditions are made before the item is
    added: one write, the PDQ hash in the journal's entry, nothing left to prepare."""
    case = unlocked.create_case("Import")
    item = add_file(unlocked, case.id, samples.jpeg(800, 600), "shot-SAMPLE.jpg", "image/jpeg")
    assert renditions.state(item) == renditions.READY
    entry = unlocked.journal(case.id)[-1]
    assert entry.detail["pdq"] == item.image.pdq
    assert unlocked.load_case(case.id).revision == 1


@pytest.mark.parametrize("hostile", UNDECODABLE, ids=[h.id for h in UNDECODABLE])
def test_pixels_that_do_not_decode_leave_the_file_kept_and_marked(unlocked, hostile):
    case = unlocked.create_case("Damaged pictures")
    data = hostile.make()
    item = add_file(unlocked, case.id, data, hostile.name)
    assert renditions.state(item) == renditions.UNREADABLE
    assert b"".join(unlocked.open_item(item).pieces()) == data
    assert item.blobs == (item.blob,)  # no rendition file of it


def test_a_rendition_that_cannot_be_written_leaves_the_item_preparing_and_no_file_behind(
    unlocked, monkeypatch
):
    case = unlocked.create_case("Full disk")
    worker = RenditionWorker(paused=True)
    saved = EvidenceDesk(unlocked, renditions=worker).receive_stream(
        case.id, io.BytesIO(samples.jpeg(640, 480)), name="shot-SAMPLE.jpg"
    )
    worker.close()
    before = sorted((unlocked.path / "blobs").iterdir())
    real_store = unlocked.store_blob
    written = []

    def store_then_fail(data):
        if written:
            raise OSError(28, "No space left on device")
        written.append(real_store(data))
        return written[-1]

    monkeypatch.setattr(unlocked, "store_blob", store_then_fail)
    with pytest.raises(OSError, match="No space"):
        renditions.prepare(unlocked, case.id, saved.item.id)
    assert sorted((unlocked.path / "blobs").iterdir()) == before
    assert renditions.state(unlocked.load_case(case.id).item(saved.item.id)) == renditions.PREPARING
    monkeypatch.setattr(unlocked, "store_blob", real_store)
    assert renditions.prepare(unlocked, case.id, saved.item.id) == renditions.READY


# A child that keeps a picture, then is killed: before its renditions are made (the worker never ran),
# or after their files were written and before they were pinned on the item.
KILLED = textwrap.dedent(
    """
    import io, os, signal, sys
    from pathlib import Path
    import pyrage
    from helper.evidence import renditions
    from helper.evidence.desk import EvidenceDesk
    from helper.vault import UnlockedVault
    from tests.support import samples

    vault_dir, case_id, when = sys.argv[1], sys.argv[2], sys.argv[3]
    vault = UnlockedVault(Path(vault_dir), pyrage.x25519.Identity.from_str(os.environ["VAULT_IDENTITY"]))
    def killed(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)
    renditions.add_renditions = killed
    worker = renditions.RenditionWorker(paused=True)
    outcome = EvidenceDesk(vault, renditions=worker).receive_stream(
        case_id, io.BytesIO(samples.jpeg(640, 480)), name="shot-SAMPLE.jpg"
    )
    print("SAVED", outcome.item.id, flush=True)
    if when != "before":
        worker.resume()
    signal.pause()  # killed: by the parent, or by itself on pinning the renditions
    """
)


@pytest.mark.parametrize("when", ["before", "while_pinning"])
def test_renditions_resume_after_a_kill_on_the_next_look(vault_template, unlocked, vault_dir, when):
    case = unlocked.create_case("Killed")
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED, str(vault_dir), case.id, when],
        cwd=ROOT,
        env={**os.environ, "VAULT_IDENTITY": vault_template.identity, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = child.stdout.readline()
        assert line.startswith("SAVED"), line
        item_id = line.split()[1]
        if when == "before":
            child.send_signal(signal.SIGKILL)
        assert child.wait(60) == -signal.SIGKILL
    finally:
        child.kill()
        child.stdout.close()
    item = unlocked.load_case(case.id).item(item_id)
    assert renditions.state(item) == renditions.PREPARING  # saved, and never stuck: its page asks again
    if when == "while_pinning":
        assert len(unlocked.orphans()) >= 2  # the renditions written, never pinned: swept as orphans

    app = create_app(Config(vault_path=vault_dir, port=TEST_PORT, extra_hosts=("localhost",), testing=True))
    browser = app.test_client()
    browser.environ_base["HTTP_ORIGIN"] = ORIGIN
    token = app.extensions["helper"].launch_tokens.issue()
    assert browser.get(f"/?token={token}").status_code == 303
    handle = app.extensions["helper"].keyring.add(unlocked)
    with browser.session_transaction() as sess:
        sess[SESSION_HANDLE] = handle
    assert PREPARING_TEXT in browser.get(f"/cases/{case.id}").get_data(as_text=True)  # the look asks
    assert app.extensions["helper"].renditions.wait(60)
    item = unlocked.load_case(case.id).item(item_id)
    assert renditions.state(item) == renditions.READY
    assert browser.get(f"/evidence/{case.id}/{item_id}/thumbnail").status_code == 200
    assert set(item.blobs).isdisjoint(unlocked.orphans())
