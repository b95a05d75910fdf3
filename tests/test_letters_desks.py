"""Letters fit for their desks (issue 20, part 4): each letter as its recipient reads it — a parquet
clerk, a bank's fraud desk, a regulator — and only the letters that can apply to the case."""

from __future__ import annotations

from dataclasses import replace

from helper.case import Report
from helper.letters.plan import plan
from tests.support.cases import PAYMENTS, REPORTS, SENT_AT
from tests.support.letters import full_case, writer

WRITER = writer()
CONTENT = WRITER.content


def offered(case) -> set[str]:
    return {option.kind.id for option in WRITER.options(case)}


# -- no letter offered that cannot apply ----------------------------------------------------------


def test_no_bank_letter_is_offered_when_nothing_was_paid():
    demanded_only = tuple(replace(p, paid=False) for p in PAYMENTS)
    case = full_case("GB", minor="yes")
    case = replace(case, payments=demanded_only)
    assert "payment-report" not in offered(case)
    assert all(a.group != "money" for a in plan(WRITER, case))


def test_a_bank_letter_is_offered_once_money_was_paid():
    case = full_case("GB", minor="yes")
    assert "payment-report" in offered(case)
    assert any(a.group == "money" for a in plan(WRITER, case))


def test_no_ftc_complaint_is_offered_without_a_take_it_down_request_sent():
    others = tuple(r for r in REPORTS if r.kind != "take-it-down")
    for country in ("US", "FR", "GB"):
        assert "escalation-ftc" not in offered(replace(full_case(country), reports=others)), country


def test_a_take_it_down_request_only_drafted_does_not_open_the_ftc_complaint():
    draft = Report(id="d1", kind="take-it-down", platform="reddit", status="draft")
    assert "escalation-ftc" not in offered(replace(full_case("US"), reports=(draft,)))


def test_the_ftc_complaint_follows_a_take_it_down_request_sent():
    sent = Report(
        id="s1", kind="take-it-down", platform="reddit", channel="form", status="sent", sent_at=SENT_AT
    )
    assert "escalation-ftc" in offered(replace(full_case("US"), reports=(sent,)))

