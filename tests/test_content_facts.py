"""The facts the content states, as the research checked them (issue 20, part 1): each test is one
defect the check found, and each says what the source says."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest

from helper.case import Payment
from helper.letters.plan import plan
from tests.support.letters import TODAY, full_case, writer

WRITER = writer()
CONTENT = WRITER.content
CHECKED = date(2026, 12, 3)


def letter(case, kind_id, lang=None, platform=None):
    return WRITER.write(case, kind_id, platform, lang, TODAY).text


def offence(code, offence_id):
    return next(o for o in CONTENT.jurisdiction(code).offences if o.id == offence_id)


def channel(code, channel_id):
    return next(c for c in CONTENT.jurisdiction(code).channels if c.id == channel_id)


# -- Report Remove and Take It Down (row 1; NCMEC's two cautions) -------------------------------


def test_report_remove_is_not_said_to_send_the_images_to_no_one():
    advice = next(a for a in CONTENT.advice if a.id == "minors-free-removal")
    assert "without you sending the images" not in advice.body.en
    assert "sans envoyer ces images" not in advice.body.fr
    assert "IWF analysts" in advice.body.en
    assert "analystes de l’IWF" in advice.body.fr
    assert "not sent to anyone" in advice.body.en  # true of Take It Down only
    service = next(s for s in CONTENT.removal if s.id == "report-remove")
    for about in (service.about, channel("GB", "gb-report-remove").about):
        assert "IWF analysts" in about.en
        assert "prove your age" in about.en


def test_take_it_down_carries_ncmecs_two_cautions():
    about = next(s for s in CONTENT.removal if s.id == "take-it-down").about
    assert "public or unencrypted" in about.en
    assert "publics ou non chiffrés" in about.fr
    assert "do not post the image again" in about.en
    assert "ne publiez plus l’image" in about.fr


def test_stopncii_is_cited_to_its_own_faq():
    assert next(s for s in CONTENT.removal if s.id == "stopncii").source.startswith("https://stopncii.org/")


# -- THESEE (row 2): money demanded, by someone never met; a signalement is not a plainte -------


def thesee_offered(case) -> bool:
    actions = plan(WRITER, case)
    return any(a.kind and a.kind.id == "police-fr-thesee" for a in actions) or any(
        a.channel and a.channel.id == "fr-thesee" for a in actions
    )


def test_thesee_is_offered_for_money_demanded_by_someone_met_online():
    assert thesee_offered(full_case("FR"))
    demand_only = replace(full_case("FR"), payments=(Payment(id="p", amount="200", currency="EUR"),))
    assert thesee_offered(demand_only)


@pytest.mark.parametrize(
    "case",
    [
        replace(full_case("FR"), payments=()),  # more images demanded, no money
        full_case("FR", kind="known_person"),  # an ex-partner: met
        full_case("FR", minor="yes"),  # a minor: the 3018, the police and the prosecutor
    ],
    ids=["no-money", "known-person", "minor"],
)
def test_thesee_is_not_offered_outside_its_scope(case):
    assert not thesee_offered(case)
    assert any(a.kind and a.kind.id == "police-fr-procureur" for a in plan(WRITER, case))


def test_thesee_says_a_signalement_is_not_a_plainte():
    kind = CONTENT.kind("police-fr-thesee")
    for text in (kind.note, channel("FR", "fr-thesee").about):
        assert "n’est pas une plainte" in text.fr
        assert "not a complaint" in text.en
        assert "never met" in text.en
        assert "jamais rencontrée" in text.fr


# -- UK and Canadian offences (rows 4, 5) ------------------------------------------------------


def test_a_uk_minors_police_statement_names_the_child_and_image_offences():
    text = letter(full_case("GB", minor="yes"), "police-uk")
    assert "Sexual Offences Act 2003, s.66B" in text
    assert "Protection of Children Act 1978, s.1" in text
    assert "Sexual Offences Act 2003, s.15A" in text


def test_blackmail_is_cited_in_the_uk_only_where_money_was_demanded():
    assert "Theft Act 1968, s.21" in letter(full_case("GB"), "police-uk")
    assert "Theft Act 1968, s.21" not in letter(replace(full_case("GB"), payments=()), "police-uk")


def test_offences_from_copies_of_the_law_say_check_this():
    for offence_id in ("gb-theft-act-21", "gb-pca-1", "gb-soa-15a"):
        assert "check this" in offence("GB", offence_id).penalty.en


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_canadian_minors_statement_names_the_child_offences(lang):
    text = letter(full_case("CA", minor="yes"), "police-ca", lang)
    code = "Code criminel, art. " if lang == "fr" else "Criminal Code, s."
    for section in ("162.1", "163.1", "172.1", "346"):
        assert code + section in text
    if lang == "fr":
        assert "Criminal Code" not in text


# -- France (row 6; 226-1) -----------------------------------------------------------------------


def test_article_312_10_leads_with_its_seven_year_online_tier():
    penalty = offence("FR", "fr-312-10").penalty
    assert penalty.en.startswith("Up to 7 years")
    assert penalty.fr.startswith("Jusqu’à 7 ans")


def test_the_procureur_letter_cites_the_threat_carried_out_the_attempt_and_the_recording():
    posted = letter(full_case("FR"), "police-fr-procureur", "fr")
    assert "art. 312-11" in posted  # the images are online
    assert "art. 312-12" not in posted  # money was paid: not an attempt
    assert "art. 226-1 " in posted
    unpaid = replace(full_case("FR"), payments=(Payment(id="p", amount="200", currency="EUR"),), places=())
    text = letter(unpaid, "police-fr-procureur", "fr")
    assert "art. 312-12" in text
    assert "art. 312-11" not in text


# -- The UK's 48 hours (row 7) and erasure (row 8) ----------------------------------------------


def test_the_uk_report_never_says_once_the_duty_is_in_force():
    text = letter(full_case("GB"), "uk-intimate-image-report", platform="instagram")
    assert "Once the duty" not in text
    assert "is in force" not in text
    assert "no later than 48 hours" in text
    assert "in force" not in CONTENT.jurisdiction("GB").note.en.replace("took effect", "")


def test_the_uk_erasure_request_cites_the_uk_gdpr_and_the_dpa_2018():
    uk = letter(full_case("GB"), "gdpr-erasure", "en", "instagram")
    assert "UK General Data Protection Regulation" in uk
    assert "Data Protection Act 2018" in uk
    assert "Regulation (EU) 2016/679" not in uk
    assert "section 164A" in uk  # the complaint to the organisation comes before the ICO
    eu = letter(full_case("FR"), "gdpr-erasure", "en", "instagram")
    assert "Regulation (EU) 2016/679" in eu
    assert "UK GDPR" not in eu


# -- Help now (row 25; "Who to call") -------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "line_id"),
    [("US", "us-ccri-helpline"), ("GB", "gb-revenge-porn-helpline"), ("FR", "fr-point-de-contact")],
)
def test_help_now_lists_the_adult_image_abuse_lines(country, line_id):
    line = next(x for x in CONTENT.lines_for(country) if x.id == line_id)
    assert line.audience == "everyone"
    assert line.checked == CHECKED


def test_the_ccri_helpline_is_its_24_hour_number():
    line = next(x for x in CONTENT.lines if x.id == "us-ccri-helpline")
    assert line.tel == "8448782274"


def test_an_adult_in_france_has_someone_to_call_besides_a_suicide_and_a_youth_line():
    phones = [x for x in CONTENT.lines_for("FR") if x.phone and x.audience == "everyone"]
    assert [x.id for x in phones if x.id != "fr-3114"] == ["fr-116006"]


def test_every_phone_number_in_the_content_is_digits_a_phone_can_dial():
    records = [*CONTENT.lines, *CONTENT.removal]
    records += [c for j in CONTENT.jurisdictions for c in j.channels]
    for record in records:
        if record.phone:
            assert re.fullmatch(r"\+?[\d ()-]+", record.phone), (record.id, record.phone)
    assert channel("US", "us-fbi-tips").tel == "18002255324"


# -- Each corrected record says when it was checked -------------------------------------------


@pytest.mark.parametrize(
    ("code", "offence_id"),
    [("GB", "gb-66b"), ("GB", "gb-66e"), ("CA", "ca-162-1"), ("CA", "ca-c16"), ("FR", "fr-312-10"),
     ("FR", "fr-226-8-1")],
)  # fmt: skip
def test_corrected_offences_carry_the_new_check(code, offence_id):
    assert offence(code, offence_id).checked == CHECKED


def test_the_ofcom_route_is_confirmed_with_its_caveat():
    ofcom = channel("GB", "gb-ofcom")
    assert ofcom.confirmed
    assert ofcom.checked == CHECKED
    assert "does not respond to or investigate individual complaints" in ofcom.about.en


# -- The declared conditions ---------------------------------------------------------------------


def test_an_unknown_condition_is_named_with_its_file_and_field(tmp_path):
    import shutil

    from helper.content import ContentError, load_content
    from helper.resources import data_dir

    root = tmp_path / "content"
    shutil.copytree(data_dir("content"), root)
    clocks = root / "letters" / "clocks.toml"
    text = clocks.read_text().replace('conditions = ["images-shared"]', 'conditions = ["a-hunch"]', 1)
    clocks.write_text(text)
    with pytest.raises(ContentError, match=r"clocks.toml: clocks\[\d+\]: field 'conditions' must be one of"):
        load_content(root)


def test_the_conditions_read_the_record():
    from helper.letters.conditions import holds

    case = full_case("FR")
    held = holds(case)
    assert held >= {"money-demanded", "never-met", "images-shared", "money-paid"}
    assert not held & {"threat-only", "nothing-paid"}
    assert holds(replace(case, payments=(), places=())) >= {"threat-only", "nothing-paid"}


# -- What French pages show (issue 20, part 7) ---------------------------------------------------


def test_platform_names_shown_on_french_pages_carry_no_english_words():
    for platform in CONTENT.platforms:
        assert not re.search(r"\b(and|or|the)\b", platform.name), platform.name
