"""A writer killed with SIGKILL at random points never corrupts the vault or loses a committed item."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helper.vault.store import BLOBS, CASES

ROUNDS = 10


@pytest.mark.slow
def test_sigkill_in_a_loop_of_saves_loses_nothing_committed(vault_template, unlocked):
    case = unlocked.create_case("Crash test")
    committed: dict[str, str] = {}
    rng = random.Random(20261125)  # noqa: S311 - when to kill, not a secret
    env = {**os.environ, "VAULT_IDENTITY": vault_template.identity}
    root = Path(__file__).resolve().parent.parent
    for round_no in range(ROUNDS):
        child = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.support.crash_writer",
                str(unlocked.path),
                case.id,
                str(round_no * 1000),
            ],
            stdout=subprocess.PIPE,
            env=env,
            cwd=root,
        )
        time.sleep(rng.uniform(0.3, 1.5))
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate(timeout=30)
        for line in out.decode().splitlines():
            if line.startswith("COMMITTED "):
                _, name, sha = line.split()
                committed[name] = sha

        # The vault still opens, the case still reads, and every committed item is there and intact.
        loaded = unlocked.load_case(case.id)
        by_name = {it.original_name: it for it in loaded.evidence}
        for name, sha in committed.items():
            assert name in by_name, f"round {round_no}: committed {name} was lost"
            assert by_name[name].sha256 == sha
        assert unlocked.verify() == []
    assert len(committed) >= ROUNDS  # the loop really did write between kills
    # Whatever a killed writer left half-done is ciphertext under a temp name, cleaned on next unlock.
    unlocked.remove_stale_temps(older_than=0)  # every writer is dead by now
    folders = [unlocked.path / CASES, unlocked.path / BLOBS, *(unlocked.path / CASES).glob("*.adds")]
    leftovers = [p.name for d in folders for p in d.iterdir() if p.name.startswith(".")]
    assert leftovers == []
