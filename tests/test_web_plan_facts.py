"""The facts behind the plan and its letters, seen and changed through the routes (Flask's test client):
the country in words on the plan and the review, each fact with its way to change it, a stale country
form that never overwrites another window's choice, lists in the page's language, and a hash
service's case number and PIN kept, the PIN shown only on demand."""

from __future__ import annotations

import html
import logging
import re

import pytest

from helper.casework import hash_services
from helper.casework import walkthrough as wt
from tests.support.cases import sample_case, save_case
from tests.support.disk import fill_disk
from tests.support.web import csrf_token

NUMBER = "SNCII-SAMPLE-2026-0042"
PIN = "PIN-SAMPLE-7391"


def saved(unlocked, **incident):
    return save_case(unlocked, sample_case(**incident))


def speak(client, lang: str) -> None:
    client.post("/session/language", data={"csrf_token": csrf_token(client, "/cases/"), "lang": lang})


def text_of(page: str) -> str:
    """What a person reads inside <main>: no tags, no attribute values."""
    body = page.split("<main", 1)[1]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def facts_of(page: str) -> str:
    """The plan's facts box, as read."""
    found = re.search(r'<section[^>]*id="plan-facts".*?</section>', page, re.S)
    assert found, "the plan shows no facts box"
    return found.group(0)


def token_on(client, path: str) -> str:
    return csrf_token(client, path)


# -- the country and the facts, shown and changeable ---------------------------------------------


@pytest.mark.parametrize("where", ["letters/{id}/takedown", "walkthrough/{id}/takedown"])
def test_the_plan_shows_the_country_in_words_with_a_way_to_change_it(client, unlocked, where):
    case = saved(unlocked, country="FR")
    page = client.get("/" + where.format(id=case.id)).get_data(as_text=True)
    facts = facts_of(page)
    assert "France" in text_of("<main>" + facts)
    assert f'href="/letters/{case.id}/country' in facts
    assert ">FR<" not in facts  # never the code


def test_the_plan_shows_the_age_path_the_kind_and_who_signs_each_with_its_step(client, unlocked):
    case = saved(unlocked, country="US", minor="no", kind="financial")
    facts = facts_of(client.get(f"/letters/{case.id}/takedown").get_data(as_text=True))
    read = text_of("<main>" + facts)
    for words in ("No, 18 or older", "Someone I met online wants money", "I am the person in the images"):
        assert words in read, words
    assert "Sam Example" in read
    for step in (
        f"/walkthrough/{case.id}/age",
        f"/walkthrough/{case.id}/kind",
        f"/letters/{case.id}/details",
    ):
        assert f'href="{step}' in facts, step


def test_the_review_shows_the_country_and_who_signs_with_a_way_to_change_them(client, unlocked):
    case = saved(unlocked, country="GB")
    page = client.get(f"/walkthrough/{case.id}/review").get_data(as_text=True)
    read = text_of(page)
    assert "Where you live United Kingdom" in read
    assert "Who signs the letters I am the person in the images (Sam Example)" in read
    assert f'href="/letters/{case.id}/country?back=review"' in page


def test_the_country_page_opens_with_the_current_choice_selected(client, unlocked):
    case = saved(unlocked, country="GB")
    page = client.get(f"/letters/{case.id}/country?back=review").get_data(as_text=True)
    assert re.search(r'<option selected value="GB">|<option value="GB" selected>', page)
    assert 'name="shown_country" value="GB"' in page
    assert f'href="/walkthrough/{case.id}/review"' in page  # "Back" goes where the person came from


@pytest.mark.parametrize(
    ("back", "lands"),
    [
        ("", "/letters/{id}/takedown"),
        ("walkthrough", "/walkthrough/{id}/takedown"),
        ("review", "/walkthrough/{id}/review"),
    ],
)
def test_changing_the_country_saves_it_and_goes_back(client, unlocked, back, lands):
    case = saved(unlocked, country="FR")
    token = token_on(client, f"/letters/{case.id}/country")
    answer = client.post(
        f"/letters/{case.id}/country",
        data={
            "csrf_token": token,
            "country": "CA",
            "revision": case.revision,
            "shown_country": "FR",
            "back": back,
        },
    )
    assert answer.status_code == 302
    assert answer.headers["Location"] == lands.format(id=case.id)
    assert unlocked.load_case(case.id).incident.country == "CA"
    assert "Canada" in text_of(
        "<main>" + facts_of(client.get(f"/letters/{case.id}/takedown").get_data(as_text=True))
    )


def test_a_stale_country_page_never_replaces_a_country_changed_in_another_window(client, unlocked):
    case = saved(unlocked, country="FR")
    token = token_on(client, f"/letters/{case.id}/country")  # this window shows France
    wt.set_country(unlocked, case.id, wt.country_edit("GB", case.revision, shown="FR"))  # the other
    answer = client.post(
        f"/letters/{case.id}/country",
        data={"csrf_token": token, "country": "US", "revision": case.revision, "shown_country": "FR"},
        follow_redirects=True,
    )
    assert unlocked.load_case(case.id).incident.country == "GB"
    read = text_of(answer.get_data(as_text=True))
    assert "Another window had already saved where you live: United Kingdom." in read
    assert "United States" in read


def test_a_country_not_in_the_list_is_refused_on_its_page(client, unlocked):
    case = saved(unlocked, country="FR")
    token = token_on(client, f"/letters/{case.id}/country")
    answer = client.post(
        f"/letters/{case.id}/country",
        data={"csrf_token": token, "country": "XX", "revision": case.revision, "shown_country": "FR"},
    )
    assert answer.status_code == 400
    assert unlocked.load_case(case.id).incident.country == "FR"


def test_the_plans_first_country_box_still_saves_a_country_never_chosen(client, unlocked):
    case = saved(unlocked, country="")
    page = client.get(f"/letters/{case.id}/takedown").get_data(as_text=True)
    assert 'id="country-form"' in page
    token = token_on(client, f"/letters/{case.id}/takedown")
    answer = client.post(
        f"/letters/{case.id}/country",
        data={"csrf_token": token, "country": "FR", "revision": case.revision, "shown_country": ""},
    )
    assert answer.headers["Location"] == f"/letters/{case.id}/takedown"
    assert unlocked.load_case(case.id).incident.country == "FR"


@pytest.mark.parametrize("where", ["letters/{id}/takedown", "walkthrough/{id}/review"])
def test_a_french_page_names_the_country_in_french(client, unlocked, where):
    case = saved(unlocked, country="GB")
    speak(client, "fr")
    read = text_of(client.get("/" + where.format(id=case.id)).get_data(as_text=True))
    assert "Royaume-Uni" in read
    assert "United Kingdom" not in read


# -- lists in the page's language -----------------------------------------------------------------


def test_names_are_listed_as_the_pages_language_lists_them(app):
    from helper.web.filters import format_list

    for lang, listed in (("en", "Childline and IWF"), ("fr", "Childline et IWF")):
        with app.test_request_context(headers={"Accept-Language": lang}):
            assert format_list(["Childline", "IWF"]) == listed
            assert format_list([]) == ""


def test_a_french_plan_shows_no_english_and_from_a_list(client, unlocked):
    case = saved(unlocked, country="GB", minor="yes")
    speak(client, "fr")
    read = text_of(client.get(f"/letters/{case.id}/takedown").get_data(as_text=True))
    assert "Report Remove (Childline et IWF)" in read
    services_shown = re.findall(r"Report Remove[^.]*?IWF\)|Cybertip\.ca[^ ]*", read)
    assert services_shown
    assert not re.search(r"\(Childline and IWF\)|Cybertip\.ca and", read)


def test_the_command_line_lists_in_the_terminals_language():
    from helper.i18n import listed

    assert listed(["English", "Français"], "fr") == "English et Français"
    assert listed(["a.png", "b.png", "c.png"], "en") == "a.png, b.png, and c.png"


# -- hash services: when each applies, what it needs, and its numbers kept --------------------------


def test_the_adult_plan_says_when_stopncii_applies_what_it_needs_and_where_to_keep_its_numbers(
    client, unlocked
):
    case = saved(unlocked, country="FR", minor="no")
    page = client.get(f"/letters/{case.id}/takedown").get_data(as_text=True)
    read = text_of(page)
    assert "When it applies: For images taken when you were 18 or over." in read
    assert "What it needs: The images or videos themselves, on this device: the original files" in read
    assert f'href="/letters/{case.id}/numbers/stopncii"' in page


def test_the_minor_plan_says_take_it_down_works_worldwide_from_the_device(client, unlocked):
    case = saved(unlocked, country="FR", minor="yes")
    page = client.get(f"/letters/{case.id}/takedown").get_data(as_text=True)
    read = text_of(page)
    assert "under 18, wherever you live in the world" in read
    assert "on this device" in read
    assert f'href="/letters/{case.id}/numbers/take-it-down"' in page
    assert "/numbers/stopncii" not in page


def keep(client, case_id, number=NUMBER, pin=PIN, shown=None):
    path = f"/letters/{case_id}/numbers/stopncii"
    page = client.get(path).get_data(as_text=True)
    token = re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', page).group(1)
    if shown is None:
        shown = re.search(r'name="shown" type="hidden" value="(\d+)"|name="shown" value="(\d+)"', page)
        shown = next(g for g in shown.groups() if g)
    return client.post(path, data={"csrf_token": token, "case_number": number, "pin": pin, "shown": shown})


def test_the_numbers_are_kept_and_the_pin_stays_hidden_until_asked(client, unlocked, caplog):
    caplog.set_level(logging.DEBUG)
    case = saved(unlocked, country="FR")
    answer = keep(client, case.id)
    assert answer.status_code == 302
    assert PIN not in answer.headers["Location"]
    kept = unlocked.load_case(case.id).hash_case("stopncii")
    assert (kept.case_number, kept.pin) == (NUMBER, PIN)

    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert NUMBER in page
    assert PIN not in page  # not in the page, not in the PIN box, not in a hidden field
    assert "<title>Incident Helper</title>" in page

    shown = client.post(
        f"/letters/{case.id}/numbers/stopncii/pin",
        data={"csrf_token": csrf_token(client, answer.headers["Location"])},
    )
    assert shown.status_code == 200
    shown_page = shown.get_data(as_text=True)
    assert f'<code class="pin" id="pin-shown">{PIN}</code>' in shown_page
    assert shown_page.count(PIN) == 1
    assert "<title>Incident Helper</title>" in shown_page
    assert f'href="/letters/{case.id}/numbers/stopncii">Hide the PIN' in shown_page

    hidden = client.get(f"/letters/{case.id}/numbers/stopncii").get_data(as_text=True)
    assert PIN not in hidden
    assert all(PIN not in record.getMessage() for record in caplog.records)


def test_the_pin_is_not_shown_without_the_forms_token(client, unlocked):
    case = saved(unlocked, country="FR")
    keep(client, case.id)
    answer = client.post(f"/letters/{case.id}/numbers/stopncii/pin", data={})
    assert PIN not in answer.get_data(as_text=True)


def test_an_empty_pin_box_keeps_the_pin_already_kept(client, unlocked):
    case = saved(unlocked, country="FR")
    keep(client, case.id)
    keep(client, case.id, number="SNCII-SAMPLE-CORRECTED", pin="")
    kept = unlocked.load_case(case.id).hash_case("stopncii")
    assert (kept.case_number, kept.pin) == ("SNCII-SAMPLE-CORRECTED", PIN)


def test_a_stale_numbers_page_saves_nothing_and_shows_what_is_kept(client, unlocked):
    case = saved(unlocked, country="FR")
    hash_services.keep_numbers(unlocked, case.id, "stopncii", case_number=NUMBER, pin=PIN)  # another window
    answer = keep(client, case.id, number="SNCII-OTHER", pin="1111", shown="0")
    assert answer.status_code == 409
    page = answer.get_data(as_text=True)
    assert "also changed in another window" in page
    assert NUMBER in page
    assert PIN not in page
    assert unlocked.load_case(case.id).hash_case("stopncii").case_number == NUMBER


def test_nothing_typed_is_asked_again_and_saves_nothing(client, unlocked):
    case = saved(unlocked, country="FR")
    answer = keep(client, case.id, number=" ", pin="")
    assert answer.status_code == 400
    assert "Type the case number or the PIN it gave you" in answer.get_data(as_text=True)
    assert unlocked.load_case(case.id).hash_cases == ()


def test_a_service_that_keeps_no_numbers_has_no_page(client, unlocked):
    case = saved(unlocked, country="FR")
    assert client.get(f"/letters/{case.id}/numbers/pharos").status_code == 404


def test_a_full_disk_page_never_gives_the_pin_back(client, unlocked, monkeypatch):
    case = saved(unlocked, country="FR")
    path = f"/letters/{case.id}/numbers/stopncii"
    token = csrf_token(client, path)
    fill_disk(monkeypatch)
    answer = client.post(path, data={"csrf_token": token, "case_number": NUMBER, "pin": PIN, "shown": "0"})
    assert answer.status_code == 507
    page = answer.get_data(as_text=True)
    assert NUMBER in page  # what was typed is given back, to try again
    assert PIN not in page


def test_the_numbers_page_reads_in_french(client, unlocked):
    case = saved(unlocked, country="FR")
    keep(client, case.id)
    speak(client, "fr")
    read = text_of(client.get(f"/letters/{case.id}/numbers/stopncii").get_data(as_text=True))
    assert "Afficher le code PIN" in read
    assert "Show the PIN" not in read
