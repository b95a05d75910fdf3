"""The letters' content: platforms, jurisdictions, kinds, elements, clocks and templates, all checked."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from jinja2 import meta

from helper.content import ContentError, load_content
from helper.content.loader import load_record_file, record_files
from helper.letters.checks import CHECK_NAMES
from helper.letters.engine import CONTEXT, LetterWriter
from helper.resources import data_dir
from helper.vocabulary import LANGUAGES

ROOT = data_dir("content")
CONTENT = load_content(ROOT)
WRITER = LetterWriter.from_content_root(CONTENT, ROOT)

KIND_IDS = (
    "take-it-down",
    "uk-intimate-image-report",
    "dsa-notice",
    "gdpr-erasure",
    "dmca",
    "search-delisting",
    "platform-report",
    "police-us-ic3",
    "police-fr-procureur",
    "police-fr-thesee",
    "police-uk",
    "police-ca",
    "esafety",
    "payment-report",
    "escalation-ftc",
    "escalation-arcom",
    "escalation-cnil",
    "escalation-ico",
)
PLATFORM_IDS = (
    "instagram",
    "facebook",
    "threads",
    "whatsapp",
    "snapchat",
    "tiktok",
    "x",
    "discord",
    "telegram",
    "reddit",
    "youtube",
    "google-search",
    "bing",
    "pornhub",
    "onlyfans",
    "generic",
)
FILES = [(name, path) for name in ("platforms", "jurisdictions") for path in record_files(ROOT, name)]
TEMPLATES = [(k.id, lang) for k in CONTENT.kinds for lang in k.langs]


@pytest.mark.parametrize(("collection", "path"), FILES, ids=[str(p.relative_to(ROOT)) for _, p in FILES])
def test_every_file_fits_the_schema(collection, path):
    record = load_record_file(ROOT, collection, path)
    assert record.source.startswith("https://")
    assert date(2025, 1, 1) <= record.checked <= date.today()


def test_the_stable_ids_exist():
    assert tuple(k.id for k in CONTENT.kinds) == KIND_IDS
    assert {p.id for p in CONTENT.platforms} == set(PLATFORM_IDS)
    assert {j.code for j in CONTENT.jurisdictions} == {"US", "FR", "GB", "CA", "AU", "EU"}


@pytest.mark.parametrize("platform_id", PLATFORM_IDS)
def test_every_platform_says_where_to_go_and_whether_it_has_an_address(platform_id):
    platform = CONTENT.platform(platform_id)
    assert platform.forms, "a platform with nowhere to report"
    for form in platform.forms:
        assert form.url.startswith("https://")
        assert form.source.startswith("https://")
    assert platform.stopncii in ("yes", "no", "unknown")
    if platform.email is not None:
        assert "@" in platform.email


def test_us_only_forms_say_so_in_words():
    for platform_id in ("x", "discord"):
        form = CONTENT.platform(platform_id).form("take-it-down")
        assert form.us_only
        assert form.scope
        assert "United States" in form.scope.en
        assert "États-Unis" in form.scope.fr


def test_platforms_resolve_from_their_addresses():
    assert CONTENT.platform_for("https://www.instagram.com/p/SAMPLE/").id == "instagram"
    assert CONTENT.platform_for("https://twitter.com/a/status/1").id == "x"
    assert CONTENT.platform_for("https://m.me/sample").id == "facebook"
    assert CONTENT.platform_for("", "Discord").id == "discord"
    assert CONTENT.platform_for("https://sample-host.example/x") is None


@pytest.mark.parametrize("code", ["US", "FR", "GB", "CA", "AU", "EU"])
def test_every_jurisdiction_has_somewhere_to_report(code):
    jurisdiction = CONTENT.jurisdiction(code)
    assert jurisdiction.channels
    for channel in jurisdiction.channels:
        # A channel with no address of its own is a pointer (each EU country's regulator), or unconfirmed.
        assert channel.web or channel.phone or channel.letter or channel.note or not channel.confirmed, (
            channel.id
        )
        if channel.letter:
            CONTENT.kind(channel.letter)


def test_the_ai_made_case_is_named_in_each_laws_own_words():
    words = {o.words for j in CONTENT.jurisdictions for o in j.offences if o.ai_made and o.words}
    assert any("digital forgery" in w for w in words)
    assert any("algorithmique" in w for w in words)
    assert any("appears to show" in w for w in words)


def test_the_reporting_channels_the_research_names_are_there():
    channels = {c.id: c for j in CONTENT.jurisdictions for c in j.channels}
    text = " ".join(c.name + " " + (c.web or "") + " " + (c.phone or "") for c in channels.values())
    for needed in (
        "ic3.gov",
        "tips.fbi.gov",
        "THESEE",
        "PHAROS",
        "17Cyber",
        "3018",
        "Report Fraud",
        "0300 123 2040",
        "Cybertip.ca",
        "Canadian Anti-Fraud Centre",
        "ReportCyber",
        "eSafety",
        "CNIL",
        "ICO",
        "Arcom",
    ):
        assert needed.lower() in text.lower(), needed
    assert "Action Fraud" not in text
    pharos = next(c for c in channels.values() if "PHAROS" in c.name)
    assert pharos.public_only


def test_every_clock_has_a_basis_a_start_and_a_length_and_reminders_never_pose_as_law():
    for clock in CONTENT.clocks:
        assert clock.basis in ("law", "platform promise", "reminder")
        assert clock.start in ("platform process", "regulator notice", "receipt", "sending")
        assert clock.hours or clock.days or clock.months
        if clock.basis == "reminder":
            assert "not a legal deadline" in clock.about.en or "not a deadline" in clock.about.en, clock.id
            assert "pas un délai" in clock.about.fr, clock.id
    by_id = {c.id: c for c in CONTENT.clocks}
    assert (by_id["tida-48h"].hours, by_id["tida-48h"].start) == (48, "platform process")
    assert (by_id["esafety-24h"].hours, by_id["esafety-24h"].start) == (24, "regulator notice")
    assert (by_id["gdpr-1m"].months, by_id["gdpr-1m"].extension is not None) == (1, True)
    assert by_id["dsa-reminder"].basis == "reminder"
    assert by_id["dmca-reminder"].basis == "reminder"


def test_every_element_names_its_clause_and_a_known_check():
    for element in CONTENT.elements:
        assert element.clause.en.strip()
        assert element.clause.fr.strip()
        assert element.check in CHECK_NAMES
    for kind in CONTENT.kinds:
        assert kind.elements
        assert set(kind.langs) <= set(LANGUAGES)


@pytest.mark.parametrize(("kind", "lang"), TEMPLATES, ids=[f"{k}.{lang}" for k, lang in TEMPLATES])
def test_every_template_exists_and_uses_only_declared_names(kind, lang):
    path = ROOT / "letters" / f"{kind}.{lang}.txt"
    source = path.read_text()
    used = meta.find_undeclared_variables(WRITER.env.parse(source))
    assert used <= CONTEXT, used - CONTEXT
    assert "revenge porn" not in source.lower()


def test_no_template_is_left_without_its_kind():
    written = {p.name for p in (ROOT / "letters").glob("*.txt")}
    assert written == {f"{k}.{lang}.txt" for k, lang in TEMPLATES}


@pytest.fixture
def editable(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(ROOT, target)
    return target


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("letters/clocks.toml", 'basis = "law"', 'basis = "rumour"', "must be one of"),
        (
            "letters/clocks.toml",
            'escalate = "escalation-ftc"',
            'escalate = "escalation-nowhere"',
            "does not exist",
        ),
        ("letters/kinds.toml", '"tida.signature", ', '"tida.autograph", ', "does not exist"),
        ("letters/elements.toml", 'check = "signature"', 'check = "vibes"', "must be one of"),
        ("platforms/x.toml", 'stopncii = "unknown"', 'stopncii = "maybe"', "must be one of"),
        ("platforms/x.toml", 'id = "x"', 'id = "twitter"', "named after its id"),
    ],
)
def test_a_broken_letters_record_is_named(editable, file, old, new, message):
    path = editable / file
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(ContentError, match=message):
        load_content(editable)
