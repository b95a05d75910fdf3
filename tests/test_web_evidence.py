"""Evidence in the app: multi-file intake, kind refusals, blurred by default, logged reveals,
previews streamed from the vault, chat messages on the timeline, and find copies."""

from __future__ import annotations

import io
import json

import pytest

from helper.web.evidence.media import preview_kind
from tests.support import samples
from tests.support.hostile import CORPUS
from tests.support.web import new_case, upload, upload_raw


def blobs(vault):
    return sorted(p.name for p in (vault.path / "blobs").iterdir())


@pytest.fixture
def case_id(client, token):
    return new_case(client, token)


# -- intake ------------------------------------------------------------------------------------


def test_several_kinds_at_once_and_a_hostile_one_refused_kindly(client, token, unlocked, case_id):
    response = upload(
        client,
        token,
        case_id,
        (io.BytesIO(samples.png(640, 480)), "profile.png"),
        (io.BytesIO(samples.encode(samples.picture(400, 300), "HEIF")), "photo.heic"),
        (io.BytesIO(samples.whatsapp_zip()), "WhatsApp Chat - Sam Sample.zip"),
        (io.BytesIO(samples.telegram_json()), "result.json"),
        (io.BytesIO(samples.jpeg(64, 48) + samples.whatsapp_zip()), "sneaky.jpg"),
    )
    page = client.get(response.location).get_data(as_text=True)
    assert "4 files saved and encrypted." in page
    assert "“sneaky.jpg” looks like one kind of file but hides another" in page
    evidence = unlocked.load_case(case_id).evidence
    assert [it.detected_type for it in evidence] == [
        "image/png",
        "image/heic",
        "application/zip",
        "text/plain",
    ]
    assert evidence[0].image.pdq
    assert evidence[1].image.display_blob
    assert evidence[2].chat.format == "whatsapp"
    assert evidence[3].chat.format == "telegram"
    assert "Chat export: 4 messages" in page


@pytest.mark.parametrize("hostile", [h for h in CORPUS if h.max_size is None][::6], ids=lambda h: h.id)
def test_raw_upload_of_a_hostile_file_is_refused_with_a_message_and_nothing_kept(
    client, token, unlocked, case_id, hostile
):
    before = blobs(unlocked)
    response = upload_raw(
        client, token, case_id, hostile.make(), _percent(hostile.name)
    )  # as the page sends it
    assert response.status_code == 422
    reply = response.get_json()
    assert reply["ok"] is False
    assert "Traceback" not in reply["message"]
    assert len(reply["message"]) > 30
    assert unlocked.load_case(case_id).evidence == ()
    assert blobs(unlocked) == before


def _percent(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


def test_a_file_over_the_limit_is_refused_before_it_is_read(vault_dir, unlocked, launched):
    from helper.config import Config
    from helper.web import create_app
    from helper.web.services import SESSION_HANDLE
    from tests.support.web import TEST_PORT, csrf_token

    app = create_app(
        Config(
            vault_path=vault_dir,
            port=TEST_PORT,
            extra_hosts=("localhost",),
            testing=True,
            max_upload_bytes=1000,
        )
    )
    client = app.test_client()
    client.environ_base["HTTP_ORIGIN"] = launched.environ_base["HTTP_ORIGIN"]
    assert client.get(f"/?token={app.extensions['helper'].launch_tokens.issue()}").status_code == 303
    with client.session_transaction() as sess:
        sess[SESSION_HANDLE] = app.extensions["helper"].keyring.add(unlocked)
    token = csrf_token(client, "/cases/")
    case_id = new_case(client, token)
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert 'data-max-bytes="1000"' in page
    response = upload_raw(client, token, case_id, b"S" * 1001, "long.txt")
    assert response.status_code == 413
    assert "too large" in response.get_json()["message"]
    assert "Nothing was saved" in response.get_json()["message"]
    assert unlocked.load_case(case_id).evidence == ()


def test_intimate_on_upload_hides_every_file_of_that_upload(client, token, unlocked, case_id):
    upload(client, token, case_id, (io.BytesIO(samples.png(320, 240)), "a.png"), intimate="y")
    upload_raw(client, token, case_id, samples.png(320, 240, seed=2), "b.png", **{"X-Intimate": "yes"})
    assert [it.intimate for it in unlocked.load_case(case_id).evidence] == [True, True]


def test_minor_path_refuses_intimate_uploads(client, token, unlocked, case_id):
    unlocked.update_case(case_id, lambda c: c.with_incident(minor="unsure"), None, {})
    response = upload_raw(
        client, token, case_id, samples.png(100, 80), "x.png", **{"X-Intimate": "yes", "X-No-Intimate": "yes"}
    )
    assert response.status_code == 422
    assert unlocked.load_case(case_id).evidence == ()


# -- blurred by default, reveal logged --------------------------------------------------------


@pytest.fixture
def intimate_item(client, token, unlocked, case_id):
    data = samples.png(640, 480, seed=5)
    upload_raw(client, token, case_id, data, "private.png", **{"X-Intimate": "yes"})
    [item] = unlocked.load_case(case_id).evidence
    return item, data


def test_an_intimate_item_is_blurred_everywhere_until_revealed(client, unlocked, case_id, intimate_item):
    item, data = intimate_item
    blurred = unlocked.open_item(item).derived(item.image.blurred_blob)
    clear = unlocked.open_item(item).derived(item.image.thumbnail_blob)
    assert client.get(f"/evidence/{case_id}/{item.id}/thumbnail").data == blurred
    assert client.get(f"/evidence/{case_id}/{item.id}/view").status_code == 403
    page = client.get(f"/evidence/{case_id}/{item.id}").get_data(as_text=True)
    assert "Show it to me" in page
    assert f"/evidence/{case_id}/{item.id}/view" not in page
    case_page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Blurred preview" in case_page
    assert clear != blurred


def test_revealing_is_a_deliberate_post_written_in_the_journal(
    client, token, unlocked, case_id, intimate_item
):
    item, data = intimate_item
    assert client.get(f"/evidence/{case_id}/{item.id}/reveal").status_code == 405
    client.post(f"/evidence/{case_id}/{item.id}/reveal", data={})  # no CSRF token: nothing happens
    assert client.get(f"/evidence/{case_id}/{item.id}/view").status_code == 403
    response = client.post(f"/evidence/{case_id}/{item.id}/reveal", data={"csrf_token": token})
    assert response.status_code == 302
    entry = unlocked.journal(case_id)[-1]
    assert (entry.action, entry.detail) == ("evidence.revealed", {"item": item.id})
    view = client.get(f"/evidence/{case_id}/{item.id}/view")
    assert view.status_code == 200
    assert view.data == data
    assert view.headers["Content-Type"] == "image/png"
    assert client.get(f"/evidence/{case_id}/{item.id}/thumbnail").data == unlocked.open_item(item).derived(
        item.image.thumbnail_blob
    )
    client.post(f"/evidence/{case_id}/{item.id}/hide", data={"csrf_token": token})
    assert client.get(f"/evidence/{case_id}/{item.id}/view").status_code == 403


def test_a_reveal_ends_after_ten_minutes_and_with_the_lock():
    from helper.web.keyring import KeyRing

    now = [1000.0]
    ring = KeyRing(idle_seconds=3600, clock=lambda: now[0])

    class FakeVault:
        def lock(self):
            pass

    handle = ring.add(FakeVault())
    ring.reveal(handle, "c/i")
    assert ring.is_revealed(handle, "c/i")
    now[0] += 601
    assert not ring.is_revealed(handle, "c/i")
    ring.reveal(handle, "c/i")
    ring.drop(handle)
    assert not ring.is_revealed(handle, "c/i")


# -- previews and copies ----------------------------------------------------------------------


def test_active_content_is_never_served_inline(client, token, unlocked, case_id):
    for data, name in [
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>', "x.svg"),
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "x.html"),
        (b"%PDF-1.4\n%%EOF\n", "x.pdf"),
    ]:
        upload_raw(client, token, case_id, data, name)
    for item in unlocked.load_case(case_id).evidence:
        assert preview_kind(item) == "none"
        assert client.get(f"/evidence/{case_id}/{item.id}/view").status_code == 404
        page = client.get(f"/evidence/{case_id}/{item.id}").get_data(as_text=True)
        assert "is not shown here" in page
        assert "alert(1)" not in page


def test_a_small_text_file_is_shown_escaped_inside_the_page(client, token, unlocked, case_id):
    upload_raw(client, token, case_id, b"From: SAMPLE\n\n<script>alert(1)</script> pay now", "mail.eml")
    [item] = unlocked.load_case(case_id).evidence
    page = client.get(f"/evidence/{case_id}/{item.id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; pay now" in page


def test_heic_is_previewed_through_its_jpeg_rendition(client, token, unlocked, case_id):
    upload_raw(client, token, case_id, samples.encode(samples.picture(300, 200), "HEIF"), "p.heic")
    [item] = unlocked.load_case(case_id).evidence
    view = client.get(f"/evidence/{case_id}/{item.id}/view")
    assert view.headers["Content-Type"] == "image/jpeg"
    assert view.data == unlocked.open_item(item).derived(item.image.display_blob)


def test_saving_a_copy_is_a_journaled_post_and_an_attachment(client, token, unlocked, case_id):
    data = b"SAMPLE <html> text"
    upload_raw(client, token, case_id, data, "notes café.txt")
    [item] = unlocked.load_case(case_id).evidence
    assert client.get(f"/evidence/{case_id}/{item.id}/download").status_code == 405
    response = client.post(f"/evidence/{case_id}/{item.id}/download", data={"csrf_token": token})
    assert response.data == data
    assert response.headers["Content-Type"] == "application/octet-stream"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''notes%20caf%C3%A9.txt" in response.headers["Content-Disposition"]
    assert unlocked.journal(case_id)[-1].action == "evidence.exported"


def test_removing_an_item_removes_its_renditions(client, token, unlocked, case_id):
    before = blobs(unlocked)
    upload_raw(client, token, case_id, samples.png(320, 240), "p.png")
    [item] = unlocked.load_case(case_id).evidence
    assert len(blobs(unlocked)) == len(before) + 3  # original, thumbnail, blurred
    client.post(f"/evidence/{case_id}/{item.id}/remove", data={"csrf_token": token, "confirm": "y"})
    assert blobs(unlocked) == before


# -- chat exports ------------------------------------------------------------------------------


def test_chat_messages_go_on_the_timeline_and_come_off_again(client, token, unlocked, case_id):
    upload_raw(client, token, case_id, samples.WHATSAPP_ANDROID.encode(), "WhatsApp Chat with Sam Sample.txt")
    [item] = unlocked.load_case(case_id).evidence
    page = client.get(f"/evidence/{case_id}/{item.id}/messages").get_data(as_text=True)
    assert "I have your pictures. Pay 500" in page
    assert page.count('name="quote"') == 6
    client.post(
        f"/evidence/{case_id}/{item.id}/messages",
        data={"csrf_token": token, "shown": [str(i) for i in range(6)], "quote": ["3"], "page": "1"},
    )
    [quote] = unlocked.load_case(case_id).quotes
    assert (quote.sender, quote.at, quote.index) == ("Sam Sample", "2026-10-26T08:15:00", 3)
    timeline = client.get(f"/walkthrough/{case_id}/timeline").get_data(as_text=True)
    assert "Sam Sample: I have your pictures" in timeline
    client.post(
        f"/evidence/{case_id}/{item.id}/messages",
        data={"csrf_token": token, "shown": [str(i) for i in range(6)], "page": "1"},
    )
    assert unlocked.load_case(case_id).quotes == ()


def test_messages_can_be_searched_and_hostile_indices_are_ignored(client, token, unlocked, case_id):
    upload_raw(client, token, case_id, samples.telegram_json(), "result.json")
    [item] = unlocked.load_case(case_id).evidence
    found = client.post(
        f"/evidence/{case_id}/{item.id}/messages/search", data={"csrf_token": token, "q": "midnight"}
    )
    assert "midnight" not in found.location  # never in an address the browser's history keeps
    page = client.get(found.location).get_data(as_text=True)
    assert "1 message" in page
    assert "hi, saw your profile" not in page
    client.post(
        f"/evidence/{case_id}/{item.id}/messages",
        data={"csrf_token": token, "shown": ["1", "99", "-1", "x"], "quote": ["1", "99", "x"]},
    )
    assert [q.index for q in unlocked.load_case(case_id).quotes] == [1]
    client.post(
        f"/evidence/{case_id}/{item.id}/messages/search", data={"csrf_token": token, "action": "clear"}
    )
    assert "1 message" not in client.get(found.location).get_data(as_text=True)


def test_removing_a_chat_export_removes_its_quotes(client, token, unlocked, case_id):
    upload_raw(client, token, case_id, samples.telegram_json(), "result.json")
    [item] = unlocked.load_case(case_id).evidence
    client.post(
        f"/evidence/{case_id}/{item.id}/messages", data={"csrf_token": token, "shown": ["0"], "quote": ["0"]}
    )
    client.post(f"/evidence/{case_id}/{item.id}/remove", data={"csrf_token": token, "confirm": "y"})
    assert unlocked.load_case(case_id).quotes == ()


# -- find copies -------------------------------------------------------------------------------


def find(client, token, case_id, data, name="found.jpg"):
    return client.post(
        f"/evidence/{case_id}/copies",
        data={"csrf_token": token, "image": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_find_copies_matches_without_keeping_and_keeps_only_when_asked(client, token, unlocked, case_id):
    original = samples.png(1200, 900, seed=11)
    upload_raw(client, token, case_id, original, "mine.png")
    upload_raw(client, token, case_id, samples.png(1200, 900, seed=12), "other.png")
    before = blobs(unlocked)
    copy = samples.encode(samples.picture(1200, 900, seed=11).resize((600, 450)), "JPEG", quality=60)
    page = find(client, token, case_id, copy).get_data(as_text=True)
    assert "It matches 1 picture" in page
    assert "mine.png" in page
    assert "other.png" not in page
    assert "The picture you chose was not saved." in page
    assert blobs(unlocked) == before
    assert len(unlocked.load_case(case_id).evidence) == 2
    exact = find(client, token, case_id, original).get_data(as_text=True)
    assert "The very same file" in exact
    keep_token = exact.split('name="token" type="hidden" value="')[1].split('"')[0]
    client.post(
        f"/evidence/{case_id}/copies/keep", data={"csrf_token": token, "token": keep_token, "intimate": "y"}
    )
    evidence = unlocked.load_case(case_id).evidence
    assert len(evidence) == 3
    assert evidence[-1].intimate
    # The held picture is gone once kept: the same token does nothing twice.
    client.post(f"/evidence/{case_id}/copies/keep", data={"csrf_token": token, "token": keep_token})
    assert len(unlocked.load_case(case_id).evidence) == 3


def test_find_copies_explains_bad_input(client, token, case_id):
    assert "not a picture" in find(client, token, case_id, b"just text", "x.txt").get_data(as_text=True)
    assert "damaged or incomplete" in find(client, token, case_id, samples.jpeg()[:500]).get_data(
        as_text=True
    )
    assert "choose a picture" in find(client, token, case_id, b"", "").get_data(as_text=True)


def test_find_copies_on_the_minor_path_never_offers_to_keep(client, token, unlocked, case_id):
    unlocked.update_case(case_id, lambda c: c.with_incident(minor="yes"), None, {})
    page = find(client, token, case_id, samples.png(300, 200)).get_data(as_text=True)
    assert "It does not match" in page
    assert "Keep this picture" not in page
    client.post(f"/evidence/{case_id}/copies/keep", data={"csrf_token": token, "token": "anything"})
    assert unlocked.load_case(case_id).evidence == ()


# -- links -------------------------------------------------------------------------------------


def test_a_discord_message_link_shows_when_the_message_was_sent(client, token, unlocked, case_id):
    url = "https://discord.com/channels/@me/175928847299117063/175928847299117063"
    client.post(f"/evidence/{case_id}/links", data={"csrf_token": token, "url": url})
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Discord message sent" in page
    timeline = client.get(f"/walkthrough/{case_id}/timeline").get_data(as_text=True)
    assert "Apr 30, 2016, 11:18" in timeline


def test_the_journal_never_holds_message_text(client, token, unlocked, case_id):
    upload_raw(client, token, case_id, samples.telegram_json(), "result.json")
    assert "midnight" not in json.dumps([e.to_dict() for e in unlocked.journal(case_id)])


# -- from the walkthrough ----------------------------------------------------------------------


def test_the_walkthrough_has_an_evidence_step_that_uploads_and_comes_back(client, token, unlocked, case_id):
    page = client.get(f"/walkthrough/{case_id}/evidence").get_data(as_text=True)
    assert 'name="next"' in page
    assert f'data-done-url="/walkthrough/{case_id}/evidence"' in page
    response = upload(
        client,
        token,
        case_id,
        (io.BytesIO(samples.png(320, 240)), "shot.png"),
        next=f"/walkthrough/{case_id}/evidence",
    )
    assert response.location.endswith(f"/walkthrough/{case_id}/evidence")
    assert "shot.png" in client.get(response.location).get_data(as_text=True)
    back = client.get(f"/walkthrough/{case_id}/evidence?added=1")
    assert back.location.endswith(f"/walkthrough/{case_id}/evidence")
    assert "1 file saved and encrypted." in client.get(back.location).get_data(as_text=True)
    done = client.post(f"/walkthrough/{case_id}/evidence", data={"csrf_token": token})
    assert done.location.endswith(f"/walkthrough/{case_id}/timeline")
    assert "evidence" in unlocked.load_case(case_id).steps_done


def test_the_upload_never_redirects_off_the_site(client, token, case_id):
    response = upload(
        client, token, case_id, (io.BytesIO(b"SAMPLE"), "n.txt"), next="https://example.invalid/"
    )
    assert response.location.endswith(f"/cases/{case_id}")


def test_the_photos_own_date_is_offered_as_when_it_was_taken(client, token, unlocked, case_id):
    upload_raw(client, token, case_id, samples.jpeg(320, 240, exif=samples.camera_exif()), "photo.jpg")
    [item] = unlocked.load_case(case_id).evidence
    page = client.get(f"/evidence/{case_id}/{item.id}").get_data(as_text=True)
    assert 'value="2026-10-25T21:05"' in page
    assert "SampleCo Phone 7" in page


def test_files_sent_side_by_side_join_the_case_in_the_order_chosen():
    """The page sends two files at a time; the second, ready first, waits for the first to be added."""
    import threading
    import time

    from helper.web.evidence.ordering import InOrder

    order, joined = InOrder(patience=5), []

    def arrive(index: int, ready_after: float) -> None:
        time.sleep(ready_after)
        order.wait_turn("b1", index)
        joined.append(index)
        order.done("b1", index)

    threads = [threading.Thread(target=arrive, args=(0, 0.3)), threading.Thread(target=arrive, args=(1, 0.0))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert joined == [0, 1]


def test_a_file_whose_predecessor_never_comes_waits_only_so_long():
    import time

    from helper.web.evidence.ordering import InOrder, upload_position

    order = InOrder(patience=0.2)
    started = time.monotonic()
    order.wait_turn("b2", 1)  # file 0 never came (a closed tab)
    assert 0.15 < time.monotonic() - started < 2
    order.done("b2", 0)  # a refused file lets the next go at once
    started = time.monotonic()
    order.wait_turn("b2", 1)
    assert time.monotonic() - started < 0.1
    assert upload_position({"X-Upload-Batch": "abc123", "X-Upload-Index": "4"}) == ("abc123", 4)
    for bad in (
        {"X-Upload-Batch": "a/b", "X-Upload-Index": "1"},
        {"X-Upload-Batch": "a", "X-Upload-Index": "-1"},
        {},
    ):
        assert upload_position(bad) is None


def test_the_raw_route_lets_the_next_file_go_even_when_this_one_is_refused(client, token, unlocked):
    from tests.support.web import new_case, upload_raw

    case_id = new_case(client, token)
    refused = upload_raw(
        client, token, case_id, b"", "empty.png", **{"X-Upload-Batch": "z9", "X-Upload-Index": "0"}
    )
    assert refused.status_code != 200
    saved = upload_raw(
        client,
        token,
        case_id,
        samples.png(64, 48),
        "next.png",
        **{"X-Upload-Batch": "z9", "X-Upload-Index": "1"},
    )
    assert saved.status_code == 200
    assert [it.original_name for it in unlocked.load_case(case_id).evidence] == ["next.png"]
