"""What a link itself says, read without ever opening it."""

from __future__ import annotations

import re
from dataclasses import dataclass

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


def discord_message(url: str) -> DiscordMessage | None:
    """A Discord message link, with the moment the message was sent (its id encodes it)."""
    match = _DISCORD.match(url.strip())
    if not match:
        return None
    posted = from_epoch(((int(match["message"]) >> 22) + DISCORD_EPOCH_MS) / 1000)
    return DiscordMessage(match["guild"], match["channel"], match["message"], posted)
