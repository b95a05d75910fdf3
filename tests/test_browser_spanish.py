"""Incident Helper in Spanish, in real Chromium, keyboard only, with axe scans: a browser that speaks
Mexican Spanish opens it in Spanish, goes through the walkthrough's first steps, reads an English-only
letter with a sentence in Spanish saying what it asks for, and exports the dossier in Spanish. No
screen shows a sentence of the English or the French interface, nor the PDF."""

from __future__ import annotations

import subprocess

import pytest
from playwright.sync_api import expect

from tests.support import samples
from tests.support.browser import (
    choose_radio,
    open_link,
    open_new_case,
    press_button,
    saved_case,
    tab_to,
    type_into,
)
from tests.support.cases import sample_case, save_case
from tests.support.spanish import assert_spanish

pytestmark = pytest.mark.browser


def test_a_spanish_speaker_walks_reads_a_letter_and_exports_the_dossier(browser, live, tmp_path):
    # Accept-Language: es-MX on first start: the unlock page and all after it speak Spanish.
    context, page, app, seen = open_new_case(browser, live, "Caso es", "es-MX")
    assert_spanish(page, "1-safety")
    expect(page.locator("form.language button")).to_have_text(["English", "Français"])
    with page.expect_navigation():
        press_button(page, "Por ahora estoy a salvo")
    assert_spanish(page, "2-right-now")
    expect(page.locator("main")).to_contain_text("No es tu culpa")
    with page.expect_navigation():
        press_button(page, "Ya lo leí")
    assert_spanish(page, "3-age")
    choose_radio(page, "minor", 1)
    with page.expect_navigation():
        press_button(page, "Guardar y seguir")
    assert_spanish(page, "4-kind")
    choose_radio(page, "kind", 0)
    with page.expect_navigation():
        press_button(page, "Guardar y seguir")
    assert_spanish(page, "5-story")
    type_into(page, "#narrative", "SAMPLE: me escribieron en un juego y luego pidieron dinero.")
    with page.expect_navigation():
        press_button(page, "Guardar y seguir")
    assert_spanish(page, "6-accounts")
    case = saved_case(live, "Caso es")
    assert case.incident.minor == "no"
    assert case.incident.kind == "financial"

    # What the rest of the walkthrough would have recorded: where the images are, in the US.
    from helper.case import Place

    vault = next(iter(live.services.keyring._entries.values())).vault
    sample = sample_case(
        country="US",
        narrative="SAMPLE: me escribieron en un juego y luego pidieron dinero.",
        places=(Place(id="p1", url="https://x.com/sample_account/status/42", platform="X"),),
        reports=(),
        evidence=(),
    )
    save_case(vault, sample, case.id, step="places")

    page.goto(f"{live.url}/cases/{case.id}")
    assert_spanish(page, "7-case")
    open_link(page, "main a.button[href$='/takedown']")
    assert_spanish(page, "8-plan")
    open_link(page, "main a[href*='/take-it-down?platform=x']")
    assert_spanish(page, "9-letter")
    expect(page.locator("main")).to_contain_text("Esta carta está escrita en inglés")
    explained = page.locator("#explained")
    expect(explained).to_contain_text("Lo que pide esta carta")
    expect(explained).to_contain_text("Una ley de Estados Unidos")
    assert "TAKE IT DOWN" in page.locator("#letter-text").input_value()  # the letter itself: English

    page.goto(f"{live.url}/cases/{case.id}")
    picture = tmp_path / "perfil-SAMPLE.png"
    picture.write_bytes(samples.png(640, 480))
    app.upload(picture)
    tab_to(page, "a[href*='/dossier/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_spanish(page, "10-dossier")
    expect(page.locator("input[name=lang][value=es]")).to_be_checked()  # the page's language by default
    type_into(page, "#person", "SAMPLE P.")
    tab_to(page, "main form button.primary")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    path = tmp_path / "informe.pdf"
    download.value.save_as(path)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    for spanish in ("Informe de pruebas", "CONFIDENCIAL", "Cadena de custodia", "Índice de pruebas"):
        assert spanish in flat, spanish
    for foreign in ("Evidence dossier", "CONFIDENTIAL", "Chain of custody", "Dossier de preuves", "Résumé"):
        assert foreign not in flat, foreign
    assert seen == []
    context.close()
