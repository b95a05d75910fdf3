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
        ("es-ES,es;q=0.9", "024"),
        ("en-IE", "1800 66 66 66"),
        ("fr-BE", "1813"),
        ("fr-CH", "147"),
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


def test_a_person_elsewhere_is_told_that_local_laws_and_police_are_not_covered_yet(app):
    html = app.test_client().get("/help/?country=INTL").get_data(as_text=True)
    assert "The laws and the police of your country are not covered yet." in html
    covered = app.test_client().get("/help/?country=ES").get_data(as_text=True)
    assert "not covered yet" not in covered


def test_the_plan_says_so_too_for_somewhere_else_and_another_eu_country(client, unlocked):
    from helper.casework import cases

    for code, words in (("INTL", "international services"), ("EU", "the DSA and the GDPR")):
        case = cases.create(unlocked, f"Sample {code}")
        unlocked.update_case(case.id, lambda c, code=code: c.with_incident(country=code))
        html = client.get(f"/letters/{case.id}/takedown").get_data(as_text=True)
        assert "not covered yet" in html
        assert words in html
    covered = cases.create(unlocked, "Sample FR")
    unlocked.update_case(covered.id, lambda c: c.with_incident(country="FR"))
    assert "not covered yet" not in client.get(f"/letters/{covered.id}/takedown").get_data(as_text=True)
