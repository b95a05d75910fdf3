"""Fuzzing links: what a pasted address is read as (a Discord message and its time, a platform, an exact
location for a letter) never raises, and the link form saves or refuses any text with a page, never an
error. Examples are derandomized (tests/conftest.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helper.evidence.links import discord_message
from helper.letters.engine import is_exact_location
from helper.web.filters import address
from tests.support.letters import writer

CONTENT = writer().content
ODD = st.sampled_from(
    ["\x00", "\x1b", "\u202e", "\ud800", "\n", "\t", " ", "%", "\\", "@", ":", "[", "]", "#"]
)
CHARACTER = st.one_of(st.characters(), ODD)
PART = st.text(st.one_of(CHARACTER, st.sampled_from("abc019./-?=&")), max_size=20)
# Discord ids: the 15 to 21 digits the link pattern takes (a real one has 17 to 19 today), and others.
DIGITS = st.one_of(
    st.integers(10**14, 10**21 - 1).map(str), st.text(st.sampled_from("0123456789"), min_size=1, max_size=25)
)
URL = st.one_of(
    st.text(CHARACTER, max_size=60),
    st.builds(
        "{}{}{}{}".format,
        st.sampled_from(["https://", "http://", "", "www.", "HTTPS://", "javascript:", "https://[", "//"]),
        st.one_of(
            st.sampled_from(["instagram.com", "x.com", "m.facebook.com", "t.me", "[::1]", "a@b:c"]), PART
        ),
        st.sampled_from(["", "/", "/sam.sample.42", ":99999/", "?q=1", "#top", ":", "]"]),
        PART,
    ),
    st.builds(
        "https://{}discord.com/channels/{}/{}/{}{}".format,
        st.sampled_from(["", "ptb.", "canary."]),
        st.one_of(st.just("@me"), DIGITS),
        DIGITS,
        DIGITS,
        st.sampled_from(["", "/", "?x", "#y", "/z"]),
    ),
)
DISCORD_BEGAN = datetime(2015, 1, 1, tzinfo=UTC)


@settings(max_examples=400)
@given(URL, PART)
def test_what_a_link_says_is_read_without_raising(url, name):
    message = discord_message(url)
    if message is not None and message.posted_at is not None:
        posted = datetime.fromisoformat(message.posted_at)
        latest = datetime.now(UTC) + timedelta(days=1)  # a day of grace, for a clock that is behind
        assert DISCORD_BEGAN <= posted <= latest, "a message sent before Discord began, or in the future"
    assert isinstance(is_exact_location(url), bool)
    assert CONTENT.platform_for(url, name) is None or CONTENT.platform_for(url, name).id
    assert isinstance(address(url), str)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(url=URL)
def test_the_link_form_saves_or_refuses_any_text_with_a_page(client, token, unlocked, url):
    case_id = case_of(unlocked)
    saved = client.post(f"/evidence/{case_id}/links", data={"csrf_token": token, "url": url})
    assert saved.status_code == 302
    for page in (f"/cases/{case_id}", f"/walkthrough/{case_id}/timeline", f"/letters/{case_id}/takedown"):
        assert client.get(page).status_code == 200, page


_CASES: dict[object, str] = {}


def case_of(vault) -> str:
    """One case for every example of the test (the fixtures are the test's, not the example's)."""
    if vault.path not in _CASES:
        _CASES[vault.path] = vault.create_case("Links").id
    return _CASES[vault.path]
