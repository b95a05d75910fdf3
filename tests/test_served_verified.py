"""Nothing decrypted reaches the browser, a ZIP or a PDF before the whole item has been checked
against the fingerprint pinned when it came in (the attacker holds the disk: swapped, flipped files)."""

from __future__ import annotations

import shutil

import pytest

from tests.support import samples
from tests.support.web import new_case, upload_raw


def blob(unlocked, item):
    return unlocked.path / "blobs" / f"{item.blob}.age"


@pytest.fixture
def two_items(client, token, unlocked):
    case_id = new_case(client, token)
    secret = samples.MP4_HEAD + b"INTIMATE-SAMPLE-CONTENT " * 60_000  # ~1.4 MB, several pieces
    upload_raw(
        client, token, case_id, secret, "private.mp4", **{"X-Intimate": "yes", "Content-Type": "video/mp4"}
    )
    upload_raw(
        client,
        token,
        case_id,
        samples.MP4_HEAD + b"\0" * 400_000,
        "other.mp4",
        **{"Content-Type": "video/mp4"},
    )
    private, other = unlocked.load_case(case_id).evidence
    return case_id, private, other, secret


def test_a_swapped_file_is_never_served_under_another_items_name(client, token, unlocked, two_items):
    case_id, private, other, secret = two_items
    shutil.copy(blob(unlocked, private), blob(unlocked, other))  # the intimate file put in the other's place
    viewed = client.get(f"/evidence/{case_id}/{other.id}/view")
    assert viewed.status_code == 409
    assert b"INTIMATE-SAMPLE" not in viewed.data
    assert "other.mp4" in viewed.get_data(as_text=True)  # the page names the item
    saved = client.post(f"/evidence/{case_id}/{other.id}/download", data={"csrf_token": token})
    assert saved.status_code == 302
    assert b"INTIMATE-SAMPLE" not in saved.data
    assert "evidence.exported" not in [e.action for e in unlocked.journal(case_id)]


def test_a_flipped_byte_near_the_end_lets_nothing_through(client, token, unlocked, two_items):
    case_id, private, _other, secret = two_items
    client.post(f"/evidence/{case_id}/{private.id}/reveal", data={"csrf_token": token})
    path = blob(unlocked, private)
    data = bytearray(path.read_bytes())
    data[-100] ^= 0x01
    path.write_bytes(bytes(data))
    viewed = client.get(f"/evidence/{case_id}/{private.id}/view")
    assert viewed.status_code == 409
    assert b"INTIMATE-SAMPLE" not in viewed.data


def test_the_originals_zip_checks_every_file_before_its_first_byte(client, token, unlocked, two_items):
    case_id, private, other, _secret = two_items
    shutil.copy(blob(unlocked, private), blob(unlocked, other))
    response = client.post(
        f"/dossier/{case_id}", data={"csrf_token": token, "lang": "en", "action": "originals"}
    )
    assert response.status_code == 409
    assert not response.data.startswith(b"PK")
    assert "other.mp4" in response.get_data(as_text=True)
    assert "originals.exported" not in [e.action for e in unlocked.journal(case_id)]


def test_a_file_changed_between_the_check_and_the_stream_stops_before_the_changed_piece(unlocked, two_items):
    """The second pass compares each piece with the first pass's fingerprint for it."""
    case_id, private, other, secret = two_items
    stream = unlocked.open_evidence(case_id, private.id).pieces()  # checked whole here
    shutil.copy(blob(unlocked, other), blob(unlocked, private))  # then replaced
    from helper.vault import TamperedItem

    served = []
    with pytest.raises(TamperedItem):
        served.extend(stream)
    assert served == []


# -- the files made from an item are pinned too -----------------------------------------------------


@pytest.fixture
def intimate_picture(client, token, unlocked):
    case_id = new_case(client, token)
    upload_raw(client, token, case_id, samples.png(640, 480, seed=3), "private.png", **{"X-Intimate": "yes"})
    [item] = unlocked.load_case(case_id).evidence
    return case_id, item


def test_the_sharp_thumbnail_in_the_blurred_ones_place_is_never_shown(client, unlocked, intimate_picture):
    from helper.dossier import DossierOptions
    from helper.dossier.data import gather

    case_id, item = intimate_picture
    assert item.image.blurred_sha256
    sharp = unlocked.open_item(item).derived(item.image.thumbnail_blob)
    shutil.copy(
        unlocked.path / "blobs" / f"{item.image.thumbnail_blob}.age",
        unlocked.path / "blobs" / f"{item.image.blurred_blob}.age",
    )
    response = client.get(f"/evidence/{case_id}/{item.id}/thumbnail")
    assert response.status_code == 404
    assert response.data != sharp
    [entry] = gather(unlocked, case_id, DossierOptions()).items
    assert entry.blurred
    assert entry.thumbnail is None  # no picture at all, rather than a sharp one
    [problem] = unlocked.verify()
    assert problem.item_id == item.id
    assert "thumbnail" in problem.reason


def test_a_chats_swapped_messages_file_is_refused(client, token, unlocked):
    case_id = new_case(client, token)
    upload_raw(
        client,
        token,
        case_id,
        samples.WHATSAPP_ANDROID.encode(),
        "chat.txt",
        **{"Content-Type": "text/plain"},
    )
    upload_raw(client, token, case_id, samples.telegram_json(), "result.json")
    first, second = unlocked.load_case(case_id).evidence
    shutil.copy(
        unlocked.path / "blobs" / f"{second.chat.messages_blob}.age",
        unlocked.path / "blobs" / f"{first.chat.messages_blob}.age",
    )
    page = client.get(f"/evidence/{case_id}/{first.id}/messages", follow_redirects=True).get_data(
        as_text=True
    )
    assert "cannot be read" in page
    assert [p.item_id for p in unlocked.verify()] == [first.id]
