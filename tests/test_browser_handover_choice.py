"""The hand-over page (issue 21, item 12): what goes is listed before the file is made; ticking a file
unticks "every file" and means only that file; intimate pictures and the counselor's notes go only when
chosen, and the page says so. In real Chromium, keyboard only, in English and French, with axe scans."""

from __future__ import annotations

import io
import json
import tarfile

import pyrage
import pytest
from playwright.sync_api import expect

from helper.case import Signer
from helper.casework import counselor
from helper.vault import crypto
from tests.support import samples
from tests.support.browser import assert_accessible, open_new_case, saved_case, tab_to, type_into
from tests.support.evidence import add_file

pytestmark = pytest.mark.browser

LOCALES = {"en": "en-US", "fr": "fr-FR"}
NOTE = "SAMPLE note: call back on Monday"
WORDS = {
    "en": {
        "only": "“Every file” is unticked: only the files you tick go.",
        "check": "Check what goes in the file",
        "signer": "e-mail address, phone number and postal address",
        "notes_out": "They stay out.",
        "notes_in": "1 private note goes in.",
        "intimate": "1 of them is marked intimate: the organisation will be able to see it.",
        "make": "Make the hand-over file",
    },
    "fr": {
        "only": "« Tous les fichiers » est décoché : seuls les fichiers que vous cochez sont transmis.",
        "check": "Vérifier ce que contient le fichier",
        "signer": "adresse e-mail, le numéro de téléphone et l’adresse postale",
        "notes_out": "Elles restent en dehors.",
        "notes_in": "1 note privée est incluse.",
        "intimate": "1 d’entre eux est marqué comme intime : l’organisme pourra le voir.",
        "make": "Créer le fichier de transmission",
    },
}


def press(page, selector: str) -> None:
    tab_to(page, selector, limit=80)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def made_bundle(page, tmp_path, identity, words):
    tab_to(page, f"main button:has-text('{words['make']}')")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    path = tmp_path / "bundle.age"
    download.value.save_as(path)
    with tarfile.open(fileobj=io.BytesIO(pyrage.decrypt(path.read_bytes(), [identity]))) as tar:
        return json.loads(tar.extractfile("case.json").read())


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_hand_over_lists_what_goes_and_gives_only_what_was_chosen(browser, live, tmp_path, lang):
    words = WORDS[lang]
    title = f"Hand-over {lang}"
    context, page, _app, seen = open_new_case(browser, live, title, LOCALES[lang])
    vault = next(iter(live.services.keyring._entries.values())).vault
    case = saved_case(live, title)
    profile = add_file(vault, case.id, samples.png(300, 200, seed=1), "profile-SAMPLE.png", "image/png")
    add_file(vault, case.id, samples.png(300, 200, seed=2), "screenshot-SAMPLE.png", "image/png")
    add_file(vault, case.id, samples.png(300, 200, seed=3), "private-SAMPLE.png", "image/png", intimate=True)
    counselor.add_note(vault, case.id, "Alex Sample", NOTE)
    vault.update_case(
        case.id, lambda c: c.with_signer(Signer(name="Sam Sample", email="sam@example.org")), None, {}
    )
    identity = crypto.generate_identity()

    # One file ticked while "every file" is still ticked: only that file, and the page says so.
    page.goto(f"{live.url}/counselor/{case.id}/handover")
    expect(page.locator("#all_items")).to_be_checked()
    expect(page.locator("#intimate")).not_to_be_checked()
    expect(page.locator("#notes")).not_to_be_checked()
    assert_accessible(page, f"{lang}-h1-choose")
    type_into(page, "#recipient", str(identity.to_public()))
    tab_to(page, f"#item-{profile.id}")
    page.keyboard.press("Space")
    expect(page.locator("#all_items")).not_to_be_checked()
    expect(page.locator("#handover-files-status")).to_have_text(words["only"])
    press(page, "main button[value=review]")
    expect(page.locator("main h1")).to_have_text(words["check"])
    expect(page.locator("ul.bundle-files li")).to_have_text(["profile-SAMPLE.png"])
    main = page.locator("main")
    expect(main).to_contain_text(words["signer"])  # the person's letter details travel with the record
    expect(main).to_contain_text(words["notes_out"])
    assert_accessible(page, f"{lang}-h2-review-one")
    record = made_bundle(page, tmp_path, identity, words)
    assert [it["original_name"] for it in record["evidence"]] == ["profile-SAMPLE.png"]
    assert record["counselor_notes"] == []

    # Every file, the intimate one and the notes too: each said before the file is made.
    page.goto(f"{live.url}/counselor/{case.id}/handover")
    type_into(page, "#recipient", str(identity.to_public()))
    tab_to(page, "#intimate")
    page.keyboard.press("Space")
    tab_to(page, "#notes")
    page.keyboard.press("Space")
    press(page, "main button[value=review]")
    expect(page.locator("ul.bundle-files li")).to_have_count(3)
    expect(main).to_contain_text(words["intimate"])
    expect(main).to_contain_text(words["notes_in"])
    assert_accessible(page, f"{lang}-h3-review-all")
    record = made_bundle(page, tmp_path, identity, words)
    assert len(record["evidence"]) == 3
    assert [n["text"] for n in record["counselor_notes"]] == [NOTE]
    assert seen == []
    context.close()
