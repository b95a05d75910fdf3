"""What the letters' pages say about the person's own country (issue 20, part 7): the regulator of that
country only, and telephone links a phone can dial."""

from __future__ import annotations

import re

import pytest

from helper.case import Place
from tests.support.letters import SIGNER
from tests.support.web import csrf_token


@pytest.fixture
def case_in(unlocked):
    def make(country: str) -> str:
        case = unlocked.create_case("Sample case")

        def change(c):
            c = c.with_incident(kind="financial", minor="no", country=country, narrative="SAMPLE story")
            c = c.with_entry("places", Place(id="p1", url="https://x.com/sample_account/status/42"))
            return c.with_signer(SIGNER)

        unlocked.update_case(case.id, change, "walkthrough.saved", {"step": "places"})
        return case.id

    return make


def test_the_details_form_names_the_cnil_only_to_someone_in_france(client, case_in):
    us = client.get(f"/letters/{case_in('US')}/details").get_data(as_text=True)
    assert "CNIL" not in us
    assert "Platforms do not need it." in us
    france = client.get(f"/letters/{case_in('FR')}/details").get_data(as_text=True)
    assert "Needed for: " in france
    assert "CNIL" in france


def test_the_details_form_in_french_joins_its_list_in_french(client, case_in):
    case_id = case_in("FR")
    token = csrf_token(client, "/cases/")
    client.post("/session/language", data={"csrf_token": token, "lang": "fr", "next": "/cases/"})
    page = client.get(f"/letters/{case_id}/details").get_data(as_text=True)
    hint = re.search(r'id="address-hint">([^<]*)<', page).group(1)
    assert "Nécessaire pour" in hint
    assert " et " in hint
    assert " and " not in hint


@pytest.mark.parametrize("country", ["US", "GB", "FR", "CA", "AU"])
def test_every_telephone_link_on_the_plan_is_digits(client, case_in, country):
    page = client.get(f"/letters/{case_in(country)}/takedown").get_data(as_text=True)
    links = re.findall(r'href="tel:([^"]*)"', page)
    assert links or country == "AU"  # Australia's channels are web forms
    for number in links:
        assert re.fullmatch(r"\+?\d+", number), number
