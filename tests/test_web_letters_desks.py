"""Letters fit for their desks, through the routes (issue 20, part 4): the details a complaint to the
prosecutor asks for, kept from the page's revision; one bank letter per payee, recorded as sent for
that payee only; the disclosure listed in the page's language."""

from __future__ import annotations

import re

import pytest

from tests.support.cases import sample_case, save_case
from tests.support.web import csrf_token


@pytest.fixture
def fr_case(unlocked):
    sample = sample_case(country="FR", complaint=type(sample_case().complaint)(), reports=())
    return save_case(unlocked, sample).id


def complaint_form(client, case_id, **typed):
    page = client.get(f"/letters/{case_id}/complaint").get_data(as_text=True)
    revision = re.search(r'name="revision" value="(\d+)"', page).group(1)
    shown = re.search(r'name="shown" value="([^"]*)"', page).group(1)
    return {
        "csrf_token": csrf_token(client, f"/letters/{case_id}/complaint"),
        "revision": revision,
        "shown": shown,
        **typed,
    }


def test_the_procureur_letter_sends_the_person_to_the_complaint_details_for_what_it_lacks(client, fr_case):
    page = client.get(f"/letters/{fr_case}/police-fr-procureur").get_data(as_text=True)
    assert "La ville du tribunal judiciaire" not in page  # the page is in English
    assert "The city of the court (tribunal judiciaire)" in page
    assert "Your date and place of birth" in page
    assert f"/letters/{fr_case}/complaint?next=" in page
    plan = client.get(f"/letters/{fr_case}/takedown").get_data(as_text=True)
    assert f"/letters/{fr_case}/complaint?next=" in plan


def test_the_complaint_details_are_saved_and_the_letter_prints_them(client, fr_case, unlocked):
    data = complaint_form(
        client,
        fr_case,
        birth_date="1994-03-02",
        birth_place="Sampleville",
        court_city="Lyon",
        **{
            "witnesses-0-name": "Alex Sample",
            "witnesses-0-address": "2 Sample Road",
            "witnesses-0-knows": "SAMPLE",
        },
    )
    saved = client.post(f"/letters/{fr_case}/complaint", data=data)
    assert saved.status_code == 302
    case = unlocked.load_case(fr_case)
    assert (case.complaint.birth_date, case.complaint.court_city) == ("1994-03-02", "Lyon")
    assert [w.name for w in case.complaint.witnesses] == ["Alex Sample"]
    page = client.get(f"/letters/{fr_case}/police-fr-procureur").get_data(as_text=True)
    assert "Tribunal judiciaire de Lyon" in page
    assert "né(e) le 2 mars 1994 à Sampleville" in page
    assert "your date of birth, and your place of birth." in page  # the disclosure says it carries them


def test_a_birth_date_in_the_future_is_refused_and_nothing_is_saved(client, fr_case, unlocked):
    before = unlocked.load_case(fr_case).revision
    answer = client.post(
        f"/letters/{fr_case}/complaint", data=complaint_form(client, fr_case, birth_date="2999-01-01")
    )
    assert answer.status_code == 400
    assert "Please check this date." in answer.get_data(as_text=True)
    assert unlocked.load_case(fr_case).revision == before


def test_a_stale_complaint_page_never_saves_over_another_window(client, fr_case, unlocked):
    stale = complaint_form(client, fr_case, court_city="Lyon")
    client.post(f"/letters/{fr_case}/complaint", data=complaint_form(client, fr_case, court_city="Marseille"))
    answer = client.post(f"/letters/{fr_case}/complaint", data=stale)
    assert answer.status_code == 409
    assert unlocked.load_case(fr_case).complaint.court_city == "Marseille"


@pytest.fixture
def us_case(unlocked):
    return save_case(unlocked, sample_case(country="US", reports=())).id


def test_the_plan_offers_one_bank_letter_per_payee(client, us_case):
    plan = client.get(f"/letters/{us_case}/takedown").get_data(as_text=True)
    assert f"/letters/{us_case}/payment-report?payment=p1" in plan
    assert f"/letters/{us_case}/payment-report?payment=p2" in plan
    assert "payment=p3" not in plan  # only demanded


def test_a_bank_letter_is_recorded_as_sent_for_its_payee_only(client, us_case, unlocked):
    page = client.get(f"/letters/{us_case}/payment-report?payment=p2").get_data(as_text=True)
    assert "SAMPLE-0000-1111" in page
    assert "bc1qsampleaddress" not in page
    token = csrf_token(client, f"/letters/{us_case}/payment-report?payment=p2")
    sent = client.post(
        f"/letters/{us_case}/payment-report/sent",
        data={"csrf_token": token, "platform": "", "lang": "en", "payment": "p2", "channel": "email"},
    )
    assert sent.status_code == 302
    [report] = unlocked.load_case(us_case).reports
    assert report.payment == "p2"
    plan = client.get(f"/letters/{us_case}/takedown").get_data(as_text=True)
    p1 = plan[plan.index("payment=p1") :].split("</li>")[0]
    p2 = plan[plan.index("payment=p2") :].split("</li>")[0]
    assert ">sent<" not in p1
    assert ">sent<" in p2


def test_a_bank_letter_about_a_payment_not_made_is_not_found(client, us_case):
    assert client.get(f"/letters/{us_case}/payment-report?payment=p3").status_code == 404
