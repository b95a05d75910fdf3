"""What the vault reports about its cases: a row of the case list, and a problem `verify` found."""

from __future__ import annotations

from dataclasses import dataclass

from helper.case import Case
from helper.vocabulary import Translate


@dataclass(frozen=True)
class CaseListing:
    """One row of the case list: the case, or why it could not be read."""

    id: str
    case: Case | None
    problem: str | None = None
    last_activity: str = ""  # the time of the journal's last entry

    def matches(self, query: str) -> bool:
        """Whether a search finds this case: its title, a platform or a handle of theirs."""
        if self.case is None:
            return False
        wanted = query.casefold().strip().lstrip("@")
        c = self.case
        words = [c.title, c.incident.first_contact_platform, c.incident.moved_to_platform]
        words += [w for a in c.accounts for w in (a.platform, a.handle, a.display_name, a.platform_id)]
        words += [p.platform for p in c.places] + [p.url for p in c.places]
        return any(wanted in w.casefold() for w in words if w)


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
