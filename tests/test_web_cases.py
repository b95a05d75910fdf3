"""The case list, a case page, and uploads (Flask test client)."""

from __future__ import annotations

import hashlib
import io

import pytest

from tests.support import samples
from tests.support.web import new_case, upload, upload_raw


def test_case_list_starts_empty_and_kind(client):
    assert "No case yet" in client.get("/cases/").get_data(as_text=True)


def test_create_and_open_a_case(client, token):
    case_id = new_case(client, token)
    html = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Instagram, March" in html
    assert "Instagram, March" in client.get("/cases/").get_data(as_text=True)


def test_a_case_needs_a_name(client, token, unlocked):
    response = client.post("/cases/new", data={"csrf_token": token, "title": "   "})
    assert response.status_code == 400
    assert "Please give the case a name" in response.get_data(as_text=True)
    assert unlocked.case_ids() == []


def test_hostile_title_prints_as_typed(client, token):
    case_id = new_case(client, token, "<script>alert(1)</script> & <b>")
    html = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;" in html
    assert "<script>alert(1)" not in html


def test_rename_a_case(client, token, unlocked):
    case_id = new_case(client, token)
    response = client.post(
        f"/cases/{case_id}/rename", data={"csrf_token": token, "title": "Snapchat", "revision": "0"}
    )
    assert response.status_code == 302
    assert unlocked.load_case(case_id).title == "Snapchat"


def test_rename_from_a_stale_tab_is_refused_with_an_explanation(client, token, unlocked):
    case_id = new_case(client, token)
    client.post(
        f"/cases/{case_id}/rename", data={"csrf_token": token, "title": "From tab one", "revision": "0"}
    )
    response = client.post(
        f"/cases/{case_id}/rename",
        data={"csrf_token": token, "title": "From tab two", "revision": "0"},
        follow_redirects=True,
    )
    assert "changed in another window" in response.get_data(as_text=True)
    assert unlocked.load_case(case_id).title == "From tab one"


def test_unknown_case_is_a_calm_404(client):
    response = client.get("/cases/" + "0" * 32)
    assert response.status_code == 404
    assert "could not find" in response.get_data(as_text=True)


def test_upload_several_files_at_once(client, token, unlocked):
    case_id = new_case(client, token)
    a, b = b"SAMPLE one " * 40_000, b"SAMPLE two"
    response = upload(
        client, token, case_id, (io.BytesIO(a), "one.png", "image/png"), (io.BytesIO(b), "two.txt")
    )
    assert response.status_code == 302
    items = unlocked.load_case(case_id).evidence
    assert [(i.original_name, i.sha256) for i in items] == [
        ("one.png", hashlib.sha256(a).hexdigest()),
        ("two.txt", hashlib.sha256(b).hexdigest()),
    ]
    assert unlocked.verify() == []
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "one.png" in page
    assert "2 files saved" in page


def test_upload_with_no_file_adds_nothing(client, token, unlocked):
    case_id = new_case(client, token)
    response = upload(client, token, case_id, (io.BytesIO(b""), ""))
    assert response.status_code == 302
    assert unlocked.load_case(case_id).evidence == ()
    assert "nothing was added" in client.get(f"/cases/{case_id}").get_data(as_text=True)


def test_a_file_name_with_control_characters_is_refused_kindly_and_the_others_kept(client, token, unlocked):
    case_id = new_case(client, token)
    response = upload(
        client,
        token,
        case_id,
        (io.BytesIO(b"SAMPLE note"), "x\x07y.txt"),
        (io.BytesIO(b"SAMPLE"), "fine.txt"),
    )
    page = client.get(response.location).get_data(as_text=True)
    assert "hidden characters" in page
    assert "x�y.txt" in page
    assert "1 file saved and encrypted." in page
    assert [it.original_name for it in unlocked.load_case(case_id).evidence] == ["fine.txt"]


def test_upload_to_an_unknown_case_saves_nothing(client, token, unlocked):
    response = upload(client, token, "0" * 32, (io.BytesIO(b"SAMPLE"), "x.png"))
    assert response.status_code == 302
    assert list((unlocked.path / "blobs").iterdir()) == []


def test_upload_while_locked_saves_nothing_and_asks_to_unlock(client, token, unlocked, app):
    case_id = new_case(client, token)
    app.extensions["helper"].keyring.drop_all()
    response = upload(client, token, case_id, (io.BytesIO(b"SAMPLE"), "x.png"))
    assert "/session/unlock" in response.location
    assert list((unlocked.path / "blobs").iterdir()) == []


def test_upload_rejected_for_csrf_leaves_no_blob(client, token, unlocked):
    case_id = new_case(client, token)
    response = client.post(
        f"/evidence/{case_id}/upload",
        data={"files": (io.BytesIO(b"SAMPLE" * 40_000), "x.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert list((unlocked.path / "blobs").iterdir()) == []


def test_file_parts_sent_to_other_pages_are_discarded(client, token, unlocked):
    response = client.post(
        "/cases/new",
        data={"csrf_token": token, "title": "T", "files": (io.BytesIO(b"SAMPLE" * 10_000), "x.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert list((unlocked.path / "blobs").iterdir()) == []


@pytest.mark.parametrize("media_type", ["text/html", "image/svg+xml"])
def test_declared_media_type_is_recorded_not_trusted_for_display(client, token, unlocked, media_type):
    case_id = new_case(client, token)
    upload(client, token, case_id, (io.BytesIO(b"<svg onload=alert(1)>"), "x.svg", media_type))
    html = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "<svg onload" not in html


# -- the page script's path: one file per request, raw body ----------------------------------


def test_raw_upload_saves_one_file_and_answers_in_json(client, token, unlocked):
    case_id = new_case(client, token)
    data = b"SAMPLE raw " * 30_000
    response = upload_raw(client, token, case_id, data, "capture%20d%E2%80%99%C3%A9cran.png")
    assert response.status_code == 200
    reply = response.get_json()
    assert reply["ok"] is True
    assert reply["name"] == "capture d’écran.png"
    assert reply["sha256"] == hashlib.sha256(data).hexdigest()
    assert unlocked.load_case(case_id).evidence[0].media_type == "image/png"
    assert unlocked.verify() == []


def test_page_shows_how_many_files_the_script_saved(client, token):
    case_id = new_case(client, token)
    response = client.get(f"/cases/{case_id}?added=3", follow_redirects=True)
    assert "3 files saved and encrypted." in response.get_data(as_text=True)


def test_raw_upload_while_locked_explains_in_json(client, token, unlocked, app):
    case_id = new_case(client, token)
    app.extensions["helper"].keyring.drop_all()
    response = upload_raw(client, token, case_id, b"SAMPLE", "x.png")
    assert response.status_code == 401
    assert "locked" in response.get_json()["message"]
    assert list((unlocked.path / "blobs").iterdir()) == []


def test_raw_upload_to_unknown_case_saves_nothing(client, token, unlocked):
    response = upload_raw(client, token, "0" * 32, b"SAMPLE", "x.png")
    assert response.status_code == 404
    assert response.get_json()["ok"] is False
    assert list((unlocked.path / "blobs").iterdir()) == []


def test_raw_upload_needs_csrf_and_our_origin(client, token, unlocked):
    case_id = new_case(client, token)
    no_csrf = client.post(f"/evidence/{case_id}/raw", data=b"SAMPLE", headers={"X-File-Name": "x.png"})
    assert no_csrf.status_code == 400
    foreign = upload_raw(client, token, case_id, b"SAMPLE", "x.png", Origin="http://evil.example")
    assert foreign.status_code == 403
    assert list((unlocked.path / "blobs").iterdir()) == []


def test_raw_upload_over_the_limit_is_refused_kindly(client, token, unlocked, app):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    case_id = new_case(client, token)
    response = upload_raw(client, token, case_id, b"SAMPLE" * 1000, "big.png")
    assert response.status_code == 413
    assert unlocked.load_case(case_id).evidence == ()


def test_a_full_disk_during_upload_is_explained_and_keeps_the_case(client, token, unlocked, monkeypatch):
    import errno

    from helper.vault import atomic

    case_id = new_case(client, token)

    def no_space(_folder):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic, "fsync_dir", no_space)
    response = upload(client, token, case_id, (io.BytesIO(b"SAMPLE"), "x.png"))
    raw = upload_raw(client, token, case_id, b"SAMPLE", "y.png")
    monkeypatch.undo()
    assert raw.status_code == 507
    assert "The disk is full" in raw.get_json()["message"]
    page = client.get(response.location).get_data(as_text=True)
    assert "The disk is full" in page
    assert unlocked.load_case(case_id).evidence == ()


# -- the minor path: no intimate images are ever kept -----------------------------------------


@pytest.fixture
def minor_case(client, token, unlocked):
    case_id = new_case(client, token)
    client.post(f"/walkthrough/{case_id}/age", data={"csrf_token": token, "minor": "yes"})
    return case_id


def test_minor_path_refuses_files_not_declared_free_of_intimate_images(client, token, minor_case, unlocked):
    response = upload(client, token, minor_case, (io.BytesIO(b"\\x89PNG SAMPLE"), "photo.png", "image/png"))
    page = client.get(response.location).get_data(as_text=True)
    assert "cannot keep intimate images" in page
    assert unlocked.load_case(minor_case).evidence == ()
    assert list((unlocked.path / "blobs").iterdir()) == []  # not even ciphertext is left


def test_minor_path_refuses_raw_uploads_without_the_declaration(client, token, minor_case, unlocked):
    response = upload_raw(client, token, minor_case, b"SAMPLE", "photo.png")
    assert response.status_code == 422
    assert "illegal" in response.get_json()["message"]
    assert list((unlocked.path / "blobs").iterdir()) == []


def test_minor_path_takes_declared_screenshots(client, token, minor_case, unlocked):
    client.post(
        f"/evidence/{minor_case}/upload",
        data={"csrf_token": token, "no_intimate": "y", "files": [(io.BytesIO(b"SAMPLE chat"), "chat.png")]},
        content_type="multipart/form-data",
    )
    response = upload_raw(
        client, token, minor_case, b"SAMPLE profile", "profile.png", **{"X-No-Intimate": "yes"}
    )
    assert response.status_code == 200
    assert [i.original_name for i in unlocked.load_case(minor_case).evidence] == ["chat.png", "profile.png"]


def test_the_case_page_explains_the_minor_rule(client, minor_case):
    html = client.get(f"/cases/{minor_case}").get_data(as_text=True)
    assert "do not add any nude or sexual image" in html
    assert 'name="no_intimate"' in html


def test_adults_need_no_declaration(client, token, unlocked):
    case_id = new_case(client, token)
    assert 'name="no_intimate"' not in client.get(f"/cases/{case_id}").get_data(as_text=True)


def test_raw_upload_records_type_md5_and_the_files_own_date(client, token, unlocked):
    case_id = new_case(client, token)
    jpeg = samples.jpeg(320, 240)
    response = upload_raw(
        client, token, case_id, jpeg, "named-wrong.png", **{"X-File-Modified": "1761944400000"}
    )
    reply = response.get_json()
    assert reply["type"] == "image/jpeg"
    assert reply["md5"] == hashlib.md5(jpeg).hexdigest()  # noqa: S324
    [item] = unlocked.load_case(case_id).evidence
    assert item.file_modified == "2025-10-31T21:00:00+00:00"
    html = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "image/jpeg" in html
    assert item.md5 in html


@pytest.mark.parametrize("value", ["yesterday", "-5", "99999999999999999999"])
def test_a_strange_file_date_is_ignored(client, token, unlocked, value):
    case_id = new_case(client, token)
    upload_raw(client, token, case_id, b"SAMPLE", "x.txt", **{"X-File-Modified": value})
    assert unlocked.load_case(case_id).evidence[0].file_modified is None


# -- describing an item ------------------------------------------------------------------------


@pytest.fixture
def item_in_case(client, token, unlocked):
    case_id = new_case(client, token)
    client.post(
        f"/walkthrough/{case_id}/accounts", data={"csrf_token": token, "platform": "SAMPLE", "handle": "@x"}
    )
    upload_raw(client, token, case_id, b"SAMPLE screenshot", "shot.png")
    case = unlocked.load_case(case_id)
    return case_id, case.evidence[0].id, case.accounts[0].id


def test_describe_an_item(client, token, unlocked, item_in_case):
    case_id, item_id, account_id = item_in_case
    page = client.get(f"/evidence/{case_id}/{item_id}").get_data(as_text=True)
    assert "@x" in page  # the case's accounts are offered
    response = client.post(
        f"/evidence/{case_id}/{item_id}",
        data={
            "csrf_token": token,
            "description": "The first threat",
            "captured_at": "2026-10-31T21:06",
            "platform": "SAMPLE",
            "account_id": account_id,
            "intimate": "y",
        },
    )
    assert response.location.endswith(f"/cases/{case_id}")
    item = unlocked.load_case(case_id).evidence[0]
    assert (item.description, item.captured_at, item.account_id, item.intimate) == (
        "The first threat",
        "2026-10-31T21:06",
        account_id,
        True,
    )
    assert unlocked.journal(case_id)[-1].action == "evidence.described"
    assert "intimate: hidden" in client.get(f"/cases/{case_id}").get_data(as_text=True)


def test_an_unknown_account_is_refused(client, token, unlocked, item_in_case):
    case_id, item_id, _ = item_in_case
    response = client.post(f"/evidence/{case_id}/{item_id}", data={"csrf_token": token, "account_id": "nope"})
    assert response.status_code == 200
    assert unlocked.load_case(case_id).evidence[0].account_id == ""


def test_an_intimate_item_is_refused_on_the_minor_path(client, token, unlocked, item_in_case):
    case_id, item_id, _ = item_in_case
    client.post(f"/walkthrough/{case_id}/age", data={"csrf_token": token, "minor": "unsure"})
    response = client.post(
        f"/evidence/{case_id}/{item_id}", data={"csrf_token": token, "intimate": "y"}, follow_redirects=True
    )
    assert "cannot be kept, even by you" in response.get_data(as_text=True)
    assert unlocked.load_case(case_id).evidence[0].intimate is False


def test_describing_an_unknown_item_is_a_calm_404(client, token, item_in_case):
    case_id, _, _ = item_in_case
    assert client.get(f"/evidence/{case_id}/{'0' * 32}").status_code == 404
    assert client.get(f"/evidence/{'0' * 32}/{'0' * 32}").status_code == 404


def test_remove_an_item_needs_a_tick_then_deletes_the_file(client, token, unlocked, item_in_case):
    case_id, item_id, _ = item_in_case
    blob = unlocked.path / "blobs" / f"{unlocked.load_case(case_id).evidence[0].blob}.age"
    client.post(f"/evidence/{case_id}/{item_id}/remove", data={"csrf_token": token})
    assert blob.exists()
    response = client.post(
        f"/evidence/{case_id}/{item_id}/remove", data={"csrf_token": token, "confirm": "y"}
    )
    assert response.location.endswith(f"/cases/{case_id}")
    assert unlocked.load_case(case_id).evidence == ()
    assert not blob.exists()
    entry = unlocked.journal(case_id)[-1]
    assert (entry.action, entry.detail["name"]) == ("evidence.removed", "shot.png")
    assert unlocked.verify() == []


# -- links ---------------------------------------------------------------------------------------


def test_a_link_is_recorded_not_fetched(client, token, unlocked):
    case_id = new_case(client, token)
    response = client.post(
        f"/evidence/{case_id}/links",
        data={
            "csrf_token": token,
            "url": "https://example.invalid/sample_post/1?x=<b>",
            "seen_at": "2026-11-02T10:15",
            "platform": "SAMPLE",
            "note": "Posted by @sample_account",
        },
    )
    assert response.location.endswith(f"/cases/{case_id}")
    [link] = unlocked.load_case(case_id).links
    assert (link.url, link.seen_at) == ("https://example.invalid/sample_post/1?x=<b>", "2026-11-02T10:15")
    html = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "https://example.invalid/sample_post/1?x=&lt;b&gt;" in html
    assert 'href="https://example.invalid' not in html  # shown as text, never as a link to follow
    timeline = client.get(f"/walkthrough/{case_id}/timeline").get_data(as_text=True)
    assert "Link seen" in timeline
    client.post(f"/evidence/{case_id}/links/{link.id}/remove", data={"csrf_token": token})
    assert unlocked.load_case(case_id).links == ()


@pytest.mark.parametrize("url", ["", "not a link", "javascript alert(1)"])
def test_a_bad_link_is_explained_and_not_saved(client, token, unlocked, url):
    case_id = new_case(client, token)
    response = client.post(
        f"/evidence/{case_id}/links", data={"csrf_token": token, "url": url}, follow_redirects=True
    )
    assert "flash-error" in response.get_data(as_text=True)
    assert unlocked.load_case(case_id).links == ()


def test_a_failed_rename_still_shows_the_whole_case_page(client, token):
    case_id = new_case(client, token)
    response = client.post(
        f"/cases/{case_id}/rename", data={"csrf_token": token, "title": "", "revision": "0"}
    )
    assert response.status_code == 400
    assert 'id="links-heading"' in response.get_data(as_text=True)


def test_a_big_case_shows_a_page_of_files_found_by_name_or_kind(client, unlocked):
    from dataclasses import replace

    from helper.case import EvidenceItem

    case = unlocked.create_case("Big case")
    items = tuple(
        EvidenceItem(
            id=f"{n:032x}",
            blob=f"{n:032x}",
            sha256="0" * 64,
            size=1,
            original_name=f"shot-{n:04d}.txt",
            media_type="text/plain",
            added_at="2026-11-01T10:00:00+00:00",
        )
        for n in range(120)
    )
    unlocked.update_case(case.id, lambda c: replace(c, evidence=items), None, {})
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "shot-0000.txt" in page
    assert "shot-0050.txt" not in page
    assert "Page 1 of 3" in page
    assert "shot-0050.txt" in client.get(f"/cases/{case.id}?page=2").get_data(as_text=True)
    found = client.get(f"/cases/{case.id}?q=shot-0119").get_data(as_text=True)
    assert "shot-0119.txt" in found
    assert "shot-0000.txt" not in found
    assert "No file matches." in client.get(f"/cases/{case.id}?kind=picture").get_data(as_text=True)
    assert "E120</span>" in found  # the dossier's number, to name a file to leave out
    review = client.get(f"/walkthrough/{case.id}/review").get_data(as_text=True)
    assert "shot-0049.txt" in review
    assert "shot-0050.txt" not in review
    assert "And 70 more files." in review
