"""One vocabulary: every code the record stores, with the words a person reads for it.

Codes (`gift_card`, `police`, `evidence.added`...) are what the case file, forms and letters
store and compare; a person never sees one. Each code's label is an English message id, marked
with `N_` so that `make translations` extracts it into the one catalogue that the app (Flask-Babel),
the dossier and the command line (Babel, no Flask) all read. Whoever shows a label translates it
with the gettext of the reader's language: `vocabulary.PAYMENT_METHODS.label("crypto", gettext)`.

No Flask here: the record validates its codes against these lists, on write as on read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

Translate = Callable[[str], str]

LANGUAGES = ("en", "fr", "es")  # the interface, the dossier, the letters and the command line
# Each in its own language, never translated.
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "es": "Español"}


def N_(message: str) -> str:
    """Marks a message for extraction; it is translated where it is shown."""
    return message


def _same(message: str) -> str:
    return message


class UnknownCode(ValueError):
    """A code that is not in its vocabulary: a typo in code or a damaged record."""


@dataclass(frozen=True)
class Term:
    code: str
    label: str  # an English message id; translated where shown
    translate: bool = True  # brand names (PayPal) read the same in every language


@dataclass(frozen=True)
class Vocabulary:
    name: str
    terms: tuple[Term, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.terms)

    def __contains__(self, code: object) -> bool:
        return any(t.code == code for t in self.terms)

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms)

    def term(self, code: str) -> Term:
        for t in self.terms:
            if t.code == code:
                return t
        raise UnknownCode(f"{self.name}: unknown code {code!r}")

    def check(self, code: str | None, *, optional: bool = True) -> None:
        """Raises `UnknownCode` unless `code` is one of ours (or empty, when `optional`)."""
        if code in (None, "") and optional:
            return
        if code not in self:
            raise UnknownCode(f"{self.name}: unknown code {code!r}")

    def label(self, code: str, gettext: Translate = _same) -> str:
        t = self.term(code)
        return gettext(t.label) if t.translate else t.label


def _vocabulary(name: str, *pairs: tuple[str, str] | Term) -> Vocabulary:
    return Vocabulary(name, tuple(p if isinstance(p, Term) else Term(*p) for p in pairs))


# -- the incident --------------------------------------------------------------------------------

KINDS = _vocabulary(
    "kind",
    ("financial", N_("Someone I met online wants money or more images")),
    ("known_person", N_("Someone I know (an ex, for example) is threatening me")),
    ("posted", N_("Images of me have already been posted")),
    ("ai_altered", N_("Fake images were made from my ordinary photos (AI, face swap)")),
    ("hacked", N_("Someone got into my account and took images")),
    ("other", N_("Something else")),
)

# How the dossier and letters describe each kind, in the third person.
KIND_SUMMARIES = _vocabulary(
    "kind summary",
    (
        "financial",
        N_("Someone is demanding money, or more images, in exchange for not sharing intimate images."),
    ),
    ("known_person", N_("Someone the person knows is threatening to share intimate images.")),
    ("posted", N_("Intimate images have been shared or posted without consent.")),
    ("ai_altered", N_("Fake or AI-altered intimate images of the person are being used or shared.")),
    ("hacked", N_("Intimate images were taken from the person's account or device.")),
    ("other", N_("Intimate images are being misused.")),
)

MINOR_ANSWERS = _vocabulary(
    "minor answer",
    ("yes", N_("Yes, under 18")),
    ("no", N_("No, 18 or older")),
    ("unsure", N_("I am not sure")),
)

# -- money ---------------------------------------------------------------------------------------

PAYMENT_METHODS = _vocabulary(
    "payment method",
    ("crypto", N_("Crypto-currency")),
    ("gift_card", N_("Gift card")),
    Term("paypal", "PayPal", translate=False),
    Term("cash_app", "Cash App", translate=False),
    Term("venmo", "Venmo", translate=False),
    Term("revolut", "Revolut", translate=False),
    ("bank_transfer", N_("Bank transfer")),
    ("money_transfer", N_("Money transfer (Western Union, MoneyGram…)")),
    ("other", N_("Other")),
)

# A ledger line is a demand or a payment; the form asks it as a question.
PAYMENT_STATES = _vocabulary(
    "payment state",
    ("demanded", N_("They asked for it")),
    ("paid", N_("It was paid")),
)
PAYMENT_STATE_SHORT = _vocabulary("payment state", ("demanded", N_("Demanded")), ("paid", N_("Paid")))

# The details of a ledger line, as the dossier and the review page name them.
PAYMENT_DETAILS = _vocabulary(
    "payment detail",
    ("wallet_address", N_("Wallet address")),
    ("tx_hash", N_("Transaction ID")),
    ("gift_card", N_("Gift card")),
    ("payee_handle", N_("Their payment name")),
    Term("iban", "IBAN", translate=False),
    ("control_number", N_("Control number (MTCN)")),
    ("note", N_("Notes")),
)

# -- reports -------------------------------------------------------------------------------------

REPORT_TARGETS = _vocabulary(
    "report target",
    ("platform", N_("A platform or app")),
    ("police", N_("The police")),
    ("helpline", N_("A helpline")),
    ("school", N_("A school")),
    ("bank", N_("A bank or payment service")),
    ("regulator", N_("A regulator")),
    ("other", N_("Other")),
)

# -- letters and the tracker ---------------------------------------------------------------------

# Who signs the letters.
ACTING_FOR = _vocabulary(
    "acting for",
    ("self", N_("I am the person in the images")),
    ("parent", N_("I am their parent or guardian")),
    ("counselor", N_("I am helping them, with their agreement (a counselor, a friend)")),
)

# How a report went out. "form" is the recipient's own process: the only channel that starts a
# TAKE IT DOWN clock.
REPORT_CHANNELS = _vocabulary(
    "report channel",
    ("form", N_("Through their own form or in the app")),
    ("email", N_("By e-mail")),
    ("post", N_("By post")),
    ("in_person", N_("In person")),
    ("phone", N_("By telephone")),
)

REPORT_STATUSES = _vocabulary(
    "report status",
    ("draft", N_("Not sent yet")),
    ("sent", N_("Sent")),
    ("acknowledged", N_("They confirmed receiving it")),
    ("removed", N_("Removed")),
    ("refused", N_("Refused")),
    ("no_answer", N_("No answer")),
)
# A report with one of these statuses is settled: its clock no longer matters.
SETTLED_STATUSES = ("removed", "refused")

# The parts of "Get it taken down", in the order they are done.
TAKEDOWN_GROUPS = _vocabulary(
    "takedown group",
    ("block", N_("Block the images everywhere at once")),
    ("platform", N_("Ask each platform to remove them")),
    ("search", N_("Remove them from search results")),
    ("police", N_("Report it to the police")),
    ("money", N_("Tell your bank or payment service")),
)

CLOCK_BASES = _vocabulary(
    "clock basis",
    ("law", N_("Deadline set by law")),
    ("platform promise", N_("The platform’s own promise")),
    ("reminder", N_("Reminder (not a legal deadline)")),
)

CLOCK_STARTS = _vocabulary(
    "clock start",
    ("platform process", N_("from a request made through the platform’s own form")),
    ("regulator notice", N_("from the regulator’s notice to the platform")),
    ("receipt", N_("from when they received it")),
    ("sending", N_("from when you sent it")),
)

# -- the timeline --------------------------------------------------------------------------------

TIMELINE_KINDS = _vocabulary(
    "timeline kind",
    ("started", N_("First contact")),
    ("threat", N_("Threat")),
    ("deadline", N_("Deadline")),
    ("payment", N_("Payment")),
    ("demand", N_("Demand")),
    ("place", N_("Images seen")),
    ("report", N_("Report")),
    ("link", N_("Link seen")),
    ("message", N_("Message")),
    ("discord", N_("Discord message sent")),
    ("event", N_("Event")),
)

# -- chat exports --------------------------------------------------------------------------------

CHAT_FORMATS = _vocabulary(
    "chat format",
    Term("whatsapp", "WhatsApp", translate=False),
    Term("telegram", "Telegram", translate=False),
    Term("meta", "Instagram / Facebook", translate=False),
)

# -- the case journal (chain of custody) ---------------------------------------------------------

# Each code a journal entry can carry, named once; only the casework verb that does the act writes it
# (tests/test_architecture.py checks that every code is written by exactly one function).
CASE_CREATED = "case.created"
CASE_RENAMED = "case.renamed"
CASE_CLOSED = "case.closed"
CASE_REOPENED = "case.reopened"
WALKTHROUGH_SAVED = "walkthrough.saved"
WALKTHROUGH_REMOVED = "walkthrough.removed"
EVIDENCE_ADDED = "evidence.added"
EVIDENCE_DESCRIBED = "evidence.described"
EVIDENCE_REMOVED = "evidence.removed"
EVIDENCE_REVEALED = "evidence.revealed"
EVIDENCE_EXPORTED = "evidence.exported"
QUOTES_CHANGED = "quotes.changed"
LINK_ADDED = "link.added"
LINK_REMOVED = "link.removed"
DOSSIER_EXPORTED = "dossier.exported"
ORIGINALS_EXPORTED = "originals.exported"
LETTER_DETAILS = "letter.details"
COMPLAINT_DETAILS = "complaint.details"  # never the birth date or the witnesses themselves
LETTER_WRITTEN = "letter.written"
REPORT_RECORDED = "report.recorded"
REPORT_UPDATED = "report.updated"
HANDOVER_EXPORTED = "handover.exported"
HANDOVER_RECEIVED = "handover.received"
COUNSELOR_STARTED = "counselor.started"
COUNSELOR_ENDED = "counselor.ended"
CONSENT_GRANTED = "consent.granted"
CONSENT_WITHDRAWN = "consent.withdrawn"
NOTE_ADDED = "note.added"
NOTE_REMOVED = "note.removed"
SUMMARY_EXPORTED = "summary.exported"
HASH_NUMBERS_KEPT = "hash_service.kept"  # never the number or the PIN itself: the service only

JOURNAL_ACTIONS = _vocabulary(
    "journal action",
    (CASE_CREATED, N_("Case started")),
    (CASE_RENAMED, N_("Case renamed")),
    (CASE_CLOSED, N_("Case closed")),
    (CASE_REOPENED, N_("Case opened again")),
    (WALKTHROUGH_SAVED, N_("Step saved")),
    (WALKTHROUGH_REMOVED, N_("Entry removed")),
    (EVIDENCE_ADDED, N_("File added")),
    (EVIDENCE_DESCRIBED, N_("File described")),
    (EVIDENCE_REMOVED, N_("File removed")),
    (EVIDENCE_REVEALED, N_("Intimate picture shown")),
    (EVIDENCE_EXPORTED, N_("Unencrypted copy saved")),
    (QUOTES_CHANGED, N_("Messages put on the timeline")),
    (LINK_ADDED, N_("Link added")),
    (LINK_REMOVED, N_("Link removed")),
    (DOSSIER_EXPORTED, N_("Dossier exported")),
    (ORIGINALS_EXPORTED, N_("Original files exported")),
    (LETTER_DETAILS, N_("Details for letters saved")),
    (COMPLAINT_DETAILS, N_("Details for a complaint saved")),
    (LETTER_WRITTEN, N_("Letter written")),
    (REPORT_RECORDED, N_("Report recorded")),
    (REPORT_UPDATED, N_("Report updated")),
    (HANDOVER_EXPORTED, N_("Case handed over (encrypted bundle)")),
    (HANDOVER_RECEIVED, N_("Case received from another vault")),
    (COUNSELOR_STARTED, N_("Counselor mode started")),
    (COUNSELOR_ENDED, N_("Counselor mode ended")),
    (CONSENT_GRANTED, N_("Shown to the counselor, with consent")),
    (CONSENT_WITHDRAWN, N_("Consent to show withdrawn")),
    (NOTE_ADDED, N_("Counselor note added")),
    (NOTE_REMOVED, N_("Counselor note removed")),
    (SUMMARY_EXPORTED, N_("Session summary saved")),
    (HASH_NUMBERS_KEPT, N_("Fingerprint service case number kept")),
)

# The facts a journal entry records, as the chain of custody names them.
JOURNAL_DETAILS = _vocabulary(
    "journal detail",
    ("title", N_("name")),
    ("step", N_("step")),
    ("item", N_("item")),
    ("items", N_("items")),
    ("size", N_("bytes")),
    ("name", N_("file")),
    ("intimate", N_("intimate")),
    ("link", N_("link")),
    ("count", N_("count")),
    ("lang", N_("language")),
    ("password", N_("password")),
    ("unblurred", N_("shown unblurred")),
    ("on_timeline", N_("messages on the timeline")),
    ("journal_head", N_("journal head")),
    ("kind", N_("letter")),
    ("platform", N_("platform")),
    ("report", N_("report")),
    ("status", N_("status")),
    ("format", N_("format")),
    ("to", N_("to")),
    ("from", N_("from")),
    ("counselor", N_("counselor")),
    ("organisation", N_("organisation")),
    ("service", N_("service")),
    Term("sha256", "SHA-256", translate=False),
    Term("md5", "MD5", translate=False),
    Term("pdq", "PDQ", translate=False),
)

# The hash-matching services whose case number and PIN the record keeps (helper/case.py `HashCase`),
# by their id in content/guidance/removal.toml. Each gives a case number (and StopNCII a PIN) that it
# cannot find again if lost; nothing else lets the person check or withdraw their case.
HASH_SERVICES = _vocabulary(
    "hash service",
    Term("stopncii", "StopNCII.org", translate=False),
    Term("take-it-down", "Take It Down", translate=False),
)

# The walkthrough's steps, as the journal and the review page name them.
STEPS = _vocabulary(
    "step",
    ("safety", N_("Are you safe?")),
    ("right-now", N_("What to do right now")),
    ("age", N_("How old were you?")),
    ("minor", N_("Help for people under 18")),
    ("kind", N_("What is happening")),
    ("story", N_("What happened")),
    ("accounts", N_("Their accounts")),
    ("threats", N_("The threats")),
    ("payments", N_("Demands and payments")),
    ("places", N_("Where the images are")),
    ("originals", N_("The photos that were used")),
    ("takedown", N_("Get it taken down")),
    ("reports", N_("Reports already made")),
    ("evidence", N_("Screenshots and files")),
    ("timeline", N_("Timeline")),
    ("review", N_("Check everything")),
)

YES_NO = _vocabulary("answer", ("yes", N_("yes")), ("no", N_("no")))

# -- refused files -------------------------------------------------------------------------------

REFUSALS = _vocabulary(
    "refusal",
    (
        "empty",
        N_("“%(name)s” is empty, so there was nothing to keep. Try saving it again from where it came from."),
    ),
    (
        "too_large",
        N_(
            "“%(name)s” is too large for Incident Helper. Nothing was kept. If it is a long video, you can "
            "cut it into shorter parts."
        ),
    ),
    (
        "bad_name",
        N_(
            "“%(name)s” has a name with hidden characters or folder signs, which can be used to trick a "
            "computer. Nothing was kept. Please rename the file, then add it again."
        ),
    ),
    (
        "program",
        N_(
            "“%(name)s” is a program, not a picture, video or document. Programs are never kept: opening "
            "one could harm your computer."
        ),
    ),
    (
        "polyglot",
        N_(
            "“%(name)s” looks like one kind of file but hides another inside it. It was not kept, to keep "
            "your computer safe. If you made this screenshot yourself, make it again and add the new one."
        ),
    ),
    (
        "image_too_big",
        N_(
            "“%(name)s” claims to be a picture of an enormous size, a trick used to crash computers. "
            "It was not kept."
        ),
    ),
    (
        "damaged_image",
        N_(
            "“%(name)s” is damaged or incomplete: the picture cannot be read whole. Nothing was kept. Try "
            "saving or downloading it again, then add it."
        ),
    ),
    (
        "unsafe_archive",
        N_(
            "“%(name)s” is a zip file built to cause harm: it would unpack to a huge size or outside "
            "itself. It was not kept."
        ),
    ),
    (
        "damaged_archive",
        N_(
            "“%(name)s” is a zip file that cannot be read; it may be incomplete. Nothing was kept. Try "
            "exporting or downloading it again."
        ),
    ),
    (
        "unreadable",
        N_(
            "Something went wrong while reading “%(name)s”, so it was not kept. Your other files are not "
            "affected. You can try adding it again."
        ),
    ),
)

# What receiving a file can end in, besides a refusal of the file itself (see helper/evidence/desk.py).
RECEIVE_PROBLEMS = _vocabulary(
    "receive problem",
    (
        "minor",
        N_(
            "Nothing was saved. Because the person in the images was under 18, Incident Helper cannot "
            "keep intimate images: keeping them is illegal, even for you. Please add only screenshots of "
            "messages, profiles, links or payments, and tick the box that says so. To get images taken "
            "down, use Take It Down or Report Remove."
        ),
    ),
    ("case_gone", N_("This case cannot be found, so nothing was saved.")),
    ("locked", N_("Your safe space was locked. Unlock it, then add the files again.")),
    (
        "disk",
        N_("A file could not be written: the disk may be full or unplugged. What you saved before is safe."),
    ),
    ("disk_full", N_("The disk is full, so this file was not saved. What you saved before is safe.")),
    ("incomplete", N_("The file did not arrive whole, so it was not saved. Please try again.")),
)

ALL = (
    KINDS,
    KIND_SUMMARIES,
    MINOR_ANSWERS,
    PAYMENT_METHODS,
    PAYMENT_STATES,
    PAYMENT_STATE_SHORT,
    PAYMENT_DETAILS,
    REPORT_TARGETS,
    ACTING_FOR,
    REPORT_CHANNELS,
    REPORT_STATUSES,
    TAKEDOWN_GROUPS,
    CLOCK_BASES,
    CLOCK_STARTS,
    TIMELINE_KINDS,
    CHAT_FORMATS,
    JOURNAL_ACTIONS,
    JOURNAL_DETAILS,
    STEPS,
    HASH_SERVICES,
    YES_NO,
    REFUSALS,
    RECEIVE_PROBLEMS,
)
