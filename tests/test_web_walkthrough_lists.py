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
    order = [
        html.index(s) for s in ("Oct 30, 2026", "Oct 31, 2026, 8:00\u202fAM", "Oct 31, 2026, 9:05\u202fPM")
    ]
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


# -- a hurried person presses "continue" instead of "save" ---------------------------------------

TYPED = {
    "accounts": ({"platform": "Snapchat", "handle": "@sample_typed"}, lambda c: c.accounts[0].handle),
    "threats": ({"wording": "Pay or else", "deadline": "2026-11-01T20:00"}, lambda c: c.threats[0].wording),
    "payments": ({"amount": "150", "method": "gift_card"}, lambda c: c.payments[0].method),
    "places": ({"url": "https://example.invalid/post/1"}, lambda c: c.places[0].url),
    "reports": ({"target": "police", "reference": "PV-2026-0001"}, lambda c: c.reports[0].reference),
    "timeline": ({"at": "2026-10-31T08:00", "text": "Blocked them"}, lambda c: c.events[0].text),
}


@pytest.mark.parametrize("step", list(TYPED))
def test_continue_keeps_what_was_typed_and_not_saved(client, token, case_id, unlocked, step):
    fields, saved_value = TYPED[step]
    response = client.post(url(case_id, step, "/done"), data={"csrf_token": token, **fields})
    assert response.status_code == 302
    assert not response.location.endswith(url(case_id, step))  # on to the next step
    case = unlocked.load_case(case_id)
    assert saved_value(case) in fields.values()
    assert step in case.steps_done


def test_continue_with_nothing_typed_just_goes_on(client, token, case_id, unlocked):
    response = client.post(url(case_id, "payments", "/done"), data={"csrf_token": token, "paid": "demanded"})
    assert response.location.endswith(url(case_id, "places"))
    case = unlocked.load_case(case_id)
    assert case.payments == ()
    assert "payments" in case.steps_done


def test_continue_with_an_entry_that_cannot_be_saved_says_why_and_loses_nothing(
    client, token, case_id, unlocked
):
    response = client.post(
        url(case_id, "timeline", "/done"), data={"csrf_token": token, "text": "Told my sister"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "not saved yet" in page
    assert "Please give a date and time." in page
    assert 'value="Told my sister"' in page  # still there to fix
    assert "timeline" not in unlocked.load_case(case_id).steps_done


def test_the_continue_button_sends_the_entry_form(client, case_id):
    """Without script: the button belongs to the form the person typed into."""
    import re

    page = client.get(url(case_id, "threats")).get_data(as_text=True)
    opening = r'<form autocomplete="off" method="post" action="[^"]*/threats" novalidate>'
    form = re.search(opening + r"(.*?)</form>", page, re.S).group(1)
    assert 'name="wording"' in form
    assert f'formaction="{url(case_id, "threats", "/done")}"' in form


def test_saving_one_entry_does_not_count_the_step_as_done(client, token, case_id, unlocked):
    """ "Continue where you left off" comes back to the timeline after one entry, not to the review."""
    from helper.web.walkthrough import steps

    for name in [s.name for s in steps.steps_for(unlocked.load_case(case_id))][:-2]:
        unlocked.update_case(case_id, lambda c, n=name: c.with_step_done(n), None, {})
    client.post(
        url(case_id, "timeline"), data={"csrf_token": token, "at": "2026-10-31T08:00", "text": "Blocked"}
    )
    case = unlocked.load_case(case_id)
    assert steps.resume_step(case).name == "timeline"
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert f'href="{url(case_id, "timeline")}"' in page


def test_entry_summaries_show_dates_in_words_not_iso(client, token, case_id):
    client.post(
        url(case_id, "payments"), data={"csrf_token": token, "amount": "50", "at": "2026-10-31T21:05"}
    )
    page = client.get(url(case_id, "payments")).get_data(as_text=True)
    assert "2026-10-31T21:05" not in page.split('id="at"')[0]  # the form's own value aside
    assert "Oct 31, 2026, 9:05\u202fPM" in page


@pytest.mark.parametrize(
    ("accept", "shown"),
    [("en-GB,en;q=0.9", "31 Oct 2026, 21:05"), ("en-US,en;q=0.9", "Oct 31, 2026, 9:05\u202fPM"),
     ("fr-FR,fr;q=0.9", "31 oct. 2026, 21:05"), ("fr-CA,fr;q=0.9", "31 oct. 2026, 21 h 05")],
)  # fmt: skip
def test_dates_follow_the_browsers_region(client, token, case_id, accept, shown):
    client.post(
        url(case_id, "threats"), data={"csrf_token": token, "wording": "x", "received_at": "2026-10-31T21:05"}
    )
    page = client.get(url(case_id, "threats"), headers={"Accept-Language": accept}).get_data(as_text=True)
    assert shown in page
