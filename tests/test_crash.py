"""A writer killed with SIGKILL never corrupts the vault or loses what it committed: items, and every
kind of edit (descriptions, drafts, notes, a new title, a consent), at random times and aimed at each
rename and deletion of the write and fold windows (see tests/support/crash_writer.py)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from helper.vault import journal
from helper.vault.listings import CaseSummary
from helper.vault.store import BLOBS, CASES, UnlockedVault

ROUNDS = 10
AIMED = 30
ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Committed:
    """What the killed writers said they had saved."""

    items: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    draft: int = -1
    notes: set[str] = field(default_factory=set)
    title: int = -1
    consents: set[str] = field(default_factory=set)

    def read(self, out: bytes) -> int:
        lines = out.decode().splitlines()
        for line in lines:
            word, *rest = line.split()
            if word == "COMMITTED":
                self.items[rest[0]] = rest[1]
            elif word == "DESCRIBED":
                self.descriptions[rest[0]] = rest[1]
            elif word == "DRAFT":
                self.draft = int(rest[0])
            elif word == "NOTE":
                self.notes.add(f"note {rest[0]}")
            elif word == "RENAMED":
                self.title = int(rest[0])
            elif word == "CONSENT":
                self.consents.add(rest[0])
        return len(lines)

    def check(self, vault, case_id: str, when: str) -> None:
        """The vault opens in a new window, the case reads, and everything committed is there."""
        fresh = UnlockedVault(vault.path, vault.identity)
        case, entries = fresh.load_case(case_id), fresh.journal(case_id)
        by_name = {it.original_name: it for it in case.evidence}
        for name, sha in self.items.items():
            assert name in by_name, f"{when}: committed {name} was lost"
            assert by_name[name].sha256 == sha
        for name, text in self.descriptions.items():
            assert by_name[name].description == text, f"{when}: the description of {name} was lost"
        if self.draft >= 0:
            assert int(case.incident.narrative.split()[1]) >= self.draft, f"{when}: a draft was lost"
        assert self.notes <= {n.text for n in case.counselor_notes}, f"{when}: a note was lost"
        if self.title >= 0:
            assert int(case.title.split()[1]) >= self.title, f"{when}: the new title was lost"
        consented = {e.detail["item"] for e in entries if e.action == "consent.granted"}
        assert self.consents <= consented, f"{when}: a consent was lost"
        assert journal.broken_links(entries) == []
        assert fresh.verify() == []
        assert [row.summary for row in fresh.list_cases() if row.id == case_id] == [
            CaseSummary.of(case, entries)
        ]


def child(vault, case_id: str, start: int, *args: str, fold_after: int | None = None) -> subprocess.Popen:
    env = {**os.environ, "VAULT_IDENTITY": str(vault.identity)}
    if fold_after:
        env["CRASH_FOLD_AFTER"] = str(fold_after)
    return subprocess.Popen(
        [sys.executable, "-m", "tests.support.crash_writer", str(vault.path), case_id, str(start), *args],
        stdout=subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )


def no_temp_files_left(vault) -> None:
    """Whatever a killed writer left half-done is ciphertext under a temp name, cleaned on next unlock."""
    vault.remove_stale_temps(older_than=0)  # every writer is dead by now
    folders = [vault.path / CASES, vault.path / BLOBS, *(vault.path / CASES).glob("*.adds")]
    leftovers = [p.name for d in folders for p in d.iterdir() if p.name.startswith(".")]
    assert leftovers == []


@pytest.mark.slow
def test_sigkill_in_a_loop_of_saves_and_edits_loses_nothing_committed(unlocked):
    case = unlocked.create_case("Crash test")
    committed = Committed()
    rng = random.Random(20261125)  # noqa: S311 - when to kill, not a secret
    for round_no in range(ROUNDS):
        writer = child(unlocked, case.id, round_no * 1000)
        time.sleep(rng.uniform(0.3, 1.5))
        writer.send_signal(signal.SIGKILL)
        out, _ = writer.communicate(timeout=30)
        committed.read(out)
        committed.check(unlocked, case.id, f"round {round_no}")
    assert len(committed.items) >= ROUNDS  # the loop really did write between kills
    assert committed.descriptions
    assert committed.draft >= 0
    no_temp_files_left(unlocked)


@pytest.mark.slow
def test_sigkill_aimed_at_every_write_and_fold_loses_nothing_committed(unlocked):
    """Folds every four changes, so that the kills fall as often on a fold as on a change file."""
    case = unlocked.create_case("Crash test")
    committed = Committed()
    rng = random.Random(20261203)  # noqa: S311 - where to kill, not a secret
    aims = sorted(rng.sample(range(1, 160), AIMED))
    for round_no, kill_at in enumerate(aims):
        writer = child(unlocked, case.id, round_no * 1000, str(kill_at), fold_after=4)
        out, _ = writer.communicate(timeout=120)
        assert writer.returncode == -signal.SIGKILL, "the writer was to kill itself"
        committed.read(out)
        committed.check(unlocked, case.id, f"killed at step {kill_at}")
    assert len(committed.items) >= AIMED // 2
    assert committed.notes
    assert committed.consents
    no_temp_files_left(unlocked)
