"""Spain, Ireland, Belgium and Switzerland (issue 23, items 3-7): each has its sourced laws, police
and lines; the EU's letters reach the three in the EU and never Switzerland; no country is given
another's police."""

from __future__ import annotations

from datetime import date

import pytest

from helper.letters.plan import plan
from tests.support.letters import full_case, writer

WRITER = writer()
CONTENT = WRITER.content
NEW = ("ES", "IE", "BE", "CH")
EU_KINDS = ("dsa-notice", "gdpr-erasure")


@pytest.mark.parametrize("code", [j.code for j in CONTENT.jurisdictions])
def test_every_record_of_every_jurisdiction_has_a_source_and_a_checked_date(code):
    jurisdiction = CONTENT.jurisdiction(code)
    for record in (jurisdiction, *jurisdiction.offences, *jurisdiction.channels):
        assert record.source.startswith("https://")
        assert isinstance(record.checked, date)


@pytest.mark.parametrize("code", NEW)
def test_each_new_country_has_its_offences_police_and_lines(code):
    jurisdiction = CONTENT.jurisdiction(code)
    assert jurisdiction is not None
    assert any(o.threat for o in jurisdiction.offences)
    assert any(c.channel == "police" for c in jurisdiction.channels)
    assert {line.audience for line in CONTENT.lines_for(code)} == {"everyone", "young"}
    assert CONTENT.country(code).code == code


@pytest.mark.parametrize("code", NEW)
def test_each_new_country_yields_its_plan_with_its_own_police_only(code):
    actions = plan(WRITER, full_case(code))
    police = [a.channel for a in actions if a.group == "police" and a.channel is not None]
    assert police
    own = {c.id for j in CONTENT.jurisdictions_for(code) for c in j.channels}
    assert {c.id for c in police} <= own


@pytest.mark.parametrize("code", ["ES", "IE", "BE"])
def test_the_eu_letters_are_offered_in_the_eu_countries(code):
    case = full_case(code)
    assert "EU" in [j.code for j in CONTENT.jurisdictions_for(code)]
    offered = {a.kind.id for a in plan(WRITER, case) if a.kind}
    assert "dsa-notice" in offered


def test_switzerland_gets_no_eu_letter_and_its_own_data_protection_route():
    case = full_case("CH")
    assert [j.code for j in CONTENT.jurisdictions_for("CH")] == ["CH"]
    offered = {a.kind.id for a in plan(WRITER, case) if a.kind}
    assert not offered & set(EU_KINDS)
    assert not any(WRITER.applies(CONTENT.kind(k), case) for k in EU_KINDS)
    regulators = [c for c in CONTENT.jurisdiction("CH").channels if c.channel == "regulator"]
    assert [c.id for c in regulators] == ["ch-fdpic"]
    assert "not in the European Union" in CONTENT.jurisdiction("CH").note.en


def test_belgium_says_dutch_and_german_are_not_yet_covered():
    note = CONTENT.jurisdiction("BE").note
    assert "Dutch" in note.en
    assert "néerlandais" in note.fr
    assert "neerlandés" in note.es


def test_an_unconfirmed_article_says_check_this():
    for code in NEW:
        for offence in CONTENT.jurisdiction(code).offences:
            if not offence.confirmed:
                assert "check this" in (offence.cite + offence.penalty.en).lower()


@pytest.mark.parametrize(
    ("code", "number"), [("ES", "024"), ("IE", "1800 66 66 66"), ("BE", "1813"), ("CH", "147")]
)
def test_help_now_lists_the_new_countries_lines(app, code, number):
    html = app.test_client().get(f"/help/?country={code.lower()}").get_data(as_text=True)
    assert number in html


def test_a_country_not_covered_gets_the_international_services_and_no_local_police():
    actions = plan(WRITER, full_case("INTL"))
    assert not [a for a in actions if a.group == "police" and a.channel is not None]
    assert any(a.group == "block" for a in actions)


def test_switzerland_says_it_is_outside_the_union_and_the_loader_holds_it_to_that(tmp_path):
    """A law that does not apply is declared, not inferred: CH is `outside` the EU; a content edit
    putting CH among the EU's countries as well is refused with a sentence naming the file."""
    import shutil

    from helper.content import ContentError, load_content
    from helper.resources import data_dir

    shipped = load_content(data_dir("content"))
    assert next(j for j in shipped.jurisdictions if j.code == "CH").outside == ("EU",)
    target = tmp_path / "content"
    shutil.copytree(data_dir("content"), target)
    eu = target / "jurisdictions" / "EU.toml"
    eu.write_text(eu.read_text().replace('"SE"]', '"SE", "CH"]', 1))
    with pytest.raises(ContentError, match="CH.toml: outside names 'EU'"):
        load_content(target)
