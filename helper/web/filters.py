"""Jinja filters that show stored values in the reader's language."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from flask_babel import format_date, format_datetime, format_decimal
from flask_babel import gettext as _

from helper.evidence.links import discord_message


def filesize(size: int) -> str:
    units = [_("bytes"), _("KB"), _("MB"), _("GB")]
    value = float(size)
    for unit in units:
        if value < 1024 or unit == units[-1]:
            return f"{format_decimal(round(value, 1))} {unit}"
        value /= 1024
    return str(size)


def when(iso: str) -> str:
    try:
        return format_datetime(datetime.fromisoformat(iso), "medium")
    except ValueError:
        return iso


def day(value: date) -> str:
    return format_date(value, "long")


def address(url: str) -> str:
    """A web address as people read it: without the scheme or a trailing slash."""
    return url.split("://", 1)[-1].rstrip("/")


def init_filters(app: Flask) -> None:
    app.jinja_env.filters["address"] = address
    app.jinja_env.filters["discord"] = discord_message
    app.jinja_env.filters["day"] = day
    app.jinja_env.filters["filesize"] = filesize
    app.jinja_env.filters["when"] = when
