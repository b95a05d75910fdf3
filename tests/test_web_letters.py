"""Get it taken down, through the routes: the plan, a letter, its files, the details, the tracker."""

from __future__ import annotations

import email
import email.policy
import re
from datetime import UTC, datetime, timedelta

import pytest

from helper.case import Place, Signer
from tests.support.disk import case_write_fails
from tests.support.letters import SIGNER
from tests.support.web import csrf_token


@pytest.fixture
def case_id(unlocked):
    case = unlocked.create_case("Sample case")

    def change(c):
        c = c.with_incident(kind="financial", minor="no", country="US", narrative="SAMPLE story")
        c = c.with_entry("places", Place(id="p1", url="https://x.com/sample_account/status/42", platform="X"))
        return c.with_signer(SIGNER)

    unlocked.update_case(case.id, change, "walkthrough.saved", {"step": "places"})
    return case.id


def test_the_plan_lists_each_step_with_its_letter(client, case_id):
    page = client.get(f"/letters/{case_id}/takedown").get_data(as_text=True)
    assert "StopNCII" in page
    assert f"/letters/{case_id}/take-it-down?platform=x" in page
    assert f"/letters/{case_id}/police-us-ic3" in page
    shown = re.sub(r'(href|action)="[^"]*"', "", page)
    assert "take-it-down" not in shown
    assert "police-us-ic3" not in shown


def test_a_letter_page_shows_the_text_where_to_paste_it_and_no_code(client, case_id):
    page = client.get(f"/letters/{case_id}/take-it-down?platform=x").get_data(as_text=True)
    assert "https://x.com/sample_account/status/42" in page
    assert "help.x.com/forms/safety-and-sensitive-content/take-it-down" in page
    assert "X says people in the United States without an X account can use this form." in page
    assert "/s/ Sam Q. Example" in page


def test_a_letter_downloads_as_text_and_as_an_email_draft_and_is_journalled(client, case_id, unlocked):
    token = csrf_token(client, f"/letters/{case_id}/take-it-down?platform=x")
    data = {"csrf_token": token, "platform": "x", "lang": "en"}
    txt = client.post(f"/letters/{case_id}/take-it-down/download", data={**data, "format": "txt"})
    assert txt.status_code == 200
    assert "take-it-down-x-en.txt" in txt.headers["Content-Disposition"]
    assert b"TAKE IT DOWN" in txt.data
    eml = client.post(f"/letters/{case_id}/take-it-down/download", data={**data, "format": "eml"})
    message = email.message_from_bytes(eml.data)
    assert message["X-Unsent"] == "1"
    assert message["To"] is None  # X publishes no address: the text goes into its form
    assert "/s/ Sam Q. Example" in message.get_payload(decode=True).decode()
    actions = [e.action for e in unlocked.journal(case_id)]
    assert actions.count("letter.written") == 2
    assert len(unlocked.load_case(case_id).letters) == 2


def test_a_letter_missing_an_element_cannot_be_recorded_as_sent(client, case_id, unlocked):
    unlocked.update_case(case_id, lambda c: c.with_signer(SIGNER.__class__()), None, {})
    page = client.get(f"/letters/{case_id}/take-it-down?platform=x").get_data(as_text=True)
    assert "A signature" in page
    assert "47 U.S.C. § 223a(a)(1)(B)(i)" in page
    token = csrf_token(client, f"/letters/{case_id}/take-it-down?platform=x")
    response = client.post(
        f"/letters/{case_id}/take-it-down/sent",
        data={"csrf_token": token, "platform": "x", "lang": "en", "channel": "form"},
    )
    assert response.status_code == 400
    assert unlocked.load_case(case_id).reports == ()


def test_sent_then_overdue_after_48_hours_with_the_escalation_ready(client, app, case_id, unlocked):
    token = csrf_token(client, f"/letters/{case_id}/take-it-down?platform=x")
    response = client.post(
        f"/letters/{case_id}/take-it-down/sent",
        data={"csrf_token": token, "platform": "x", "lang": "en", "channel": "form", "reference": "T-1"},
    )
    assert response.status_code == 302
    (report,) = unlocked.load_case(case_id).reports
    assert (report.kind, report.platform, report.channel, report.status) == (
        "take-it-down",
        "x",
        "form",
        "sent",
    )
    sent = datetime.fromisoformat(report.sent_at)
    app.extensions["helper"].clock = lambda: sent + timedelta(hours=47)
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Due by" in page
    assert "overdue" not in page
    app.extensions["helper"].clock = lambda: (sent + timedelta(hours=49)).astimezone(UTC)
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "No answer in time" in page
    assert f"/letters/{case_id}/escalation-ftc?platform=x" in page


def test_details_are_saved_and_bad_email_is_refused_kindly(client, case_id, unlocked):
    token = csrf_token(client, f"/letters/{case_id}/details")
    bad = client.post(f"/letters/{case_id}/details", data={"csrf_token": token, "email": "not an address"})
    assert bad.status_code == 400
    assert "does not look like an e-mail address" in bad.get_data(as_text=True)
    good = client.post(
        f"/letters/{case_id}/details",
        data={"csrf_token": token, "name": "Sam Example", "email": "sam@example.org", "good_faith": "y"},
    )
    assert good.status_code == 302
    signer = unlocked.load_case(case_id).signer
    assert (signer.name, signer.email, signer.good_faith, signer.perjury) == (
        "Sam Example",
        "sam@example.org",
        True,
        False,
    )


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("sam@example.org\n", "does not look like an e-mail address"),  # "$" let it through
        ("sam@example.org\r\nBcc: everyone@example.org", "does not look like an e-mail address"),
        ("sam@exam\x1bple.org", "does not look like an e-mail address"),
        ("s" * 10_000 + "@example.org", "This is too long"),
        ("s" * 243 + "@example.org", "This is too long"),
    ],
    ids=["final LF", "CRLF and a header", "escape", "10,000 characters", "255 characters"],
)
def test_an_email_a_draft_could_not_carry_is_refused_and_the_saved_one_kept(
    client, case_id, unlocked, typed, said
):
    before = unlocked.load_case(case_id).signer
    token = csrf_token(client, f"/letters/{case_id}/details")
    refused = client.post(f"/letters/{case_id}/details", data={"csrf_token": token, "email": typed})
    assert refused.status_code == 400
    assert said in refused.get_data(as_text=True)
    assert unlocked.load_case(case_id).signer == before
    longest = "s" * 242 + "@example.org"
    saved = client.post(f"/letters/{case_id}/details", data={"csrf_token": token, "email": longest})
    assert saved.status_code == 302
    token = csrf_token(client, f"/letters/{case_id}/take-it-down?platform=x")
    draft = client.post(
        f"/letters/{case_id}/take-it-down/download",
        data={"csrf_token": token, "platform": "x", "lang": "en", "format": "eml"},
    )
    head = draft.data.partition(b"\r\n\r\n")[0]
    assert max(len(line) for line in head.split(b"\r\n")) <= 998  # an address cannot be folded
    message = email.message_from_bytes(draft.data, policy=email.policy.default)
    assert (message["From"], message["X-Unsent"]) == (longest, "1")


def test_replies_and_status_are_kept(client, case_id, unlocked):
    token = csrf_token(client, f"/letters/{case_id}/take-it-down?platform=x")
    client.post(
        f"/letters/{case_id}/take-it-down/sent",
        data={"csrf_token": token, "platform": "x", "lang": "en", "channel": "form"},
    )
    (report,) = unlocked.load_case(case_id).reports
    url = f"/letters/{case_id}/reports/{report.id}"
    token = csrf_token(client, url)
    assert (
        client.post(url + "/reply", data={"csrf_token": token, "text": "We removed it (SAMPLE)"}).status_code
        == 302
    )
    assert (
        client.post(url, data={"csrf_token": token, "status": "removed", "reference": "X-9"}).status_code
        == 302
    )
    (report,) = unlocked.load_case(case_id).reports
    assert report.status == "removed"
    assert report.reference == "X-9"
    assert report.replies[0].text == "We removed it (SAMPLE)"


def test_unknown_kind_or_platform_is_not_found(client, case_id):
    assert client.get(f"/letters/{case_id}/no-such-kind").status_code == 404
    assert client.get(f"/letters/{case_id}/dmca?platform=nowhere").status_code == 404


def test_a_report_typed_in_the_walkthrough_still_saves_and_editing_one_keeps_its_tracking(
    client, case_id, unlocked
):
    token = csrf_token(client, f"/walkthrough/{case_id}/reports")
    typed = client.post(
        f"/walkthrough/{case_id}/reports", data={"csrf_token": token, "target": "police", "reference": "PV-1"}
    )
    assert typed.status_code == 302
    client.post(
        f"/letters/{case_id}/take-it-down/sent",
        data={"csrf_token": token, "platform": "x", "lang": "en", "channel": "form"},
    )
    tracked = next(r for r in unlocked.load_case(case_id).reports if r.kind)
    edited = client.post(
        f"/walkthrough/{case_id}/reports",
        data={"csrf_token": token, "entry_id": tracked.id, "target": "platform", "reference": "NEW-REF"},
    )
    assert edited.status_code == 302
    again = unlocked.load_case(case_id).report(tracked.id)
    assert again.reference == "NEW-REF"
    assert (again.kind, again.status, again.sent_at) == ("take-it-down", "sent", tracked.sent_at)


def test_the_review_shows_a_tracked_report_in_words(client, case_id):
    token = csrf_token(client, f"/letters/{case_id}/take-it-down?platform=x")
    client.post(
        f"/letters/{case_id}/take-it-down/sent",
        data={"csrf_token": token, "platform": "x", "lang": "en", "channel": "form", "reference": "T-7"},
    )
    page = client.get(f"/walkthrough/{case_id}/review")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "T-7" in html
    assert "Through their own form or in the app" in html


def test_the_dossier_shows_reports_with_their_clock_and_the_letters_only_when_chosen(
    client, case_id, unlocked
):
    import io

    from pypdf import PdfReader

    from helper.dossier import DossierOptions, export_dossier

    token = csrf_token(client, f"/letters/{case_id}/take-it-down?platform=x")
    client.post(
        f"/letters/{case_id}/take-it-down/sent",
        data={"csrf_token": token, "platform": "x", "lang": "en", "channel": "form", "reference": "T-8"},
    )

    def text(pdf: bytes) -> str:
        return "".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())

    without = text(export_dossier(unlocked, case_id, DossierOptions()))
    assert "T-8" in without
    assert "Dueby" in without
    assert "(Deadlinesetbylaw)" in without
    assert "Appendix:letterswritten" not in without
    with_letters = text(export_dossier(unlocked, case_id, DossierOptions(letters=True)))
    assert "Appendix:letterswritten" in with_letters
    assert "/s/SamQ.Example" in with_letters
    assert "/s/SamQ.Example" not in without


def test_a_french_page_shows_no_english_and_no_code(client, case_id, unlocked):
    unlocked.update_case(case_id, lambda c: c.with_signer(Signer()).with_incident(country="FR"), None, {})
    token = csrf_token(client, "/cases/")
    client.post("/session/language", data={"csrf_token": token, "lang": "fr", "next": "/cases/"})
    for path in (f"/letters/{case_id}/takedown", f"/letters/{case_id}/dsa-notice?platform=x"):
        html = client.get(path).get_data(as_text=True)
        shown = re.sub(r'(href|action|value)="[^"]*"', "", html)
        for english in (
            "Regulation (EU)",
            "Where it goes",
            "Add it",
            "things to add",
            "dsa-notice",
            "Your details",
        ):
            assert english not in shown, (path, english)
    page = client.get(f"/letters/{case_id}/dsa-notice?platform=x").get_data(as_text=True)
    assert "Règlement (UE) 2022/2065, art. 16, par. 2, point c)" in page


@pytest.mark.parametrize("failing_write", [1, 2])
def test_recording_a_letter_as_sent_is_one_write_so_a_failure_leaves_both_or_neither(
    client, case_id, unlocked, failing_write
):
    """It used to keep the letter and then record the report, in two writes: a crash between them
    left a letter with no report."""
    token = csrf_token(client, f"/letters/{case_id}/take-it-down?platform=x")
    with case_write_fails(case_id, failing_write):
        client.post(
            f"/letters/{case_id}/take-it-down/sent",
            data={"csrf_token": token, "platform": "x", "lang": "en", "channel": "form"},
        )
    case = unlocked.load_case(case_id)
    assert (len(case.letters), len(case.reports)) in ((0, 0), (1, 1))


def test_letters_and_reports_from_the_page_get_ids_of_the_same_format_as_the_command_line(
    client, case_id, unlocked
):
    from helper.ids import is_id

    token = csrf_token(client, f"/letters/{case_id}/take-it-down?platform=x")
    data = {"csrf_token": token, "platform": "x", "lang": "en"}
    client.post(f"/letters/{case_id}/take-it-down/download", data={**data, "format": "txt"})
    client.post(f"/letters/{case_id}/take-it-down/sent", data={**data, "channel": "form"})
    case = unlocked.load_case(case_id)
    assert [is_id(c.id) for c in case.letters] == [True, True]
    assert is_id(case.reports[0].id)


# -- issue 20: the channel and what each letter discloses, on the letter page ----------------------


@pytest.fixture
def places_case(unlocked):
    """A US adult with images on Reddit and X, and every detail for letters filled in."""
    case = unlocked.create_case("Sample channels")

    def change(c):
        c = c.with_incident(kind="financial", minor="no", country="US", narrative="SAMPLE story")
        c = c.with_entry("places", Place(id="p1", url="https://www.reddit.com/r/sample/comments/abc/x/"))
        c = c.with_entry("places", Place(id="p2", url="https://x.com/sample_account/status/42"))
        return c.with_signer(SIGNER)

    unlocked.update_case(case.id, change, "walkthrough.saved", {"step": "places"})
    return case.id


def shown_text(html: str) -> str:
    """The page's words, without markup."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_reddits_take_it_down_page_says_no_form_was_found_and_shows_no_legal_deadline(client, places_case):
    html = client.get(f"/letters/{places_case}/take-it-down?platform=reddit").get_data(as_text=True)
    words = shown_text(html)
    assert "No form for this letter is known for Reddit where you live." in words
    assert "TAKE IT DOWN Act form was not found" in words
    assert "reddit.com/report" not in words
    assert "Deadline set by law" not in words
    assert "Reminder (not a legal deadline)" in words


def test_a_copyright_notice_page_says_who_receives_it_and_that_they_may_counter_notify(client, places_case):
    words = shown_text(client.get(f"/letters/{places_case}/dmca?platform=x").get_data(as_text=True))
    assert "the person who posted the images" in words
    assert "counter-notice" in words
    assert "P.O. box" in words


def test_the_letter_page_says_what_the_letter_discloses_and_to_whom(client, places_case):
    words = shown_text(client.get(f"/letters/{places_case}/take-it-down?platform=x").get_data(as_text=True))
    assert "What it tells them, and who sees it" in words
    # Listed as the page's language lists them (issue 20: never a list joined in code).
    assert "Your details in it: your signature and your e-mail address." in words
    assert (
        "Left out: your name, your telephone number, your postal address, your date of birth, and your "
        "place of birth." in words
    )
    assert "Who reads it: X (Twitter)." in words
    assert "Your own account of what happened: left out; the letter gives a one-line summary." in words
    police = shown_text(client.get(f"/letters/{places_case}/police-us-ic3").get_data(as_text=True))
    assert "Your own account of what happened: included in full." in police
    assert SIGNER.phone in police


def test_a_dsa_notice_to_x_says_plainly_that_no_form_is_known_and_what_to_do(client, places_case, unlocked):
    unlocked.update_case(places_case, lambda c: c.with_incident(country="FR"), None, {})
    words = shown_text(
        client.get(f"/letters/{places_case}/dsa-notice?platform=x&lang=en").get_data(as_text=True)
    )
    assert "No form for this letter is known for X (Twitter) where you live." in words
    assert "Paste this text into the form" not in words
    assert "Report EU illegal content" in words  # the lead to check, said to be unconfirmed
    assert "check this" in words.lower()


# -- a letter in its recipient's language, explained in the reader's -------------------------------


def _speak(client, lang: str) -> None:
    client.post("/session/language", data={"csrf_token": csrf_token(client, "/cases/"), "lang": lang})


def test_a_spanish_reader_is_told_what_an_english_only_letter_asks_for(client, case_id):
    from helper.web.services import services

    _speak(client, "es")
    page = client.get(f"/letters/{case_id}/take-it-down?platform=x").get_data(as_text=True)
    assert "Esta carta está escrita en inglés, el idioma que lee quien la recibe." in page
    assert "Lo que pide esta carta" in page
    with client.application.app_context():
        about = services().content.kind("take-it-down").about
    assert about.es in page
    assert "Report: intimate images" not in page  # the letter itself is English, in its own box
    assert "/s/ Sam Q. Example" in page


@pytest.mark.parametrize(
    ("reader", "letter_lang", "mark", "mirror"),
    [
        ("fr", "en", "Pour vous, ne l’envoyez pas.", "Signalement : images intimes diffusées sans"),
        ("en", "fr", "For you, do not send it.", "Report: intimate images shared without consent"),
    ],
)
def test_a_letter_in_another_language_comes_with_the_same_letter_in_the_readers(
    client, case_id, reader, letter_lang, mark, mirror
):
    _speak(client, reader)
    url = f"/letters/{case_id}/platform-report?platform=x&lang={letter_lang}"
    page = client.get(url).get_data(as_text=True)
    assert mark in page
    explained = page.split('id="explained-text"', 1)[1].split("</textarea>", 1)[0]
    assert f'lang="{reader}"' in explained
    assert mirror in explained
    sent = page.split('id="letter-text"', 1)[1].split("</textarea>", 1)[0]
    assert mirror not in sent  # the letter to send stays in its recipient's language
    assert f'name="lang" value="{letter_lang}"' in page  # and it is what the buttons save


def test_a_letter_in_the_readers_own_language_has_no_explanation(client, case_id):
    page = client.get(f"/letters/{case_id}/platform-report?platform=x").get_data(as_text=True)
    assert 'id="explained"' not in page
