"""The tracker: clocks by basis and start event, overdue and escalation, and the record's round trip."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from helper.case import Case, Report
from helper.letters import tracker
from helper.letters.tracker import Tracker, add_months
from helper.vocabulary import UnknownCode
from tests.support.letters import full_case, writer

CONTENT = writer().content
TRACKER = Tracker(CONTENT)
SENT = "2026-11-20T10:00:00+01:00"
T0 = datetime.fromisoformat(SENT)


def report(kind="take-it-down", platform="x", channel="form", status="sent", **kw) -> Report:
    return Report(id="r", kind=kind, platform=platform, channel=channel, status=status, sent_at=SENT, **kw)


def test_take_it_down_through_the_form_runs_48_hours_by_law():
    due = TRACKER.state(Case(id="c", title="t", created_at=SENT), report(), T0 + timedelta(hours=47))
    assert due.clock.id == "tida-48h"
    assert due.is_deadline
    assert due.due_at == T0 + timedelta(hours=48)
    assert not due.overdue


def test_take_it_down_by_email_starts_no_legal_clock_only_a_reminder():
    due = TRACKER.state(Case(id="c", title="t", created_at=SENT), report(channel="email"), T0)
    assert due.clock.basis == "reminder"
    assert not due.is_deadline


def test_overdue_after_48_hours_with_the_ftc_complaint_as_next_step():
    case = full_case("US")
    due = TRACKER.state(case, report(), T0 + timedelta(hours=48, minutes=1))
    assert due.overdue
    assert due.escalation.id == "escalation-ftc"


def test_esafety_runs_from_the_regulators_notice_not_from_the_report():
    case = full_case("AU")
    waiting = TRACKER.state(case, report(kind="esafety", platform=""), T0 + timedelta(days=30))
    assert waiting.clock.id == "esafety-24h"
    assert waiting.due_at is None
    assert not waiting.overdue
    notice = "2026-11-22T09:00:00+11:00"
    started = TRACKER.state(case, report(kind="esafety", platform="", notice_at=notice), T0)
    assert started.due_at == datetime.fromisoformat(notice) + timedelta(hours=24)


def test_gdpr_one_month_from_sending_and_the_escalation_fits_the_country():
    france = TRACKER.state(
        full_case("FR"), report(kind="gdpr-erasure", platform="instagram"), T0 + timedelta(days=31)
    )
    assert france.due_at == datetime.fromisoformat("2026-12-20T10:00:00+01:00")
    assert france.overdue
    assert france.escalation.id == "escalation-cnil"
    uk = TRACKER.state(
        full_case("GB"), report(kind="gdpr-erasure", platform="instagram"), T0 + timedelta(days=31)
    )
    # UK law asks for a complaint to the organisation first (DPA 2018 s.164A), then the ICO.
    assert uk.escalation.id == "uk-data-complaint"


def test_a_dsa_notice_gets_a_reminder_labelled_as_such_never_a_deadline():
    due = TRACKER.state(
        full_case("FR"), report(kind="dsa-notice", platform="instagram"), T0 + timedelta(days=8)
    )
    assert due.clock.basis == "reminder"
    assert not due.is_deadline
    assert due.overdue
    assert due.escalation.id == "escalation-arcom"


def test_a_platforms_own_clock_comes_before_the_general_reminder():
    due = TRACKER.state(full_case("US"), report(kind="platform-report", platform="youtube"), T0)
    assert due.clock.id == "report-youtube-reminder"
    assert due.due_at == T0 + timedelta(days=2)


def test_youtubes_48_hours_are_the_uploaders_grace_period_so_only_a_reminder():
    due = TRACKER.state(full_case("US"), report(kind="platform-report", platform="youtube"), T0)
    assert due.clock.basis == "reminder"
    assert not due.is_deadline


@pytest.mark.parametrize("platform", ["x", "discord"])
def test_x_and_discord_promise_48_hours_only_for_a_take_it_down_request(platform):
    ordinary = TRACKER.state(full_case("FR"), report(kind="platform-report", platform=platform), T0)
    assert not ordinary.is_deadline
    tida = TRACKER.state(full_case("US"), report(kind="take-it-down", platform=platform), T0)
    assert tida.is_deadline
    assert tida.due_at == T0 + timedelta(hours=48)


def test_the_uk_48_hours_run_for_images_shared_never_for_a_threat_only():
    shared = full_case("GB")
    sent = report(kind="uk-intimate-image-report", platform="instagram")
    assert TRACKER.state(shared, sent, T0).clock.id == "uk-48h"
    threat_only = replace(shared.with_incident(kind="financial"), places=())
    due = TRACKER.state(threat_only, sent, T0)
    assert not due.is_deadline
    assert "48" not in str(due.clock.hours or "")


def test_the_uk_48_hour_clock_never_says_once_in_force():
    for clock in CONTENT.clocks:
        assert "once this duty is in force" not in clock.about.en.lower()
        assert "une fois cette obligation entrée en vigueur" not in clock.about.fr


@pytest.mark.parametrize("status", ["removed", "refused", "draft"])
def test_settled_and_unsent_reports_have_no_running_clock(status):
    due = TRACKER.state(full_case("US"), report(status=status), T0 + timedelta(days=9))
    assert due.due_at is None
    assert not due.overdue


def test_a_refusal_offers_the_escalation():
    due = TRACKER.state(full_case("US"), report(status="refused"), T0)
    assert due.escalation.id == "escalation-ftc"


def test_whats_next_puts_due_dates_in_order_and_leaves_out_settled_ones():
    case = Case(id="c", title="t", created_at=SENT)
    case = case.with_entry("reports", replace(report(kind="gdpr-erasure", platform="instagram"), id="late"))
    case = case.with_entry("reports", replace(report(), id="soon"))
    case = case.with_entry("reports", replace(report(status="removed"), id="done"))
    case = case.with_entry("reports", Report(id="typed", target="police", made_on="2026-11-01"))
    order = [d.report.id for d in TRACKER.whats_next(case, T0)]
    assert order == ["soon", "late"]


def test_months_end_on_the_months_last_day():
    assert add_months(datetime(2026, 1, 31, 12), 1) == datetime(2026, 2, 28, 12)
    assert add_months(datetime(2026, 12, 15), 1) == datetime(2027, 1, 15)


def test_reports_round_trip_through_the_record_and_old_versions_load():
    case = tracker.record_report(
        Case(id="c", title="t", created_at=SENT),
        report_id="r1",
        kind="take-it-down",
        platform="x",
        channel="form",
        sent_at=SENT,
        reference="T-1",
        letter_id="l1",
    )
    case = tracker.add_reply(case, "r1", SENT, "Received (SAMPLE)")
    case = tracker.update_report(case, "r1", status="acknowledged")
    again = Case.from_dict(case.to_dict())
    assert again == case
    assert again.reports[0].replies[0].text == "Received (SAMPLE)"
    assert again.reports[0].target == "platform"
    v4 = {
        "format": "helper.case.v4",
        "id": "c",
        "title": "t",
        "created_at": SENT,
        "reports": [{"id": "r", "target": "police", "made_on": "2026-01-01"}],
    }
    old = Case.from_dict(v4)
    assert old.reports[0].status == ""
    assert old.signer.name == ""
    assert old.letters == ()


def test_a_draft_becomes_sent_when_its_time_is_given():
    case = tracker.record_report(
        Case(id="c", title="t", created_at=SENT),
        report_id="r1",
        kind="dsa-notice",
        platform="x",
        channel="form",
        sent_at=None,
    )
    assert case.reports[0].status == "draft"
    case = tracker.update_report(case, "r1", sent_at=SENT)
    assert case.reports[0].status == "sent"
    assert case.reports[0].made_on == "2026-11-20"


def test_unknown_codes_are_refused_by_the_record():
    with pytest.raises(UnknownCode, match="lost"):
        Report(id="r", status="lost")
    with pytest.raises(UnknownCode, match="pigeon"):
        Report(id="r", channel="pigeon")


def test_a_take_it_down_request_to_reddit_starts_no_legal_clock_as_no_form_for_it_is_known():
    """Reddit's TAKE IT DOWN form was not found: a request sent "through the form" went through its
    ordinary report form, which starts no 48 hours."""
    due = TRACKER.state(full_case("US"), report(platform="reddit"), T0 + timedelta(hours=49))
    assert not due.is_deadline
    assert not (due.overdue and due.escalation and due.escalation.id == "escalation-ftc")


def test_a_take_it_down_request_through_xs_us_form_runs_48_hours_for_someone_in_the_us():
    due = TRACKER.state(full_case("US"), report(platform="x"), T0)
    assert (due.clock.id, due.is_deadline) == ("tida-48h", True)
