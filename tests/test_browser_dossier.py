"""The dossier export, by keyboard: options, password, files left out by number in a big case.

In real Chromium, keyboard only, in English and French, with axe scans; the helpers and page objects
they share are in tests/support/browser.py."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support import samples
from tests.support.browser import (
    assert_accessible,
    open_new_case,
    saved_case,
    tab_to,
    type_into,
)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_export_a_dossier_by_keyboard(browser, live, tmp_path, lang):
    """From a case with a picture: the dossier page (axe), a password, the download, and a PDF that opens
    with that password and whose signature verifies."""
    import subprocess

    from helper.dossier.manifest import verify_dossier

    context, page, app, seen = open_new_case(
        browser, live, f"Dossier {lang}", {"en": "en-US", "fr": "fr-FR"}[lang]
    )
    app.go_to_case_page()
    picture = tmp_path / "profile-SAMPLE.png"
    picture.write_bytes(samples.png(640, 480))
    app.upload(picture)
    tab_to(page, "a[href*='/dossier/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page, f"{lang}-d1-dossier")
    expect(page.locator(f"input[name=lang][value={lang}]")).to_be_checked()  # the page's language by default
    type_into(page, "#person", "SAMPLE P.")
    type_into(page, "#password", "SAMPLE pass 42")
    type_into(page, "#password_again", "SAMPLE pass 42")
    tab_to(page, "main form button.primary")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    path = tmp_path / "dossier.pdf"
    download.value.save_as(path)
    opened = subprocess.run(
        ["pdftotext", "-upw", "SAMPLE pass 42", str(path), "-"], capture_output=True, text=True
    )
    assert opened.returncode == 0
    assert {"en": "CONFIDENTIAL", "fr": "CONFIDENTIEL"}[lang] in opened.stdout
    assert "SAMPLE P." in opened.stdout
    assert verify_dossier(path.read_bytes(), password="SAMPLE pass 42").ok
    assert seen == []
    context.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_big_case_leaves_files_out_by_number_by_keyboard(browser, live, tmp_path, monkeypatch, lang):
    """Past LIST_ITEMS_UP_TO files (lowered here) the dossier page takes the numbers of the files to
    leave out, as the case page shows them: a wrong number is explained (axe) and kept, a right one
    leaves exactly that file out."""
    import json

    from pypdf import PdfReader

    from helper.dossier.manifest import MANIFEST_NAME
    from helper.web.dossier import routes

    monkeypatch.setattr(routes, "LIST_ITEMS_UP_TO", 1)
    context, page, app, seen = open_new_case(
        browser, live, f"Many {lang}", {"en": "en-US", "fr": "fr-FR"}[lang]
    )
    app.go_to_case_page()
    files = []
    for n in range(3):
        files.append(tmp_path / f"shot-{n}-SAMPLE.png")
        files[-1].write_bytes(samples.png(64 + n, 48))
    app.upload(*files)
    expect(page.locator("table.evidence")).to_contain_text("E3")
    tab_to(page, "a[href*='/dossier/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("input[name=item]")).to_have_count(0)
    type_into(page, "#leave_out", "E2, E9")
    tab_to(page, "main form button.primary")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#leave_out")).to_have_value("E2, E9")
    expect(page.locator("#leave_out-error")).to_contain_text("E9")
    assert_accessible(page, f"{lang}-d2-leave-out-error")
    tab_to(page, "#leave_out")
    page.keyboard.press("Control+A")
    page.keyboard.type("E2")
    tab_to(page, "main form button.primary")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    path = tmp_path / "dossier.pdf"
    download.value.save_as(path)
    items = json.loads(PdfReader(path).attachments[MANIFEST_NAME][0])["items"]
    case = saved_case(live, f"Many {lang}")
    assert [i["sha256"] for i in items] == [case.evidence[0].sha256, case.evidence[2].sha256]
    assert seen == []
    context.close()
