"""What a link itself says, read without ever opening it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from helper.evidence.chats.model import from_epoch

# https://discord.com/channels/<server or @me>/<channel>/<message>
_DISCORD = re.compile(
    r"^https?://(?:(?:ptb|canary)\.)?discord(?:app)?\.com/channels/(?P<guild>@me|\d{15,21})/(?P<channel>\d{15,21})"
    r"/(?P<message>\d{15,21})/?(?:[?#].*)?$"
)
DISCORD_EPOCH_MS = 1_420_070_400_000  # 2015-01-01T00:00:00Z, the start of Discord's ids


@dataclass(frozen=True)
class DiscordMessage:
    guild: str  # a server id, or "@me" for a direct message
    channel: str
    message: str
    posted_at: str | None  # UTC, from the message id itself

    @property
    def is_direct_message(self) -> bool:
        return self.guild == "@me"


def discord_message(url: str, now: datetime | None = None) -> DiscordMessage | None:
    """A Discord message link, with the moment the message was sent (its id encodes it)."""
    match = _DISCORD.match(url.strip())
    if not match:
        return None
    posted = sent_at(int(match["message"]), now or datetime.now(UTC))
    return DiscordMessage(match["guild"], match["channel"], match["message"], posted)


def sent_at(message_id: int, now: datetime) -> str | None:
    """When a Discord id was made (its top 42 bits count milliseconds from Discord's epoch), or None
    for an id no message can have yet: the pattern takes 21 digits, which can say the year 5222. A day
    of grace covers a clock that is behind."""
    seconds = ((message_id >> 22) + DISCORD_EPOCH_MS) / 1000
    if seconds > (now + timedelta(days=1)).timestamp():
        return None
    return from_epoch(seconds)
