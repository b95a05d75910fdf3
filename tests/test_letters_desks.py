"""Letters fit for their desks (issue 20, part 4): each letter as its recipient reads it — a parquet
clerk, a bank's fraud desk, a regulator — and only the letters that can apply to the case."""

from __future__ import annotations

from dataclasses import replace

import pytest
from jinja2.defaults import DEFAULT_FILTERS as BUILTIN_FILTERS

from helper.case import Complaint, Payment, Report
from helper.letters.engine import FILTERS, write_amount
from helper.letters.plan import plan
from tests.support.cases import ITEM, PAYMENTS, PLACES, REPORTS, SENT_AT, THREATS
from tests.support.letters import CONTENT_ROOT, TODAY, full_case, writer

WRITER = writer()
CONTENT = WRITER.content


def offered(case) -> set[str]:
    return {option.kind.id for option in WRITER.options(case)}


# -- no letter offered that cannot apply ----------------------------------------------------------


def test_no_bank_letter_is_offered_when_nothing_was_paid():
    demanded_only = tuple(replace(p, paid=False) for p in PAYMENTS)
    case = full_case("GB", minor="yes")
    case = replace(case, payments=demanded_only)
    assert "payment-report" not in offered(case)
    assert all(a.group != "money" for a in plan(WRITER, case))


def test_a_bank_letter_is_offered_once_money_was_paid():
    case = full_case("GB", minor="yes")
    assert "payment-report" in offered(case)
    assert any(a.group == "money" for a in plan(WRITER, case))


def test_no_ftc_complaint_is_offered_without_a_take_it_down_request_sent():
    others = tuple(r for r in REPORTS if r.kind != "take-it-down")
    for country in ("US", "FR", "GB"):
        assert "escalation-ftc" not in offered(replace(full_case(country), reports=others)), country


def test_a_take_it_down_request_only_drafted_does_not_open_the_ftc_complaint():
    draft = Report(id="d1", kind="take-it-down", platform="reddit", status="draft")
    assert "escalation-ftc" not in offered(replace(full_case("US"), reports=(draft,)))


def test_the_ftc_complaint_follows_a_take_it_down_request_sent():
    sent = Report(
        id="s1", kind="take-it-down", platform="reddit", channel="form", status="sent", sent_at=SENT_AT
    )
    assert "escalation-ftc" in offered(replace(full_case("US"), reports=(sent,)))


# -- the procureur letter, as a parquet clerk reads it --------------------------------------------


def procureur(case=None):
    return WRITER.write(case or full_case("FR"), "police-fr-procureur", None, "fr", TODAY)


def test_the_procureur_letter_is_addressed_as_a_french_clerk_expects():
    text = procureur().text
    assert "Madame, Monsieur le Procureur de la République,\n" in text
    assert "Monsieur ou Madame" not in text
    assert "Tribunal judiciaire de Sampleville" in text
    assert "[ville]" not in text


def test_a_procureur_letter_without_the_court_says_so_and_is_not_complete():
    case = full_case("FR")
    letter = procureur(case.with_complaint(replace(case.complaint, court_city="")))
    assert "procureur.court" in [e.id for e in letter.missing]
    assert "Tribunal judiciaire de [la ville du tribunal judiciaire manque encore]" in letter.text


def test_the_procureur_letter_gives_the_etat_civil_and_the_witnesses():
    text = procureur().text
    assert "Je soussigné(e) Sam Example, né(e) le 2 mars 1994 à Sampleville, demeurant" in text
    assert "Date et lieu de naissance : le 2 mars 1994 à Sampleville" in text
    assert "4. Témoins\n- Alex Sample, 2 Sample Road, Sampletown\n" in text
    assert "Ce dont ce témoin peut attester : Saw the messages on my phone (SAMPLE)." in text


def test_the_procureur_letter_without_a_birth_date_lacks_the_etat_civil():
    case = full_case("FR")
    letter = procureur(case.with_complaint(Complaint(court_city="Lyon")))
    assert "procureur.civil_status" in [e.id for e in letter.missing]
    assert "Témoins" not in letter.text  # none noted: no empty heading


def test_the_etat_civil_and_the_witnesses_go_to_the_prosecutor_only():
    case = full_case("FR")
    for kind_id, platform in (("dsa-notice", "x"), ("gdpr-erasure", "instagram"), ("payment-report", None)):
        for lang in CONTENT.kind(kind_id).langs:
            text = WRITER.write(case, kind_id, platform, lang, TODAY).text
            for private in ("Sampleville", "1994", "Alex Sample"):
                assert private not in text, (kind_id, private)


def test_the_evidence_is_a_numbered_list_of_pieces_as_in_the_dossier():
    items = tuple(
        replace(ITEM, id=f"e{n}", original_name=f"shot-{n}.png", sha256=f"{n:064x}") for n in (1, 2)
    )
    text = procureur(replace(full_case("FR"), evidence=items)).text
    assert "Pièces jointes" in text
    assert "- Pièce E1 : shot-1.png\n" in text
    assert "- Pièce E2 : shot-2.png\n" in text
    assert text.index("Pièce E1") < text.index(f"{1:064x}") < text.index("Pièce E2")


@pytest.mark.parametrize("kind_id", [k.id for k in CONTENT.kinds if "fr" in k.langs])
def test_no_french_letter_signs_with_the_american_s(kind_id):
    kind = CONTENT.kind(kind_id)
    case = full_case("FR" if "FR" in kind.countries or not kind.countries or "EU" in kind.countries else "CA")
    platform = "instagram" if kind.needs_platform else None
    text = WRITER.write(case, kind_id, platform, "fr", TODAY).text
    assert "/s/" not in text


def test_the_procureur_letter_ends_with_a_line_to_sign_by_hand():
    text = procureur().text.rstrip()
    assert text.endswith("Sam Q. Example\nSignature :")


# -- the bank letter, as a fraud desk reads it ----------------------------------------------------


def bank(case, lang="en", payment=None):
    return WRITER.write(case, "payment-report", None, lang, TODAY, payment_id=payment)


def test_one_bank_letter_is_offered_for_each_payee():
    options = [o for o in WRITER.options(full_case("US")) if o.kind.id == "payment-report"]
    assert [o.payment.id for o in options if o.payment] == ["p1", "p2"]  # p3 was only demanded
    money = [a for a in plan(WRITER, full_case("US")) if a.group == "money"]
    assert [a.payment.id for a in money if a.payment] == ["p1", "p2"]


def test_a_bank_letter_is_about_its_payee_only():
    text = bank(full_case("US"), payment="p2").text
    assert "SAMPLE-0000-1111" in text
    assert "bc1qsampleaddress" not in text
    assert "Payment 2" not in text


def test_two_payments_to_the_same_payee_go_in_one_letter():
    again = replace(PAYMENTS[0], id="p4", amount="50.00", tx_hash="cd" * 32)
    case = replace(full_case("US"), payments=(*PAYMENTS, again))
    options = [o.payment.id for o in WRITER.options(case) if o.kind.id == "payment-report" and o.payment]
    assert options == ["p1", "p2"]
    text = bank(case, payment="p4").text
    assert "cd" * 32 in text
    assert "ab" * 32 in text


def test_a_bank_letter_about_a_payment_not_made_is_refused():
    with pytest.raises(KeyError):
        bank(full_case("US"), payment="p3")  # only demanded
    with pytest.raises(KeyError):
        bank(full_case("US"), payment="nope")


def test_a_bank_letter_gives_the_persons_own_card_the_reference_and_the_police_number():
    paid = replace(PAYMENTS[0], own_account="4242", reference="TX-SAMPLE-0042")
    ic3 = Report(
        id="r9",
        target="police",
        kind="police-us-ic3",
        status="sent",
        sent_at=SENT_AT,
        reference="I2611SAMPLE",
    )
    case = replace(full_case("US"), payments=(paid,), reports=(*REPORTS, ic3))
    text = bank(case).text
    assert "Paid from my account or card ending in: 4242" in text
    assert "Transaction reference: TX-SAMPLE-0042" in text
    assert "report or complaint number I2611SAMPLE" in text
    assert "REF-0" not in text  # a platform's ticket is not a police number


def test_a_french_bank_letter_asks_for_a_sepa_recall_by_name_and_claims_no_unauthorised_payment():
    transfer = Payment(
        id="p5",
        paid=True,
        amount="150.00",
        currency="EUR",
        method="bank_transfer",
        iban="FR7630006000011234567890189",
    )
    text = bank(replace(full_case("FR"), payments=(transfer,)), "fr").text
    assert "demande de rappel de fonds (recall SEPA)" in text
    assert "150,00\u00a0€" in text
    assert "non autorisée" not in text
    assert "par le titulaire du compte lui-même, sous la contrainte" in text
    assert "Aucune plainte n’a encore été notée" in text


def test_no_bank_letter_in_english_calls_the_payments_unauthorised():
    text = bank(full_case("US")).text.lower()
    assert "unauthori" not in text.replace("authorised by the account holder", "")


# -- dates, amounts and chronologies as their readers write them -----------------------------------


def test_thesees_chronology_is_in_date_order():
    threat = replace(THREATS[0], received_at="2026-11-17T20:00:00+01:00")
    demand = Payment(id="d", amount="300", currency="EUR", at="2026-11-14T18:00:00+01:00")
    paid = replace(PAYMENTS[1], at="2026-11-15T09:00:00+01:00")
    case = replace(full_case("FR"), threats=(threat,), payments=(paid, demand))
    text = WRITER.write(case, "police-fr-thesee", None, "fr", TODAY).text
    chronology = text[text.index("2. Chronologie") : text.index("3. Identifiants")]
    order = [chronology.index(day) for day in ("1er novembre", "14 novembre", "15 novembre", "17 novembre")]
    assert order == sorted(order)


@pytest.mark.parametrize(
    ("kind_id", "country"), [("police-uk", "GB"), ("esafety", "AU"), ("escalation-ico", "GB")]
)
def test_uk_and_australian_recipients_read_the_day_first(kind_id, country):
    platform = "instagram" if CONTENT.kind(kind_id).needs_platform else None
    text = WRITER.write(full_case(country), kind_id, platform, "en", TODAY).text
    assert "28 November 2026" in text
    assert "November 28, 2026" not in text


def test_a_us_recipient_still_reads_us_dates():
    text = WRITER.write(full_case("US"), "police-us-ic3", None, "en", TODAY).text
    assert "November 28, 2026" in text
    assert "9:15 PM" in text


def test_a_uk_statement_gives_times_on_the_24_hour_clock():
    text = WRITER.write(full_case("GB"), "police-uk", None, "en", TODAY).text
    assert "2 November 2026, 21:15 (UTC+01:00)" in text


def test_a_french_letter_writes_amounts_the_french_way():
    text = WRITER.write(full_case("FR"), "police-fr-thesee", None, "fr", TODAY).text
    assert "100,00\u00a0€" in text
    assert "150,00\u00a0$US" in text
    assert "150.00" not in text
    assert "EUR" not in text


@pytest.mark.parametrize(
    ("amount", "currency", "locale", "written"),
    [
        ("150.00", "EUR", "fr", "150,00\u00a0€"),
        ("150,00", "EUR", "fr", "150,00\u00a0€"),
        ("1,500.50", "USD", "en_US", "$1,500.50"),
        ("0.00251", "BTC", "fr", "0,00251 BTC"),
        ("about 200", "EUR", "fr", "about 200 EUR"),
        ("150", "", "en_GB", "150"),
    ],
)
def test_an_amount_keeps_its_digits_in_the_readers_writing(amount, currency, locale, written):
    assert write_amount(amount, currency, locale) == written


@pytest.mark.parametrize(("kind_id", "lang"), [(k.id, lang) for k in CONTENT.kinds for lang in k.langs])
def test_every_template_uses_only_declared_filters(kind_id, lang):
    from jinja2 import nodes

    source = (CONTENT_ROOT / "letters" / f"{kind_id}.{lang}.txt").read_text()
    used = {node.name for node in WRITER.env.parse(source).find_all(nodes.Filter)}
    own = used - set(BUILTIN_FILTERS)
    assert own <= FILTERS, own - FILTERS


# -- escalations and earlier reports ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind_id", "country", "lang", "words"),
    [
        ("escalation-arcom", "FR", "fr", "Suite donnée : aucune réponse à ce jour"),
        ("escalation-cnil", "FR", "fr", "Suite donnée : aucune réponse à ce jour"),
        ("escalation-ftc", "US", "en", "Status: no answer as of November 28, 2026"),
        ("escalation-ico", "GB", "en", "Status: no answer as of 28 November 2026"),
    ],
)
def test_an_escalation_says_no_answer_rather_than_sent(kind_id, country, lang, words):
    text = WRITER.write(full_case(country), kind_id, "instagram", lang, TODAY).text
    assert words in text
    assert "Envoyé" not in text
    assert "Status: Sent" not in text


def test_an_escalation_gives_the_answer_once_there_is_one():
    refused = tuple(replace(r, status="refused") if r.kind == "gdpr-erasure" else r for r in REPORTS)
    text = WRITER.write(
        replace(full_case("FR"), reports=refused), "escalation-cnil", "instagram", "fr", TODAY
    ).text
    assert "Suite donnée : Refusé" in text


def test_the_reports_already_made_name_each_letters_kind_once_and_its_recipient_once():
    sent = replace(REPORTS[1], name="Notice under the EU Digital Services Act (Article 16) — Instagram")
    text = WRITER.write(replace(full_case("US"), reports=(sent,)), "police-us-ic3", None, "en", TODAY).text
    line = next(line for line in text.splitlines() if "REF-1" in line)
    assert line.count("Digital Services Act") == 1
    assert line.count("Instagram") == 1
    assert "(" + "Notice under" not in line


def test_a_request_to_one_platform_lists_no_other_sites_address():
    case = full_case("US")
    for kind_id in ("take-it-down", "escalation-ftc"):
        text = WRITER.write(case, kind_id, "x", "en", TODAY).text
        assert PLACES["x"] in text
        for other in ("instagram", "reddit", "discord", "generic"):
            assert PLACES[other] not in text, (kind_id, other)
        if kind_id == "take-it-down":
            assert "Known identical copies: this address is every copy on your service known to me." in text


# -- the UK flow: the request, a complaint to the organisation, then the ICO ---------------------------


def erasure_sent(country="GB"):
    erasure = next(r for r in REPORTS if r.kind == "gdpr-erasure")
    return replace(full_case(country), reports=(erasure,))


def test_in_the_uk_an_unanswered_erasure_request_leads_to_a_complaint_to_the_organisation_first():
    from datetime import datetime

    from helper.letters.tracker import Tracker

    case = erasure_sent("GB")
    due = Tracker(CONTENT).state(case, case.reports[0], datetime.fromisoformat("2026-12-30T10:00:00+01:00"))
    assert due.overdue
    assert due.escalation is not None
    assert due.escalation.id == "uk-data-complaint"
    assert "escalation-ico" not in offered(case)
    assert "uk-data-complaint" in offered(case)
    assert any(a.kind and a.kind.id == "uk-data-complaint" for a in plan(WRITER, case))


def test_the_complaint_to_the_organisation_cites_section_164a_and_asks_for_the_30_day_acknowledgement():
    letter = WRITER.write(erasure_sent("GB"), "uk-data-complaint", "instagram", "en", TODAY)
    assert letter.complete, [e.id for e in letter.missing]
    assert "section 164A of the Data Protection Act 2018" in letter.text
    assert "within 30 days of receiving it" in letter.text
    assert "UK GDPR" in letter.text
    assert "Regulation (EU)" not in letter.text


def test_the_ico_complaint_follows_the_complaint_to_the_organisation_after_30_days():
    from datetime import datetime

    from helper.letters.tracker import Tracker

    complaint = next(r for r in REPORTS if r.kind == "uk-data-complaint")
    case = replace(erasure_sent("GB"), reports=(*erasure_sent("GB").reports, complaint))
    clock = Tracker(CONTENT).clock(complaint, case)
    assert clock is not None
    assert (clock.basis, clock.days) == ("law", 30)
    due = Tracker(CONTENT).state(case, complaint, datetime.fromisoformat("2026-12-21T10:00:00+01:00"))
    assert due.escalation is not None
    assert due.escalation.id == "escalation-ico"
    text = WRITER.write(case, "escalation-ico", "instagram", "en", TODAY).text
    assert "I complained to it under section 164A" in text


def test_no_uk_complaint_to_the_organisation_without_an_erasure_request_sent():
    assert "uk-data-complaint" not in offered(replace(full_case("GB"), reports=()))
    assert "uk-data-complaint" not in offered(erasure_sent("FR"))  # in France the CNIL comes next


def test_the_uk_intimate_image_report_says_what_the_duty_says_not_a_promise():
    about = CONTENT.kind("uk-intimate-image-report").about
    assert "proportionate systems and processes designed to remove" in about.en
    assert "as soon as reasonably practicable and no later than 48 hours" in about.en
    assert "check this" in about.en
    assert "must take down" not in about.en
    assert "systèmes et des procédures proportionnés, conçus pour retirer" in about.fr
