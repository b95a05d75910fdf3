"""Follows each report until it is answered: its status, and the clock that runs for it.

A clock comes from `content/letters/clocks.toml`: a basis (a law, a platform's promise, or only a
reminder, which is never shown as a deadline), a length and the event that starts it. A TAKE IT DOWN
request starts its 48 hours only when it went through the platform's own form; eSafety's 24 hours run
from eSafety's notice, not from the person's report. Time is always passed in (`now`), so tests and
the benchmark can run the clock forward.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from helper import vocabulary
from helper.case import Case, Reply, Report
from helper.content import Content
from helper.content.model import Clock, LetterKind
from helper.letters import conditions
from helper.letters.engine import kind_applies, route

# Which report target a letter kind goes to (the record's REPORT_TARGETS).
TARGETS = {
    "police-us-ic3": "police",
    "police-fr-procureur": "police",
    "police-fr-thesee": "police",
    "police-uk": "police",
    "police-ca": "police",
    "police-es-denuncia": "police",
    "payment-report": "bank",
    "esafety": "regulator",
    "escalation-ftc": "regulator",
    "escalation-arcom": "regulator",
    "escalation-cnil": "regulator",
    "escalation-ico": "regulator",
}


def target_for(kind_id: str) -> str:
    return TARGETS.get(kind_id, "platform")


def add_months(moment: datetime, months: int) -> datetime:
    """The same day `months` later (the 31st becomes the month's last day)."""
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def _parse(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.astimezone()


@dataclass(frozen=True)
class Due:
    """Where one report stands against its clock."""

    report: Report
    clock: Clock | None
    due_at: datetime | None  # None: settled, or the start event has not happened yet
    overdue: bool
    escalation: LetterKind | None  # the next step, once overdue or refused

    @property
    def is_deadline(self) -> bool:
        """Only a law or a platform's own promise is a deadline; a reminder is not."""
        return self.clock is not None and self.clock.basis != "reminder"


class Tracker:
    def __init__(self, content: Content) -> None:
        self.content = content

    def clock(self, report: Report, case: Case | None = None) -> Clock | None:
        """The clock that runs for a report, given how it was sent and the case's facts (the UK's
        48 hours run only for images that were shared, not for a threat). A request that needed the
        platform's own process but went another way gets the next clock (a reminder)."""
        holds = conditions.holds(case) if case is not None else frozenset()
        for clock in self.content.clocks_for(report.kind, report.platform, holds):
            if clock.start == "platform process" and not self.through_process(report, case):
                continue
            return clock
        return None

    def through_process(self, report: Report, case: Case | None = None) -> bool:
        """Sent through the platform's own form or app, and the content knows such a process for this
        letter there: a TAKE IT DOWN request "sent through the form" to a site whose TAKE IT DOWN
        form was never found went through some other form, which starts no legal clock."""
        if report.channel != "form":
            return False
        kind = self.content.find_kind(report.kind)
        platform = self.content.platform(report.platform) if report.platform else None
        if kind is None or platform is None or not kind.purposes:
            return True
        country = case.incident.country if case is not None else ""
        return route(self.content, kind, platform, country).through_process

    def due_at(self, report: Report, clock: Clock) -> datetime | None:
        start = _parse(report.notice_at if clock.start == "regulator notice" else report.sent_at)
        if start is None:
            return None
        if clock.months:
            return add_months(start, clock.months)
        return start + timedelta(hours=clock.hours or 0, days=clock.days or 0)

    def escalation(self, case: Case, report: Report, clock: Clock | None) -> LetterKind | None:
        """The escalation that fits the person's country (CNIL in France, ICO in the UK...)."""
        candidates = [k for k in self.content.kinds if k.escalates and k.escalates == report.kind]
        if clock and clock.escalate:
            candidates.sort(key=lambda k: k.id != clock.escalate)
        return next((k for k in candidates if kind_applies(self.content, k, case)), None)

    def state(self, case: Case, report: Report, now: datetime) -> Due:
        if report.status in ("", "draft") or report.status in vocabulary.SETTLED_STATUSES:
            escalation = self.escalation(case, report, None) if report.status == "refused" else None
            return Due(report, None, None, False, escalation)
        clock = self.clock(report, case)
        due_at = self.due_at(report, clock) if clock else None
        overdue = due_at is not None and now >= due_at
        return Due(report, clock, due_at, overdue, self.escalation(case, report, clock) if overdue else None)

    def whats_next(self, case: Case, now: datetime) -> list[Due]:
        """Open reports in the order they fall due (overdue first), then those refused, then the ones
        whose clock has not started; settled and unsent ones are left out."""
        states = [self.state(case, r, now) for r in case.reports if r.kind and r.status]
        timed = [
            (s.due_at, s)
            for s in states
            if s.due_at is not None and s.report.status not in vocabulary.SETTLED_STATUSES
        ]
        waiting = [s for _, s in sorted(timed, key=lambda pair: pair[0])]
        refused = [s for s in states if s.report.status == "refused"]
        pending = [
            s
            for s in states
            if s.due_at is None and s.report.status not in ("draft", *vocabulary.SETTLED_STATUSES)
        ]
        return waiting + refused + pending


# -- changes to the record -----------------------------------------------------------------------


def record_report(
    case: Case,
    *,
    report_id: str,
    kind: str,
    platform: str,
    channel: str,
    sent_at: str | None,
    reference: str = "",
    letter_id: str = "",
    name: str = "",
    payment: str = "",
) -> Case:
    """A report made with a letter: sent (with its time), or a draft when `sent_at` is None. A bank
    letter says which payment (and so which payee) it was about."""
    report = Report(
        id=report_id,
        target=target_for(kind),
        name=name,
        made_on=sent_at[:10] if sent_at else None,
        reference=reference,
        kind=kind,
        platform=platform,
        channel=channel,
        status="sent" if sent_at else "draft",
        sent_at=sent_at,
        letter_id=letter_id,
        payment=payment,
    )
    return case.with_entry("reports", report)


def update_report(case: Case, report_id: str, **changes) -> Case:
    """Change a report's status, reference, sending time or regulator notice. KeyError if it is gone."""
    report = case.report(report_id)
    if report is None:
        raise KeyError(report_id)
    if changes.get("sent_at"):
        changes.setdefault("made_on", changes["sent_at"][:10])
        if report.status in ("", "draft") and "status" not in changes:
            changes["status"] = "sent"
    return case.with_entry("reports", replace(report, **changes))


def add_reply(case: Case, report_id: str, at: str, text: str) -> Case:
    report = case.report(report_id)
    if report is None:
        raise KeyError(report_id)
    return case.with_entry("reports", replace(report, replies=(*report.replies, Reply(at=at, text=text))))
