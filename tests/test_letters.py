"""Letters from the record: every element each law requires, checked by content; hostile input literal."""

from __future__ import annotations

import email
import email.policy
from dataclasses import replace

import pytest

from helper import vocabulary
from helper.case import Case, CaseFormatError, InvalidRecord, Place, Signer
from helper.i18n import translator
from helper.letters.engine import is_exact_location, letter_locale
from tests.support.letters import COUNTRY_OF, PLACES, PLATFORM_OF, TODAY, full_case, writer

WRITER = writer()
CONTENT = WRITER.content
PAIRS = [(k.id, lang) for k in CONTENT.kinds for lang in k.langs]
ELEMENTS = [(k.id, e) for k in CONTENT.kinds for e in k.elements]


def platform_for(kind_id: str) -> str | None:
    kind = CONTENT.kind(kind_id)
    return PLATFORM_OF.get(kind_id, "instagram") if kind.needs_platform else None


def case_for(kind_id: str, **changes):
    return full_case(COUNTRY_OF.get(kind_id, "US"), **changes)


def write(case, kind_id, lang=None):
    return WRITER.write(case, kind_id, platform_for(kind_id), lang, TODAY)


# What proves each element is in the letter: text from the complete case, by element check.
def expected(check: str, lang: str, case, letter) -> list[str]:
    signer = case.signer
    fr = lang == "fr"
    # A UK or Australian reader writes the day first (issue 20, part 4).
    locale = letter_locale(lang, letter.kind, case.incident.country)
    day_first = {"en_GB": "1 November 2026", "en_AU": "1 November 2026"}
    # A letter written per payee (a bank's) carries that payee's payments only.
    paid = [letter.payment] if letter.kind.per_payee else [p for p in case.payments if p.paid]
    payment_details = [d for p in paid for d in (p.wallet_address, p.tx_hash, p.gift_card_code) if d]
    if check == "earlier_request":
        return [letter_earlier_reference(letter, case)]
    # A letter that carries only the one-line summary gives it as its reasons.
    summary = vocabulary.KIND_SUMMARIES.label(case.incident.kind, translator(lang).gettext)
    reasons = case.incident.narrative if letter.kind.narrative == "full" else summary
    return {
        "signature": [signer.signature],
        "contact": [signer.email],
        "email": [signer.email],
        "name_and_email": [signer.name, signer.email],
        "name_and_email_unless_minor": [signer.name, signer.email],
        "identity": [signer.name, signer.address],
        "location": [PLACES["instagram"]],
        "reasons": [reasons],
        "narrative": [case.incident.narrative],
        "dates": [
            {"fr": "1er novembre 2026", "es": "1 de noviembre de 2026"}.get(lang)
            or day_first.get(locale, "November 1, 2026")
        ],
        "harm": [signer.harm],
        "civil_status": ["2 mars 1994", case.complaint.birth_place],
        "court": [f"Tribunal judiciaire de {case.complaint.court_city}"],
        "evidence": [case.evidence[0].sha256],
        "suspect": ["@sample_account"],
        "payments": ["150.00"],
        "payment_details": payment_details,
        "good_faith": [{"fr": "bonne foi", "es": "buena fe"}.get(lang, "good faith")],
        "accurate": [{"fr": "exact", "es": "precisas y completas"}.get(lang, "accurate")],
        "perjury": ["penalty of perjury"],
        "own_photo": ["took"],
        "intimate_declared": ["intimate image content"],
        "acting_for": ["I am the person shown" if not fr else "Je suis la personne"],
    }[check]


def letter_earlier_reference(letter, case) -> str:
    earlier = next(r for r in case.reports if r.kind == letter.kind.escalates)
    return earlier.reference


@pytest.mark.parametrize(("kind_id", "lang"), PAIRS, ids=[f"{k}.{lang}" for k, lang in PAIRS])
def test_a_complete_case_yields_every_required_element(kind_id, lang):
    case = case_for(kind_id)
    letter = write(case, kind_id, lang)
    assert letter.complete, [e.id for e in letter.missing]
    for element_id in letter.kind.elements:
        element = CONTENT.element(element_id)
        for text in expected(element.check, lang, case, letter):
            assert text in letter.text, f"{element_id}: {text!r} not in the letter"
    assert "[" not in letter.text, "a placeholder for something missing"


# How to take each element out of a complete case.
def without(check: str, case):
    s = case.signer
    return {
        "signature": lambda: case.with_signer(replace(s, signature="")),
        "contact": lambda: case.with_signer(replace(s, email="", phone="", address="")),
        "email": lambda: case.with_signer(replace(s, email="")),
        "name_and_email": lambda: case.with_signer(replace(s, name="")),
        "name_and_email_unless_minor": lambda: case.with_signer(replace(s, email="")),
        "identity": lambda: case.with_signer(replace(s, address="")),
        "location": lambda: replace(
            case, places=tuple(replace(p, url="https://" + p.url.split("/")[2]) for p in case.places)
        ),
        "reasons": lambda: case.with_incident(narrative="", kind=None),
        "narrative": lambda: case.with_incident(narrative=""),
        "dates": lambda: replace(
            case.with_incident(started_on=None),
            threats=tuple(replace(t, received_at=None) for t in case.threats),
            payments=tuple(replace(p, at=None) for p in case.payments),
        ),
        "harm": lambda: case.with_signer(replace(s, harm="")),
        "civil_status": lambda: case.with_complaint(replace(case.complaint, birth_place="")),
        "court": lambda: case.with_complaint(replace(case.complaint, court_city="")),
        "evidence": lambda: replace(case, evidence=()),
        "suspect": lambda: replace(case, accounts=()),
        "payments": lambda: replace(case, payments=()),
        "payment_details": lambda: replace(
            case,
            payments=tuple(
                replace(p, wallet_address="", tx_hash="", gift_card_code="") for p in case.payments
            ),
        ),
        "good_faith": lambda: case.with_signer(replace(s, good_faith=False)),
        "accurate": lambda: case.with_signer(replace(s, accurate=False)),
        "perjury": lambda: case.with_signer(replace(s, perjury=False)),
        "own_photo": lambda: case.with_signer(replace(s, own_photo=False)),
        "intimate_declared": lambda: case.with_signer(replace(s, intimate_declared=False)),
        "acting_for": lambda: case.with_signer(replace(s, acting_for="")),
        "earlier_request": lambda: replace(case, reports=()),
    }[check]()


@pytest.mark.parametrize(("kind_id", "element_id"), ELEMENTS, ids=[f"{k}:{e}" for k, e in ELEMENTS])
def test_removing_an_element_from_the_case_is_flagged(kind_id, element_id):
    element = CONTENT.element(element_id)
    case = without(element.check, case_for(kind_id))
    letter = write(case, kind_id)
    assert element_id in [e.id for e in letter.missing]
    assert not letter.complete


@pytest.mark.parametrize(
    "url",
    [
        "www.reddit.com",
        "https://www.reddit.com/",
        "reddit.com",
        "https://x.com",
        "https://localhost/a",
        "not a url",
    ],
)
def test_a_bare_domain_is_not_a_location(url):
    assert not is_exact_location(url)


def test_an_exact_address_is_a_location():
    assert is_exact_location("https://www.reddit.com/r/sample/comments/abc123/")
    assert is_exact_location("www.example.org/gallery?id=4")


def test_a_bare_domain_is_shown_with_the_missing_location():
    case = replace(full_case("US"), places=(Place(id="p", url="www.reddit.com", platform="Reddit"),))
    letter = WRITER.write(case, "take-it-down", "reddit", "en", TODAY)
    assert "tida.location" in [e.id for e in letter.missing]
    assert letter.bare == ("www.reddit.com",)


def test_the_dsa_notice_needs_a_name_and_email_for_an_adult_but_not_for_images_of_a_minor():
    adult = full_case("FR").with_signer(Signer(accurate=True))
    assert "dsa.identity" in [
        e.id for e in WRITER.write(adult, "dsa-notice", "instagram", "fr", TODAY).missing
    ]
    minor = full_case("FR", minor="yes").with_signer(Signer(accurate=True))
    letter = WRITER.write(minor, "dsa-notice", "instagram", "fr", TODAY)
    assert "dsa.identity" not in [e.id for e in letter.missing]
    assert "2011/93" in letter.text


HOSTILE = "{{ 7*7 }} {% raw %}x{% endraw %} ${x} %(x)s %s <b>bold</b> {{ config }}"


@pytest.mark.parametrize(("kind_id", "lang"), PAIRS, ids=[f"{k}.{lang}" for k, lang in PAIRS])
def test_template_syntax_and_markup_typed_anywhere_come_out_literally(kind_id, lang):
    case = case_for(kind_id)
    case = case.with_incident(narrative=HOSTILE)
    case = case.with_signer(replace(case.signer, name=HOSTILE, signature=HOSTILE, harm=HOSTILE))
    case = replace(case, accounts=tuple(replace(a, handle=HOSTILE) for a in case.accounts))
    letter = write(case, kind_id, lang)
    assert HOSTILE in letter.text
    assert "49" not in letter.text


def test_no_letter_prints_an_internal_code():
    codes = ("gift_card", "bank_transfer", "ai_altered", "known_person", "platform process", "acting_for")
    for kind_id, lang in PAIRS:
        text = write(case_for(kind_id), kind_id, lang).text
        for code in codes:
            assert code not in text, (kind_id, lang, code)


def test_someone_acting_for_the_person_says_so():
    case = full_case("US").with_signer(
        replace(full_case().signer, acting_for="parent", person_name="Alex Sample")
    )
    text = WRITER.write(case, "take-it-down", "x", "en", TODAY).text
    assert "parent or guardian of Alex Sample" in text


def test_which_letters_apply_follows_the_country_and_the_age_path():
    kinds = lambda case: {o.kind.id for o in WRITER.options(case)}  # noqa: E731
    assert {"police-fr-procureur", "dsa-notice", "gdpr-erasure"} <= kinds(full_case("FR"))
    assert "police-us-ic3" not in kinds(full_case("FR"))
    assert {"police-us-ic3", "take-it-down"} <= kinds(full_case("US"))
    assert "dmca" not in kinds(full_case("US", minor="yes"))
    assert "esafety" in kinds(full_case("AU"))


def test_the_email_draft_is_addressed_only_when_the_directory_has_an_address():
    case = full_case("FR")
    no_address = WRITER.write(case, "dsa-notice", "instagram", "fr", TODAY)
    assert no_address.to is None
    assert email.message_from_bytes(no_address.eml())["To"] is None
    telegram = WRITER.write(case, "platform-report", "telegram", "en", TODAY)
    message = email.message_from_bytes(telegram.eml("sam@example.org"))
    assert message["To"] == "abuse@telegram.org"  # the channel it goes to: an address
    assert message["X-Unsent"] == "1"
    assert message["From"] == "sam@example.org"


def test_letters_are_deterministic():
    case = full_case("FR")
    assert write(case, "police-fr-procureur").text == write(case, "police-fr-procureur").text


def test_the_plan_blocks_first_then_platforms_then_police_by_age_and_country():
    from helper.letters.plan import plan

    adult = plan(WRITER, full_case("FR"))
    groups = [a.group for a in adult]
    assert groups == sorted(groups, key=["block", "platform", "search", "police", "money"].index)
    assert adult[0].service.id == "stopncii"
    platform_letters = {(a.kind.id, a.platform.id) for a in adult if a.group == "platform"}
    assert ("dsa-notice", "instagram") in platform_letters
    assert ("platform-report", "x") in platform_letters
    assert {a.kind.id for a in adult if a.group == "police" and a.kind} == {
        "police-fr-procureur",
        "police-fr-thesee",
    }
    assert any(a.group == "money" for a in adult)

    young = plan(WRITER, full_case("GB", minor="yes"))
    assert [a.service.id for a in young if a.group == "block"] == ["report-remove", "take-it-down"]
    assert "dmca" not in {a.kind.id for a in young if a.kind}
    nowhere = [a for a in plan(WRITER, full_case("")) if a.group == "police"]
    assert len(nowhere) == 1  # the police where the person lives, in words
    assert (nowhere[0].kind, nowhere[0].channel) == (None, None)


def test_no_content_uses_words_that_wound():
    from helper.resources import data_dir

    for path in (data_dir("content")).rglob("*"):
        if path.is_file():
            text = path.read_text().lower().replace("revenge porn helpline", "")
            assert "revenge porn" not in text, path


# -- issue 20: the right channel, and no more disclosure than the recipient needs ------------------


def test_no_kind_of_letter_is_special_cased_in_the_letter_code():
    """Which channel a letter uses and which plan group it is in are content (kinds.toml, platforms/):
    a kind id written in the code is a rule the content cannot change."""
    import inspect

    from helper.letters import engine, plan

    for module in (engine, plan):
        source = inspect.getsource(module)
        named = [k.id for k in CONTENT.kinds if f'"{k.id}"' in source]
        assert named == [], f"{module.__name__} names {named}"


@pytest.mark.parametrize(
    ("kind_id", "country"),
    [
        ("take-it-down", "US"),
        ("uk-intimate-image-report", "GB"),
        ("gdpr-erasure", "FR"),
        ("dsa-notice", "FR"),
    ],
)
def test_a_legal_request_to_instagram_is_never_sent_to_metas_information_page(kind_id, country):
    letter = WRITER.write(full_case(country), kind_id, "instagram", None, TODAY)
    assert letter.form is None or "about.meta.com" not in letter.form.url
    assert "about.meta.com" not in letter.text
    assert "Meta: non-consensual intimate imagery" not in letter.text


@pytest.mark.parametrize("kind_id", ["take-it-down", "platform-report"])
def test_a_us_request_to_an_unknown_site_never_points_to_australias_regulator(kind_id):
    letter = WRITER.write(full_case("US"), kind_id, "generic", "en", TODAY)
    assert letter.form is None or "esafety" not in letter.form.url
    assert "eSafety" not in letter.text


def test_a_french_report_to_x_does_not_go_to_xs_us_take_it_down_form():
    for lang in ("fr", "en"):
        letter = WRITER.write(full_case("FR"), "platform-report", "x", lang, TODAY)
        assert letter.form is None or "take-it-down" not in letter.form.url
        assert "TAKE IT DOWN" not in letter.text


PHONE_AND_ADDRESS = (full_case().signer.phone, full_case().signer.address)


@pytest.mark.parametrize(
    ("kind_id", "platform_id", "country", "lang"),
    [
        ("dsa-notice", "x", "FR", "fr"),
        ("dsa-notice", "x", "FR", "en"),
        ("platform-report", "x", "FR", "fr"),
        ("platform-report", "reddit", "US", "en"),
        ("take-it-down", "x", "US", "en"),
        ("uk-intimate-image-report", "instagram", "GB", "en"),
        ("gdpr-erasure", "instagram", "FR", "fr"),
        ("search-delisting", "google-search", "FR", "fr"),
    ],
)
def test_no_telephone_or_postal_address_goes_to_a_platform(kind_id, platform_id, country, lang):
    text = WRITER.write(full_case(country), kind_id, platform_id, lang, TODAY).text
    for detail in PHONE_AND_ADDRESS:
        assert detail not in text


@pytest.mark.parametrize(
    ("kind_id", "platform_id", "country", "lang"),
    [
        ("dsa-notice", "x", "FR", "fr"),
        ("platform-report", "x", "FR", "fr"),
        ("take-it-down", "x", "US", "en"),
        ("gdpr-erasure", "instagram", "FR", "en"),
        ("payment-report", None, "FR", "fr"),
        ("payment-report", None, "US", "en"),
    ],
)
def test_the_persons_own_account_of_what_happened_goes_only_to_the_police(
    kind_id, platform_id, country, lang
):
    case = full_case(country)
    text = WRITER.write(case, kind_id, platform_id, lang, TODAY).text
    assert case.incident.narrative not in text
    police = WRITER.write(
        case, "police-fr-procureur" if country == "FR" else "police-us-ic3", None, None, TODAY
    )
    assert case.incident.narrative in police.text


@pytest.mark.parametrize(("country", "lang"), [("FR", "fr"), ("US", "en")])
def test_a_bank_letter_names_no_social_account_of_the_person_threatening(country, lang):
    text = WRITER.write(full_case(country), "payment-report", None, lang, TODAY).text
    assert "@sample_account" not in text
    assert "instagram.com/sample_account" not in text
    assert "bc1qsampleaddress0000000000000000000000" in text  # what the bank does need


# -- the e-mail draft writes only headers it can ---------------------------------------------------


def telegram_letter():
    return WRITER.write(full_case("FR"), "platform-report", "telegram", "en", TODAY)


def header_lines(draft: bytes) -> list[bytes]:
    head, blank, _body = draft.partition(b"\r\n\r\n")
    assert blank, "the draft has a header block and a body"
    bare = head.replace(b"\r\n", b"")
    assert b"\n" not in bare  # a lone line break would end the headers in many mail programs
    assert b"\r" not in bare
    return head.split(b"\r\n")


@pytest.mark.parametrize(
    "sender",
    [
        "sam@example.org\n",  # "$" matched before it: the line break ended the headers
        "sam@example.org\r\nBcc: everyone@example.org",
        "s" * 10_000 + "@example.org",  # a 10,013-byte header line; RFC 5322 allows 998
        "sam@example.org, everyone@example.org",
        "Sam <sam@example.org>",
        "sam@@example.org",
        "sam@example",
        "not an address",
        "",
    ],
    ids=[
        "final LF",
        "CRLF and a header",
        "10,000 characters",
        "two",
        "display name",
        "two @",
        "no dot",
        "words",
        "none",
    ],
)
def test_an_address_a_header_cannot_carry_is_left_out_and_the_draft_stays_a_draft(sender):
    letter = telegram_letter()
    draft = letter.eml(sender)
    lines = header_lines(draft)
    assert max(len(line) for line in lines) <= 78
    message = email.message_from_bytes(draft, policy=email.policy.default)
    assert message["X-Unsent"] == "1"
    assert message["From"] is None
    assert message["Bcc"] is None
    assert message["To"] == "abuse@telegram.org"
    assert message["Subject"] == letter.subject
    assert message.get_content().replace("\r\n", "\n") == letter.text


def test_an_address_with_an_international_domain_is_written_in_ascii():
    message = email.message_from_bytes(telegram_letter().eml("sam@exämple.org"))
    assert message["From"] == "sam@xn--exmple-cua.org"


def test_a_subject_is_one_line_folded_within_the_limit():
    letter = replace(telegram_letter(), subject="Report\r\nBcc: everyone@example.org " + "É" * 3000)
    draft = letter.eml("sam@example.org")
    lines = header_lines(draft)
    assert max(len(line) for line in lines) <= 78
    message = email.message_from_bytes(draft, policy=email.policy.default)
    assert message["Subject"] == "Report Bcc: everyone@example.org " + "É" * 3000
    assert message["Bcc"] is None
    assert (message["From"], message["X-Unsent"]) == ("sam@example.org", "1")


@pytest.mark.parametrize(
    "address",
    ["sam@example.org\n", "sam@example.org\r\nBcc: everyone@example.org", "s" * 243 + "@example.org"],
    ids=["final LF", "CRLF and a header", "255 characters"],
)
def test_the_record_refuses_a_signer_address_no_letter_could_carry_on_write_and_on_read(address):
    with pytest.raises(InvalidRecord):
        Signer(email=address)
    data = full_case("FR").to_dict()
    data["signer"]["email"] = address
    with pytest.raises(CaseFormatError):  # a received record holding it is refused, as a saved one is
        Case.from_dict(data)
    Signer(email="s" * 242 + "@example.org")  # 254 characters: the longest an SMTP path carries
