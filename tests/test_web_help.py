"""Help now: one click from every page, in the person's country and language."""

from __future__ import annotations

import pytest


def test_help_is_reachable_without_the_launch_link(app):
    response = app.test_client().get("/help/")
    assert response.status_code == 200
    assert "Help now" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("en-US", "988"),
        ("fr-FR,fr;q=0.9", "3114"),
        ("en-GB", "116 123"),
        ("fr-CA", "686868"),
        ("en-AU", "13 11 14"),
        ("de-DE", "findahelpline.com"),
    ],
)
def test_the_country_is_guessed_from_the_browser(app, accept, expected):
    html = app.test_client().get("/help/", headers={"Accept-Language": accept}).get_data(as_text=True)
    assert expected in html


def test_another_country_can_be_chosen(app):
    html = app.test_client().get("/help/?country=au").get_data(as_text=True)
    assert 'href="tel:000"' in html
    assert 'href="tel:1800551800"' in html


def test_an_unknown_country_shows_the_international_fallback(app):
    html = app.test_client().get("/help/?country=../../x").get_data(as_text=True)
    assert "findahelpline.com" in html


def test_help_speaks_french(app):
    html = (
        app.test_client().get("/help/?country=FR", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    )
    assert "Aide immédiate" in html
    assert "Des soignants vous répondent" in html


def test_every_page_links_to_help(client, app):
    for path in ("/cases/", "/session/passphrase", "/nowhere"):
        assert 'class="help-now" href="/help/"' in client.get(path).get_data(as_text=True), path
    assert 'class="help-now"' in app.test_client().get("/").get_data(as_text=True)


def test_outside_links_leak_nothing(app):
    html = app.test_client().get("/help/?country=US").get_data(as_text=True)
    for link in html.split('target="_blank"')[:-1]:
        assert 'rel="noopener noreferrer"' in link[-200:]
