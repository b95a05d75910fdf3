"""content/ is data with a declared vocabulary: every record checked, every fact sourced."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from helper.content import ContentError, load_content
from helper.resources import data_dir

CONTENT = data_dir("content")


@pytest.fixture(scope="module")
def content():
    return load_content(CONTENT)


@pytest.fixture
def editable(tmp_path):
    """A copy of content/ to break on purpose."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


def edit(folder, name, old, new):
    path = folder / "help" / name
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_the_shipped_content_loads(content):
    codes = {"US", "FR", "GB", "CA", "AU", "ES", "IE", "BE", "CH", "INTL"}
    assert {c.code for c in content.countries} == codes


@pytest.mark.parametrize("code", ["US", "FR", "GB", "CA", "AU", "ES", "IE", "BE", "CH", "INTL"])
def test_every_country_has_somewhere_to_turn(content, code):
    assert content.lines_for(code)
    assert content.country(code).emergency


def test_every_record_cites_a_source_and_a_recent_check(content):
    for record in (*content.countries, *content.lines):
        assert record.source.startswith("https://")
        assert date(2025, 1, 1) <= record.checked <= date.today()


def test_every_line_can_be_reached_somehow(content):
    for line in content.lines:
        assert line.phone or line.sms or line.web, line.id


def test_young_peoples_lines_exist_where_the_minor_path_needs_them(content):
    young = {line.country for line in content.lines if line.audience == "young"}
    assert {"FR", "GB", "CA", "AU"} <= young


def test_unknown_country_falls_back_to_international(content):
    assert content.country("ZZ").code == "INTL"


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "lines.toml",
            'audience = "everyone"',
            'audience = "everyone"\nfax = "1"',
            "'fax' is not in the declared",
        ),
        ("lines.toml", 'name = "Samaritans"\n', "", "'name' is required and missing"),
        ("lines.toml", 'checked = "2026-11-25"', 'checked = "last week"', "'checked' must be a date"),
        (
            "lines.toml",
            'source = "https://988lifeline.org/"',
            'source = "http://988lifeline.org/"',
            "https://",
        ),
        ("lines.toml", 'country = "US"', 'country = "XX"', "unknown country 'XX'"),
        ("lines.toml", 'es = "Manda un SMS al 988" }', 'de = "x" }', "exactly the languages"),
        # Every text has its Spanish: a field that lacks it fails, as one that lacks its French.
        ("lines.toml", ', es = "Manda un SMS al 988" }', " }", "exactly the languages"),
        ("lines.toml", 'fr = "SMS au 988", ', "", "exactly the languages"),
        ("lines.toml", 'id = "us-crisis-text-line"', 'id = "us-988"', "duplicate id 'us-988'"),
        ("lines.toml", 'audience = "young"', 'audience = "teens"', "must be one of"),
        ("countries.toml", 'emergency = "911"', 'emergency = ""', "'emergency' must be non-empty"),
        ("lines.toml", "[[lines]]", "[[lines]\n", "not valid TOML"),
    ],
)
def test_a_broken_record_is_named_with_its_file_and_field(editable, file, old, new, message):
    edit(editable, file, old, new)
    with pytest.raises(ContentError, match=message) as info:
        load_content(editable)
    assert file.split(".")[0] in str(info.value) or "schema" in str(info.value)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('file = "help/lines.toml"\n', "", r"schema.toml: \[lines\] needs `file`"),
        ("required = { code = ", "needed = { code = ", r"schema.toml: \[countries\] has `needed`"),
        (
            'required = { id = "str", country = "country"',
            '# required = { id = "str", country = "country"',
            r"schema.toml: \[lines\] needs `required`",
        ),
        ('dir = "platforms"\n', "", r"schema.toml: \[platforms\] needs `dir`"),
        (
            'nested = { channels = "platform_channels" }',
            'nested = { channels = "platform_channel" }',
            r"schema.toml: no collection \[platform_channel\]",
        ),
        (
            'nested = { channels = "platform_channels" }',
            'nested = { ways = "platform_channels" }',
            r"schema.toml: \[platforms\] nests `ways`",
        ),
        ("[advice]", "[advise]", r"schema.toml: no collection \[advice\]"),
        ("[jurisdictions]", "[jurisdiction]", r"schema.toml: no collection \[jurisdictions\]"),
        ('optional = { note = "text" }', 'optional = "note"', r"schema.toml: \[countries\] `optional`"),
        ('file = "help/lines.toml"', "file = 7", r"schema.toml: \[lines\] `file`"),
    ],
)
def test_a_broken_schema_is_named_not_a_key_error(editable, old, new, message):
    path = editable / "schema.toml"
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(ContentError, match=message):
        load_content(editable)


def test_a_country_without_any_line_fails(editable):
    edit(
        editable,
        "lines.toml",
        'country = "AU"\nname = "Kids Helpline"',
        'country = "GB"\nname = "Kids Helpline"',
    )
    edit(editable, "lines.toml", 'country = "AU"\nname = "Lifeline"', 'country = "GB"\nname = "Lifeline"')
    with pytest.raises(ContentError, match="no help line for AU"):
        load_content(editable)
