"""The timeline: every dated entry of a case, in chronological order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from helper.case import Case
from helper.evidence.links import discord_message


@dataclass(frozen=True)
class TimelineEntry:
    at: str  # ISO date or date-time, as entered
    kind: str  # "started", "threat", "deadline", "payment", "demand", "place", "report", "event"
    text: str
    ref: str | None = None  # id of the entry it comes from, to edit it


def sort_key(at: str) -> tuple[str, str]:
    """Dates and date-times sort together; a bare date comes before times on the same day."""
    try:
        moment = datetime.fromisoformat(at)
    except ValueError:
        try:
            moment = datetime.combine(date.fromisoformat(at), datetime.min.time())
        except ValueError:
            return ("9999", at)  # not a date: last, but never lost
    return (moment.replace(tzinfo=None).isoformat(), at)


def build_timeline(case: Case) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    incident = case.incident
    if incident.started_on:
        where = incident.first_contact_platform or ""
        entries.append(TimelineEntry(incident.started_on, "started", where))
    for threat in case.threats:
        if threat.received_at:
            entries.append(TimelineEntry(threat.received_at, "threat", threat.wording, threat.id))
        if threat.deadline:
            entries.append(TimelineEntry(threat.deadline, "deadline", threat.wording, threat.id))
    for payment in case.payments:
        if payment.at:
            amount = " ".join(part for part in (payment.amount, payment.currency) if part)
            entries.append(
                TimelineEntry(payment.at, "payment" if payment.paid else "demand", amount, payment.id)
            )
    for place in case.places:
        if place.seen_on:
            entries.append(TimelineEntry(place.seen_on, "place", place.url or place.platform, place.id))
    for report in case.reports:
        when = report.sent_at or report.made_on
        if when:
            entries.append(TimelineEntry(when, "report", report.name, report.id))
    for link in case.links:
        if link.seen_at:
            entries.append(TimelineEntry(link.seen_at, "link", link.url, link.id))
        discord = discord_message(link.url)
        if discord and discord.posted_at:
            entries.append(TimelineEntry(discord.posted_at, "discord", link.url, link.id))
    for quote in case.quotes:
        if quote.at:
            text = f"{quote.sender}: {quote.text}" if quote.sender else quote.text
            entries.append(TimelineEntry(quote.at, "message", text, quote.id))
    for event in case.events:
        entries.append(TimelineEntry(event.at, "event", event.text, event.id))
    return sorted(entries, key=lambda e: sort_key(e.at))
