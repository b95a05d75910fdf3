"""The walkthrough's first screens: each step's GET, POST and redirect; skipping; resuming."""

from __future__ import annotations

import pytest

from tests.support.web import case_id_in


@pytest.fixture
def case_id(client, token):
    return case_id_in(client.post("/cases/new", data={"csrf_token": token, "title": "Walkthrough"}).location)


def url(case_id, step):
    return f"/walkthrough/{case_id}/{step}"


def test_a_new_case_opens_on_the_safety_check(client, token):
    response = client.post("/cases/new", data={"csrf_token": token, "title": "New"})
    assert response.location.endswith("/safety")


def test_safety_check_offers_help_first(client, case_id):
    html = client.get(url(case_id, "safety")).get_data(as_text=True)
    assert "are you safe right now?" in html
    assert "Step 1 of 14" in html


def test_not_safe_shows_crisis_lines_and_saves_nothing(client, token, case_id, unlocked):
    response = client.post(
        url(case_id, "safety"),
        data={"csrf_token": token, "answer": "danger"},
        headers={"Accept-Language": "en-GB"},
    )
    assert "danger=1" in response.location
    html = client.get(response.location, headers={"Accept-Language": "en-GB"}).get_data(as_text=True)
    assert "116 123" in html
    assert 'href="tel:999"' in html
    assert unlocked.load_case(case_id).steps_done == ()


def test_safe_goes_on_to_what_to_do_now(client, token, case_id, unlocked):
    response = client.post(url(case_id, "safety"), data={"csrf_token": token, "answer": "safe"})
    assert response.location.endswith("/right-now")
    assert unlocked.load_case(case_id).steps_done == ("safety",)
    html = client.get(response.location).get_data(as_text=True)
    assert "Do not pay" in html
    assert "Stop replying, but keep everything" in html


def test_a_bad_safety_answer_changes_nothing(client, token, case_id, unlocked):
    response = client.post(url(case_id, "safety"), data={"csrf_token": token, "answer": "maybe"})
    assert response.status_code == 200
    assert unlocked.load_case(case_id).steps_done == ()


@pytest.mark.parametrize(
    ("answer", "next_step", "minor_path"),
    [("yes", "minor", True), ("unsure", "minor", True), ("no", "kind", False)],
)
def test_age_answer_chooses_the_path(client, token, case_id, unlocked, answer, next_step, minor_path):
    response = client.post(url(case_id, "age"), data={"csrf_token": token, "minor": answer})
    assert response.location.endswith(f"/{next_step}")
    case = unlocked.load_case(case_id)
    assert case.incident.minor == answer
    assert case.incident.is_minor_path is minor_path


def test_an_invalid_age_answer_is_refused_kindly(client, token, case_id, unlocked):
    response = client.post(url(case_id, "age"), data={"csrf_token": token, "minor": "forty"})
    assert response.status_code == 200
    assert "Not a valid choice" in response.get_data(as_text=True) or "error" in response.get_data(
        as_text=True
    )
    assert unlocked.load_case(case_id).incident.minor is None


def test_the_minor_page_explains_and_routes(client, token, case_id):
    client.post(url(case_id, "age"), data={"csrf_token": token, "minor": "yes"})
    html = client.get(url(case_id, "minor"), headers={"Accept-Language": "en-US"}).get_data(as_text=True)
    assert "will not store them" in html
    assert "Take It Down" in html
    assert "CyberTipline" in html
    assert "Step 4 of 15" in html
    right_now = client.get(url(case_id, "right-now")).get_data(as_text=True)
    assert "free removal tools exist" in right_now


def test_kind_and_story_are_saved(client, token, case_id, unlocked):
    client.post(url(case_id, "kind"), data={"csrf_token": token, "kind": "ai_altered"})
    response = client.post(
        url(case_id, "story"),
        data={
            "csrf_token": token,
            "narrative": "  They used my <b>holiday</b> photos.  ",
            "started_on": "2026-10-30",
            "first_contact_platform": "Instagram",
            "moved_to_platform": "Telegram",
        },
    )
    assert response.location.endswith("/accounts")
    incident = unlocked.load_case(case_id).incident
    assert incident.kind == "ai_altered"
    assert incident.narrative == "They used my <b>holiday</b> photos."
    assert incident.started_on == "2026-10-30"
    assert incident.moved_to_platform == "Telegram"
    page = client.get(url(case_id, "story")).get_data(as_text=True)
    assert "They used my &lt;b&gt;holiday&lt;/b&gt; photos." in page
    assert 'value="2026-10-30"' in page


def test_a_bad_date_is_explained_and_nothing_is_saved(client, token, case_id, unlocked):
    response = client.post(
        url(case_id, "story"), data={"csrf_token": token, "narrative": "x", "started_on": "last May"}
    )
    assert response.status_code == 200
    assert unlocked.load_case(case_id).incident.narrative == ""


def test_every_step_can_be_skipped(client, case_id):
    html = client.get(url(case_id, "age")).get_data(as_text=True)
    assert f'href="/walkthrough/{case_id}/kind">Skip this step for now' in html
    assert f'href="/walkthrough/{case_id}/right-now">Back' in html


def test_resume_after_lock_and_unlock(client, token, case_id, app, vault_template, unlocked):
    import pyrage

    from helper.vault import UnlockedVault
    from helper.web.services import SESSION_HANDLE

    client.post(url(case_id, "safety"), data={"csrf_token": token, "answer": "safe"})
    client.post(url(case_id, "right-now"), data={"csrf_token": token})
    app.extensions["helper"].keyring.drop_all()
    assert "/session/unlock" in client.get(url(case_id, "age")).location
    # Unlock again (as the unlock page does, without paying for scrypt in this test).
    identity = pyrage.x25519.Identity.from_str(vault_template.identity)
    with client.session_transaction() as sess:
        sess[SESSION_HANDLE] = app.extensions["helper"].keyring.add(UnlockedVault(unlocked.path, identity))
    html = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert f'href="/walkthrough/{case_id}/age"' in html
    assert "Continue where you left off" in html


def test_unknown_case_in_the_walkthrough_is_a_calm_404(client):
    assert client.get(url("0" * 32, "safety")).status_code == 404


def test_walkthrough_needs_the_vault_unlocked(launched, unlocked):
    case = unlocked.create_case("Locked")
    assert "/session/unlock" in launched.get(url(case.id, "safety")).location


@pytest.mark.parametrize("step", ["safety", "right-now", "age", "kind", "story"])
def test_every_step_speaks_french(client, case_id, step):
    html = client.get(url(case_id, step), headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Étape" in html
    assert "Passer cette étape pour l’instant" in html


def test_a_draft_is_saved_while_typing_without_finishing_the_step(client, token, case_id, unlocked):
    before = len(unlocked.journal(case_id))
    response = client.post(
        url(case_id, "story"),
        data={"csrf_token": token, "narrative": "Half a senten"},
        headers={"X-Autosave": "1"},
    )
    assert response.status_code == 200
    assert response.get_json()["ok"] is True
    case = unlocked.load_case(case_id)
    assert case.incident.narrative == "Half a senten"
    assert "story" not in case.steps_done
    assert len(unlocked.journal(case_id)) == before  # drafts are not events of the case


def test_an_invalid_draft_saves_nothing(client, token, case_id, unlocked):
    response = client.post(
        url(case_id, "story"),
        data={"csrf_token": token, "narrative": "x", "started_on": "soon"},
        headers={"X-Autosave": "1"},
    )
    assert response.status_code == 200
    assert unlocked.load_case(case_id).incident.narrative == ""


def test_the_review_shows_every_recorded_value(client, unlocked):
    """The person proofreads here what the dossier and letters will say: nothing may be missing."""
    from tests.support.cases import case_with_everything

    case_id = case_with_everything(unlocked)
    page = client.get(f"/walkthrough/{case_id}/review").get_data(as_text=True)
    case = unlocked.load_case(case_id)
    payment = case.payments[0]
    for value in (
        payment.wallet_address,
        payment.tx_hash,
        payment.gift_card_code,
        payment.iban,
        payment.control_number,
        payment.payee_handle,
        case.accounts[0].phone,
        case.threats[0].wording,
        case.links[0].url,
        case.places[0].url,
        case.evidence[0].original_name,
        case.evidence[0].sha256,
        "Gift card",
        "Money transfer (Western Union, MoneyGram…)",
        "The police",
        "Someone I know (an ex, for example) is threatening me",
        "No, 18 or older",
    ):
        assert value in page, value
    assert "2026-03-02T20:00" not in page  # dates in words


def test_who_they_threatened_is_on_the_review(client, token, unlocked):
    case_id = case_id_in(client.post("/cases/new", data={"csrf_token": token, "title": "T"}).location)
    client.post(
        f"/walkthrough/{case_id}/threats",
        data={"csrf_token": token, "wording": "x", "targets": "my school and my family"},
    )
    assert "my school and my family" in client.get(f"/walkthrough/{case_id}/review").get_data(as_text=True)
