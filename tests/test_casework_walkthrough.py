"""The walkthrough's verbs, without Flask: one write each, and a save from a stale page is merged by
field or refused with both versions, never applied blindly."""

from __future__ import annotations

import pytest

from helper.casework import cases
from helper.casework import walkthrough as wt
from helper.casework.walkthrough import Edit, EditConflict, EntryEdit, fingerprint, fingerprints
from helper.ids import is_id, new_id

STORY = ("narrative", "started_on", "first_contact_platform", "moved_to_platform")


@pytest.fixture
def case(unlocked):
    return cases.create(unlocked, "Sample")


def actions(vault, case_id):
    return [(e.action, e.detail) for e in vault.journal(case_id)][1:]  # after "case.created"


def story(case, **typed):
    """What the story page sends: its fields as typed, from the case it was built from."""
    shown = {name: getattr(case.incident, name) for name in STORY}
    return Edit({**shown, **typed}, case.revision, fingerprints(shown))


def test_a_step_is_saved_with_its_answer_and_marked_done_in_one_journaled_write(unlocked, case):
    saved = wt.save_step(unlocked, case.id, "story", incident=story(case, narrative="SAMPLE words"))
    assert saved.revision == case.revision + 1
    assert saved.incident.narrative == "SAMPLE words"
    assert saved.steps_done == ("story",)
    assert actions(unlocked, case.id) == [("walkthrough.saved", {"step": "story"})]


def test_a_step_that_only_asks_to_go_on_is_marked_done(unlocked, case):
    assert wt.save_step(unlocked, case.id, "safety").steps_done == ("safety",)


def test_a_draft_is_saved_without_a_journal_entry_or_the_step_done(unlocked, case):
    saved = wt.save_draft(unlocked, case.id, story(case, narrative="Half a senten"))
    assert saved.incident.narrative == "Half a senten"
    assert saved.steps_done == ()
    assert actions(unlocked, case.id) == []


def test_a_stale_save_of_the_same_text_is_refused_with_both_versions(unlocked, case):
    wt.save_step(unlocked, case.id, "story", incident=story(case, narrative="First tab"))
    with pytest.raises(EditConflict) as caught:
        wt.save_step(unlocked, case.id, "story", incident=story(case, narrative="Second tab"))
    conflict = caught.value
    assert conflict.fields == ("narrative",)
    assert (conflict.saved["narrative"], conflict.typed["narrative"]) == ("First tab", "Second tab")
    assert unlocked.load_case(case.id).incident.narrative == "First tab"
    assert len(actions(unlocked, case.id)) == 1  # nothing was written


def test_a_stale_draft_is_refused_too(unlocked, case):
    wt.save_step(unlocked, case.id, "story", incident=story(case, narrative="First tab"))
    with pytest.raises(EditConflict):
        wt.save_draft(unlocked, case.id, story(case, narrative="Second tab"))
    assert unlocked.load_case(case.id).incident.narrative == "First tab"


def test_a_stale_save_of_another_field_is_merged(unlocked, case):
    wt.save_step(unlocked, case.id, "story", incident=story(case, first_contact_platform="SAMPLE game"))
    saved = wt.save_step(unlocked, case.id, "story", incident=story(case, narrative="Second tab"))
    assert (saved.incident.narrative, saved.incident.first_contact_platform) == ("Second tab", "SAMPLE game")


def test_the_same_text_typed_in_both_windows_is_no_conflict(unlocked, case):
    wt.save_step(unlocked, case.id, "story", incident=story(case, narrative="Same words"))
    saved = wt.save_step(unlocked, case.id, "story", incident=story(case, narrative="Same words"))
    assert saved.incident.narrative == "Same words"


def test_other_changes_to_the_case_do_not_make_a_page_stale(unlocked, case):
    wt.save_step(unlocked, case.id, "safety")
    wt.save_entry(unlocked, case.id, "accounts", EntryEdit("accounts", new_id(), Edit({"handle": "@x"})))
    saved = wt.save_step(unlocked, case.id, "story", incident=story(case, narrative="Still mine"))
    assert saved.incident.narrative == "Still mine"


@pytest.mark.parametrize(("keep", "kept"), [("typed", "Second tab"), ("saved", "First tab")])
def test_the_person_chooses_which_version_to_keep(unlocked, case, keep, kept):
    wt.save_step(unlocked, case.id, "story", incident=story(case, narrative="First tab"))
    edit = story(case, narrative="Second tab", moved_to_platform="SAMPLE chat")
    with pytest.raises(EditConflict) as caught:
        wt.save_step(unlocked, case.id, "story", incident=edit)
    conflict = caught.value
    # The conflict page: what it shows now, from the revision it was first built from.
    page = Edit(conflict.values, edit.revision, conflict.shown)
    with pytest.raises(EditConflict):  # a draft saved before the person chooses is refused too
        wt.save_draft(unlocked, case.id, page)
    chosen = page.choosing(keep, fingerprints(conflict.saved))
    saved = wt.save_step(unlocked, case.id, "story", incident=chosen)
    assert saved.incident.narrative == kept
    assert saved.incident.moved_to_platform == "SAMPLE chat"  # changed only here: kept either way


def test_choosing_after_a_third_window_saved_again_is_another_conflict(unlocked, case):
    wt.save_step(unlocked, case.id, "story", incident=story(case, narrative="First tab"))
    edit = story(case, narrative="Second tab")
    with pytest.raises(EditConflict) as caught:
        wt.save_step(unlocked, case.id, "story", incident=edit)
    conflict = caught.value
    latest = unlocked.load_case(case.id)
    wt.save_step(unlocked, case.id, "story", incident=story(latest, narrative="Third tab"))
    chosen = Edit(conflict.values, edit.revision, conflict.shown).choosing(
        "typed", fingerprints(conflict.saved)
    )
    with pytest.raises(EditConflict):
        wt.save_step(unlocked, case.id, "story", incident=chosen)
    assert unlocked.load_case(case.id).incident.narrative == "Third tab"


def test_a_value_from_no_page_is_applied_as_it_is(unlocked, case):
    wt.save_step(unlocked, case.id, "story", incident=story(case, narrative="First tab"))
    saved = wt.save_step(unlocked, case.id, "kind", incident=Edit({"kind": "financial"}))
    assert saved.incident.kind == "financial"


def test_a_pending_entry_is_saved_with_its_step_in_one_write(unlocked, case):
    entry_id = new_id()
    entry = EntryEdit("accounts", entry_id, Edit({"platform": "SAMPLE app", "handle": "@sample"}, 0))
    saved = wt.save_step(unlocked, case.id, "accounts", entry=entry)
    assert [(a.id, a.handle) for a in saved.accounts] == [(entry_id, "@sample")]
    assert is_id(entry_id)
    assert saved.steps_done == ("accounts",)
    assert saved.revision == case.revision + 1


def _account(unlocked, case, **values):
    entry_id = new_id()
    wt.save_entry(unlocked, case.id, "accounts", EntryEdit("accounts", entry_id, Edit(values)))
    latest = unlocked.load_case(case.id)
    return latest, latest.accounts[0]


def _edit_entry(case, account, **typed):
    shown = wt.entry_values(account)
    return EntryEdit("accounts", account.id, Edit({**shown, **typed}, case.revision, fingerprints(shown)))


def test_an_entry_edited_in_two_windows_merges_by_field_or_conflicts(unlocked, case):
    case, account = _account(unlocked, case, handle="@one", platform="SAMPLE app")
    assert actions(unlocked, case.id) == [("walkthrough.saved", {"step": "accounts"})]
    wt.save_entry(unlocked, case.id, "accounts", _edit_entry(case, account, handle="@renamed"))
    merged = wt.save_entry(unlocked, case.id, "accounts", _edit_entry(case, account, note="SAMPLE note"))
    assert (merged.accounts[0].handle, merged.accounts[0].note) == ("@renamed", "SAMPLE note")
    with pytest.raises(EditConflict) as caught:
        wt.save_entry(unlocked, case.id, "accounts", _edit_entry(case, account, handle="@other"))
    assert caught.value.fields == ("handle",)
    assert unlocked.load_case(case.id).accounts[0].handle == "@renamed"


def test_an_entry_removed_in_another_window_while_edited_is_kept_as_typed(unlocked, case):
    case, account = _account(unlocked, case, handle="@one")
    wt.remove_entry(unlocked, case.id, "accounts", "accounts", account.id)
    saved = wt.save_entry(unlocked, case.id, "accounts", _edit_entry(case, account, note="SAMPLE"))
    assert [(a.id, a.handle, a.note) for a in saved.accounts] == [(account.id, "@one", "SAMPLE")]


def test_an_entry_changed_since_the_page_is_not_removed(unlocked, case):
    case, account = _account(unlocked, case, handle="@one")
    as_shown = fingerprint(wt.entry_values(account))
    wt.save_entry(unlocked, case.id, "accounts", _edit_entry(case, account, handle="@renamed"))
    with pytest.raises(wt.EntryChanged):
        wt.remove_entry(unlocked, case.id, "accounts", "accounts", account.id, as_shown)
    latest = unlocked.load_case(case.id)
    assert latest.accounts[0].handle == "@renamed"
    wt.remove_entry(
        unlocked,
        case.id,
        "accounts",
        "accounts",
        account.id,
        fingerprint(wt.entry_values(latest.accounts[0])),
    )
    assert unlocked.load_case(case.id).accounts == ()
    assert actions(unlocked, case.id)[-1] == ("walkthrough.removed", {"step": "accounts"})


def test_the_country_is_set_once_and_not_replaced_by_a_stale_box(unlocked, case):
    saved = wt.set_country(unlocked, case.id, wt.country_edit("FR", case.revision))
    assert saved.incident.country == "FR"
    assert saved.steps_done == ()  # the person has not seen the plan for France yet
    assert actions(unlocked, case.id) == [("walkthrough.saved", {"step": "takedown"})]
    with pytest.raises(EditConflict) as caught:
        wt.set_country(unlocked, case.id, wt.country_edit("US", case.revision))
    assert (caught.value.saved, caught.value.typed) == ({"country": "FR"}, {"country": "US"})
    assert unlocked.load_case(case.id).incident.country == "FR"


def test_a_country_already_set_is_changed_from_a_page_that_showed_it(unlocked, case):
    first = wt.set_country(unlocked, case.id, wt.country_edit("FR", case.revision))
    changed = wt.set_country(unlocked, case.id, wt.country_edit("GB", first.revision, shown="FR"))
    assert changed.incident.country == "GB"


def test_a_stale_country_form_never_replaces_a_country_changed_in_another_window(unlocked, case):
    first = wt.set_country(unlocked, case.id, wt.country_edit("FR", case.revision))
    wt.set_country(unlocked, case.id, wt.country_edit("GB", first.revision, shown="FR"))
    with pytest.raises(EditConflict) as caught:
        wt.set_country(unlocked, case.id, wt.country_edit("US", first.revision, shown="FR"))
    assert (caught.value.saved, caught.value.typed) == ({"country": "GB"}, {"country": "US"})
    assert unlocked.load_case(case.id).incident.country == "GB"


def test_the_signers_details_are_saved_merged_or_refused(unlocked, case):
    shown = wt.signer_values(case.signer)

    def details(**typed):
        return Edit({**shown, **typed}, case.revision, fingerprints(shown))

    wt.save_signer(unlocked, case.id, details(name="Sam Sample", good_faith=True))
    merged = wt.save_signer(unlocked, case.id, details(email="sam@example.invalid"))
    assert (merged.signer.name, merged.signer.email, merged.signer.good_faith) == (
        "Sam Sample",
        "sam@example.invalid",
        True,
    )
    with pytest.raises(EditConflict) as caught:
        wt.save_signer(unlocked, case.id, details(name="Another Name"))
    assert caught.value.fields == ("name",)
    assert [a for a, _ in actions(unlocked, case.id)] == ["letter.details", "letter.details"]
