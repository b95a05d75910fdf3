"""Spain's letters in Spanish (issue 23, deliverable 2): the DSA notice, the GDPR erasure request and the
bank report in the recipient's Spanish, and a police complaint (denuncia) for Spain citing the Código
Penal as content/jurisdictions/ES.toml does; the plan offers them to a person in Spain, and no other
country's police."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from helper.case import Payment, Report
from helper.casework.letters import letter_language
from helper.letters.plan import plan
from tests.support.cases import ITEM, SENT_AT
from tests.support.letters import CONTENT_ROOT, TODAY, full_case, writer

WRITER = writer()
CONTENT = WRITER.content
SPANISH = ["dsa-notice", "gdpr-erasure", "payment-report", "police-es-denuncia"]
PLATFORM = {"dsa-notice": "instagram", "gdpr-erasure": "instagram"}
OTHER_POLICE = [
    "police-us-ic3",
    "police-fr-procureur",
    "police-fr-thesee",
    "police-uk",
    "police-ca",
    "esafety",
]


def spanish(kind_id, case=None, **kwargs):
    case = case or full_case("ES")
    return WRITER.write(case, kind_id, PLATFORM.get(kind_id), "es", TODAY, **kwargs)


def denuncia(case=None):
    return spanish("police-es-denuncia", case)


def test_the_eu_letters_and_the_bank_report_are_written_in_spanish_too():
    for kind_id in ("dsa-notice", "gdpr-erasure", "payment-report"):
        assert "es" in CONTENT.kind(kind_id).langs, kind_id


def test_the_denuncia_is_a_spanish_police_letter_that_discloses_everything():
    kind = CONTENT.kind("police-es-denuncia")
    assert kind.langs == ("es",)
    assert kind.jurisdiction == "ES"
    assert tuple(kind.countries) == ("ES",)
    assert kind.group == "police"
    assert {"name", "signature", "email", "phone", "address"} <= set(kind.contact)
    assert kind.narrative == "full"
    assert kind.suspect_accounts
    assert kind.source == "https://www.policia.es/_es/denuncias.php"  # ES.toml's Policía Nacional page


@pytest.mark.parametrize("kind_id", SPANISH)
def test_each_spanish_letter_is_complete_for_a_complete_case_in_spain(kind_id):
    letter = spanish(kind_id)
    assert letter.lang == "es"
    assert letter.complete, [e.id for e in letter.missing]
    assert "[" not in letter.text
    assert "28 de noviembre de 2026" in letter.text  # the date as a Spanish reader writes it


def test_a_person_in_spain_is_offered_the_denuncia_and_the_eu_letters_in_spanish_and_no_other_police():
    case = full_case("ES")
    kinds = {a.kind.id for a in plan(WRITER, case) if a.kind}
    assert {"police-es-denuncia", "dsa-notice", "payment-report"} <= kinds
    assert not kinds & set(OTHER_POLICE), kinds & set(OTHER_POLICE)
    offered = {o.kind.id for o in WRITER.options(case)}  # the erasure request is a letter of its own
    assert "gdpr-erasure" in offered
    assert not offered & set(OTHER_POLICE), offered & set(OTHER_POLICE)
    for kind_id in ("police-es-denuncia", "dsa-notice", "gdpr-erasure", "payment-report"):
        assert letter_language(CONTENT.kind(kind_id), None, "es") == "es"


@pytest.mark.parametrize("country", ["FR", "US", "GB", "CA", "AU", "IE", "BE", "CH"])
def test_no_one_outside_spain_is_offered_the_denuncia(country):
    kinds = {a.kind.id for a in plan(WRITER, full_case(country)) if a.kind}
    assert "police-es-denuncia" not in kinds


def _literal_sentences(path) -> list[str]:
    """The template's own words: the text outside its tags, in pieces long enough to be a phrase."""
    source = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", "\n", path.read_text(), flags=re.S)
    pieces = re.split(r"[\n:;,.()«»“”\"]+", source)
    return [p.strip() for p in pieces if len(p.strip()) >= 12 and not p.strip().startswith("[")]


# Words of English or of French that a Spanish letter has no reason to hold.
FOREIGN_WORDS = {
    "the", "and", "of", "to", "your", "you", "with", "for", "this", "that", "is", "are", "please", "date",
    "et", "vous", "je", "des", "du", "aux", "est", "avec", "nous", "votre", "pour", "dans", "une", "madame",
    "monsieur", "plainte", "pièce",
}  # fmt: skip


@pytest.mark.parametrize("kind_id", SPANISH)
def test_a_spanish_letter_has_no_english_or_french_words_of_its_own(kind_id):
    path = CONTENT_ROOT / "letters" / f"{kind_id}.es.txt"
    words = {w.lower() for piece in _literal_sentences(path) for w in re.findall(r"[^\W\d_]+", piece)}
    assert not words & FOREIGN_WORDS, words & FOREIGN_WORDS
    text = spanish(kind_id).text
    for lang in ("en", "fr"):
        other = CONTENT_ROOT / "letters" / f"{kind_id}.{lang}.txt"
        if other.exists():
            shown = [s for s in _literal_sentences(other) if s in text]
            assert shown == [], (lang, shown)


def test_the_eu_letters_cite_the_regulations_in_their_official_spanish_form():
    dsa = spanish("dsa-notice").text
    assert "artículo 16 del Reglamento (UE) 2022/2065" in dsa
    for point in ("a", "b", "c", "d"):
        assert f"(artículo 16, apartado 2, letra {point})" in dsa
    assert "buena fe" in dsa
    assert "precisas y completas" in dsa
    gdpr = spanish("gdpr-erasure").text
    assert "artículo 17 del Reglamento (UE) 2016/679" in gdpr
    points = ("Artículo 17, apartado 1, letra d)", "Artículo 17, apartado 1, letra b)")
    for point in (*points, "artículo 17, apartado 2", "artículo 12, apartado 3", "artículo 12, apartado 4"):
        assert point in gdpr, point


def test_a_dsa_notice_for_images_of_a_minor_may_leave_out_the_name_in_spanish():
    text = spanish("dsa-notice", full_case("ES", minor="yes")).text
    assert "Directiva 2011/93/UE" in text
    assert "pueden omitirse el nombre y la dirección de correo electrónico" in text
    gdpr = spanish("gdpr-erasure", full_case("ES", minor="yes")).text
    assert "Artículo 17, apartado 1, letra f)" in gdpr


def _offences_of_spain(minor: bool) -> list[str]:
    spain = next(j for j in CONTENT.jurisdictions if j.code == "ES")
    return [f"{o.cite}: {o.name.get('es')}" for o in spain.offences if o.confirmed and (o.adults or minor)]


def test_the_denuncia_cites_the_codigo_penal_exactly_as_the_content_does():
    text = denuncia().text
    cited = [line[2:] for line in text.splitlines() if line.startswith("- Código Penal")]
    assert cited == [o for o in _offences_of_spain(False) if "art. 189" not in o]
    assert cited[:4] == [
        "Código Penal, art. 197.7: Difundir imágenes o grabaciones íntimas sin consentimiento",
        "Código Penal, art. 171.2: Chantaje: exigir dinero con la amenaza de revelar la vida privada",
        "Código Penal, art. 169: Amenazas de un mal que es delito",
        "Código Penal, art. 243: Extorsión",
    ]
    minor = denuncia(full_case("ES", minor="yes")).text
    assert "- Código Penal, art. 189: Imágenes sexuales de menores\n" in minor


def test_the_denuncia_lists_the_evidence_as_numbered_annexes_and_ends_with_place_date_and_signature():
    items = tuple(
        replace(ITEM, id=f"e{n}", original_name=f"shot-{n}.png", sha256=f"{n:064x}") for n in (1, 2)
    )
    case = replace(full_case("ES"), evidence=items)
    text = denuncia(case).text
    assert "Anexos" in text
    assert "- Anexo E1: shot-1.png\n" in text
    assert "- Anexo E2: shot-2.png\n" in text
    assert text.index("Anexo E1") < text.index(f"{1:064x}") < text.index("Anexo E2")
    assert "En ______________________, a 28 de noviembre de 2026." in text
    assert text.rstrip().endswith("Fdo.: Sam Q. Example\nFirma:")
    assert "/s/" not in text
    assert case.incident.narrative in text  # the police read the person's own account


@pytest.mark.parametrize("kind_id", SPANISH)
def test_no_spanish_letter_signs_with_the_american_s(kind_id):
    assert "/s/" not in spanish(kind_id).text


def test_a_spanish_bank_letter_asks_for_a_sepa_recall_by_name_gives_the_card_and_the_denuncia_number():
    transfer = Payment(
        id="p5",
        paid=True,
        amount="150.00",
        currency="EUR",
        method="bank_transfer",
        iban="ES9121000418450200051332",
        own_account="4242",
        reference="TX-SAMPLE-0042",
    )
    filed = Report(
        id="r9",
        target="police",
        kind="police-es-denuncia",
        status="sent",
        sent_at=SENT_AT,
        reference="DEN-SAMPLE-77",
    )
    case = replace(full_case("ES"), payments=(transfer,), reports=(filed,))
    text = spanish("payment-report", case).text
    assert "retrocesión" in text
    assert "(recall SEPA)" in text
    assert "Cuenta o tarjeta de cargo, terminada en: 4242" in text
    assert "Referencia de la operación: TX-SAMPLE-0042" in text
    assert "número de denuncia DEN-SAMPLE-77" in text
    assert "150,00\u00a0€" in text
    assert "no autorizad" not in text.lower()
    assert "por el propio titular de la cuenta, bajo coacción" in text
    # no story: neither the person's account nor the summary nor the accounts threatening
    assert case.incident.narrative not in text
    assert "Alguien exige dinero" not in text
    assert "@sample_account" not in text


def test_a_spanish_bank_letter_without_a_transfer_asks_for_no_sepa_recall():
    text = spanish("payment-report").text  # the first payee was paid in crypto
    assert "recall SEPA" not in text


def test_a_spanish_erasure_request_from_the_uk_cites_the_uk_gdpr_as_the_english_one_does():
    text = spanish("gdpr-erasure", full_case("GB")).text
    assert "artículo 17 del UK GDPR, en relación con la Data Protection Act 2018" in text
    assert "sección 164A de la Data Protection Act 2018" in text
    assert "ante el Information Commissioner" in text
    assert "RGPD" not in text
    assert "164A" not in spanish("gdpr-erasure").text  # in Spain: the EU regulation only
