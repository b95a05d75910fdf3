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
    "police-es-denuncia",
    "police-uk",
    "police-ca",
    "esafety",
    "payment-report",
    "escalation-ftc",
    "escalation-arcom",
    "escalation-cnil",
    "uk-data-complaint",
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
    codes = {"US", "FR", "GB", "CA", "AU", "EU", "ES", "IE", "BE", "CH"}
    assert {j.code for j in CONTENT.jurisdictions} == codes


@pytest.mark.parametrize("platform_id", PLATFORM_IDS)
def test_every_platform_says_where_to_go_and_each_channel_how_to_reach_it(platform_id):
    platform = CONTENT.platform(platform_id)
    assert [c for c in platform.channels if c.known], "a platform with nowhere to report"
    for channel in platform.channels:
        assert channel.source.startswith("https://")
        assert date(2025, 1, 1) <= channel.checked <= date.today()
        if channel.type in ("form", "page"):
            assert channel.url.startswith("https://")
        if channel.type == "address":
            assert "@" in channel.email
        if channel.known and not channel.confirmed:  # the person is told to check it
            assert "check" in channel.note.en.lower(), channel.id
            assert "vérifi" in channel.note.fr.lower(), channel.id
    assert platform.stopncii in ("yes", "no", "unknown")


def test_a_no_account_route_for_the_us_is_not_a_us_only_channel():
    x = {c.id: c for c in CONTENT.platform("x").channels}
    assert x["take-it-down"].countries == ("US",)
    assert "without an X account" in x["take-it-down"].scope.en
    assert "sans compte X" in x["take-it-down"].scope.fr
    assert x["take-it-down-in-app"].countries == ()
    assert x["take-it-down-in-app"].account_needed
    discord = {c.purpose: c for c in CONTENT.platform("discord").channels}
    assert discord["take-it-down"].countries == ("US",)
    assert "United States" in discord["take-it-down"].scope.en
    assert "États-Unis" in discord["take-it-down"].scope.fr


def test_the_channels_the_research_names_are_there_with_their_source_and_date():
    x = {c.id: c for c in CONTENT.platform("x").channels}
    assert x["ncii-policy"].url == "https://help.x.com/rules-and-policies/personal-information"
    assert x["ncii-in-app"].purpose == "ncii"
    assert x["ncii-in-app"].countries == ()
    assert x["dsa"].countries == ("EU",)
    assert not x["dsa"].confirmed
    for channel in (x["ncii-policy"], x["ncii-in-app"], x["dsa"]):
        assert channel.checked == date(2026, 12, 3)
    meta = [c for p in ("facebook", "instagram", "threads") for c in CONTENT.platform(p).channels]
    assert all(c.type == "page" for c in meta if "about.meta.com" in (c.url or ""))
    facebook = {c.id: c for c in CONTENT.platform("facebook").channels}
    assert facebook["ncii-form"].type == "form"
    assert not facebook["ncii-form"].confirmed
    reddit = {c.purpose: c for c in CONTENT.platform("reddit").channels if not c.known}
    assert "not found" in reddit["take-it-down"].note.en


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
        ("platforms/x.toml", 'type = "page"', 'type = "leaflet"', "must be one of"),
        ("platforms/x.toml", 'countries = ["EU"]', 'countries = ["Europe"]', "does not exist"),
        (
            "platforms/x.toml",
            'url = "https://help.x.com/rules-and-policies/personal-information"\n',
            "",
            "needs `url`",
        ),
        (
            "platforms/reddit.toml",
            'type = "none"',
            'type = "none"\nvia = "fax"',
            "not in the declared vocabulary",
        ),
        (
            "platforms/reddit.toml",
            'type = "none"',
            'type = "none"\nurl = "https://www.reddit.com/tida"',
            "no address",
        ),
        (
            "platforms/reddit.toml",
            'note = { en = "Not confirmed from Reddit’s own pages: check this on the site.", '
            'fr = "Non confirmé sur les pages de Reddit : vérifiez sur le site.", '
            'es = "Sin confirmar en las propias páginas de Reddit: compruébalo en el sitio." }\n',
            "",
            "needs a `note`",
        ),
        ("letters/kinds.toml", 'narrative = "short"', 'narrative = "some"', "must be one of"),
        ("letters/kinds.toml", 'contact = ["email"]\n', "", "required and missing"),
        ("letters/kinds.toml", '"signature", "email"]', '"signature", "e-mail"]', "must be one of"),
        ("letters/kinds.toml", 'purposes = ["take-it-down"]', 'purposes = ["concern"]', "must be one of"),
        ("letters/kinds.toml", 'group = "money"', 'group = "later"', "must be one of"),
        ("removal-blocking.toml", 'service = "stopncii"', 'service = "nowhere"', "does not exist"),
        ("removal-blocking.toml", 'ages = "adult"', 'ages = "everyone"', "must be one of"),
    ],
)
def test_a_broken_letters_record_is_named(editable, file, old, new, message):
    path = editable / file
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(ContentError, match=message):
        load_content(editable)


# -- Routing is content: each kind × platform × country gets a channel it may use, or none ------------

ROUTED = [(k.id, p.id) for k in CONTENT.kinds if k.purposes for p in CONTENT.platforms]
PLACES = (*(c.code for c in CONTENT.countries), "EU", "DE", "")


@pytest.mark.parametrize(("kind_id", "platform_id"), ROUTED, ids=[f"{k}@{p}" for k, p in ROUTED])
def test_each_letter_gets_a_channel_of_its_purpose_and_scope_or_says_none_is_known(kind_id, platform_id):
    from helper.letters.engine import route
    from tests.support.letters import full_case

    kind, platform = CONTENT.kind(kind_id), CONTENT.platform(platform_id)
    for country in PLACES:
        found = route(CONTENT, kind, platform, country)
        letter = WRITER.write(full_case(country), kind_id, platform_id, kind.langs[0], date(2026, 12, 3))
        if found.channel is None:
            assert letter.no_channel, country
            assert (letter.form, letter.to) == (None, None), country
        else:
            channel = found.channel
            assert channel.purpose in kind.purposes
            assert CONTENT.covers(channel.countries, country), (country, channel.id)
            if kind.legal:  # a request under a law: never an information page, never unconfirmed
                assert channel.type in ("form", "in-app", "address"), channel.id
                assert channel.confirmed, channel.id
        for other in platform.channels:  # never another country's resource, in the text or as its address
            if not CONTENT.covers(other.countries, country):
                assert other is not found.channel
                for address in (other.url, other.email):
                    assert not address or address not in letter.text, (country, other.id)


def test_a_letter_to_someone_abroad_never_uses_a_us_only_or_australian_channel():
    from helper.letters.engine import route

    tida, report = CONTENT.kind("take-it-down"), CONTENT.kind("platform-report")
    assert route(CONTENT, tida, CONTENT.platform("x"), "US").channel.id == "take-it-down"
    assert route(CONTENT, tida, CONTENT.platform("x"), "FR").channel.id == "take-it-down-in-app"
    assert route(CONTENT, tida, CONTENT.platform("discord"), "FR").channel is None
    assert route(CONTENT, report, CONTENT.platform("generic"), "US").channel is None
    assert route(CONTENT, report, CONTENT.platform("generic"), "AU").channel.id == "report"
    reddit = route(CONTENT, tida, CONTENT.platform("reddit"), "US")
    assert reddit.channel is None
    assert reddit.not_found[0].id == "take-it-down"


# -- Each recipient learns only what it needs: the declared profile is what the template prints -------


def _template_use(kind) -> tuple[set[str], set[str]]:
    """The signer's fields and the context names a kind's templates use, in every language."""
    from jinja2 import nodes

    fields: set[str] = set()
    names: set[str] = set()
    for lang in kind.langs:
        tree = WRITER.env.parse((ROOT / "letters" / f"{kind.id}.{lang}.txt").read_text())
        names |= meta.find_undeclared_variables(tree)
        for node in tree.find_all(nodes.Getattr):
            if isinstance(node.node, nodes.Name) and node.node.name == "signer":
                fields.add(node.attr)
    return fields, names


@pytest.mark.parametrize("kind_id", KIND_IDS)
def test_each_kind_declares_what_it_discloses_and_its_template_prints_exactly_that(kind_id):
    from helper.content.model import CONTACT_FIELDS

    kind = CONTENT.kind(kind_id)
    fields, names = _template_use(kind)
    assert fields & set(CONTACT_FIELDS) == set(kind.contact)
    assert ("narrative" in names) == (kind.narrative == "full")
    if kind.narrative == "short":  # the one-line summary stands for the person's account
        assert "summary" in names
    if kind.narrative == "absent":
        assert "summary" not in names
    assert ("accounts" in names) == kind.suspect_accounts
    # Each element asks only for details the letter prints.
    needs = {
        "signature": {"signature"},
        "email": {"email"},
        "name_and_email": {"name", "email"},
        "name_and_email_unless_minor": {"name", "email"},
        "identity": {"name", "address"},
    }
    for element_id in kind.elements:
        check = CONTENT.element(element_id).check
        assert needs.get(check, set()) <= set(kind.contact), (element_id, check)
        if check == "contact":
            assert {"email", "phone", "address"} & set(kind.contact), element_id
        if check == "narrative":
            assert kind.narrative == "full", element_id


def test_platforms_get_an_e_mail_address_dsa_a_name_too_banks_no_story_and_the_police_everything():
    contact = {k.id: set(k.contact) for k in CONTENT.kinds}
    for kind_id in ("platform-report", "take-it-down", "uk-intimate-image-report"):
        assert contact[kind_id] <= {"signature", "email"}
    assert contact["dsa-notice"] == {"name", "signature", "email"}
    assert "phone" not in contact["dmca"]
    assert CONTENT.kind("dmca").seen_by is not None
    assert CONTENT.kind("payment-report").narrative == "absent"
    assert not CONTENT.kind("payment-report").suspect_accounts
    for kind_id in ("police-us-ic3", "police-fr-procureur", "police-uk", "police-ca"):
        assert {"name", "email", "phone", "address"} <= contact[kind_id]
        assert CONTENT.kind(kind_id).narrative == "full"


def test_the_plan_groups_and_blocking_services_are_content():
    groups = {k.id: k.group for k in CONTENT.kinds}
    assert groups["dsa-notice"] == "platform"
    assert groups["search-delisting"] == "search"
    assert groups["payment-report"] == "money"
    assert groups["escalation-ftc"] is None
    assert [b.service for b in CONTENT.blocking_for(True, "US")] == ["take-it-down", "cybertipline"]
    assert [b.service for b in CONTENT.blocking_for(True, "GB")] == ["report-remove", "take-it-down"]
    assert [b.service for b in CONTENT.blocking_for(True, "")] == ["take-it-down"]
    assert [b.service for b in CONTENT.blocking_for(False, "FR")] == ["stopncii"]
