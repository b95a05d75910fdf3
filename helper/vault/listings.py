"""What the vault reports about its cases: a row of the case list, and a problem `verify` found."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from helper.case import Case
from helper.vault.journal import JournalEntry
from helper.vocabulary import Translate


@dataclass(frozen=True)
class CaseSummary:
    """What the case list shows of a case and what its search looks in, and nothing more: the list is
    read from these (see `caseindex`), never from whole records. Secret like the record (the title is
    the person's words): only ever written encrypted."""

    title: str
    created_at: str
    closed_at: str | None
    items: int
    last_activity: str  # the time of the journal's last entry
    words: tuple[str, ...]  # the title, platforms and handles of the case (see `CaseListing.matches`)

    @classmethod
    def of(cls, case: Case, entries: tuple[JournalEntry, ...]) -> CaseSummary:
        words = [case.title, case.incident.first_contact_platform, case.incident.moved_to_platform]
        words += [w for a in case.accounts for w in (a.platform, a.handle, a.display_name, a.platform_id)]
        words += [w for p in case.places for w in (p.platform, p.url)]
        return cls(
            title=case.title,
            created_at=case.created_at,
            closed_at=case.closed_at,
            items=len(case.evidence),
            last_activity=entries[-1].at if entries else case.created_at,
            words=tuple(dict.fromkeys(w for w in words if w)),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "created_at": self.created_at,
            "closed_at": self.closed_at,
            "items": self.items,
            "last_activity": self.last_activity,
            "words": list(self.words),
        }

    @classmethod
    def from_dict(cls, data: Any) -> CaseSummary:
        """Raises ValueError for anything but a summary as `to_dict` writes it."""
        if not isinstance(data, dict) or set(data) != set(cls.__dataclass_fields__):
            raise ValueError("not a case summary")
        words = data["words"]
        listed = words if isinstance(words, list) else [None]
        texts = (data["title"], data["created_at"], data["last_activity"], *listed)
        if (
            not all(isinstance(t, str) for t in texts)
            or not (data["closed_at"] is None or isinstance(data["closed_at"], str))
            or type(data["items"]) is not int
        ):
            raise ValueError("not a case summary")
        return cls(
            data["title"],
            data["created_at"],
            data["closed_at"],
            data["items"],
            data["last_activity"],
            tuple(words),
        )


@dataclass(frozen=True)
class CaseListing:
    """One row of the case list: what it shows of the case, or why the case could not be read."""

    id: str
    summary: CaseSummary | None
    problem: str | None = None

    @property
    def last_activity(self) -> str:
        return self.summary.last_activity if self.summary else ""

    def matches(self, query: str) -> bool:
        """Whether a search finds this case: its title, a platform or a handle of theirs."""
        if self.summary is None:
            return False
        wanted = query.casefold().strip().lstrip("@")
        return any(wanted in w.casefold() for w in self.summary.words)


@dataclass(frozen=True)
class Problem:
    """One integrity problem found by `verify`, named by case and item."""

    case_id: str
    case_title: str
    item_id: str | None
    item_name: str | None
    reason: str

    def describe(self, gettext: Translate = str) -> str:
        where = gettext("case “%(title)s” (%(id)s)") % {"title": self.case_title, "id": self.case_id}
        if self.item_id:
            where += gettext(", item “%(name)s” (%(id)s)") % {"name": self.item_name, "id": self.item_id}
        return f"{where}: {gettext(self.reason)}"

    def __str__(self) -> str:
        return self.describe()
