"""Jinja filters that show stored values in the reader's language."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from flask_babel import format_date, format_datetime, format_decimal, format_time, get_locale, get_timezone
from flask_babel import gettext as _

from helper.content.model import RemovalService
from helper.evidence.links import discord_message
from helper.i18n import listed


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


def moment(iso: str | None) -> str:
    """A stored date or date-time as the reader writes it, to the minute: "12 Mar 2026, 21:14" in
    en_GB, "Mar 12, 2026, 9:14 PM" in en_US, "12 mars 2026, 21:14" in French. Text that is not a
    date is shown as it is."""
    if not iso:
        return ""
    try:
        if "T" not in iso and " " not in iso.strip():
            return format_date(date.fromisoformat(iso), "medium")
        value = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    # A time with its offset is shown in this computer's zone; one without (typed by the person, or a
    # phone's chat export) is shown as recorded, never shifted.
    if value.tzinfo is not None:
        value = value.astimezone(get_timezone()).replace(tzinfo=None)
    pattern = get_locale().datetime_formats["medium"]
    time, day = format_time(value, "short", rebase=False), format_date(value, "medium", rebase=False)
    return pattern.format(time, day)


def day(value: date) -> str:
    return format_date(value, "long")


def format_list(items) -> str:
    """A list of names in the page's language: "A, B and C", "A, B et C"."""
    return listed(items, get_locale())


def service_name(service: RemovalService) -> str:
    """A removal service's name, with who runs it: "Report Remove (Childline et IWF)"."""
    return f"{service.name} ({format_list(service.by)})" if service.by else service.name


def address(url: str) -> str:
    """A web address as people read it: without the scheme or a trailing slash."""
    return url.split("://", 1)[-1].rstrip("/")


def init_filters(app: Flask) -> None:
    app.jinja_env.filters["address"] = address
    app.jinja_env.filters["discord"] = discord_message
    app.jinja_env.filters["day"] = day
    app.jinja_env.filters["filesize"] = filesize
    app.jinja_env.filters["format_list"] = format_list
    app.jinja_env.filters["service_name"] = service_name
    app.jinja_env.filters["moment"] = moment
    app.jinja_env.filters["when"] = when
