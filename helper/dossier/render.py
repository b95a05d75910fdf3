"""The dossier's story, built from small section functions over `DossierData`, output as bytes.

Every string that came from the person or from evidence goes through `_para`, which escapes it:
a name like `<b>&` prints as typed. Only this module's own markup reaches reportlab unescaped.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    LongTable,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from helper import vocabulary
from helper.content import shipped
from helper.dossier.data import DossierData, ItemEntry
from helper.dossier.reader import NBSP, Reader
from helper.dossier.styles import CELL_PADDING, MARGIN, MUTED, PAGE, RULE, styles, table_style
from helper.evidence import renditions
from helper.letters.tracker import Tracker

# reportlab wraps every stream (each page, each picture) in ASCII85 unless told not to, and does it in
# pure Python without its separate C accelerator: a third of a big dossier's time, and a quarter more
# bytes, for a file that is binary anyway (every PDF reader takes unwrapped streams).
rl_config.useA85 = 0


# Told how far a dossier has come: (parts done, parts in all).
Progress = Callable[[int, int], None]


def render_dossier(data: DossierData, on_progress: Progress | None = None, steps_after: int = 0) -> bytes:
    """The whole dossier as PDF bytes, built in memory. `on_progress` hears how many of its parts are
    laid out, of how many: its sections and each item's page, then the writing of the file; the
    caller's own `steps_after` (sealing) are counted in the total, for it to report."""
    t = Reader(data.options.lang, data.case.incident.country)
    out = io.BytesIO()
    story = [
        *cover(data, t),
        PageBreak(),
        *summary(data, t),
        *timeline(data, t),
        *accounts(data, t),
        *payments(data, t),
        *threats(data, t),
        *places(data, t),
        *complaint(data, t),
        *reports(data, t),
        *links(data, t),
        PageBreak(),
        *evidence_index(data, t),
        *item_pages(data, t),
        *letters_appendix(data, t),
        *counselor_notes(data, t),
        PageBreak(),
        *custody(data, t),
    ]
    progress = _Progress(story, on_progress, steps_after)
    doc = _Document(out, data, t, progress)
    doc.build(story, canvasmaker=_numbered_canvas(t))
    progress.written()  # the pages numbered and the file put together
    return out.getvalue()


class _Progress:
    """Counts the story's parts as they are laid out (a part split across pages counts when its first
    piece is placed, or not at all: the count only grows), then the file written, for `on_progress`;
    the caller's `steps_after` stay to be counted."""

    def __init__(self, story: Sequence[Flowable], on_progress: Progress | None, steps_after: int) -> None:
        self._waiting = {id(part) for part in story}
        self._hear = on_progress
        self._after = steps_after
        self.total = len(self._waiting) + 1 + steps_after
        self.done = 0
        self._tell()

    def laid_out(self, flowable: Flowable) -> None:
        if id(flowable) in self._waiting:
            self._waiting.discard(id(flowable))
            self.done += 1
            self._tell()

    def written(self) -> None:
        self.done = self.total - self._after
        self._tell()

    def _tell(self) -> None:
        if self._hear is not None:
            self._hear(self.done, self.total)


# -- building blocks ---------------------------------------------------------------------------


def _para(text: object, style: str = "body") -> Paragraph:
    """A paragraph of text from the record: escaped, line breaks kept."""
    safe = escape(str(text if text is not None else "")).replace("\n", "<br/>")
    return Paragraph(safe, styles()[style])


# A heading needs this much room below it for a few lines of what it heads; with less, it goes to the
# next page rather than sit alone at the foot of this one.
HEADING_ROOM = 40 * mm


class _Heading(Paragraph):
    """A heading, with what its PDF bookmark says (picked up in afterFlowable). A heading split
    across pages is split with its class but without these, as the bookmark is for its first part."""

    outline_level: int | None = None
    outline_text: str = ""


def _heading(text: str, level: int = 1) -> list[Flowable]:
    style = "h1" if level == 1 else "h2"
    paragraph = _Heading(escape(text), styles()[style])
    paragraph.outline_level = level - 1
    paragraph.outline_text = text
    return [CondPageBreak(HEADING_ROOM), paragraph]


WIDTH = PAGE[0] - 2 * MARGIN
# The narrowest a column of web addresses or hashes is made, to give room to a word elsewhere.
LONG_FLOOR = 16 * mm


class Long(str):
    """Cell text that may be cut inside a word wider than its column: a web or wallet address, an id.
    Its column is not widened for it (a word, a date or a reference number widens its column)."""


def _longest_word(text: str) -> float:
    style = styles()["cell"]
    words = text.split()
    return max((stringWidth(w, style.fontName, style.fontSize) for w in words), default=0.0)


def _fit(preferred: Sequence[float], needed: Sequence[float], total: float = WIDTH) -> list[float]:
    """Column widths as near the preferred ones as the words allow: each column at least as wide as
    its longest word, the room taken from columns that have more than they need."""
    widths = [max(p, n) for p, n in zip(preferred, needed, strict=True)]
    excess = sum(widths) - total
    if excess <= 0:
        return widths
    slack = [w - n for w, n in zip(widths, needed, strict=True)]
    if sum(slack) >= excess:
        return [w - s * excess / sum(slack) for w, s in zip(widths, slack, strict=True)]
    return [n * total / sum(needed) for n in needed]  # words too long for the page: some are cut


def _cell(value: object, width: float) -> Flowable:
    if isinstance(value, Flowable):
        return value
    text = str(value if value is not None else "")
    fits = not isinstance(value, Long) and _longest_word(text) + 2 * CELL_PADDING <= width + 0.01
    return _para(text, "cell" if fits else "cell_long")


def _table(
    header: list[str],
    rows: Sequence[Sequence[object]],
    widths: list[float],
    under: Sequence[Flowable] | None = None,
) -> Table:
    """A table whose cells wrap between words, never inside one, nor inside a reference number. With
    `under`, each row has a second one below it, across all but the first column (fingerprints).

    A table of thousands of rows is split at every page, and reportlab copies the rest of the table
    and its style commands at each split: its style is a handful of commands for the whole table (never
    one per row), and a row with a line below it is a small table of its own inside the row, so the
    cost of a table grows with its rows, not with their square."""
    needed = [
        max(
            [
                LONG_FLOOR
                if isinstance(row[c], Long | Flowable)
                else _longest_word(str(row[c])) + 2 * CELL_PADDING
                for row in rows
            ]
            + [_longest_word(header[c]) + 2 * CELL_PADDING]
        )
        for c in range(len(header))
    ]
    widths = _fit(widths, needed)
    head: list[Flowable | str] = [_cell(h, widths[c]) for c, h in enumerate(header)]
    body: list[list[Flowable | str]] = [[_cell(v, widths[c]) for c, v in enumerate(row)] for row in rows]
    if under is None:
        table = LongTable([head, *body], colWidths=widths, repeatRows=1)
        table.setStyle(TableStyle(table_style()))
        return table
    rest = widths[1:]
    nested = [[head[0], _row_with_line(head[1:], None, rest)]]
    nested += [[row[0], _row_with_line(row[1:], line, rest)] for row, line in zip(body, under, strict=True)]
    table = LongTable(nested, colWidths=[widths[0], sum(rest)], repeatRows=1)
    table.setStyle(TableStyle([*table_style(), *_HOLDS_A_TABLE]))
    return table


# The outer cell holding a row's own table draws nothing around it: the inner cells line up with the
# header's, as if they were one table.
_HOLDS_A_TABLE = [
    (side, (1, 0), (1, -1), 0) for side in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")
]


def _row_with_line(cells: list[Flowable | str], line: Flowable | None, widths: list[float]) -> Table:
    """The cells of a row after its first, and below them, across them all, `line` (the header: none)."""
    data: list[list[Flowable | str]] = [cells]
    commands = table_style(header=False, rules=False)
    if line is not None:
        data.append([line, *[""] * (len(cells) - 1)])
        commands.append(("SPAN", (0, 1), (-1, 1)))
    table = Table(data, colWidths=widths)
    table.setStyle(TableStyle(commands))
    return table


def _section(
    title: str,
    rows: Sequence[Sequence[object]],
    header: list[str],
    widths: list[float],
    empty: str,
    under: Sequence[Flowable] | None = None,
):
    parts: list[Flowable] = [*_heading(title)]
    parts.append(_table(header, rows, widths, under) if rows else _para(empty, "small"))
    parts.append(Spacer(1, 4 * mm))
    return parts


# -- sections ----------------------------------------------------------------------------------


def cover(data: DossierData, t: Reader) -> list[Flowable]:
    s = styles()
    title = data.title or t.gettext("Evidence dossier")
    parts: list[Flowable] = [Spacer(1, 40 * mm), _para(title, "title"), Spacer(1, 6 * mm)]
    if data.title:
        parts.append(_para(t.gettext("Evidence dossier"), "h2"))
    if data.options.person:
        parts.append(_para(t.gettext("Prepared by or for: %(person)s") % {"person": data.options.person}))
    parts.append(
        _para(t.gettext("Exported on %(when)s (UTC)") % {"when": t.moment(data.exported_at, utc=True)})
    )
    parts.append(Spacer(1, 10 * mm))
    parts.append(Paragraph(escape(t.gettext("CONFIDENTIAL")), s["banner"]))
    parts.append(
        _para(
            t.gettext(
                "This document describes a crime against the person named above and contains evidence of it. "
                "Share it only with the police, a lawyer, a school or a platform acting on it."
            )
        )
    )
    parts.append(Spacer(1, 10 * mm))
    parts.append(
        _para(
            t.gettext(
                "Made with Incident Helper on the person's own computer. Each file is identified by its "
                "SHA-256 fingerprint, taken when it was added; the chain of custody at the end lists what "
                "happened to the case, each entry sealed by the hash of the one before."
            ),
            "small",
        )
    )
    parts.append(
        _para(
            t.gettext(
                "Times are in the time zone of the computer that made this dossier (%(zone)s); a time "
                "recorded without a zone is shown as recorded. The chain of custody is in UTC."
            )
            % {"zone": t.zone(data.exported_at)},
            "small",
        )
    )
    if data.signer:
        parts.append(_para(t.gettext("Signing key fingerprint: %(key)s") % {"key": data.signer}, "hash"))
    parts.append(_para(t.gettext("Journal head: %(hash)s") % {"hash": data.journal_head}, "hash"))
    return parts


def _kind_sentence(kind: str | None, t: Reader) -> str | None:
    return vocabulary.KIND_SUMMARIES.label(kind, t.gettext) if kind else None


def summary(data: DossierData, t: Reader) -> list[Flowable]:
    case = data.case
    incident = case.incident
    sentences = []
    if kind := _kind_sentence(incident.kind, t):
        sentences.append(kind)
    if incident.started_on:
        sentences.append(t.gettext("It started on %(day)s.") % {"day": t.moment(incident.started_on)})
    if incident.first_contact_platform:
        where = t.gettext("First contact was on %(platform)s.") % {
            "platform": incident.first_contact_platform
        }
        sentences.append(where)
    if incident.moved_to_platform:
        sentences.append(
            t.gettext("It then moved to %(platform)s.") % {"platform": incident.moved_to_platform}
        )
    if case.accounts:
        handles = ", ".join(
            " ".join(x for x in (a.platform, a.handle or a.display_name) if x) or "?" for a in case.accounts
        )
        sentences.append(
            t.ngettext(
                "%(num)s account is involved: %(list)s.",
                "%(num)s accounts are involved: %(list)s.",
                len(case.accounts),
            )
            % {"num": len(case.accounts), "list": handles}
        )
    demanded = [p for p in case.payments if not p.paid]
    paid = [p for p in case.payments if p.paid]
    if demanded:
        sentences.append(t.gettext("Demanded: %(amounts)s.") % {"amounts": _amounts(demanded, t)})
    if paid:
        sentences.append(t.gettext("Paid: %(amounts)s.") % {"amounts": _amounts(paid, t)})
    if case.places:
        sentences.append(
            t.ngettext(
                "The images were seen in %(num)s place.",
                "The images were seen in %(num)s places.",
                len(case.places),
            )
            % {"num": len(case.places)}
        )
    if case.reports:
        sentences.append(
            t.ngettext("%(num)s report has been made.", "%(num)s reports have been made.", len(case.reports))
            % {"num": len(case.reports)}
        )
    sentences.append(
        t.ngettext(
            "The dossier lists %(num)s item of evidence.",
            "The dossier lists %(num)s items of evidence.",
            len(data.items),
        )
        % {"num": len(data.items)}
    )
    parts: list[Flowable] = [*_heading(t.gettext("Summary")), _para(" ".join(sentences))]
    if incident.narrative:
        parts += [
            Spacer(1, 3 * mm),
            _para(t.gettext("In the person's own words:"), "h2"),
            _para(incident.narrative, "quote"),
        ]
    parts.append(Spacer(1, 4 * mm))
    return parts


def _amounts(payments, t: Reader) -> str:
    return "; ".join(t.amount(p.amount, p.currency) or "?" for p in payments)


def _timeline_kind(kind: str, t: Reader) -> str:
    return vocabulary.TIMELINE_KINDS.label(kind, t.gettext)


def _timeline_text(entry, data: DossierData, t: Reader) -> str:
    """What a timeline entry says; a quoted message as "Sender: text", with the reader's colon, an
    amount with the reader's decimal mark."""
    if entry.kind == "message":
        quote = next((q for q in data.case.quotes if q.id == entry.ref), None)
        if quote is not None and quote.sender:
            return t.labelled(quote.sender, quote.text)
    if entry.kind in ("payment", "demand"):
        payment = next((p for p in data.case.payments if p.id == entry.ref), None)
        if payment is not None:
            return t.amount(payment.amount, payment.currency)
    return entry.text


def timeline(data: DossierData, t: Reader) -> list[Flowable]:
    rows = [
        [t.moment(e.at), _timeline_kind(e.kind, t), Long(_timeline_text(e, data, t))] for e in data.timeline
    ]
    return _section(
        t.gettext("Timeline"),
        rows,
        [t.gettext("When"), t.gettext("What"), t.gettext("Details")],
        [36 * mm, 22 * mm, WIDTH - 58 * mm],
        t.gettext("No dated entry."),
    )


def accounts(data: DossierData, t: Reader) -> list[Flowable]:
    rows = [
        [
            a.platform,
            "\n".join(x for x in (a.display_name, a.handle) if x),
            a.platform_id,
            Long(a.profile_url),
            "\n".join(x for x in (a.phone, a.email) if x),
        ]
        for a in data.case.accounts
    ]
    header = [
        t.gettext("Platform"),
        t.gettext("Name and handle"),
        t.gettext("Unique ID"),
        t.gettext("Profile address"),
        t.gettext("Phone, e-mail"),
    ]
    return _section(
        t.gettext("Their accounts"),
        rows,
        header,
        [24 * mm, 34 * mm, 30 * mm, WIDTH - 124 * mm, 36 * mm],
        t.gettext("No account recorded."),
    )


def payments(data: DossierData, t: Reader) -> list[Flowable]:
    rows = []
    for p in data.case.payments:
        details = "\n".join(
            t.labelled(vocabulary.PAYMENT_DETAILS.label(code, t.gettext), value)
            for code, value in (
                ("wallet_address", p.wallet_address),
                ("tx_hash", p.tx_hash),
                ("gift_card", " ".join(x for x in (p.gift_card_brand, p.gift_card_code) if x)),
                ("payee_handle", p.payee_handle),
                ("iban", p.iban),
                ("control_number", p.control_number),
                ("note", p.note),
            )
            if value
        )
        rows.append(
            [
                t.moment(p.at),
                vocabulary.PAYMENT_STATE_SHORT.label("paid" if p.paid else "demanded", t.gettext),
                t.amount(p.amount, p.currency),
                vocabulary.PAYMENT_METHODS.label(p.method, t.gettext) if p.method else "",
                Long(details),
            ]
        )
    header = [
        t.gettext("When"),
        t.gettext("Demand or payment"),
        t.gettext("Amount"),
        t.gettext("Method"),
        t.gettext("Details"),
    ]
    return _section(
        t.gettext("Demands and payments"),
        rows,
        header,
        [28 * mm, 24 * mm, 22 * mm, 22 * mm, WIDTH - 96 * mm],
        t.gettext("No demand or payment recorded."),
    )


def threats(data: DossierData, t: Reader) -> list[Flowable]:
    rows = [
        [t.moment(th.received_at), th.wording, t.moment(th.deadline), th.targets] for th in data.case.threats
    ]
    header = [
        t.gettext("Received"),
        t.gettext("Wording"),
        t.gettext("Deadline"),
        t.gettext("Who they threatened to send to"),
    ]
    return _section(
        t.gettext("The threats"),
        rows,
        header,
        [28 * mm, WIDTH - 94 * mm, 28 * mm, 38 * mm],
        t.gettext("No threat recorded."),
    )


def places(data: DossierData, t: Reader) -> list[Flowable]:
    rows = [[Long(p.url), p.platform, t.moment(p.seen_on), p.note] for p in data.case.places]
    header = [t.gettext("Address"), t.gettext("Platform"), t.gettext("Seen on"), t.gettext("Notes")]
    return _section(
        t.gettext("Where the images are"),
        rows,
        header,
        [WIDTH - 100 * mm, 28 * mm, 24 * mm, 48 * mm],
        t.gettext("No place recorded."),
    )


def complaint(data: DossierData, t: Reader) -> list[Flowable]:
    """What a complaint to the prosecutor gives beyond the letters (service-public F1524): the date
    and place of birth of whoever files it, the court, the witnesses. Only when the person noted any."""
    details = data.case.complaint
    if not (details.birth_date or details.birth_place or details.court_city or details.witnesses):
        return []
    lines = []
    if details.birth_date or details.birth_place:
        born = ", ".join(x for x in (t.moment(details.birth_date), details.birth_place) if x)
        lines.append(t.labelled(t.gettext("Date and place of birth of the person filing"), born))
    if details.court_city:
        lines.append(t.labelled(t.gettext("Court (tribunal judiciaire)"), details.court_city))
    rows = [[w.name, w.address, w.knows] for w in details.witnesses]
    header = [t.gettext("Witness"), t.gettext("Address"), t.gettext("What they saw or can say")]
    parts: list[Flowable] = [*_heading(t.gettext("For a complaint: civil status and witnesses"))]
    parts += [_para(line) for line in lines]
    if rows:
        parts.append(_table(header, rows, [40 * mm, 50 * mm, WIDTH - 90 * mm]))
    else:
        parts.append(_para(t.gettext("No witness recorded."), "small"))
    parts.append(Spacer(1, 4 * mm))
    return parts


def _due(data: DossierData, report, tracker: Tracker, t: Reader) -> str:
    """Where a report stood against its clock when the dossier was made; a reminder never reads as a
    deadline."""
    state = tracker.state(data.case, report, datetime.fromisoformat(data.exported_at))
    if state.due_at is None:
        return ""
    when = t.moment(state.due_at)
    if state.overdue and state.is_deadline:
        return t.gettext("No answer in time: it was due %(when)s.") % {"when": when}
    if state.is_deadline and state.clock is not None:
        return (
            t.gettext("Due by %(when)s") % {"when": when}
            + f" ({vocabulary.CLOCK_BASES.label(state.clock.basis, t.gettext)})"
        )
    return t.gettext("Reminder on %(when)s (not a legal deadline)") % {"when": when}


def _recipient(report, content, t: Reader) -> str:
    """Who a report went to, and with which letter, each said once: "Instagram" over "Report to the
    platform" (a report's name, when made with a letter, is the letter's subject: kind and platform)."""
    if not report.kind:
        return report.name
    kind = content.kind_name(report.kind, t.lang)
    platform = content.platform(report.platform) if report.platform else None
    if platform is not None and not platform.generic:
        who = platform.name
    elif report.name and kind and not report.name.startswith(kind):
        who = report.name
    else:
        who = ""
    return "\n".join(x for x in (who, kind) if x)


def reports(data: DossierData, t: Reader) -> list[Flowable]:
    content = shipped()
    tracker = Tracker(content)

    def status(r) -> str:
        words = [vocabulary.REPORT_STATUSES.label(r.status, t.gettext) if r.status else ""]
        words.append(_due(data, r, tracker, t) if r.kind else "")
        words += [t.labelled(t.moment(reply.at), reply.text) for reply in r.replies]
        return "\n".join(w for w in (*words, r.note) if w)

    rows = [
        [
            vocabulary.REPORT_TARGETS.label(r.target, t.gettext) if r.target else "",
            _recipient(r, content, t),
            t.moment(r.sent_at) or t.moment(r.made_on),
            vocabulary.REPORT_CHANNELS.label(r.channel, t.gettext) if r.channel else "",
            r.reference,
            Long(status(r)),
        ]
        for r in data.case.reports
    ]
    header = [
        t.gettext("To"),
        t.gettext("Who"),
        t.gettext("Made on"),
        t.gettext("How"),
        t.gettext("Reference"),
        t.gettext("Status and answers"),
    ]
    return _section(
        t.gettext("Reports already made"),
        rows,
        header,
        [20 * mm, 34 * mm, 24 * mm, 24 * mm, 26 * mm, WIDTH - 128 * mm],
        t.gettext("No report recorded."),
    )


def counselor_notes(data: DossierData, t: Reader) -> list[Flowable]:
    """A counselor's notes, apart from the person's words, only when the person chose to add them."""
    if not data.options.counselor_notes or not data.case.counselor_notes:
        return []
    rows = [[t.moment(n.at), n.author, Long(n.text)] for n in data.case.counselor_notes]
    header = [t.gettext("When"), t.gettext("Counselor"), t.gettext("Note")]
    return [PageBreak()] + _section(
        t.gettext("Counselor notes"), rows, header, [30 * mm, 40 * mm, WIDTH - 70 * mm], ""
    )


def _letter_body(text: str) -> list[Flowable]:
    """A letter as it was written: its lines, and each blank line between them as a blank line."""
    parts: list[Flowable] = []
    block: list[str] = []
    leading = styles()["letter"].leading
    for line in [*text.splitlines(), ""]:
        if line.strip():
            block.append(line)
            continue
        if block:
            parts.append(_para("\n".join(block), "letter"))
            block = []
        parts.append(Spacer(1, leading))
    return parts[:-1]  # the blank line added after the last line is not the letter's


def letters_appendix(data: DossierData, t: Reader) -> list[Flowable]:
    """The letters written, word for word, when the person chose to include them."""
    if not data.options.letters or not data.case.letters:
        return []
    content = shipped()
    parts: list[Flowable] = [PageBreak(), *_heading(t.gettext("Appendix: letters written"))]
    for number, letter in enumerate(data.case.letters, start=1):
        what = content.kind_name(letter.kind, t.lang)
        platform = content.platform(letter.platform) if letter.platform else None
        if what and platform is not None and not platform.generic:
            what += f" — {platform.name}"
        when = t.moment(letter.written_at).replace(" ", NBSP)  # the date in one piece under the title
        if what:
            title = t.gettext("Letter %(num)s: %(what)s, written %(when)s") % {
                "num": number,
                "what": what,
                "when": when,
            }
        else:
            title = t.gettext("Letter %(num)s, written %(when)s") % {"num": number, "when": when}
        parts += _heading(title, 2)
        parts += _letter_body(letter.text)
        parts.append(Spacer(1, 4 * mm))
    return parts


def links(data: DossierData, t: Reader) -> list[Flowable]:
    if not data.case.links:
        return []
    rows = [[Long(link.url), t.moment(link.seen_at), link.platform, link.note] for link in data.case.links]
    header = [t.gettext("Address"), t.gettext("Seen"), t.gettext("Platform"), t.gettext("Notes")]
    return _section(t.gettext("Links"), rows, header, [WIDTH - 102 * mm, 28 * mm, 26 * mm, 48 * mm], "")


def _hashes(item) -> Paragraph:
    lines = [f"SHA-256 {item.sha256}"]
    if item.md5:
        lines.append(f"MD5 {item.md5}")
    if item.image and item.image.pdq:
        lines.append(f"PDQ {item.image.pdq}")
    return _para("\n".join(lines), "hash")


def evidence_index(data: DossierData, t: Reader) -> list[Flowable]:
    rows = [
        [
            f"E{e.number}",
            Long("\n".join(x for x in (e.item.original_name, e.item.description) if x)),
            e.item.detected_type or e.item.media_type,
            t.moment(e.item.captured_at or (e.item.image.taken_at if e.item.image else None)),
            t.count(e.item.size),
        ]
        for e in data.items
    ]
    header = [
        t.gettext("No."),
        t.gettext("File and description"),
        t.gettext("Type"),
        t.gettext("Captured"),
        t.gettext("Bytes"),
    ]
    # Each file's fingerprints on a line of their own, across the table: a hash is never cut.
    return _section(
        t.gettext("Evidence index"),
        rows,
        header,
        [10 * mm, WIDTH - 88 * mm, 28 * mm, 32 * mm, 18 * mm],
        t.gettext("No evidence item in this dossier."),
        under=[_hashes(e.item) for e in data.items],
    )


def item_pages(data: DossierData, t: Reader) -> list[Flowable]:
    parts: list[Flowable] = []
    for entry in data.items:
        parts += [PageBreak(), *item_page(entry, t)]
    return parts


def item_page(entry: ItemEntry, t: Reader) -> list[Flowable]:
    item = entry.item
    parts: list[Flowable] = [*_heading(f"E{entry.number} · {item.original_name}", 2)]
    facts: list[list[object]] = [
        [t.gettext("Description"), item.description],
        [t.gettext("Type"), item.detected_type or item.media_type],
        [t.gettext("Size"), t.gettext("%(num)s bytes") % {"num": t.count(item.size)}],
        [t.gettext("Added"), t.moment(item.added_at)],
        [t.gettext("Captured"), t.moment(item.captured_at)],
        [t.gettext("Platform"), item.platform],
    ]
    if item.image:
        facts.append([t.gettext("Picture size"), f"{item.image.width} × {item.image.height}"])
        if item.image.taken_at:
            facts.append([t.gettext("Taken (from the photo's own data)"), t.moment(item.image.taken_at)])
        if item.image.device:
            facts.append([t.gettext("Device"), item.image.device])
    facts.append([t.gettext("Fingerprints"), _hashes(item)])
    table = Table(
        [[_para(k, "cell"), v if isinstance(v, Flowable) else _para(v, "cell_long")] for k, v in facts if v],
        colWidths=[40 * mm, WIDTH - 40 * mm],
    )
    table.setStyle(TableStyle(table_style(header=False)))
    parts += [table, Spacer(1, 4 * mm)]
    pictured = renditions.state(item)
    if pictured == renditions.PREPARING:
        parts.append(
            _para(
                t.gettext(
                    "No picture: its preview was still being made when this dossier was made. The original "
                    "file is kept unchanged, encrypted, on the person's computer."
                ),
                "small",
            )
        )
    elif pictured == renditions.UNREADABLE:
        parts.append(
            _para(
                t.gettext(
                    "No picture: this file could not be opened as a picture. It is kept unchanged, "
                    "encrypted, on the person's computer."
                ),
                "small",
            )
        )
    elif entry.blurred and not entry.thumbnail and item.image:
        parts.append(
            _para(
                t.gettext(
                    "Not shown on purpose: this item contains intimate imagery. The original file is kept "
                    "unchanged, encrypted, on the person's computer."
                ),
                "small",
            )
        )
    if entry.thumbnail:
        picture = _Thumbnail(entry.thumbnail, 90 * mm)
        parts.append(picture)
        if entry.blurred:
            parts.append(
                _para(
                    t.gettext(
                        "Blurred on purpose: this item contains intimate imagery. The original file is kept "
                        "unchanged, encrypted, on the person's computer."
                    ),
                    "small",
                )
            )
    if entry.quotes:
        parts.append(_para(t.gettext("Messages quoted from this export"), "h2"))
        for quote in entry.quotes:
            parts.append(
                KeepTogether(
                    [
                        _para(" · ".join(x for x in (t.moment(quote.at), quote.sender) if x), "small"),
                        _para(quote.text, "quote"),
                        Spacer(1, 2 * mm),
                    ]
                )
            )
    return parts


class _Thumbnail(Flowable):
    """A JPEG thumbnail, decoded only while its page is drawn and let go right after: reportlab's
    Image keeps every decoded picture until the end, ~0.25 MiB each."""

    def __init__(self, jpeg: bytes, longest: float) -> None:
        super().__init__()
        self._jpeg = jpeg
        width, height = ImageReader(io.BytesIO(jpeg)).getSize()
        scale = longest / max(width, height)
        self.width, self.height = width * scale, height * scale
        self.hAlign = "LEFT"

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self) -> None:
        self.canv.drawImage(_JpegReader(self._jpeg), 0, 0, self.width, self.height)


class _JpegReader(ImageReader):
    """Hands reportlab the JPEG itself: it is embedded as is (DCTDecode), never decoded. reportlab names
    an image by digesting its pixels; the JPEG's bytes name it just as well."""

    def __init__(self, jpeg: bytes) -> None:
        super().__init__(io.BytesIO(jpeg))
        self._jpeg = jpeg
        self._dataA = None  # thumbnails are plain RGB: no transparency mask

    def getRGBData(self) -> bytes:  # reportlab's name
        return self._jpeg


def custody(data: DossierData, t: Reader) -> list[Flowable]:
    # The case's name, as the journal recorded it, is withheld like everywhere else unless chosen.
    hidden = frozenset() if data.options.show_title else frozenset({"title"})
    names = _Names(data, t)
    rows = [
        [
            str(e.seq),
            t.moment(e.at, utc=True),
            _action(e.action, t),
            Long(_detail(e.detail, t, hidden, names)),
        ]
        for e in data.journal
    ]
    # Each entry's hash on a line of its own below it, never cut.
    hashes = [_para(t.labelled(t.gettext("Entry hash"), e.hash), "hash") for e in data.journal]
    parts = _section(
        t.gettext("Chain of custody"),
        rows,
        [t.gettext("No."), t.gettext("When (UTC)"), t.gettext("What"), t.gettext("Details")],
        [10 * mm, 34 * mm, 40 * mm, WIDTH - 84 * mm],
        "",
        under=hashes,
    )
    parts.append(_para(t.gettext("Journal head: %(hash)s") % {"hash": data.journal_head}, "hash"))
    return parts


def _action(action: str, t: Reader) -> str:
    """A journal action in words; one this version does not know (from a newer one) stays as written."""
    if action in vocabulary.JOURNAL_ACTIONS:
        return vocabulary.JOURNAL_ACTIONS.label(action, t.gettext)
    return action


class _Names:
    """What a journal entry's ids stand for, as the rest of the dossier names them: a file by its
    number (E3), a letter kind and a platform by their names."""

    def __init__(self, data: DossierData, t: Reader) -> None:
        self.content, self.lang = shipped(), t.lang
        self.items = {item.id: f"E{n}" for n, item in enumerate(data.case.evidence, start=1)}

    def of(self, key: str, value: object) -> object:
        if not isinstance(value, str) or not value:
            return value
        if key == "item":
            return self.items.get(value, value)
        if key == "kind":
            return self.content.kind_name(value, self.lang) or value
        if key == "platform":
            platform = self.content.platform(value)
            return platform.name if platform is not None else value
        return value


def _detail(
    detail: dict, t: Reader, hidden: frozenset[str] = frozenset(), names: _Names | None = None
) -> str:
    """A journal entry's facts in words; the hashes are left to the evidence index."""
    shown = []
    for key, value in detail.items():
        if key in ("sha256", "md5", "pdq", "journal_head") or key in hidden:
            continue
        if names is not None:
            value = names.of(key, value)
        if isinstance(value, bool):
            value = vocabulary.YES_NO.label("yes" if value else "no", t.gettext)
        elif key == "step" and value in vocabulary.STEPS:
            value = vocabulary.STEPS.label(value, t.gettext)
        elif key == "service" and value in vocabulary.HASH_SERVICES:
            value = vocabulary.HASH_SERVICES.label(value, t.gettext)
        elif key == "lang" and value in vocabulary.LANGUAGE_NAMES:
            value = vocabulary.LANGUAGE_NAMES[value]
        elif isinstance(value, list):
            value = len(value)
        elif key == "size" and isinstance(value, int):
            value = t.count(value)
        label = vocabulary.JOURNAL_DETAILS.label(key, t.gettext) if key in vocabulary.JOURNAL_DETAILS else key
        shown.append(t.labelled(label, value))
    return ", ".join(shown)[:300]


# -- page furniture ----------------------------------------------------------------------------


class _Document(BaseDocTemplate):
    def __init__(self, out, data: DossierData, t: Reader, progress: _Progress) -> None:
        self._progress = progress
        super().__init__(
            out,
            pagesize=PAGE,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN + 6 * mm,
            bottomMargin=MARGIN,
            title=t.labelled(t.gettext("Evidence dossier"), data.title)
            if data.title
            else t.gettext("Evidence dossier"),
            author="Incident Helper",
            creator="Incident Helper",
        )
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        header = " · ".join(
            x for x in (data.title or t.gettext("Evidence dossier"), t.gettext("CONFIDENTIAL"))
        )
        self.addPageTemplates(
            [PageTemplate(id="page", frames=[frame], onPage=lambda c, d: _header(c, header))]
        )
        self._bookmarks = 0

    def afterFlowable(self, flowable) -> None:
        self._progress.laid_out(flowable)
        if not isinstance(flowable, _Heading) or flowable.outline_level is None:
            return
        level = flowable.outline_level
        key = f"b{self._bookmarks}"
        self._bookmarks += 1
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(flowable.outline_text, key, level=level)


def _header(canvas, text: str) -> None:
    canvas.saveState()
    canvas.setFont("DejaVu", 7.5)
    canvas.setFillColor(MUTED)
    canvas.drawString(MARGIN, PAGE[1] - MARGIN + 2 * mm, text[:120])
    canvas.setStrokeColor(RULE)
    canvas.line(MARGIN, PAGE[1] - MARGIN, PAGE[0] - MARGIN, PAGE[1] - MARGIN)
    canvas.restoreState()


def _numbered_canvas(t: Reader):
    """A canvas that knows the page count, for "page X of Y" on every page."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # reportlab's name
            self._pages.append(dict(self.__dict__))
            # reportlab's own showPage ends so, and its stubs leave the private method out.
            self._startPage()  # type: ignore[attr-defined]

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont("DejaVu", 7.5)
                self.setFillColor(MUTED)
                page = self.getPageNumber()
                label = t.gettext("page %(page)s of %(pages)s") % {"page": page, "pages": total}
                self.drawRightString(PAGE[0] - MARGIN, MARGIN - 8 * mm, label)
                super().showPage()
            super().save()

    return NumberedCanvas
