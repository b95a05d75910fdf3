"""The incident record as plain dataclasses, with its versioned JSON form.

Nothing here knows about encryption or Flask: the vault stores `Case.to_dict()` inside an age
file. Every part is optional and fillable in any order, because every step of the walkthrough can
be skipped and come back to.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from helper import records, vocabulary

CASE_FORMAT = "helper.case.v9"
# v1 had no incident record, v2 no image facts, chats or quotes, v3 no fingerprints of the files made
# from an item (thumbnails, messages), v4 no letters, tracker or country, v5 no counselor notes, v6 no
# hash services' case numbers, v7 no details for a complaint (état civil, witnesses, the court), no
# account of the person's own on a payment and no payment a letter is about, v8 no mark on a picture
# whose pixels did not decode: all load with those parts empty.
READABLE_FORMATS = tuple(f"helper.case.v{n}" for n in range(1, 9)) + (CASE_FORMAT,)

# The codes the record stores; their labels live with them in helper/vocabulary.py.
KINDS = vocabulary.KINDS.codes
MINOR_ANSWERS = vocabulary.MINOR_ANSWERS.codes
PAYMENT_METHODS = vocabulary.PAYMENT_METHODS.codes
REPORT_TARGETS = vocabulary.REPORT_TARGETS.codes


class CaseFormatError(ValueError):
    """A stored case does not have the shape this version understands."""


class MinorImageRefused(ValueError):
    """An intimate image of someone under 18 cannot be kept, even by the person in it."""


class InvalidRecord(ValueError):
    """A change that would make the case unreadable (a wrong type, an unknown code): refused before any
    write, so a programming error can never damage what was saved."""


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# A line typed in a form of the record (a place of birth, a city, a reference): anything longer, or
# with control characters, is a programming error refused before it reaches the disk.
ONE_LINE_MAX = 200
WITNESSES_MAX = 20


def _one_line(name: str, value: str) -> None:
    if len(value) > ONE_LINE_MAX or not value.isprintable():
        raise InvalidRecord(f"{name} must be one short line of text")


def _text(name: str, value: str, size: int) -> None:
    if len(value) > size or not all(ch.isprintable() or ch in "\n\t" for ch in value):
        raise InvalidRecord(f"{name} must be text of at most {size} characters")


@dataclass(frozen=True)
class ImageInfo:
    """What intake learnt from an image. The renditions are separate encrypted files in the vault."""

    format: str
    width: int
    height: int
    pdq: str = ""  # PDQ perceptual hash, 64 hex digits: finds the image again after resizing
    pdq_quality: int = 0
    taken_at: str | None = None  # EXIF: when the camera or phone says it was taken
    device: str = ""  # EXIF make and model
    software: str = ""
    thumbnail_blob: str = ""
    blurred_blob: str = ""
    display_blob: str = ""  # a JPEG rendition of formats browsers cannot show (HEIC)
    # SHA-256 of each rendition as it was made: a swapped file (the sharp thumbnail put in the blurred
    # one's place) is refused, never shown. Empty for items added before version 4 of the record.
    thumbnail_sha256: str = ""
    blurred_sha256: str = ""
    display_sha256: str = ""
    # The renditions are made after the file is saved (helper/evidence/renditions.py): until then the
    # blobs above are empty; a picture whose pixels then did not decode is kept, marked so.
    unreadable: bool = False


@dataclass(frozen=True)
class ChatInfo:
    """A chat export read into messages; the messages are a separate encrypted file in the vault."""

    format: str  # "whatsapp", "telegram", "meta"
    messages_blob: str
    message_count: int
    messages_sha256: str = ""  # of the messages file as written; empty before version 4
    title: str = ""
    participants: tuple[str, ...] = ()
    first_at: str | None = None
    last_at: str | None = None
    dates_ambiguous: bool = False

    def __post_init__(self) -> None:
        vocabulary.CHAT_FORMATS.check(self.format, optional=False)


@dataclass(frozen=True)
class EvidenceItem:
    id: str
    blob: str  # random file name of the encrypted bytes, never derived from content
    sha256: str  # of the original bytes, pinned when the item came in
    size: int
    original_name: str
    media_type: str  # what the browser or the command line declared; never trusted for display
    added_at: str
    md5: str = ""  # of the original bytes; some platforms and police forms ask for it
    detected_type: str = ""  # from the bytes themselves
    file_modified: str | None = None  # the file's date on the device it came from, when known
    description: str = ""
    captured_at: str | None = None  # when the screenshot or recording was made
    platform: str = ""
    account_id: str = ""  # the Account of the case this item shows, if any
    intimate: bool = False  # contains intimate imagery: hidden by default, never kept on the minor path
    image: ImageInfo | None = None
    chat: ChatInfo | None = None

    @property
    def derived(self) -> tuple[tuple[str, str], ...]:
        """Every file made from this item, with the SHA-256 pinned for it: (file id, sha256)."""
        pairs = []
        if self.image:
            pairs += [
                (self.image.thumbnail_blob, self.image.thumbnail_sha256),
                (self.image.blurred_blob, self.image.blurred_sha256),
                (self.image.display_blob, self.image.display_sha256),
            ]
        if self.chat:
            pairs.append((self.chat.messages_blob, self.chat.messages_sha256))
        return tuple((blob, sha) for blob, sha in pairs if blob)

    @property
    def blobs(self) -> tuple[str, ...]:
        """Every vault file that belongs to this item: the original first, then what was made from it."""
        derived = []
        if self.image:
            derived += [self.image.thumbnail_blob, self.image.blurred_blob, self.image.display_blob]
        if self.chat:
            derived.append(self.chat.messages_blob)
        return (self.blob, *(b for b in derived if b))

    def to_dict(self) -> dict[str, Any]:
        return records.to_dict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EvidenceItem:
        try:
            return records.from_dict(cls, data)
        except records.RecordError as exc:
            raise CaseFormatError(f"evidence item: {exc}") from exc


@dataclass(frozen=True)
class Incident:
    """What happened, in the person's words and in a few answers."""

    kind: str | None = None  # one of KINDS
    minor: str | None = None  # was the person in the images under 18? one of MINOR_ANSWERS
    narrative: str = ""
    started_on: str | None = None  # ISO date
    first_contact_platform: str = ""
    moved_to_platform: str = ""
    country: str = ""  # where the person lives (ISO code): which laws and police apply

    def __post_init__(self) -> None:
        vocabulary.KINDS.check(self.kind)
        vocabulary.MINOR_ANSWERS.check(self.minor)

    @property
    def is_minor_path(self) -> bool:
        """'Not sure' is treated as yes: when in doubt, protect the child."""
        return self.minor in ("yes", "unsure")


@dataclass(frozen=True)
class Account:
    """An account of the person threatening, on one platform."""

    id: str
    platform: str = ""
    display_name: str = ""
    handle: str = ""
    platform_id: str = ""
    profile_url: str = ""
    phone: str = ""
    email: str = ""
    note: str = ""


@dataclass(frozen=True)
class Threat:
    id: str
    wording: str = ""
    received_at: str | None = None
    deadline: str | None = None
    targets: str = ""  # who they threatened to send the images to


@dataclass(frozen=True)
class Payment:
    """One line of the ledger: a demand, or money actually sent."""

    id: str
    paid: bool = False
    amount: str = ""  # as typed, e.g. "150.00"; kept as text so nothing is rounded away
    currency: str = ""
    method: str = ""  # one of PAYMENT_METHODS
    at: str | None = None
    wallet_address: str = ""
    tx_hash: str = ""
    gift_card_brand: str = ""
    gift_card_code: str = ""
    payee_handle: str = ""  # PayPal, Cash App, Venmo, Revolut
    iban: str = ""
    control_number: str = ""  # money transfer (MTCN)
    note: str = ""
    # The person's own account or card it was paid from, as its last four digits only: a fraud desk
    # finds the account with them, and a full card or account number is never kept.
    own_account: str = ""
    reference: str = ""  # the bank's or the app's reference for the transaction

    def __post_init__(self) -> None:
        vocabulary.PAYMENT_METHODS.check(self.method)
        if self.own_account and not (len(self.own_account) == 4 and self.own_account.isdigit()):
            raise InvalidRecord("own_account keeps the last four digits of the account or card only")
        _one_line("reference", self.reference)


@dataclass(frozen=True)
class Place:
    """Where images appear or were sent."""

    id: str
    url: str = ""
    platform: str = ""
    seen_on: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Original:
    """For AI-generated or altered images: an ordinary photo that was used, and where it was posted."""

    id: str
    description: str = ""
    where_posted: str = ""
    url: str = ""


@dataclass(frozen=True)
class Reply:
    """Something the recipient of a report said back, noted by the person."""

    at: str
    text: str


@dataclass(frozen=True)
class Report:
    """A report made, or to be made: typed in by the person, or recorded from a letter (the tracker)."""

    id: str
    target: str = ""  # one of REPORT_TARGETS
    name: str = ""  # which platform, police station, helpline...
    made_on: str | None = None
    reference: str = ""
    note: str = ""
    kind: str = ""  # the letter kind (content/letters/kinds.toml) it was made with
    platform: str = ""  # the platform id it went to
    channel: str = ""  # one of REPORT_CHANNELS
    status: str = ""  # one of REPORT_STATUSES; empty for reports typed in before the tracker
    sent_at: str | None = None  # ISO date and time, with its zone
    notice_at: str | None = None  # when a regulator gave its notice (eSafety's 24 hours run from it)
    letter_id: str = ""  # the LetterCopy sent
    replies: tuple[Reply, ...] = ()
    payment: str = ""  # the Payment a bank letter was about (one letter per payee)

    def __post_init__(self) -> None:
        vocabulary.REPORT_TARGETS.check(self.target)
        vocabulary.REPORT_CHANNELS.check(self.channel)
        vocabulary.REPORT_STATUSES.check(self.status)


# The longest address an SMTP path carries (RFC 5321, less its angle brackets); a letter's e-mail
# draft writes the signer's address as a header line, which one line break would end.
SIGNER_EMAIL_MAX = 254


@dataclass(frozen=True)
class Signer:
    """Who signs the letters, how to reach them, and the statements they make. Kept encrypted with the
    case; nothing is sent anywhere by the program."""

    name: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    signature: str = ""  # the name typed as an electronic signature
    acting_for: str = ""  # one of ACTING_FOR
    person_name: str = ""  # the person in the images, when someone else signs
    harm: str = ""  # how this has affected them, in their words (the procureur asks for it)
    good_faith: bool = False
    accurate: bool = False
    perjury: bool = False
    own_photo: bool = False  # took the picture themselves (the only case a copyright notice fits)
    intimate_declared: bool = False

    def __post_init__(self) -> None:
        vocabulary.ACTING_FOR.check(self.acting_for)
        if len(self.email) > SIGNER_EMAIL_MAX or not self.email.isprintable():
            raise InvalidRecord(f"email must be one line of at most {SIGNER_EMAIL_MAX} characters")


@dataclass(frozen=True)
class Witness:
    """Someone who saw what happened or can speak to it: a complaint to the prosecutor gives their
    name and address (service-public F1524)."""

    name: str
    address: str = ""
    knows: str = ""  # what they saw or can say, in the person's words

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise InvalidRecord("a witness has a name")
        _one_line("a witness's name", self.name)
        _text("a witness's address", self.address, 1000)
        _text("what a witness knows", self.knows, 2000)


@dataclass(frozen=True)
class Complaint:
    """What a complaint to the police or the prosecutor asks for beyond the letters' details: the état
    civil (date and place of birth) of the person who files it, the witnesses, and the city of the
    court (tribunal judiciaire) the letter goes to. All optional; only the letters that ask for them
    print them."""

    birth_date: str | None = None  # ISO date
    birth_place: str = ""  # town, and country if not where the person lives
    court_city: str = ""  # the tribunal judiciaire the complaint is written to
    witnesses: tuple[Witness, ...] = ()

    def __post_init__(self) -> None:
        if self.birth_date is not None:
            try:
                born = date.fromisoformat(self.birth_date)
            except (TypeError, ValueError) as exc:
                raise InvalidRecord("birth_date must be an ISO date") from exc
            if len(self.birth_date) != 10 or born.year < 1900:
                raise InvalidRecord("birth_date must be an ISO date")
        _one_line("birth_place", self.birth_place)
        _one_line("court_city", self.court_city)
        if len(self.witnesses) > WITNESSES_MAX or not all(type(w) is Witness for w in self.witnesses):
            raise InvalidRecord(f"witnesses holds at most {WITNESSES_MAX} Witness entries")


@dataclass(frozen=True)
class CounselorNote:
    """A counselor's own note: kept apart from the person's words, shown only in counselor mode, and in
    a dossier only when the person chooses."""

    id: str
    at: str
    author: str
    text: str


# A case number or PIN is short and typed on one line; anything longer or with control characters is
# a programming error, refused before it reaches the disk.
HASH_CASE_TEXT_MAX = 100


@dataclass(frozen=True)
class HashCase:
    """A case made with a hash-matching service (StopNCII, Take It Down): the case number and PIN it
    gave, which it cannot find again if they are lost, and without which the person cannot check or
    withdraw their case. Kept encrypted with the case like everything else; the PIN is shown only when
    the person asks for it, and is never printed in the dossier nor written in the journal."""

    service: str  # one of HASH_SERVICES
    case_number: str = ""
    pin: str = ""
    kept_at: str = ""  # when the person last saved them
    revision: int = 0  # the case's revision that saved them: a page that showed an older one is stale

    def __post_init__(self) -> None:
        vocabulary.HASH_SERVICES.check(self.service, optional=False)
        if not (self.case_number or self.pin):
            raise InvalidRecord("a hash service's case keeps a case number or a PIN")
        for name in ("case_number", "pin"):
            value = getattr(self, name)
            if len(value) > HASH_CASE_TEXT_MAX or not value.isprintable():
                raise InvalidRecord(f"{name} must be one short line of text")
        if self.revision < 0:
            raise InvalidRecord("revision may not be negative")


@dataclass(frozen=True)
class LetterCopy:
    """A letter as it was written (for the dossier's appendix and the tracker)."""

    id: str
    kind: str
    lang: str
    written_at: str
    text: str
    platform: str = ""
    missing: tuple[str, ...] = ()  # the element ids it lacked when written
    payment: str = ""  # the Payment a bank letter is about


@dataclass(frozen=True)
class Link:
    """A web address kept as evidence. The program never opens or fetches it."""

    id: str
    url: str
    seen_at: str | None = None
    platform: str = ""
    note: str = ""
    added_at: str = ""


@dataclass(frozen=True)
class Quote:
    """A message from a chat export, put on the timeline (and later quoted in the dossier)."""

    id: str
    item_id: str  # the evidence item (the export) it comes from
    index: int  # its place among that export's messages
    sender: str = ""
    at: str | None = None
    text: str = ""


@dataclass(frozen=True)
class Event:
    """Anything else that belongs on the timeline."""

    id: str
    at: str
    text: str


# Each collection of the record and the one type its entries have.
Entry = Account | Threat | Payment | Place | Original | Report | Event | Link | Quote
ENTRY_TYPES: dict[str, type[Entry]] = {
    "accounts": Account,
    "threats": Threat,
    "payments": Payment,
    "places": Place,
    "originals": Original,
    "reports": Report,
    "events": Event,
    "links": Link,
    "quotes": Quote,
}
COLLECTIONS = tuple(ENTRY_TYPES)


@dataclass(frozen=True)
class Case:
    id: str
    title: str
    created_at: str
    revision: int = 0
    evidence: tuple[EvidenceItem, ...] = field(default_factory=tuple)
    incident: Incident = field(default_factory=Incident)
    accounts: tuple[Account, ...] = ()
    threats: tuple[Threat, ...] = ()
    payments: tuple[Payment, ...] = ()
    places: tuple[Place, ...] = ()
    originals: tuple[Original, ...] = ()
    reports: tuple[Report, ...] = ()
    events: tuple[Event, ...] = ()
    links: tuple[Link, ...] = ()
    quotes: tuple[Quote, ...] = ()
    steps_done: tuple[str, ...] = ()  # walkthrough steps saved at least once
    signer: Signer = field(default_factory=Signer)
    letters: tuple[LetterCopy, ...] = ()
    counselor_notes: tuple[CounselorNote, ...] = ()
    hash_cases: tuple[HashCase, ...] = ()  # at most one per service
    complaint: Complaint = field(default_factory=Complaint)  # état civil, witnesses, the court
    closed_at: str | None = None  # the person marked it closed (the retention reminder counts from it)

    def __post_init__(self) -> None:
        own = (
            ("evidence", EvidenceItem),
            ("letters", LetterCopy),
            ("counselor_notes", CounselorNote),
            ("hash_cases", HashCase),
        )
        for name, kind in (*own, *ENTRY_TYPES.items()):
            # Checked at every change of a case of thousands of items: the types are gathered in C.
            if not set(map(type, getattr(self, name))) <= {kind}:
                raise InvalidRecord(f"{name} holds something that is not a {kind.__name__}")
        if type(self.incident) is not Incident:
            raise InvalidRecord("incident is not an Incident")
        if type(self.signer) is not Signer:
            raise InvalidRecord("signer is not a Signer")
        if type(self.complaint) is not Complaint:
            raise InvalidRecord("complaint is not a Complaint")
        services = [h.service for h in self.hash_cases]
        if len(services) != len(set(services)):
            raise InvalidRecord("hash_cases holds two cases of the same service")

    def report(self, report_id: str) -> Report | None:
        return next((r for r in self.reports if r.id == report_id), None)

    def letter(self, letter_id: str) -> LetterCopy | None:
        return next((letter for letter in self.letters if letter.id == letter_id), None)

    def with_signer(self, signer: Signer) -> Case:
        return replace(self, signer=signer)

    def with_complaint(self, complaint: Complaint) -> Case:
        return replace(self, complaint=complaint)

    def with_letter(self, letter: LetterCopy) -> Case:
        return replace(self, letters=(*self.letters, letter))

    def hash_case(self, service: str) -> HashCase | None:
        return next((h for h in self.hash_cases if h.service == service), None)

    def with_hash_case(self, kept: HashCase) -> Case:
        """Keep a service's numbers, in place of what was kept for that service before."""
        others = tuple(h for h in self.hash_cases if h.service != kept.service)
        if len(others) == len(self.hash_cases):
            return replace(self, hash_cases=(*self.hash_cases, kept))
        kept_all = tuple(kept if h.service == kept.service else h for h in self.hash_cases)
        return replace(self, hash_cases=kept_all)

    def with_counselor_note(self, note: CounselorNote) -> Case:
        return replace(self, counselor_notes=(*self.counselor_notes, note))

    def without_counselor_note(self, note_id: str) -> Case:
        return replace(self, counselor_notes=tuple(n for n in self.counselor_notes if n.id != note_id))

    def item(self, item_id: str) -> EvidenceItem | None:
        return next((it for it in self.evidence if it.id == item_id), None)

    def with_title(self, title: str) -> Case:
        return replace(self, title=title)

    def with_evidence(self, item: EvidenceItem, *, declared_not_intimate: bool = False) -> Case:
        """Add an item, obeying the under-18 rule (see `check_accepts`)."""
        self.check_accepts(intimate=item.intimate, declared_not_intimate=declared_not_intimate)
        return replace(self, evidence=(*self.evidence, item))

    def without_evidence(self, item_id: str) -> Case:
        """The item goes, and so do the messages quoted from it."""
        return replace(
            self,
            evidence=tuple(it for it in self.evidence if it.id != item_id),
            quotes=tuple(q for q in self.quotes if q.item_id != item_id),
        )

    def with_evidence_details(self, item_id: str, **details: Any) -> Case:
        """Describe an item. Marking it intimate on the minor path is refused: it cannot be kept."""
        item = self.item(item_id)
        if item is None:
            raise KeyError(item_id)
        if details.get("intimate"):
            self.check_accepts(intimate=True, declared_not_intimate=False)
        return replace(
            self, evidence=tuple(replace(it, **details) if it.id == item_id else it for it in self.evidence)
        )

    def with_quotes(self, quotes: tuple[Quote, ...]) -> Case:
        return replace(self, quotes=quotes)

    def with_incident(self, **changes: Any) -> Case:
        return replace(self, incident=replace(self.incident, **changes))

    def with_entry(self, collection: str, entry: Any) -> Case:
        """Add an entry to a collection, or replace the one with the same id."""
        entries = getattr(self, _collection(collection))
        if type(entry) is not ENTRY_TYPES[collection]:
            wanted = ENTRY_TYPES[collection].__name__
            raise InvalidRecord(f"{collection} takes {wanted}, not {type(entry).__name__}")
        kept = tuple(e for e in entries if e.id != entry.id)
        if len(kept) == len(entries):
            return self._with_collection(collection, (*entries, entry))
        return self._with_collection(collection, tuple(entry if e.id == entry.id else e for e in entries))

    def without_entry(self, collection: str, entry_id: str) -> Case:
        entries = getattr(self, _collection(collection))
        return self._with_collection(collection, tuple(e for e in entries if e.id != entry_id))

    def _with_collection(self, collection: str, entries: tuple[Entry, ...]) -> Case:
        # The field is named at run time; __post_init__ checks that each entry is of its type.
        changes: dict[str, Any] = {collection: entries}
        return replace(self, **changes)

    def check_accepts(self, *, intimate: bool, declared_not_intimate: bool) -> None:
        """The under-18 rule, in one place. On the minor path a file is taken only when it is declared
        free of any intimate image, and never when marked intimate: keeping sexual images of a minor is
        illegal, even for the victim. Raises `MinorImageRefused`."""
        if self.incident.is_minor_path and (intimate or not declared_not_intimate):
            raise MinorImageRefused("the person in the images was under 18")

    def with_step_done(self, step: str) -> Case:
        return self if step in self.steps_done else replace(self, steps_done=(*self.steps_done, step))

    def to_dict(self) -> dict[str, Any]:
        return {"format": CASE_FORMAT, **records.to_dict(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Case:
        data = dict(data)
        version = data.pop("format", None)
        if version not in READABLE_FORMATS:
            raise CaseFormatError(f"unknown case format {version!r}")
        try:
            return records.from_dict(cls, data)
        except records.RecordError as exc:
            raise CaseFormatError(f"case: {exc}") from exc


def _collection(name: str) -> str:
    if name not in COLLECTIONS:
        raise ValueError(f"no collection {name!r}")
    return name


def clean_title(title: str) -> str:
    """A case title as shown: one line, no control characters, at most 120 characters."""
    printable = "".join(ch if ch.isprintable() else " " for ch in title)
    return " ".join(printable.split())[:120]
