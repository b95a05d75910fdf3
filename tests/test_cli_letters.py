"""`incident-helper letters` and `letter`: the kinds that fit a case, one letter written, exit codes."""

from __future__ import annotations

import email
from dataclasses import replace

import pytest

from helper.case import Signer
from tests.support.cases import save_case
from tests.support.cli import run
from tests.support.letters import full_case
from tests.support.web import PASSPHRASE


def saved_case(unlocked, title="Sample case", **changes):
    return save_case(unlocked, replace(full_case(**changes), title=title))


def cli(vault_dir, *args, lang="C.UTF-8"):
    return run(*args, "--vault", str(vault_dir), stdin=f"{PASSPHRASE}\n", lang=lang)


def test_letters_lists_the_kinds_that_fit_the_case_with_what_they_lack(vault_dir, unlocked):
    case = saved_case(unlocked, country="FR")
    unlocked.update_case(case.id, lambda c: c.with_signer(replace(c.signer, signature="")), None, {})
    result = cli(vault_dir, "letters", "--case", "Sample case")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "police-fr-procureur\n" in out
    assert "dsa-notice --platform instagram" in out
    assert "police-us-ic3" not in out  # IC3 is for the United States
    assert "missing: A signature (47 U.S.C. § 223a(a)(1)(B)(i))" in out
    assert "complete" in out


def test_letter_writes_a_complete_letter_and_exits_0(vault_dir, unlocked, tmp_path):
    saved_case(unlocked, country="US")
    target = tmp_path / "x.txt"
    result = cli(
        vault_dir,
        "letter",
        "--case",
        "Sample case",
        "--kind",
        "take-it-down",
        "--platform",
        "x",
        "-o",
        str(target),
    )
    assert result.returncode == 0, result.stderr
    text = target.read_text()
    assert "https://x.com/sample_account/status/1234567890" in text
    assert "/s/ Sam Q. Example" in text
    assert "help.x.com/forms/safety-and-sensitive-content/take-it-down" in result.stdout
    (case,) = unlocked.cases()
    assert len(case.letters) == 1
    assert "letter.written" in [e.action for e in unlocked.journal(case.id)]


def test_letter_with_elements_missing_is_written_and_exits_1_naming_each(vault_dir, unlocked):
    case = saved_case(unlocked, country="FR")
    unlocked.update_case(case.id, lambda c: c.with_signer(Signer()), None, {})
    result = cli(
        vault_dir,
        "letter",
        "--case",
        "Sample case",
        "--kind",
        "dsa-notice",
        "--platform",
        "instagram",
        "--lang",
        "fr",
    )
    assert result.returncode == 1
    assert "Regulation (EU) 2022/2065, Art. 16(2)(c)" in result.stderr
    assert "Art. 16(2)(d)" in result.stderr
    assert "règlement" in result.stdout.lower() or "Règlement" in result.stdout


def test_letter_as_an_email_draft(vault_dir, unlocked):
    saved_case(unlocked, country="US")
    result = cli(vault_dir, "letter", "--case", "Sample case", "--kind", "police-us-ic3", "--format", "eml")
    assert result.returncode == 0, result.stderr
    message = email.message_from_string(result.stdout)
    assert message["X-Unsent"] == "1"
    assert "ab" * 32 in message.get_payload(decode=True).decode()


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--kind", "revenge"), "There is no letter called “revenge”"),
        (("--kind", "dmca", "--platform", "myspace"), "There is no platform called “myspace”"),
        (("--kind", "police-fr-procureur", "--lang", "en"), "written only in: Français"),
    ],
)
def test_letter_refuses_what_does_not_exist_with_exit_2(vault_dir, unlocked, args, said):
    saved_case(unlocked, country="FR")
    result = cli(vault_dir, "letter", "--case", "Sample case", *args)
    assert result.returncode == 2
    assert said in result.stderr
    assert "Traceback" not in result.stderr


def test_letters_speak_french_on_a_french_terminal(vault_dir, unlocked):
    saved_case(unlocked, country="FR")
    result = cli(vault_dir, "letters", "--case", "Sample case", lang="fr_FR.UTF-8")
    assert result.returncode == 0
    assert "Lettre de plainte au procureur de la République" in result.stdout


# -- issue 20, part 4: one bank letter per payee; the plain sentence when no form is known ---------------


def test_letters_lists_one_bank_letter_per_payee_and_letter_writes_the_one_chosen(vault_dir, unlocked):
    saved_case(unlocked, country="US")
    listed = cli(vault_dir, "letters", "--case", "Sample case")
    assert "payment-report --payment p1\n" in listed.stdout
    assert "payment-report --payment p2\n" in listed.stdout
    assert "SampleCard (Gift card)" in listed.stdout
    written = cli(vault_dir, "letter", "--case", "Sample case", "--kind", "payment-report", "--payment", "p2")
    assert written.returncode == 0, written.stderr
    assert "SAMPLE-0000-1111" in written.stdout
    assert "bc1qsampleaddress" not in written.stdout
    assert "This letter is about one payee only." in written.stdout


def test_letter_refuses_a_payment_that_was_not_made(vault_dir, unlocked):
    saved_case(unlocked, country="US")
    result = cli(vault_dir, "letter", "--case", "Sample case", "--kind", "payment-report", "--payment", "p3")
    assert result.returncode == 2
    assert "There is no payment made called “p3”. Those made: p1, p2." in result.stderr


def test_letter_says_plainly_when_no_form_is_known_as_the_letter_page_does(vault_dir, unlocked):
    saved_case(unlocked, country="US")
    args = ("letter", "--case", "Sample case", "--kind", "take-it-down", "--platform", "reddit")
    result = cli(vault_dir, *args)
    assert "No form for this letter is known for Reddit where you live." in result.stdout
    assert "What to do instead: Every platform the Act covers must offer a way" in result.stdout
    assert "Paste it into the form" not in result.stdout
