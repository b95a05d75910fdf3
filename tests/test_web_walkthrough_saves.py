"""Nothing typed or chosen in the walkthrough is silently dropped: a stale page's save is never applied
blindly, "Continue" saves a pending country, "Done with this step" adds the files chosen."""

from __future__ import annotations

import html
import io
import re

import pytest

from helper import vocabulary
from tests.support import samples
from tests.support.web import case_id_in


@pytest.fixture
def case_id(client, token):
    return case_id_in(client.post("/cases/new", data={"csrf_token": token, "title": "Saves"}).location)


def url(case_id, step, suffix=""):
    return f"/walkthrough/{case_id}/{step}{suffix}"


def page_state(client, path: str) -> dict[str, str]:
    """The hidden fields a page carries about the revision and the values it was built from."""
    page = client.get(path).get_data(as_text=True)
    found = dict(re.findall(r'<input type="hidden" name="(revision|shown|saved)" value="([^"]*)"', page))
    assert "revision" in found, path
    return found


def hidden(page: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="(revision|shown|saved)" value="([^"]*)"', page))


# -- the story from two tabs ---------------------------------------------------------------------


def test_every_saving_page_carries_its_revision(client, token, case_id):
    for path in (
        url(case_id, "story"),
        url(case_id, "age"),
        url(case_id, "kind"),
        f"/letters/{case_id}/details",
    ):
        assert page_state(client, path)["shown"], path
    assert 'name="revision"' in client.get(url(case_id, "takedown")).get_data(as_text=True)


def test_a_stale_story_is_not_saved_over_the_other_tab(client, token, case_id, unlocked):
    first, second = page_state(client, url(case_id, "story")), page_state(client, url(case_id, "story"))
    saved = client.post(url(case_id, "story"), data={"csrf_token": token, **first, "narrative": "First tab"})
    assert saved.location.endswith("/accounts")
    response = client.post(
        url(case_id, "story"), data={"csrf_token": token, **second, "narrative": "Second tab"}
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "This was also changed in another window" in page
    assert "First tab" in page
    assert "Second tab" in page
    assert "Keep what I typed here" in page
    assert unlocked.load_case(case_id).incident.narrative == "First tab"

    choice = hidden(page)
    kept = client.post(
        url(case_id, "story"),
        data={"csrf_token": token, **choice, "narrative": "Second tab", "keep": "typed"},
    )
    assert kept.location.endswith("/accounts")
    assert unlocked.load_case(case_id).incident.narrative == "Second tab"


def test_keeping_the_saved_version_keeps_it_and_what_else_was_typed(client, token, case_id, unlocked):
    first, second = page_state(client, url(case_id, "story")), page_state(client, url(case_id, "story"))
    client.post(url(case_id, "story"), data={"csrf_token": token, **first, "narrative": "First tab"})
    typed = {"narrative": "Second tab", "moved_to_platform": "SAMPLE chat"}
    page = client.post(url(case_id, "story"), data={"csrf_token": token, **second, **typed}).get_data(
        as_text=True
    )
    client.post(url(case_id, "story"), data={"csrf_token": token, **hidden(page), **typed, "keep": "saved"})
    incident = unlocked.load_case(case_id).incident
    assert (incident.narrative, incident.moved_to_platform) == ("First tab", "SAMPLE chat")
    assert "story" in unlocked.load_case(case_id).steps_done


def test_a_stale_story_that_changed_another_field_is_merged(client, token, case_id, unlocked):
    first, second = page_state(client, url(case_id, "story")), page_state(client, url(case_id, "story"))
    client.post(
        url(case_id, "story"), data={"csrf_token": token, **first, "first_contact_platform": "SAMPLE game"}
    )
    response = client.post(
        url(case_id, "story"), data={"csrf_token": token, **second, "narrative": "Second tab"}
    )
    assert response.status_code == 302
    incident = unlocked.load_case(case_id).incident
    assert (incident.narrative, incident.first_contact_platform) == ("Second tab", "SAMPLE game")


def test_a_stale_draft_is_refused_calmly_and_saves_nothing(client, token, case_id, unlocked):
    first, second = page_state(client, url(case_id, "story")), page_state(client, url(case_id, "story"))
    client.post(url(case_id, "story"), data={"csrf_token": token, **first, "narrative": "First tab"})
    before = unlocked.load_case(case_id).revision
    response = client.post(
        url(case_id, "story"),
        data={"csrf_token": token, **second, "narrative": "Second tab"},
        headers={"X-Autosave": "1"},
    )
    assert response.status_code == 409
    assert "changed in another window" in response.get_json()["message"]
    case = unlocked.load_case(case_id)
    assert (case.incident.narrative, case.revision) == ("First tab", before)


def test_drafts_from_one_page_never_conflict_with_each_other(client, token, case_id, unlocked):
    state = page_state(client, url(case_id, "story"))
    for words in ("Half a", "Half a senten", "Half a sentence."):
        response = client.post(
            url(case_id, "story"),
            data={"csrf_token": token, **state, "narrative": words},
            headers={"X-Autosave": "1"},
        )
        assert response.status_code == 200, words
        state["shown"] = response.get_json()["shown"]  # as the page's script does
    done = client.post(
        url(case_id, "story"), data={"csrf_token": token, **state, "narrative": "Half a sentence. Done"}
    )
    assert done.status_code == 302
    assert unlocked.load_case(case_id).incident.narrative == "Half a sentence. Done"


def test_a_stale_answer_to_a_question_shows_both_choices(client, token, case_id, unlocked):
    first, second = page_state(client, url(case_id, "kind")), page_state(client, url(case_id, "kind"))
    client.post(url(case_id, "kind"), data={"csrf_token": token, **first, "kind": "financial"})
    response = client.post(url(case_id, "kind"), data={"csrf_token": token, **second, "kind": "ai_altered"})
    assert response.status_code == 409
    page = html.unescape(response.get_data(as_text=True))
    assert "This was also changed in another window" in page
    for kind in ("financial", "ai_altered"):  # each answer in words, as the question offers it
        assert vocabulary.KINDS.term(kind).label in page
    assert unlocked.load_case(case_id).incident.kind == "financial"


# -- a country chosen, then "Continue" ------------------------------------------------------------


def test_continue_with_a_country_chosen_saves_it(client, token, case_id, unlocked):
    state = page_state(client, url(case_id, "takedown"))
    response = client.post(url(case_id, "takedown"), data={"csrf_token": token, **state, "country": "FR"})
    assert response.location.endswith("/reports")
    case = unlocked.load_case(case_id)
    assert case.incident.country == "FR"
    assert "takedown" in case.steps_done
    assert [e.detail for e in unlocked.journal(case_id)][-1] == {"step": "takedown"}


def test_continue_without_a_country_goes_on(client, token, case_id, unlocked):
    response = client.post(url(case_id, "takedown"), data={"csrf_token": token, "country": ""})
    assert response.location.endswith("/reports")
    assert unlocked.load_case(case_id).incident.country == ""


def test_continue_with_a_country_not_in_the_list_says_why_and_stays(client, token, case_id, unlocked):
    response = client.post(url(case_id, "takedown"), data={"csrf_token": token, "country": "Atlantis"})
    assert response.status_code == 400
    assert "not in the list" in html.unescape(response.get_data(as_text=True))
    assert "takedown" not in unlocked.load_case(case_id).steps_done


def test_the_continue_button_belongs_to_the_country_form(client, case_id):
    page = client.get(url(case_id, "takedown")).get_data(as_text=True)
    assert 'id="country-form"' in page
    assert f'form="country-form" formaction="/walkthrough/{case_id}/takedown"' in page


def test_a_country_saved_in_another_window_is_not_replaced(client, token, case_id, unlocked):
    state = page_state(client, url(case_id, "takedown"))
    client.post(
        f"/letters/{case_id}/country",
        data={"csrf_token": token, **state, "country": "FR", "back": "walkthrough"},
    )
    response = client.post(url(case_id, "takedown"), data={"csrf_token": token, **state, "country": "US"})
    assert response.status_code == 409
    assert "This was also changed in another window" in response.get_data(as_text=True)
    assert unlocked.load_case(case_id).incident.country == "FR"
    again = client.post(f"/letters/{case_id}/country", data={"csrf_token": token, **state, "country": "GB"})
    assert again.status_code == 302
    assert unlocked.load_case(case_id).incident.country == "FR"
    notice = html.unescape(client.get(again.location).get_data(as_text=True))
    assert "Another window had already saved where you live" in notice


# -- files chosen, then "Done with this step" ------------------------------------------------------


def done_with_files(client, token, case_id, *files, **fields):
    return client.post(
        url(case_id, "evidence", "/done"),
        data={"csrf_token": token, "files": list(files), **fields},
        content_type="multipart/form-data",
    )


def test_done_with_files_chosen_adds_them_and_goes_on(client, token, case_id, unlocked):
    response = done_with_files(
        client,
        token,
        case_id,
        (io.BytesIO(samples.png(320, 240)), "profile-SAMPLE.png"),
        (io.BytesIO(b"SAMPLE chat line\n"), "chat-SAMPLE.txt"),
    )
    assert response.location.endswith("/timeline")
    case = unlocked.load_case(case_id)
    assert [item.original_name for item in case.evidence] == ["profile-SAMPLE.png", "chat-SAMPLE.txt"]
    assert "evidence" in case.steps_done
    assert "2 files saved and encrypted." in client.get(response.location).get_data(as_text=True)


def test_done_with_no_file_chosen_goes_on(client, token, case_id, unlocked):
    response = done_with_files(client, token, case_id, (io.BytesIO(b""), ""))
    assert response.location.endswith("/timeline")
    assert unlocked.load_case(case_id).evidence == ()


def test_done_after_the_script_sent_the_files_says_how_many(client, token, case_id, unlocked):
    response = done_with_files(client, token, case_id, (io.BytesIO(b""), ""), added="3")
    assert "3 files saved and encrypted." in client.get(response.location).get_data(as_text=True)


def test_done_with_a_file_that_cannot_be_kept_says_why_and_stays(client, token, case_id, unlocked):
    client.post(url(case_id, "age"), data={"csrf_token": token, "minor": "yes"})
    response = done_with_files(
        client, token, case_id, (io.BytesIO(samples.png(320, 240)), "photo-SAMPLE.png")
    )
    assert response.location.endswith(url(case_id, "evidence"))
    page = html.unescape(client.get(response.location).get_data(as_text=True))
    assert "cannot keep intimate images" in page
    assert "This step is not finished yet" in page
    case = unlocked.load_case(case_id)
    assert case.evidence == ()
    assert "evidence" not in case.steps_done


def test_the_done_button_belongs_to_the_upload_form(client, case_id):
    page = client.get(url(case_id, "evidence")).get_data(as_text=True)
    assert 'id="upload-form"' in page
    assert f'form="upload-form" formaction="/walkthrough/{case_id}/evidence/done"' in page


# -- list entries and the signer's details ---------------------------------------------------------


def test_a_stale_edit_of_an_entry_is_merged_or_shows_both(client, token, case_id, unlocked):
    client.post(url(case_id, "accounts"), data={"csrf_token": token, "handle": "@one"})
    [account] = unlocked.load_case(case_id).accounts
    edit = url(case_id, "accounts") + f"?edit={account.id}"
    first, second = page_state(client, edit), page_state(client, edit)
    client.post(
        url(case_id, "accounts"),
        data={"csrf_token": token, **first, "entry_id": account.id, "handle": "@renamed"},
    )
    response = client.post(
        url(case_id, "accounts"),
        data={"csrf_token": token, **second, "entry_id": account.id, "handle": "@other"},
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "@renamed" in page
    assert "@other" in page
    assert unlocked.load_case(case_id).accounts[0].handle == "@renamed"
    merged = client.post(
        url(case_id, "accounts"),
        data={"csrf_token": token, **second, "entry_id": account.id, "handle": "@one", "note": "SAMPLE"},
    )
    assert merged.status_code == 302
    [saved] = unlocked.load_case(case_id).accounts
    assert (saved.handle, saved.note) == ("@renamed", "SAMPLE")


def test_an_entry_changed_in_another_window_is_not_removed(client, token, case_id, unlocked):
    client.post(url(case_id, "accounts"), data={"csrf_token": token, "handle": "@one"})
    page = client.get(url(case_id, "accounts")).get_data(as_text=True)
    [account] = unlocked.load_case(case_id).accounts
    shown = re.search(r'name="shown" value="([0-9a-f]+)"', page).group(1)
    client.post(
        url(case_id, "accounts"), data={"csrf_token": token, "entry_id": account.id, "handle": "@renamed"}
    )
    response = client.post(
        url(case_id, "accounts", f"/remove/{account.id}"), data={"csrf_token": token, "shown": shown}
    )
    assert "was not removed" in html.unescape(client.get(response.location).get_data(as_text=True))
    assert [a.handle for a in unlocked.load_case(case_id).accounts] == ["@renamed"]


def test_stale_details_for_letters_show_both_versions(client, token, case_id, unlocked):
    path = f"/letters/{case_id}/details"
    first, second = page_state(client, path), page_state(client, path)
    client.post(path, data={"csrf_token": token, **first, "name": "Sam Sample"})
    response = client.post(path, data={"csrf_token": token, **second, "name": "Another Name"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Sam Sample" in page
    assert "Another Name" in page
    assert unlocked.load_case(case_id).signer.name == "Sam Sample"
    client.post(path, data={"csrf_token": token, **hidden(page), "name": "Another Name", "keep": "typed"})
    assert unlocked.load_case(case_id).signer.name == "Another Name"
    assert [e.action for e in unlocked.journal(case_id)][-2:] == ["letter.details", "letter.details"]


def test_the_choice_speaks_french(client, token, case_id):
    fr = {"Accept-Language": "fr"}
    first, second = page_state(client, url(case_id, "story")), page_state(client, url(case_id, "story"))
    client.post(url(case_id, "story"), data={"csrf_token": token, **first, "narrative": "Premier onglet"})
    response = client.post(
        url(case_id, "story"), data={"csrf_token": token, **second, "narrative": "Second onglet"}, headers=fr
    )
    page = html.unescape(response.get_data(as_text=True))
    for words in ("Ceci a aussi été modifié dans une autre fenêtre", "Enregistré dans l’autre fenêtre",
                  "Dans cette fenêtre", "Garder ce que j’ai écrit ici"):  # fmt: skip
        assert words in page
    for english in ("another window", "Keep", "Saved in", "In this window"):
        assert english not in page
    draft = client.post(
        url(case_id, "story"),
        data={"csrf_token": token, **second, "narrative": "Second onglet"},
        headers={**fr, "X-Autosave": "1"},
    )
    assert draft.get_json()["message"].startswith("Ce récit a été modifié dans une autre fenêtre")


def test_a_stale_page_shown_again_for_a_typo_is_still_stale(client, token, case_id, unlocked):
    first, second = page_state(client, url(case_id, "story")), page_state(client, url(case_id, "story"))
    client.post(url(case_id, "story"), data={"csrf_token": token, **first, "narrative": "First tab"})
    typo = client.post(
        url(case_id, "story"),
        data={"csrf_token": token, **second, "narrative": "Second tab", "started_on": "last May"},
    )
    assert typo.status_code == 200
    again = hidden(typo.get_data(as_text=True))
    assert again == second
    fixed = client.post(url(case_id, "story"), data={"csrf_token": token, **again, "narrative": "Second tab"})
    assert fixed.status_code == 409
    assert unlocked.load_case(case_id).incident.narrative == "First tab"
