"""Counselor mode through the routes: visible everywhere, consent before any picture, notes kept apart."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.support import samples
from tests.support.evidence import add_file
from tests.support.web import csrf_token


@pytest.fixture
def case_items(unlocked):
    case = unlocked.create_case("Counselor case")
    add_file(unlocked, case.id, samples.png(320, 200), "profile-SAMPLE.png", "image/png")
    add_file(
        unlocked, case.id, samples.png(320, 200, seed=3), "private-SAMPLE.png", "image/png", intimate=True
    )
    add_file(
        unlocked, case.id, samples.WHATSAPP_ANDROID.encode(), "WhatsApp Chat with Sample.txt", "text/plain"
    )
    return unlocked.load_case(case.id)


def start(client, case_id=None):
    token = csrf_token(client, "/counselor/start")
    next_url = f"/cases/{case_id}" if case_id else "/cases/"
    response = client.post(
        "/counselor/start",
        data={
            "csrf_token": token,
            "name": "Alex Sample",
            "organisation": "Sample Helpline",
            "next": next_url,
        },
    )
    assert response.status_code == 302
    client.get(next_url)
    return token


def media_urls(case_id, item):
    """Every address that shows an item's content: the picture, its thumbnail, a chat's messages."""
    if item.image:
        return [f"/evidence/{case_id}/{item.id}/view", f"/evidence/{case_id}/{item.id}/thumbnail"]
    return [f"/evidence/{case_id}/{item.id}/messages"]


def test_every_media_url_needs_consent_and_consent_ends_with_the_mode(client, case_items, unlocked):
    case = case_items
    picture, intimate, chat = case.evidence
    for item in (picture, chat):  # outside counselor mode, as before
        for url in media_urls(case.id, item):
            assert client.get(url).status_code == 200, url
    token = start(client, case.id)
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Counselor mode is on" in page
    assert "Alex Sample" in page
    assert f"/evidence/{case.id}/{picture.id}/thumbnail" not in page  # no broken image either
    for item in case.evidence:
        for url in media_urls(case.id, item):
            assert client.get(url).status_code == 403, url
        download = client.post(f"/evidence/{case.id}/{item.id}/download", data={"csrf_token": token})
        assert download.status_code == 403
    for item in (picture, chat):
        consent = client.post(
            f"/counselor/{case.id}/{item.id}/consent", data={"csrf_token": token, "granted": "yes"}
        )
        assert consent.status_code == 302
        for url in media_urls(case.id, item):
            assert client.get(url).status_code == 200, url
    assert (
        client.post(
            f"/counselor/{case.id}/{intimate.id}/consent", data={"csrf_token": token, "granted": "yes"}
        ).status_code
        == 403
    )
    for url in media_urls(case.id, intimate):
        assert client.get(url).status_code == 403
    client.post(f"/counselor/{case.id}/{picture.id}/consent", data={"csrf_token": token, "granted": "no"})
    for url in media_urls(case.id, picture):
        assert client.get(url).status_code == 403, url
    assert client.get(media_urls(case.id, chat)[0]).status_code == 200
    client.post("/counselor/end", data={"csrf_token": token, "next": "/cases/"})
    start(client, case.id)
    for url in media_urls(case.id, chat):
        assert client.get(url).status_code == 403, url  # a new session asks again
    entries = unlocked.journal(case.id)
    actions = [e.action for e in entries]
    assert actions.count("counselor.started") == 2
    assert actions.count("counselor.ended") == 1
    assert actions.count("consent.granted") == 2
    assert actions.count("consent.withdrawn") == 1
    started = next(e for e in entries if e.action == "counselor.started")
    assert started.detail == {"counselor": "Alex Sample", "organisation": "Sample Helpline"}


def test_the_person_can_end_it_from_any_page(client, case_items):
    token = start(client, case_items.id)
    for path in ("/cases/", f"/cases/{case_items.id}", "/help/", f"/walkthrough/{case_items.id}/story"):
        html = client.get(path).get_data(as_text=True)
        assert "End counselor mode" in html, path
    client.post("/counselor/end", data={"csrf_token": token, "next": "/cases/"})
    assert "Counselor mode is on" not in client.get("/cases/").get_data(as_text=True)


def test_the_guide_appears_beside_each_step_only_in_counselor_mode(client, case_items):
    url = f"/walkthrough/{case_items.id}/story"
    assert "Guide for the counselor" not in client.get(url).get_data(as_text=True)
    start(client, case_items.id)
    page = client.get(url).get_data(as_text=True)
    assert "Guide for the counselor" in page
    assert "Watch for" in page


def test_notes_are_kept_apart_shown_only_in_the_mode_and_in_a_dossier_only_when_chosen(
    client, case_items, unlocked
):
    from helper.dossier import DossierOptions, export_dossier

    token = start(client, case_items.id)
    saved = client.post(
        f"/counselor/{case_items.id}/notes", data={"csrf_token": token, "text": "NOTE-SAMPLE-77"}
    )
    assert saved.status_code == 302
    case = unlocked.load_case(case_items.id)
    assert [n.text for n in case.counselor_notes] == ["NOTE-SAMPLE-77"]
    assert "NOTE-SAMPLE-77" not in case.incident.narrative
    assert "NOTE-SAMPLE-77" in client.get(f"/cases/{case.id}").get_data(as_text=True)
    client.post("/counselor/end", data={"csrf_token": token, "next": "/cases/"})
    for path in (f"/cases/{case.id}", f"/walkthrough/{case.id}/review"):
        assert "NOTE-SAMPLE-77" not in client.get(path).get_data(as_text=True), path

    def text(pdf):
        return "".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())

    assert "NOTE-SAMPLE-77" not in text(export_dossier(unlocked, case.id, DossierOptions()))
    assert "NOTE-SAMPLE-77" in text(export_dossier(unlocked, case.id, DossierOptions(counselor_notes=True)))
    assert (
        client.post(f"/counselor/{case.id}/notes", data={"csrf_token": token, "text": "x"}).status_code == 403
    )


@pytest.mark.parametrize(("lang", "title"), [("en", "Sessionsummary"), ("fr", "Résumédelaséance")])
def test_the_session_summary_is_a_pdf_the_person_keeps(client, case_items, unlocked, lang, title):
    token = start(client, case_items.id)
    client.post("/session/language", data={"csrf_token": token, "lang": lang, "next": "/cases/"})
    response = client.get(f"/counselor/{case_items.id}/summary")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = "".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages).split())
    assert title in text
    assert "AlexSample" in text
    assert "summary.exported" in [e.action for e in unlocked.journal(case_items.id)]


def test_the_hand_over_page_refuses_a_bad_key_kindly_and_streams_a_bundle(client, case_items, unlocked):
    from helper import handover

    token = csrf_token(client, f"/counselor/{case_items.id}/handover")
    bad = client.post(
        f"/counselor/{case_items.id}/handover",
        data={"csrf_token": token, "recipient": "hello", "all_items": "y"},
    )
    assert bad.status_code == 400
    assert "This is not a public key" in bad.get_data(as_text=True)
    identity = __import__("helper.vault.crypto", fromlist=["x"]).generate_identity()
    good = client.post(
        f"/counselor/{case_items.id}/handover",
        data={"csrf_token": token, "recipient": str(identity.to_public()), "all_items": "y", "step": "make"},
    )
    assert good.status_code == 200
    assert good.data.startswith(b"age-encryption.org/v1")
    assert handover.PROBLEMS  # the bundle's inside is covered in tests/test_handover.py


def test_a_counselors_vault_finds_cases_by_name_platform_or_handle_and_shows_last_activity(client, unlocked):
    from helper.case import Account

    first = unlocked.create_case("Léa, March")
    unlocked.update_case(
        first.id,
        lambda c: c.with_entry("accounts", Account(id="a", platform="Snapchat", handle="@sample_fox")),
        None,
        {},
    )
    unlocked.create_case("Sam, April")
    page = client.get("/cases/?q=sample_fox").get_data(as_text=True)
    assert "Léa, March" in page
    assert "Sam, April" not in page
    assert "Léa, March" in client.get("/cases/?q=snapchat").get_data(as_text=True)
    assert "No case matches" in client.get("/cases/?q=nothing-like-it").get_data(as_text=True)
    assert "last activity" in client.get("/cases/").get_data(as_text=True)


def test_closed_cases_past_the_retention_period_are_pointed_out(client, app, unlocked):
    from dataclasses import replace

    case = unlocked.create_case("Old closed case")
    unlocked.update_case(
        case.id, lambda c: replace(c, closed_at="2025-01-01T10:00:00+00:00"), "case.closed", {}
    )
    page = client.get("/cases/").get_data(as_text=True)
    assert "1 closed case is older than 90 days" in page


def test_deleting_a_case_needs_its_name_typed_and_leaves_no_file_of_it(client, unlocked):
    case = unlocked.create_case("Delete me")
    for n in range(2):
        add_file(unlocked, case.id, samples.png(200, 100, seed=n), f"shot-{n}.png", "image/png")
    case = unlocked.load_case(case.id)
    blobs = {b for it in case.evidence for b in it.blobs}
    assert len(blobs) >= 4  # originals and thumbnails
    token = csrf_token(client, f"/cases/{case.id}/delete")
    wrong = client.post(f"/cases/{case.id}/delete", data={"csrf_token": token, "confirm": "Delete"})
    assert wrong.status_code == 400
    assert "That is not the case" in wrong.get_data(as_text=True)
    assert case.id in unlocked.case_ids()
    done = client.post(f"/cases/{case.id}/delete", data={"csrf_token": token, "confirm": "delete me"})
    assert done.status_code == 302
    assert case.id not in unlocked.case_ids()
    left = {p.name.removesuffix(".age") for p in (unlocked.path / "blobs").iterdir()}
    assert not blobs & left
    assert unlocked.verify() == []


def test_a_quick_exit_ends_counselor_mode_and_the_journal_says_so(
    client, case_items, vault_template, vault_dir
):
    import pyrage

    from helper.vault import UnlockedVault

    token = start(client, case_items.id)
    picture = case_items.evidence[0]
    client.post(
        f"/counselor/{case_items.id}/{picture.id}/consent", data={"csrf_token": token, "granted": "yes"}
    )
    assert client.post("/session/exit", data={"csrf_token": token}).status_code == 303
    reopened = UnlockedVault(vault_dir, pyrage.x25519.Identity.from_str(vault_template.identity))
    ended = [e for e in reopened.journal(case_items.id) if e.action == "counselor.ended"]
    assert [e.detail for e in ended] == [{"counselor": "Alex Sample", "count": 1}]


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "Not shown in counselor mode"), ("fr", "Non affiché en mode accompagnement")],
)
def test_a_picture_address_in_counselor_mode_says_it_is_not_shown_not_that_the_app_is_closed(
    client, case_items, lang, words
):
    token = start(client, case_items.id)
    client.post("/session/language", data={"csrf_token": token, "lang": lang, "next": "/"})
    picture, intimate, chat = case_items.evidence
    refused = [
        client.get(url) for item in (picture, intimate, chat) for url in media_urls(case_items.id, item)
    ]
    refused.append(
        client.post(f"/evidence/{case_items.id}/{intimate.id}/download", data={"csrf_token": token})
    )
    refused.append(
        client.post(
            f"/counselor/{case_items.id}/{intimate.id}/consent", data={"csrf_token": token, "granted": "yes"}
        )
    )
    for response in refused:
        page = response.get_data(as_text=True)
        assert response.status_code == 403
        assert words in page
        assert "This page is closed" not in page
        assert "Cette page est fermée" not in page
        assert "start Incident Helper again" not in page
    assert client.get("/cases/").status_code == 200  # the app is open, as the page says


def test_an_intimate_items_page_offers_no_unencrypted_copy_in_counselor_mode(client, case_items):
    picture, intimate, _chat = case_items.evidence
    offer = "Save an unencrypted copy"
    assert offer in client.get(f"/evidence/{case_items.id}/{intimate.id}").get_data(as_text=True)
    token = start(client, case_items.id)
    assert offer not in client.get(f"/evidence/{case_items.id}/{intimate.id}").get_data(as_text=True)
    assert offer not in client.get(f"/evidence/{case_items.id}/{picture.id}").get_data(as_text=True)
    client.post(
        f"/counselor/{case_items.id}/{picture.id}/consent", data={"csrf_token": token, "granted": "yes"}
    )
    assert offer in client.get(f"/evidence/{case_items.id}/{picture.id}").get_data(as_text=True)
