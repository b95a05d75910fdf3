"""A program on this computer sending request after request: the person's session stays, and so does the
closed page's form they are typing their passphrase into (Flask test client)."""

from __future__ import annotations

import pytest
from flask import request, session

from helper.web import sessions
from helper.web.services import SESSION_HANDLE
from tests.support.web import ORIGIN, PASSPHRASE, csrf_token

FLOOD = 1_100  # more than the old table of 1,000 sessions held


def flood(app, path: str = "/", lang: str | None = None) -> None:
    """Strangers, each a new cookie-less client, as a script would send them."""
    for _ in range(FLOOD):
        stranger = app.test_client()
        if lang is None:
            stranger.get(path)
        else:
            stranger.environ_base["HTTP_ORIGIN"] = ORIGIN
            stranger.post("/session/language", data={"csrf_token": csrf_token(stranger, "/"), "lang": lang})


def test_a_flood_of_strangers_never_pushes_the_unlocked_session_out(app, client, token):
    assert client.get("/cases/").status_code == 200
    flood(app)
    assert client.get("/cases/").status_code == 200  # still there, still unlocked
    assert len(app.extensions["helper"].keyring) == 1


def test_strangers_who_store_something_fill_only_a_small_pool_of_their_own(app, client, token):
    flood(app, lang="fr")
    assert len(app.session_interface) <= sessions.MAX_ANONYMOUS + 1
    assert client.get("/cases/").status_code == 200


def test_the_closed_pages_form_still_opens_the_vault_after_a_flood(app):
    """The person is typing their passphrase on the closed page while a script sends requests."""
    person = app.test_client()
    person.environ_base["HTTP_ORIGIN"] = ORIGIN
    form_token = csrf_token(person, "/")
    flood(app)
    response = person.post("/session/reopen", data={"csrf_token": form_token, "passphrase": PASSPHRASE})
    assert response.status_code == 302
    assert person.get("/cases/").status_code == 200


def test_a_stranger_with_the_closed_page_open_stores_nothing(app):
    for _ in range(50):
        stranger = app.test_client()
        assert stranger.get("/").status_code == 403
        assert stranger.get("/help/").status_code == 200
    assert len(app.session_interface) == 0


def test_a_session_let_in_gets_a_new_id(app):
    """An id known before the launch link (one a program planted in the browser) opens nothing."""
    browser = app.test_client()
    browser.get("/")
    before = browser.get_cookie("incident_helper").value
    token = app.extensions["helper"].launch_tokens.issue()
    assert browser.get(f"/?token={token}").status_code == 303
    after = browser.get_cookie("incident_helper").value
    assert after != before
    planted = app.test_client()
    planted.set_cookie("incident_helper", before)
    assert planted.get("/cases/").status_code == 403
    assert browser.get("/").status_code == 302  # to the unlock page: let in


def test_a_copy_read_before_a_quick_exit_never_brings_the_session_back(app, client, token):
    """Another tab's request, read before the quick exit and saved after it, is dropped."""
    interface = app.session_interface
    sid = client.get_cookie("incident_helper").value
    cookie = f"incident_helper={sid}"
    with app.test_request_context("/cases/", headers={"Cookie": cookie}):
        stale = interface.open_session(app, request)
    assert stale.get(SESSION_HANDLE)
    client.post("/session/exit", data={"csrf_token": token})
    stale["lang"] = "fr"  # it changed something, and would write back the open session
    with app.test_request_context("/cases/"):
        interface.save_session(app, stale, app.response_class())
    client.set_cookie("incident_helper", sid)  # the other tab's browser still sends it
    assert client.get("/cases/").status_code == 403


def test_flask_wtf_uses_the_token_the_session_already_holds(app):
    """The contract the derived CSRF token of an anonymous session relies on (helper/web/sessions.py)."""
    from flask_wtf.csrf import generate_csrf, validate_csrf

    with app.test_request_context("/"):
        session["csrf_token"] = "derived-SAMPLE-token"
        signed = generate_csrf()
        assert session["csrf_token"] == "derived-SAMPLE-token"
        validate_csrf(signed)
        session["csrf_token"] = "another"
        with pytest.raises(Exception, match="do not match"):
            validate_csrf(signed)
