"""A person in Spain, in Spanish, in real Chromium, keyboard only, with axe scans (issue 23, "Done
when"): a browser that speaks Spanish (es-ES) walks the walkthrough's first steps, chooses Spain on the
plan's step, reaches the plan — the denuncia for the Spanish police, the DSA notice in Spanish, no other
country's police — opens the denuncia, records it as sent, and exports the dossier in Spanish. No screen
shows a sentence of the English or the French interface, nor the PDF."""

from __future__ import annotations

import re
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
from tests.support.evidence import add_file
from tests.support.spanish import assert_spanish

pytestmark = pytest.mark.browser

STORY = "SAMPLE: me escribieron por Instagram, pidieron fotos y luego dinero."


def test_a_person_in_spain_chooses_spain_reads_the_plan_sends_the_denuncia_and_exports_the_dossier(
    browser, live, tmp_path
):
    from helper.case import Place

    title = "Caso España"
    context, page, app, seen = open_new_case(browser, live, title, "es-ES")
    assert_spanish(page, "sp-1-safety")
    with page.expect_navigation():
        press_button(page, "Por ahora estoy a salvo")
    assert_spanish(page, "sp-2-right-now")
    with page.expect_navigation():
        press_button(page, "Ya lo leí")
    assert_spanish(page, "sp-3-age")
    choose_radio(page, "minor", 1)
    with page.expect_navigation():
        press_button(page, "Guardar y seguir")
    assert_spanish(page, "sp-4-kind")
    choose_radio(page, "kind", 0)
    with page.expect_navigation():
        press_button(page, "Guardar y seguir")
    assert_spanish(page, "sp-5-story")
    type_into(page, "#narrative", STORY)
    with page.expect_navigation():
        press_button(page, "Guardar y seguir")
    case = saved_case(live, title)
    assert (case.incident.minor, case.incident.kind) == ("no", "financial")

    # What the steps in between would have recorded (accounts, threats, payments, where the images
    # are): the sample case, with no country yet, and one screenshot for the denuncia's annexes.
    vault = next(iter(live.services.keyring._entries.values())).vault
    sample = sample_case(
        country="",
        minor="no",
        narrative=STORY,
        places=(Place(id="p1", url="https://www.instagram.com/p/SAMPLE123/", platform="Instagram"),),
        reports=(),
        evidence=(),
    )
    save_case(vault, sample, case.id, step="places")
    add_file(vault, case.id, b"SAMPLE chat line\n", "chat-SAMPLE.txt", "text/plain")

    # The plan's step: where the person lives decides the laws and the police. España, by keyboard.
    page.goto(f"{live.url}/walkthrough/{case.id}/takedown")
    assert_spanish(page, "sp-6-takedown")
    tab_to(page, "#country")
    page.keyboard.type("España")
    expect(page.locator("#country")).to_have_value("ES")
    with page.expect_navigation():
        press_button(page, "Guardar")
    assert_spanish(page, "sp-7-plan")
    assert vault.load_case(case.id).incident.country == "ES"
    main = page.locator("main")
    expect(main).to_contain_text("Denuncia ante la policía (España)")
    expect(main).to_contain_text("Aviso según el Reglamento de Servicios Digitales de la UE (artículo 16)")
    expect(main.locator("a[href$='/police-es-denuncia']")).to_have_count(1)
    for elsewhere in ("police-fr-procureur", "police-fr-thesee", "police-us-ic3", "police-uk", "police-ca"):
        expect(main.locator(f"a[href*='/{elsewhere}']")).to_have_count(0)

    # The denuncia: in Spanish, the Código Penal as the content cites it, the annexes by number.
    open_link(page, "main a[href$='/police-es-denuncia']")
    assert_spanish(page, "sp-8-denuncia")
    expect(page.locator("#explained")).to_have_count(0)  # written in the reader's own language
    letter = page.locator("#letter-text").input_value()
    assert "formulo DENUNCIA por los hechos que expongo a continuación." in letter
    assert "- Código Penal, art. 197.7: Difundir imágenes o grabaciones íntimas sin consentimiento" in letter
    assert "- Código Penal, art. 243: Extorsión" in letter
    assert "- Anexo E1: chat-SAMPLE.txt" in letter
    assert STORY in letter
    assert re.search(r"En _+, a \d{1,2} de [a-z]+ de \d{4}\.", letter)
    assert "/s/" not in letter
    press_button(page, "Registrarla como enviada")
    page.wait_for_url(re.compile(r"/letters/[0-9a-f]{32}/reports/[0-9a-f]+$"))
    assert_spanish(page, "sp-9-sent")
    expect(page.locator("body")).to_contain_text("Registrada como enviada.")
    (report,) = vault.load_case(case.id).reports
    assert (report.kind, report.status) == ("police-es-denuncia", "sent")

    # The dossier, in Spanish.
    page.goto(f"{live.url}/cases/{case.id}")
    assert_spanish(page, "sp-10-case")
    picture = tmp_path / "perfil-SAMPLE.png"
    picture.write_bytes(samples.png(640, 480))
    app.upload(picture)
    tab_to(page, "a[href*='/dossier/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_spanish(page, "sp-11-dossier")
    expect(page.locator("input[name=lang][value=es]")).to_be_checked()
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
