"""The case list's own file, so that listing a hundred cases reads one small file, not a hundred records.

    cases/index.age     {"format": "helper.caseindex.v1", "cases": {"<case id>": {"stamp": [i, t, s],
                         "seq": n, "summary": {…}}}}: for each case, what the list shows of it
                         (`CaseSummary`) and the state of its files that summary is of: the identity
                         of its record file (inode, time, size) and the last change applied

It is a cache, never the truth: a summary is used only while its case's files are still in the state it
names. Otherwise the list takes the summary from the case's latest change file (each carries one,
written in the same atomic step as the change), or else from the record itself. So a crash anywhere, an
index lost, damaged or older than the records, a vault copied to another disk (new inodes), leaves the
list right at once and slower only until the index is written again. It is written with each whole
record (a new case, a fold, a case received), and by the list when it found summaries out of date;
never with the small changes themselves, which stay O(1) whatever the number of cases.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyrage

from helper.ids import ID_PATTERN
from helper.vault import crypto
from helper.vault.atomic import atomic_write_bytes
from helper.vault.keyfiles import Keys
from helper.vault.listings import CaseSummary

INDEX = "index.age"
INDEX_FORMAT = "helper.caseindex.v1"

Stamp = tuple[int, int, int]


@dataclass(frozen=True)
class Indexed:
    """A case's summary, and the state of its files it is the summary of."""

    stamp: Stamp
    seq: int
    summary: CaseSummary

    def to_dict(self) -> dict[str, Any]:
        return {"stamp": list(self.stamp), "seq": self.seq, "summary": self.summary.to_dict()}

    @classmethod
    def from_dict(cls, data: Any) -> Indexed:
        stamp = data["stamp"]
        if not isinstance(stamp, list) or len(stamp) != 3 or not all(type(n) is int for n in stamp):
            raise ValueError("not a file's stamp")
        if type(data["seq"]) is not int:
            raise ValueError("not a change's number")
        return cls((stamp[0], stamp[1], stamp[2]), data["seq"], CaseSummary.from_dict(data["summary"]))


class CaseIndex:
    """cases/index.age, read once per change of the file and kept in memory while unlocked."""

    def __init__(self, folder: Path, keys: Keys) -> None:
        self.path = folder / INDEX
        self._keys = keys
        self._read: tuple[Stamp, dict[str, Indexed]] | None = None

    def forget(self) -> None:
        self._read = None

    def entries(self) -> dict[str, Indexed]:
        """The summaries as last written; none when the file is missing or cannot be read (the list is
        then made from the records, and the file written again)."""
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return {}
        stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
        if self._read is not None and self._read[0] == stamp and not self._keys.is_locked:
            return self._read[1]
        try:
            data = json.loads(crypto.decrypt_bytes(self.path.read_bytes(), self._keys.identity))
            if data.get("format") != INDEX_FORMAT:
                raise ValueError("unknown index format")
            found = {
                case_id: Indexed.from_dict(entry)
                for case_id, entry in data["cases"].items()
                if ID_PATTERN.match(case_id)
            }
        except FileNotFoundError:
            return {}
        except (pyrage.DecryptError, ValueError, KeyError, TypeError, AttributeError):
            found = {}  # damaged or foreign: as good as none, and written anew by the next list
        self._remember((stamp, found))
        return found

    def update(self, changes: dict[str, Indexed | None]) -> None:
        """Write the index with these cases' summaries (None: the case is gone). Under the vault's write
        lock, over the file as it is now (another process may have written it)."""
        current = dict(self.entries())
        for case_id, entry in changes.items():
            if entry is None:
                current.pop(case_id, None)
            else:
                current[case_id] = entry
        payload = json.dumps(
            {"format": INDEX_FORMAT, "cases": {k: v.to_dict() for k, v in sorted(current.items())}},
            ensure_ascii=False,
        ).encode("utf-8")
        atomic_write_bytes(self.path, crypto.encrypt_bytes(payload, self._keys.recipient))
        st = self.path.stat()
        self._remember(((st.st_ino, st.st_mtime_ns, st.st_size), current))

    def _remember(self, read: tuple[Stamp, dict[str, Indexed]]) -> None:
        """Kept in memory unless the vault was locked meanwhile (see `CaseFiles._remember`)."""
        self._read = read
        if self._keys.is_locked:
            self._read = None
