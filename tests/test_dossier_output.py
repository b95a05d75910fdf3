"""The dossier and the session summary read right, as a person reads them on the page: dates written
for a person in the dossier's language and region, French punctuation, table cells that wrap between
words only, the letters as they were written, and the export page offering what the case holds."""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from helper.case import CounselorNote, LetterCopy, Payment, Report
from helper.content import shipped
from helper.dossier import DossierOptions, export_dossier
from helper.dossier.summary import SummaryInput, render_summary
from helper.letters.tracker import Tracker
from tests.support import dossier_case
from tests.support.cases import sample_case, save_case

# An ISO date or date-time as stored ("2026-10-26", "2026-10-26T08:15", "2026-10-26 08:15:00+01:00").
MACHINE_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")

LETTER_TEXT = (
    "To the SAMPLE platform\n\nFirst paragraph (SAMPLE).\nIts second line.\n\n\nLast paragraph (SAMPLE)."
)
REFERENCE = "PHA-2026-031377"


def layout_text(pdf: bytes, tmp_path) -> str:
    """The PDF's text laid out as on the page (pdftotext -layout): a word cut across two lines of a
    cell shows as two pieces on two lines."""
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return done.stdout


def _with_everything(case, country: str):
    """The dossier's case in `country`, with a crypto demand, a helpline's long reference, a letter
    kept with its blank lines and a counselor's note."""
    letter = LetterCopy(
        id="L1", kind="platform-report", lang="en", written_at="2026-10-30T13:05:00+00:00", text=LETTER_TEXT
    )
    note = CounselorNote(id="n1", at="2026-10-30T13:20:00+00:00", author="Alex Sample", text="Calm (SAMPLE).")
    payment = Payment(
        id="p2",
        paid=False,
        amount="500",
        currency="EUR",
        method="crypto",
        at="2026-10-27",
        wallet_address="bc1qanothersampleaddressyyyyyyyyyyyyyyyy",
    )
    helpline = Report(id="r2", target="helpline", name="PHAROS", made_on="2026-10-29", reference=REFERENCE)
    return replace(
        case.with_incident(country=country).with_letter(letter),
        payments=(*case.payments, payment),
        reports=(*case.reports, helpline),
        counselor_notes=(note,),
    )


@pytest.fixture(params=["US", "GB", "AU"])
def country(request) -> str:
    return request.param


@pytest.fixture
def case(unlocked, country):
    built = dossier_case.build(unlocked)
    unlocked.update_case(built.id, lambda c: _with_everything(c, country), None, {})
    return unlocked.load_case(built.id)


def dossier_text(unlocked, case, tmp_path, lang: str, **options) -> str:
    chosen = {"letters": True, "counselor_notes": True, **options}
    pdf = export_dossier(unlocked, case.id, DossierOptions(lang=lang, **chosen))
    return layout_text(pdf, tmp_path)


# How the payment of 26 October 2026 at 09:00 reads, per language and country.
PAID_AT = {
    ("en", "US"): "Oct 26, 2026, 9:00 AM",
    ("en", "GB"): "26 Oct 2026, 09:00",
    ("fr", "US"): "26 oct. 2026, 09:00",
    ("fr", "GB"): "26 oct. 2026, 09:00",
    ("en", "AU"): "26 Oct 2026, 9:00 am",
    ("fr", "AU"): "26 oct. 2026, 09:00",
}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_date_of_the_dossier_is_written_for_a_person_one_way(unlocked, case, tmp_path, lang, country):
    text = dossier_text(unlocked, case, tmp_path, lang, letters=False)
    assert not MACHINE_DATE.findall(text), MACHINE_DATE.findall(text)[:5]
    assert not re.search(r"\d:\d\d(:\d\d)?[+-]\d\d:\d\d", text)  # no time with its offset
    assert PAID_AT[lang, country] in " ".join(text.split())


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_table_cells_wrap_between_words_never_inside_a_word_or_a_reference(unlocked, case, tmp_path, lang):
    text = dossier_text(unlocked, case, tmp_path, lang)
    method = {"en": "Crypto-currency", "fr": "Cryptomonnaie"}[lang]
    assert method in text  # not "Crypto-curren" on one line and "cy" on the next
    assert REFERENCE in text
    assert "REF-0001" in text


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_letters_appendix_names_each_letter_with_a_date_and_keeps_its_blank_lines(
    unlocked, case, tmp_path, lang
):
    text = dossier_text(unlocked, case, tmp_path, lang)
    heading = next(line for line in text.splitlines() if re.search(r"(Letter|Courrier) 1\b", line))
    assert not MACHINE_DATE.search(heading), heading
    assert "30" in heading
    assert {"en": "Report to the platform", "fr": "Signalement à la plateforme"}[lang] in heading
    lines = [line.strip() for line in text.splitlines()]
    start = lines.index("To the SAMPLE platform")
    body = lines[start : lines.index("Last paragraph (SAMPLE).") + 1]
    # each blank line of the letter is a blank line on the page, and a line break stays a line break
    assert body[1] == ""
    assert body[2:4] == ["First paragraph (SAMPLE).", "Its second line."]
    assert body[4] == ""
    assert body[-2] == ""


# A colon, semicolon, question or exclamation mark glued to the word before it ("Instagram: Rappel").
GLUED = re.compile(r"\w[:;?!](?!//|\d)")


def test_the_french_dossier_puts_a_space_before_colons(unlocked, case, tmp_path):
    text = dossier_text(unlocked, case, tmp_path, "fr", letters=False)  # the letters are as written
    typed = text.replace("&amp;", "")  # the person's own words (HOSTILE) are as they typed them
    assert not GLUED.findall(typed), GLUED.findall(typed)[:5]
    assert "Demandé : 500 EUR" in " ".join(text.split())


def test_french_punctuation_is_held_to_its_word_by_a_no_break_space_reportlab_keeps():
    """The space before « : ; ! ? » is U+00A0, which reportlab never breaks a line at (it does break
    at U+202F, the narrow one): a colon never starts a line."""
    from reportlab.platypus import Paragraph

    from helper.dossier.reader import NBSP, Reader
    from helper.dossier.styles import styles

    reader = Reader("fr", "FR")
    line = reader.labelled("Demandé", "500 EUR")
    assert line == f"Demandé{NBSP}: 500 EUR"
    assert reader.gettext("In danger right now? Call %(number)s.").startswith(f"En danger maintenant{NBSP}?")
    paragraph = Paragraph(line, styles()["cell"])
    paragraph.wrap(1, 1000)  # as narrow as can be: one word a line
    assert [words for _width, words in paragraph.blPara.lines] == [[f"Demandé{NBSP}:"], ["500"], ["EUR"]]


# -- the session summary -------------------------------------------------------------------------


def summary_text(unlocked, case, tmp_path, lang: str) -> str:
    content = shipped()
    country = content.country(case.incident.country or "INTL")
    now = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    pdf = render_summary(
        SummaryInput(
            case=case,
            journal=unlocked.journal(case.id),
            whats_next=tuple(Tracker(content).whats_next(case, now)),
            lines=content.lines_for(country.code) or content.lines_for("INTL"),
            emergency=country.emergency,
            counselor="Alex Sample",
            organisation="SAMPLE Helpline",
            lang=lang,
            content=content,
        )
    )
    return layout_text(pdf, tmp_path)


@pytest.fixture
def sent_case(unlocked, country):
    """The sample case with its reports sent on 20 November 2026 (what comes next has dates)."""
    return save_case(unlocked, sample_case(country=country))


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_the_session_summary_writes_dates_for_a_person(unlocked, sent_case, tmp_path, lang, country):
    text = summary_text(unlocked, sent_case, tmp_path, lang)
    assert not MACHINE_DATE.findall(text), MACHINE_DATE.findall(text)[:5]
    # the days the answers are awaited, as the reader writes a day: "Nov 23, 2026" in the US
    day = {
        "en": {"US": r"[A-Z][a-z]{2} \d{1,2}, 2026"}.get(country, r"\d{1,2} [A-Z][a-z]{2} 2026"),
        "fr": r"\d{1,2} (nov\.|déc\.) 2026",
        "es": r"\d{1,2} (nov|dic) 2026",
    }[lang]
    reminder = {"en": "Reminder on", "fr": "Rappel le", "es": "Recordatorio el"}[lang]
    assert re.search(rf"{reminder} {day}", text), text


def test_the_spanish_session_summary_has_no_english_or_french_line(unlocked, sent_case, tmp_path):
    text = " ".join(summary_text(unlocked, sent_case, tmp_path, "es").split())
    for spanish in ("Resumen de la sesión", "Lo que se hizo", "Lo que viene ahora", "A quién llamar"):
        assert spanish in text, spanish
    for foreign in ("Session summary", "What was done", "Who to call", "Reminder on", "You did nothing wrong",
                    "Résumé de la séance", "Qui appeler", "Rappel le", "Vous n’avez rien fait"):  # fmt: skip
        assert foreign not in text, foreign


def test_the_french_session_summary_puts_a_space_before_each_colon(unlocked, sent_case, tmp_path):
    text = summary_text(unlocked, sent_case, tmp_path, "fr")
    flat = " ".join(text.split())
    assert "Instagram : Rappel le" in flat or "Instagram : À" in flat, flat
    assert not GLUED.findall(text), GLUED.findall(text)[:5]


# -- the export page ------------------------------------------------------------------------------


def test_the_export_page_offers_the_letters_and_the_notes_whenever_the_case_has_them(client, unlocked):
    letter = LetterCopy(
        id="L1", kind="platform-report", lang="en", written_at="2026-10-30T13:05:00+00:00", text="SAMPLE"
    )
    note = CounselorNote(id="n1", at="2026-10-30T13:20:00+00:00", author="Alex Sample", text="SAMPLE")
    plain = save_case(unlocked, sample_case(evidence=()))  # no file, so no chat message quoted
    page = client.get(f"/dossier/{plain.id}").get_data(as_text=True)
    assert 'name="letters"' not in page
    assert 'name="counselor_notes"' not in page
    assert 'name="redact_names"' not in page  # no quoted message: no name to withhold
    full = save_case(unlocked, replace(sample_case(evidence=()).with_letter(letter), counselor_notes=(note,)))
    page = client.get(f"/dossier/{full.id}").get_data(as_text=True)
    assert 'name="letters"' in page
    assert 'name="counselor_notes"' in page


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_chain_of_custody_names_a_hash_service_in_words_not_by_its_code(lang):
    from helper.dossier.reader import Reader
    from helper.dossier.render import _detail

    shown = _detail({"service": "take-it-down"}, Reader(lang, "FR"))
    assert "Take It Down" in shown
    assert "take-it-down" not in shown
