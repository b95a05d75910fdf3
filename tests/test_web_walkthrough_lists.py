"""The walkthrough's list steps: add, edit, remove, warnings, then continue."""

from __future__ import annotations

import pytest

from tests.support.web import case_id_in


@pytest.fixture
def case_id(client, token):
    return case_id_in(client.post("/cases/new", data={"csrf_token": token, "title": "Lists"}).location)


def url(case_id, step, suffix=""):
    return f"/walkthrough/{case_id}/{step}{suffix}"


def test_add_edit_and_remove_an_account(client, token, case_id, unlocked):
    response = client.post(
        url(case_id, "accounts"),
        data={
            "csrf_token": token,
            "platform": "Instagram",
            "handle": "@sample_account",
            "platform_id": "1234567890",
            "profile_url": "https://example.invalid/sample_account",
        },
    )
    assert response.location.endswith(url(case_id, "accounts"))
    [account] = unlocked.load_case(case_id).accounts
    assert (account.platform, account.handle) == ("Instagram", "@sample_account")
    page = client.get(url(case_id, "accounts")).get_data(as_text=True)
    assert "Instagram · @sample_account · 1234567890" in page

    edit = client.get(url(case_id, "accounts") + f"?edit={account.id}").get_data(as_text=True)
    assert 'value="@sample_account"' in edit
    client.post(
        url(case_id, "accounts"),
        data={"csrf_token": token, "entry_id": account.id, "platform": "Instagram", "handle": "@renamed"},
    )
    [edited] = unlocked.load_case(case_id).accounts
    assert (edited.id, edited.handle) == (account.id, "@renamed")

    client.post(url(case_id, "accounts", f"/remove/{account.id}"), data={"csrf_token": token})
    assert unlocked.load_case(case_id).accounts == ()


def test_several_accounts_can_be_added(client, token, case_id, unlocked):
    for handle in ("@one", "@two", "@three"):
        client.post(url(case_id, "accounts"), data={"csrf_token": token, "handle": handle})
    assert [a.handle for a in unlocked.load_case(case_id).accounts] == ["@one", "@two", "@three"]


def test_done_goes_on_to_the_next_step(client, token, case_id, unlocked):
    response = client.post(url(case_id, "accounts", "/done"), data={"csrf_token": token})
    assert response.location.endswith("/threats")
    assert "accounts" in unlocked.load_case(case_id).steps_done


def test_threat_dates_round_trip(client, token, case_id, unlocked):
    client.post(
        url(case_id, "threats"),
        data={
            "csrf_token": token,
            "wording": "Pay or else",
            "received_at": "2026-10-31T21:05",
            "deadline": "2026-11-01T09:00",
            "targets": "my family",
        },
    )
    [threat] = unlocked.load_case(case_id).threats
    assert (threat.received_at, threat.deadline) == ("2026-10-31T21:05", "2026-11-01T09:00")
    edit = client.get(url(case_id, "threats") + f"?edit={threat.id}").get_data(as_text=True)
    assert 'value="2026-10-31T21:05"' in edit


def test_a_bad_date_is_explained_and_saves_nothing(client, token, case_id, unlocked):
    response = client.post(url(case_id, "threats"), data={"csrf_token": token, "received_at": "yesterday"})
    assert response.status_code == 200
    assert unlocked.load_case(case_id).threats == ()


def test_payment_warnings_are_kind_and_keep_what_was_typed(client, token, case_id, unlocked):
    client.post(
        url(case_id, "payments"),
        data={
            "csrf_token": token,
            "paid": "paid",
            "amount": "150",
            "currency": "EUR",
            "method": "bank_transfer",
            "iban": "GB82 WEST 1234 5698 7654 33",
        },
    )
    [payment] = unlocked.load_case(case_id).payments
    assert payment.paid is True
    assert payment.iban == "GB82 WEST 1234 5698 7654 33"
    page = client.get(url(case_id, "payments")).get_data(as_text=True)
    assert "there may be a typo" in page


def test_originals_step_only_for_altered_images(client, token, case_id):
    assert "/originals" not in client.get(url(case_id, "places")).get_data(as_text=True)
    client.post(url(case_id, "kind"), data={"csrf_token": token, "kind": "ai_altered"})
    response = client.post(url(case_id, "places", "/done"), data={"csrf_token": token})
    assert response.location.endswith("/originals")


def test_report_is_saved(client, token, case_id, unlocked):
    client.post(
        url(case_id, "reports"),
        data={
            "csrf_token": token,
            "target": "police",
            "name": "SAMPLE station",
            "made_on": "2026-11-02",
            "reference": "REF-0001",
        },
    )
    [report] = unlocked.load_case(case_id).reports
    assert (report.target, report.reference, report.made_on) == ("police", "REF-0001", "2026-11-02")


def test_an_unknown_choice_is_refused(client, token, case_id, unlocked):
    response = client.post(url(case_id, "reports"), data={"csrf_token": token, "target": "mars"})
    assert response.status_code == 200
    assert unlocked.load_case(case_id).reports == ()


def test_remove_needs_csrf(client, token, case_id, unlocked):
    client.post(url(case_id, "accounts"), data={"csrf_token": token, "handle": "@keep"})
    [account] = unlocked.load_case(case_id).accounts
    assert client.post(url(case_id, "accounts", f"/remove/{account.id}")).status_code == 400
    assert len(unlocked.load_case(case_id).accounts) == 1


@pytest.mark.parametrize("step", ["accounts", "threats", "payments", "places", "reports"])
def test_list_steps_speak_french(client, case_id, step):
    html = client.get(url(case_id, step), headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Passer cette étape pour l’instant" in html


def test_timeline_shows_everything_dated_in_order_and_takes_new_events(client, token, case_id, unlocked):
    client.post(url(case_id, "story"), data={"csrf_token": token, "started_on": "2026-10-30"})
    client.post(
        url(case_id, "threats"),
        data={"csrf_token": token, "wording": "Pay", "received_at": "2026-10-31T21:05"},
    )
    client.post(
        url(case_id, "timeline"), data={"csrf_token": token, "at": "2026-10-31T08:00", "text": "Blocked them"}
    )
    html = client.get(url(case_id, "timeline")).get_data(as_text=True)
    order = [html.index(s) for s in ("Oct 30, 2026", "Oct 31, 2026, 8:00\u202fAM", "Oct 31, 2026, 9:05\u202fPM")]
    assert order == sorted(order)
    assert unlocked.load_case(case_id).events[0].text == "Blocked them"


def test_an_event_needs_a_date(client, token, case_id, unlocked):
    response = client.post(url(case_id, "timeline"), data={"csrf_token": token, "text": "Sometime"})
    assert response.status_code == 200
    assert "Please give a date and time." in response.get_data(as_text=True)
    assert unlocked.load_case(case_id).events == ()


def test_review_shows_the_whole_record_escaped(client, token, case_id):
    client.post(url(case_id, "story"), data={"csrf_token": token, "narrative": "<script>x</script> SAMPLE"})
    client.post(url(case_id, "accounts"), data={"csrf_token": token, "handle": "@sample_account"})
    client.post(url(case_id, "payments"), data={"csrf_token": token, "amount": "abc"})
    html = client.get(url(case_id, "review")).get_data(as_text=True)
    assert "&lt;script&gt;x&lt;/script&gt; SAMPLE" in html
    assert "@sample_account" in html
    assert "does not look like a number" in html
    response = client.post(url(case_id, "review"), data={"csrf_token": token})
    assert "walkthrough=done" in response.location
