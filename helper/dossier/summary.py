"""The session summary the person keeps after a counselor-assisted session: what was done, what comes
next with its dates, and who to call. One or two pages, built in memory, in English, French or Spanish."""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from helper import vocabulary
from helper.case import Case
from helper.content import Content
from helper.content.model import HelpLine
from helper.dossier.reader import Reader
from helper.dossier.styles import MARGIN, PAGE, styles
from helper.letters.tracker import Due
from helper.vault.journal import JournalEntry

# Journal entries a summary leaves out: they are about the screen, not about the case.
NOT_WORK = (
    vocabulary.EVIDENCE_REVEALED,
    vocabulary.CONSENT_GRANTED,
    vocabulary.CONSENT_WITHDRAWN,
    vocabulary.COUNSELOR_STARTED,
    vocabulary.COUNSELOR_ENDED,
)


@dataclass(frozen=True)
class SummaryInput:
    case: Case
    journal: tuple[JournalEntry, ...]  # what happened during the session
    whats_next: tuple[Due, ...]
    lines: tuple[HelpLine, ...]
    emergency: str
    counselor: str
    organisation: str
    lang: str
    content: Content


def _p(text: str, style: str = "body") -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), styles()[style])


def render_summary(data: SummaryInput) -> bytes:
    t = Reader(data.lang, data.case.incident.country)
    _ = t.gettext
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=_("Session summary"),
        author="Incident Helper",
        creator="Incident Helper",
    )
    who = data.counselor + (f" ({data.organisation})" if data.organisation else "")
    story = [
        _p(_("Session summary"), "h1"),
        _p(_("You met %(who)s. This summary is yours: keep it somewhere private.") % {"who": who}),
        Spacer(1, 6),
        _p(_("What was done"), "h2"),
    ]
    done = [e for e in data.journal if e.action not in NOT_WORK]
    if not done:
        story.append(_p(_("Nothing was changed in the case during this session.")))
    # The same act done several times in a row (files added one after another) is one line.
    for action, run in itertools.groupby(done, key=lambda e: e.action):
        entries = list(run)
        line = f"{t.moment(entries[0].at)} — {vocabulary.JOURNAL_ACTIONS.label(action, t.gettext)}"
        story.append(_p(line + (f" (×{len(entries)})" if len(entries) > 1 else "")))
    story += [_p(_("What comes next"), "h2")]
    if not data.whats_next:
        story.append(_p(_("No answer is awaited yet. “Get it taken down” lists what to do, in order.")))
    for due in data.whats_next:
        name = data.content.kind_name(due.report.kind, data.lang) or due.report.name
        platform = data.content.platform(due.report.platform) if due.report.platform else None
        if platform and not platform.generic:
            name += f" — {platform.name}"
        if due.due_at is None:
            line = name
        elif due.is_deadline:
            line = t.labelled(name, _("Due by %(when)s") % {"when": t.moment(due.due_at)})
        else:
            line = t.labelled(
                name, _("Reminder on %(when)s (not a legal deadline)") % {"when": t.moment(due.due_at)}
            )
        if due.overdue and due.escalation:
            line += " — " + _("Next step: %(what)s") % {"what": due.escalation.name.get(data.lang)}
        story.append(_p(line))
    story += [
        _p(_("Who to call"), "h2"),
        _p(_("In danger right now? Call %(number)s.") % {"number": data.emergency}),
    ]
    for help_line in data.lines:
        contact = " · ".join(x for x in (help_line.phone or "", help_line.web or "") if x)
        story.append(_p(t.labelled(help_line.name, contact) if contact else help_line.name))
        story.append(_p(help_line.hours.get(data.lang), "small"))
    story += [
        Spacer(1, 10),
        _p(
            _(
                "You did nothing wrong. You can come back to Incident Helper at any time; everything is kept "
                "encrypted on this computer."
            ),
            "small",
        ),
    ]
    doc.build(story)
    return out.getvalue()
