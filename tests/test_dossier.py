"""The dossier: every record in the PDF as text, hostile strings as typed, a signed manifest,
password protection, pages that render, and the two commands."""

from __future__ import annotations

import base64
import io
import json
import subprocess

import pytest
from pypdf import PdfReader, PdfWriter

from helper.casework import cases
from helper.dossier import DossierOptions, export_dossier
from helper.dossier.manifest import MANIFEST_NAME, SIGNATURE_NAME, verify_dossier
from tests.support import dossier_case
from tests.support.dossier_case import HOSTILE


@pytest.fixture
def case(unlocked):
    return dossier_case.build(unlocked)


def text_of(pdf: bytes, password: str = "") -> str:
    reader = PdfReader(io.BytesIO(pdf))
    if password:
        reader.decrypt(password)
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return "".join(text.split())


def test_every_hash_and_every_ledger_row_is_in_the_text(unlocked, case):
    pdf = export_dossier(unlocked, case.id, DossierOptions())
    text = flat(text_of(pdf))
    for item in case.evidence:
        assert item.sha256 in text
        assert item.md5 in text
        if item.image:
            assert item.image.pdq in text
    payment = case.payments[0]
    for value in (payment.amount, payment.currency, payment.wallet_address, payment.tx_hash):
        assert flat(value) in text
    assert "REF-0001" in text
    assert flat("@sam.sample.42") in text
    assert flat("I have your pictures. Pay 500") in text  # the quoted message
    assert unlocked.journal(case.id)[-2].hash in text  # the journal head before the export itself


def test_hostile_strings_print_as_typed(unlocked, case):
    text = text_of(export_dossier(unlocked, case.id, DossierOptions(person=HOSTILE)))
    assert flat(HOSTILE) in flat(text)
    assert "Ζωή" in text
    assert "Жанна" in text


def test_the_manifest_signature_verifies_and_fails_after_a_one_byte_change(unlocked, case):
    pdf = export_dossier(unlocked, case.id, DossierOptions())
    result = verify_dossier(pdf)
    assert result.ok, result.problems
    assert result.fingerprint.replace(" ", "") in flat(text_of(pdf))  # printed on the cover
    assert [i["sha256"] for i in result.manifest["items"]] == [it.sha256 for it in case.evidence]

    reader = PdfReader(io.BytesIO(pdf))
    manifest = bytearray(reader.attachments[MANIFEST_NAME][0])
    manifest[manifest.index(b"E1")] = ord("X")  # one byte
    writer = PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.add_attachment(MANIFEST_NAME, bytes(manifest))
    writer.add_attachment(SIGNATURE_NAME, reader.attachments[SIGNATURE_NAME][0])
    out = io.BytesIO()
    writer.write(out)
    changed = verify_dossier(out.getvalue())
    assert not changed.ok
    assert "changed after export" in str(changed.problems[0])


def test_verify_checks_exported_original_files(unlocked, case, tmp_path):
    pdf = export_dossier(unlocked, case.id, DossierOptions())
    for item in case.evidence:
        with (tmp_path / item.original_name).open("wb") as f:
            unlocked.open_evidence(case.id, item.id).write_to(f)
    assert verify_dossier(pdf, tmp_path).files_checked == len(case.evidence)
    (tmp_path / case.evidence[0].original_name).write_bytes(b"changed")
    result = verify_dossier(pdf, tmp_path)
    assert not result.ok
    assert "shot-0.png" in str(result.problems[0])


def test_a_password_protected_dossier_opens_with_its_password_only(unlocked, case, tmp_path):
    pdf = export_dossier(unlocked, case.id, DossierOptions(password="SAMPLE pass phrase"))
    path = tmp_path / "d.pdf"
    path.write_bytes(pdf)
    opened = subprocess.run(
        ["pdftotext", "-upw", "SAMPLE pass phrase", str(path), "-"], capture_output=True, text=True
    )
    assert opened.returncode == 0
    assert "CONFIDENTIAL" in opened.stdout
    refused = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
    assert refused.returncode != 0
    assert PdfReader(io.BytesIO(pdf)).is_encrypted
    assert verify_dossier(pdf, password="SAMPLE pass phrase").ok


def test_intimate_items_are_blurred_unless_chosen_for_this_export(unlocked, case):
    from helper.dossier import gather

    intimate = next(it for it in case.evidence if it.intimate)
    entry = next(e for e in gather(unlocked, case.id, DossierOptions()).items if e.item.id == intimate.id)
    assert entry.blurred
    assert entry.thumbnail == unlocked.open_item(intimate).derived(intimate.image.blurred_blob)
    chosen = gather(unlocked, case.id, DossierOptions(show_intimate=frozenset({intimate.id})))
    entry = next(e for e in chosen.items if e.item.id == intimate.id)
    assert entry.thumbnail == unlocked.open_item(intimate).derived(intimate.image.thumbnail_blob)


def test_the_export_is_journaled_and_the_french_dossier_is_in_french(unlocked, case):
    pdf = export_dossier(unlocked, case.id, DossierOptions(lang="fr"))
    assert unlocked.journal(case.id)[-1].action == "dossier.exported"
    text = text_of(pdf)
    assert "CONFIDENTIEL" in text
    assert "Chronologie" in text


def test_pages_render_with_pdftoppm(unlocked, case, tmp_path):
    path = tmp_path / "d.pdf"
    path.write_bytes(export_dossier(unlocked, case.id, DossierOptions()))
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(PdfReader(str(path)).pages) >= 6
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Incident Helper" in info


def test_every_page_says_page_x_of_y_and_the_outline_has_the_sections(unlocked, case):
    reader = PdfReader(io.BytesIO(export_dossier(unlocked, case.id, DossierOptions())))
    total = len(reader.pages)
    for n, page in enumerate(reader.pages, start=1):
        assert f"page {n} of {total}" in page.extract_text()
    titles = [o.title for o in reader.outline if not isinstance(o, list)]
    assert "Summary" in titles
    assert "Chain of custody" in titles


def test_the_dossier_and_verify_dossier_commands(vault_dir, tmp_path):
    from tests.support.cli import run
    from tests.support.web import PASSPHRASE

    shot = tmp_path / "shot.png"
    from tests.support import samples

    shot.write_bytes(samples.png(200, 150))
    run("import", "--vault", str(vault_dir), "--case", "C", str(shot), stdin=f"{PASSPHRASE}\n")
    out = tmp_path / "dossier.pdf"
    bundle = tmp_path / "bundle" / "originals.zip"
    bundle.parent.mkdir()
    made = run(
        "dossier",
        "--vault",
        str(vault_dir),
        "--case",
        "C",
        "-o",
        str(out),
        "--lang",
        "fr",
        "--intimate",
        "hide",
        "--originals",
        str(bundle),
        stdin=f"{PASSPHRASE}\n",
    )
    assert made.returncode == 0, made.stderr
    assert "not encrypted" in made.stdout
    assert "1 of 1 file(s) found" in run("verify-dossier", str(bundle)).stdout
    checked = run("verify-dossier", str(out), "--evidence", str(tmp_path))
    assert checked.returncode == 0, checked.stdout
    assert "Signature: valid" in checked.stdout
    assert "1 of 1 file(s) found" in checked.stdout
    data = json.loads(PdfReader(str(out)).attachments[MANIFEST_NAME][0])
    assert base64.b64decode(data["public_key"])
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 not really")
    assert run("verify-dossier", str(bad)).returncode == 1


# -- the app -----------------------------------------------------------------------------------


def test_export_from_the_app_is_a_pdf_download_in_the_chosen_language(client, token, unlocked, case):
    page = client.get(f"/dossier/{case.id}").get_data(as_text=True)
    assert "Without a password, anyone who uses this computer could open it." in page
    response = client.post(
        f"/dossier/{case.id}",
        data={"csrf_token": token, "lang": "fr", "person": HOSTILE, "password": "", "password_again": ""},
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "CONFIDENTIEL" in text_of(response.data)
    assert verify_dossier(response.data).ok


def test_export_with_a_password_and_a_mismatch_explained(client, token, unlocked, case):
    bad = client.post(
        f"/dossier/{case.id}",
        data={"csrf_token": token, "lang": "en", "password": "SAMPLE pass", "password_again": "other"},
    )
    assert bad.status_code == 400
    assert "The two passwords are not the same." in bad.get_data(as_text=True)
    good = client.post(
        f"/dossier/{case.id}",
        data={"csrf_token": token, "lang": "en", "password": "SAMPLE pass", "password_again": "SAMPLE pass"},
    )
    assert PdfReader(io.BytesIO(good.data)).is_encrypted
    assert unlocked.journal(case.id)[-1].detail["password"] is True


def test_unblurred_only_when_ticked(client, token, unlocked, case):
    client.post(f"/dossier/{case.id}", data={"csrf_token": token, "lang": "en", "intimate": "show"})
    intimate = next(it for it in case.evidence if it.intimate)
    assert unlocked.journal(case.id)[-1].detail["unblurred"] == [intimate.id]


def test_export_needs_csrf_and_the_file_never_touches_the_vault_folder(client, unlocked, case):
    before = sorted(p.name for p in unlocked.path.rglob("*"))
    assert client.post(f"/dossier/{case.id}", data={"lang": "en"}).status_code == 400
    assert sorted(p.name for p in unlocked.path.rglob("*")) == before


def test_only_the_ticked_items_go_in(client, token, unlocked, case):
    first = case.evidence[0]
    response = client.post(
        f"/dossier/{case.id}",
        data={"csrf_token": token, "lang": "en", "items_listed": "1", "item": [first.id, "not-an-item"]},
    )
    items = PdfReader(io.BytesIO(response.data)).attachments[MANIFEST_NAME][0]
    assert [i["sha256"] for i in json.loads(items)["items"]] == [first.sha256]


def test_a_big_case_names_the_files_to_leave_out_instead_of_listing_boxes(client, token, case, monkeypatch):
    """Past LIST_ITEMS_UP_TO files the page holds no box per file; the person types the numbers of
    those to leave out, as the case page shows them."""
    from helper.web.dossier import routes

    monkeypatch.setattr(routes, "LIST_ITEMS_UP_TO", 1)
    count = len(case.evidence)
    page = client.get(f"/dossier/{case.id}").get_data(as_text=True)
    assert 'name="item"' not in page
    assert f"All {count} files are in, E1 to E{count}." in page
    response = client.post(f"/dossier/{case.id}", data={"csrf_token": token, "lang": "en", "leave_out": "e1"})
    items = json.loads(PdfReader(io.BytesIO(response.data)).attachments[MANIFEST_NAME][0])["items"]
    assert [i["sha256"] for i in items] == [it.sha256 for it in case.evidence[1:]]


@pytest.mark.parametrize("typed", ["E0", "E99", "twelve", "E3-E2"])
def test_a_number_that_is_not_a_file_is_explained_and_kept(client, token, case, monkeypatch, typed):
    from helper.web.dossier import routes

    monkeypatch.setattr(routes, "LIST_ITEMS_UP_TO", 1)
    data = {"csrf_token": token, "lang": "en", "leave_out": typed, "person": "SAMPLE"}
    response = client.post(f"/dossier/{case.id}", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "is not a file number of this case" in page
    assert f'value="{typed}"' in page
    assert 'value="SAMPLE"' in page


def test_item_numbers_read_as_people_type_them():
    from helper.dossier.data import item_numbers

    assert item_numbers("E2, e4-E6;8", 10) == {2, 4, 5, 6, 8}
    assert item_numbers("  ", 10) == frozenset()
    assert item_numbers("E1–E3", 3) == {1, 2, 3}  # an en dash, as phones type it
    for bad in ("E11", "0", "E-3", "E3-", "E5-E4", "E1 x"):
        with pytest.raises(ValueError, match="."):
            item_numbers(bad, 10)


def test_the_originals_bundle_streams_every_file_unchanged_with_the_signed_manifest(
    client, token, unlocked, case
):
    from helper.dossier.manifest import verify_bundle

    response = client.post(
        f"/dossier/{case.id}", data={"csrf_token": token, "lang": "en", "action": "originals"}
    )
    assert response.headers["Content-Type"] == "application/zip"
    assert response.is_streamed
    bundle = response.get_data()
    result = verify_bundle(bundle)
    assert result.ok, result.problems
    assert result.files_checked == len(case.evidence)
    import zipfile

    with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
        names = archive.namelist()
        assert "originals/E1-shot-0.png" in names
        out = io.BytesIO()
        unlocked.open_evidence(case.id, case.evidence[0].id).write_to(out)
        assert archive.read("originals/E1-shot-0.png") == out.getvalue()
    assert unlocked.journal(case.id)[-1].action == "originals.exported"


def test_a_changed_file_in_the_bundle_is_named(unlocked, case):
    import zipfile

    from helper.dossier.bundle import originals_bundle
    from helper.dossier.manifest import verify_bundle

    bundle = b"".join(originals_bundle(unlocked, case.id, DossierOptions()))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(bundle)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info.filename, data + b"x" if info.filename.endswith("shot-0.png") else data)
    result = verify_bundle(out.getvalue())
    assert not result.ok
    assert "shot-0.png" in str(result.problems[0])


def test_verify_dossier_also_checks_an_originals_bundle(unlocked, case, tmp_path):
    from helper.dossier.bundle import originals_bundle
    from tests.support.cli import run

    path = tmp_path / "originals.zip"
    path.write_bytes(b"".join(originals_bundle(unlocked, case.id, DossierOptions())))
    checked = run("verify-dossier", str(path))
    assert checked.returncode == 0, checked.stdout
    assert f"{len(case.evidence)} of {len(case.evidence)} file(s) found" in checked.stdout


def test_intimate_pictures_can_be_left_out_entirely(unlocked, case):
    from helper.dossier import gather

    data = gather(unlocked, case.id, DossierOptions(hide_intimate=True))
    intimate = next(e for e in data.items if e.item.intimate)
    assert intimate.thumbnail is None
    assert all(e.thumbnail for e in data.items if not e.item.intimate and e.item.image)
    assert "Not shown on purpose" in text_of(
        export_dossier(unlocked, case.id, DossierOptions(hide_intimate=True))
    )


def test_other_peoples_names_can_be_withheld_and_theirs_stay(unlocked, case):
    from helper.case import Quote

    chat = next(it for it in case.evidence if it.chat)
    quotes = (
        Quote(id="q1", item_id=chat.id, index=1, sender="Pat Example", text="Pat Example here, stop"),
        Quote(
            id="q2",
            item_id=chat.id,
            index=3,
            sender="Sam Sample",
            text="I will send it to pat example's school",
        ),
    )
    unlocked.update_case(case.id, lambda c: c.with_quotes(quotes), None, {})
    text = text_of(export_dossier(unlocked, case.id, DossierOptions(redact_names=True)))
    assert "Pat Example" not in text
    assert "pat example" not in text
    assert "Sam Sample" in text  # the account threatening keeps its name
    plain = text_of(export_dossier(unlocked, case.id, DossierOptions()))
    assert "Pat Example" in plain


# -- the case's name stays private unless the person chooses ------------------------------------


def test_the_case_name_is_not_printed_unless_chosen(unlocked, case):
    secret = case.title
    neutral = export_dossier(unlocked, case.id, DossierOptions())
    reader = PdfReader(io.BytesIO(neutral))
    assert flat(secret) not in flat(text_of(neutral))
    assert secret not in (reader.metadata.title or "")
    assert "Evidence dossier" in reader.pages[1].extract_text()  # the header of every page
    assert json.loads(reader.attachments[MANIFEST_NAME][0])["case"]["title"] == ""
    named = export_dossier(unlocked, case.id, DossierOptions(show_title=True))
    assert flat(secret) in flat(text_of(named))


def test_the_downloads_name_is_neutral_unless_chosen(client, token, unlocked, case):
    plain = client.post(f"/dossier/{case.id}", data={"csrf_token": token, "lang": "en"})
    assert "dossier 20" in plain.headers["Content-Disposition"]
    assert "Instagram" not in plain.headers["Content-Disposition"]
    cases.rename(unlocked, case.id, "Instagram March")
    named = client.post(
        f"/dossier/{case.id}", data={"csrf_token": token, "lang": "en", "show_case_name": "y"}
    )
    assert "Instagram March" in named.headers["Content-Disposition"]


HEADINGS = (
    "Timeline",
    "Their accounts",
    "Demands and payments",
    "The threats",
    "Where the images are",
    "Reports already made",
    "Evidence index",
    "Chain of custody",
)


@pytest.mark.parametrize("events", [23, 26, 30, 33, 36])
def test_a_section_heading_never_sits_alone_at_the_foot_of_a_page(unlocked, events):
    """Timelines of these lengths used to leave one heading or another at the foot of page 2."""
    from helper.case import Event

    case = unlocked.create_case("Layout")

    def fill(c):
        for n in range(events):
            c = c.with_entry(
                "events", Event(id=f"e{n}", at=f"2026-03-{n % 28 + 1:02d}T10:00", text=f"SAMPLE {n}")
            )
        return c

    unlocked.update_case(case.id, fill, "walkthrough.saved", {"step": "timeline"})
    reader = PdfReader(io.BytesIO(export_dossier(unlocked, case.id, DossierOptions())))
    for page in reader.pages:
        lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        body = [line for line in lines if not line.startswith("page ")]
        assert body[-1] not in HEADINGS, body[-3:]


def test_verify_dossier_tells_a_wrong_password_from_a_missing_one(unlocked, case):
    pdf = export_dossier(unlocked, case.id, DossierOptions(password="SAMPLE pass phrase"))
    assert "give its password" in str(verify_dossier(pdf).problems[0])
    wrong = str(verify_dossier(pdf, password="not it").problems[0])
    assert "does not open the dossier" in wrong
    assert "give its password" not in wrong


def test_the_font_is_the_packaged_copy_never_the_systems():
    """No system font is needed: DejaVu comes with the app, with its licence (fonts-dejavu-core may be
    absent on the person's computer)."""
    from reportlab.pdfbase import pdfmetrics

    from helper.dossier import styles
    from helper.resources import data_dir

    assert styles.font_dir() == data_dir("fonts")
    assert (styles.font_dir() / "LICENSE-DejaVu.txt").is_file()
    styles.register_fonts()
    for name in ("DejaVu", "DejaVu-Bold", "DejaVu-Mono"):
        path = pdfmetrics.getFont(name).face.filename
        assert str(path).startswith(str(data_dir("fonts"))), path
        assert "/usr/share/fonts" not in str(path)


def test_the_dossier_prints_the_etat_civil_and_the_witnesses_for_the_complaint(unlocked, case):
    from helper.case import Complaint, Witness

    details = Complaint(
        "1994-03-02", "Sampleville", "Lyon", (Witness("Alex Sample", "2 Sample Road", "SAMPLE"),)
    )
    unlocked.update_case(case.id, lambda c: c.with_complaint(details), None, {})
    english = flat(text_of(export_dossier(unlocked, case.id, DossierOptions())))
    assert flat("For a complaint: civil status and witnesses") in english
    assert (
        flat("Date and place of birth of the person filing: Mar 2, 1994, Sampleville") in english
    )  # a US case
    assert flat("Alex Sample") in english
    french = flat(text_of(export_dossier(unlocked, case.id, DossierOptions(lang="fr"))))
    assert flat("Pour une plainte : état civil et témoins") in french
    assert flat("Tribunal judiciaire : Lyon") in french


def test_a_dossier_without_complaint_details_has_no_empty_section(unlocked, case):
    from helper.case import Complaint

    unlocked.update_case(case.id, lambda c: c.with_complaint(Complaint()), None, {})
    assert "civil status" not in text_of(export_dossier(unlocked, case.id, DossierOptions()))
