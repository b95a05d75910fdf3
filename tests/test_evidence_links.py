"""What a link itself says: a Discord message link's id gives the moment it was sent, when it can."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from helper.evidence.links import DISCORD_EPOCH_MS, discord_message

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def link(message_id: int | str) -> str:
    return f"https://discord.com/channels/@me/175928847299117063/{message_id}"


def id_at(moment: datetime) -> int:
    return (int(moment.timestamp() * 1000) - DISCORD_EPOCH_MS) << 22


def test_a_message_id_gives_the_moment_it_was_sent():
    found = discord_message(link(175928847299117063), now=NOW)
    assert found is not None
    assert found.is_direct_message
    assert found.posted_at == "2016-04-30T11:18:25+00:00"


FAR_AHEAD = ["999999999999999999999", "100000000000000000000", "555555555555555555555"]


@pytest.mark.parametrize("digits", FAR_AHEAD)
def test_an_id_of_21_digits_from_years_ahead_is_no_date(digits):
    found = discord_message(link(digits), now=NOW)
    assert found is not None  # still a Discord message link
    assert found.posted_at is None  # not "sent in the year 5222"


def test_a_date_within_a_day_of_now_stays_and_one_beyond_it_goes():
    soon = discord_message(link(id_at(datetime(2026, 11, 26, 11, 0, tzinfo=UTC))), now=NOW)
    later = discord_message(link(id_at(datetime(2026, 11, 26, 13, 0, tzinfo=UTC))), now=NOW)
    assert soon is not None
    assert soon.posted_at == "2026-11-26T11:00:00+00:00"
    assert later is not None
    assert later.posted_at is None


def test_without_a_clock_given_the_present_is_used():
    found = discord_message(link("999999999999999999999"))
    assert found is not None
    assert found.posted_at is None
