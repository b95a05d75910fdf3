"""Letters and the reports made with them: choosing a letter's language, keeping a copy, recording it
as sent, following its answer. The web page and the command line both call these."""

from __future__ import annotations

from helper.case import Case, utc_now
from helper.content.model import LetterKind
from helper.ids import new_id
from helper.letters import tracker
from helper.letters.engine import Letter
from helper.vault import UnlockedVault
from helper.vocabulary import LETTER_WRITTEN, REPORT_RECORDED, REPORT_UPDATED


class LanguageNotOffered(ValueError):
    """A letter asked for in a language it is not written in."""

    def __init__(self, kind: LetterKind, asked: str) -> None:
        super().__init__(asked)
        self.kind = kind
        self.asked = asked


class LetterIncomplete(ValueError):
    """A letter that still lacks what its law requires cannot be recorded as sent."""

    def __init__(self, letter: Letter) -> None:
        super().__init__(letter.kind.id)
        self.letter = letter


class ReportNotFound(LookupError):
    """A report the case does not hold (removed in another window, or a mistyped address)."""


class EmptyReply(ValueError):
    """An answer to a report with no words in it."""


def letter_language(kind: LetterKind, asked: str | None, reader: str) -> str:
    """The language to write `kind` in: the one asked for, else the reader's own when the letter is
    written in it, else the letter's first. Asking for a language it is not written in raises
    `LanguageNotOffered` (the caller says which ones it is written in)."""
    if asked:
        if asked not in kind.langs:
            raise LanguageNotOffered(kind, asked)
        return asked
    return reader if reader in kind.langs else kind.langs[0]


def _letter_written(letter: Letter, letter_id: str, detail: dict) -> tuple[str, dict]:
    return LETTER_WRITTEN, {
        "kind": letter.kind.id,
        "platform": letter.platform.id if letter.platform else "",
        "lang": letter.lang,
        **detail,
    }


def keep_copy(vault: UnlockedVault, case_id: str, letter: Letter, file_format: str) -> str:
    """Keep the letter as written (for the dossier's appendix and the tracker) when the person takes
    it away as a file. Returns the copy's id."""
    letter_id = new_id()
    kept = letter.kept(letter_id, utc_now())
    vault.update_case(
        case_id,
        lambda c: c.with_letter(kept),
        events=[_letter_written(letter, letter_id, {"format": file_format})],
    )
    return letter_id


def record_sent(
    vault: UnlockedVault,
    case_id: str,
    letter: Letter,
    *,
    channel: str,
    sent_at: str,
    reference: str = "",
) -> str:
    """The person sent the letter: its copy and the report that follows its answer are saved in one
    write, journaled as both, so a crash leaves both or neither (never a letter with no report).
    Raises `LetterIncomplete` when the letter lacks what its law requires. Returns the report's id."""
    if not letter.complete:
        raise LetterIncomplete(letter)
    letter_id, report_id = new_id(), new_id()
    kept = letter.kept(letter_id, utc_now())
    platform = kept.platform

    def change(case: Case) -> Case:
        return tracker.record_report(
            case.with_letter(kept),
            report_id=report_id,
            kind=letter.kind.id,
            platform=platform,
            channel=channel,
            sent_at=sent_at,
            reference=reference,
            letter_id=letter_id,
            name=letter.subject,
            payment=kept.payment,
        )

    vault.update_case(
        case_id,
        change,
        events=[
            _letter_written(letter, letter_id, {}),
            (REPORT_RECORDED, {"kind": letter.kind.id, "platform": platform}),
        ],
    )
    return report_id


def _change_report(vault: UnlockedVault, case_id: str, report_id: str, change, detail: dict) -> Case:
    def apply(case: Case) -> Case:
        try:
            return change(case)
        except KeyError as exc:
            raise ReportNotFound(report_id) from exc

    return vault.update_case(case_id, apply, events=[(REPORT_UPDATED, {"report": report_id, **detail})])


def update_report(
    vault: UnlockedVault,
    case_id: str,
    report_id: str,
    *,
    status: str,
    reference: str,
    sent_at: str | None,
    notice_at: str | None,
) -> Case:
    """Change what is known of a report: its status, reference, sending time, a regulator's notice."""
    changes = {"status": status, "reference": reference, "sent_at": sent_at, "notice_at": notice_at}
    return _change_report(
        vault,
        case_id,
        report_id,
        lambda c: tracker.update_report(c, report_id, **changes),
        {"status": status},
    )


def add_reply(vault: UnlockedVault, case_id: str, report_id: str, text: str, at: str) -> Case:
    """Keep what the recipient answered, with when it was noted."""
    text = text.strip()
    if not text:
        raise EmptyReply
    return _change_report(vault, case_id, report_id, lambda c: tracker.add_reply(c, report_id, at, text), {})
