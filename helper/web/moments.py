"""Dates and times as the forms show them and as the record stores them (ISO text)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

MINUTES = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends and shows


def to_minutes(value: datetime | None) -> str | None:
    return value.isoformat(timespec="minutes") if value else None


def parse_or_none(parser: Callable[[str], Any], value: str | None) -> Any:
    """A stored ISO text back into a date or datetime for a form; None when empty or unreadable."""
    try:
        return parser(value) if value else None
    except ValueError:
        return None


def parse_moment(value: str | None) -> datetime | None:
    return parse_or_none(datetime.fromisoformat, value)


def parse_day(value: str | None) -> date | None:
    return parse_or_none(date.fromisoformat, value)
