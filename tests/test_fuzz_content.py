"""Fuzzing the content loader (helper/content/loader.py): content/ with one TOML file damaged — a byte
changed, a line lost or doubled, a value of the wrong kind — loads, or is refused with a `ContentError`
that names the file. Never another exception: the advocates and lawyers who edit content/ get a sentence,
not a traceback. Examples are derandomized (tests/conftest.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helper.content.loader import ContentError, load_content

ROOT = Path(__file__).resolve().parents[1] / "content"
FILES = sorted(p.relative_to(ROOT) for p in ROOT.rglob("*.toml"))
VALUES = ['""', "0", "-1", "true", "[]", "{}", "[[]]", '"INTL"', '"x"', "1979-05-27", '["", ""]', "{ a = 1 }"]


@pytest.fixture(scope="module")
def content_copy(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("content") / "content"
    shutil.copytree(ROOT, copy)
    return copy


@st.composite
def damaged(draw) -> tuple[Path, str]:
    """One file of content/ and its text, damaged a little."""
    # schema.toml as often as all the others: every other file is read through it.
    name = draw(st.one_of(st.just(Path("schema.toml")), st.sampled_from(FILES)))
    lines = (ROOT / name).read_text(encoding="utf-8").split("\n")
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(lines) - 1))
        how = draw(st.sampled_from(["value", "drop", "double", "key", "char"]))
        line = lines[at]
        if how == "value" and " = " in line:
            lines[at] = line.split(" = ", 1)[0] + " = " + draw(st.sampled_from(VALUES))
        elif how == "drop":
            del lines[at]
        elif how == "double":
            lines.insert(at, line)
        elif how == "key" and " = " in line:
            lines[at] = (
                draw(st.sampled_from(["id", "file", "required", "type", "country", "x"]))
                + line[line.index(" = ") :]
            )
        elif line:
            i = draw(st.integers(0, len(line) - 1))
            lines[at] = (
                line[:i] + draw(st.sampled_from(["", "[", "]", '"', "=", "\\", "\x00", "é"])) + line[i + 1 :]
            )
        if not lines:
            break
    return name, "\n".join(lines)


@settings(max_examples=120, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(damaged())
def test_damaged_content_loads_or_is_refused_with_a_sentence_naming_the_file(content_copy, change):
    name, text = change
    target = content_copy / name
    target.write_text(text, encoding="utf-8")
    refusal = ""
    try:
        load_content(content_copy)
    except ContentError as exc:
        refusal = str(exc)
    finally:
        shutil.copyfile(ROOT / name, target)
    if refusal:
        assert Path(name).name in refusal or f"{Path(name).parent.name}/" in refusal, refusal


def test_the_content_the_fuzzer_damages_loads(content_copy):
    assert load_content(content_copy).kinds
