"""Unlocking a vault and listing its cases, as the number of cases grows (goals: unlock ≤ 1.5 s and
≤ 300 MiB; with 20, 100 and 500 cases of 100 items each, unlock ≤ 1.2 times the one-case unlock, and the
case list ≤ 50 ms p95 at 500 cases).

The key file is age's scrypt at log2 N = 18 (256 MiB by the format's own definition), written and read
by Incident Helper itself whatever the machine. A reference line times Debian's `age -d` reading the same
file (its passphrase given on a terminal by `script`).

Unlock is measured as every command does it (`helper.cli.vaults.unlock`: the key file, then the
command's own upkeep), in a fresh process each time, with the first case list that process makes. The
case list is then timed in this process: "cold" with nothing in memory (a new window, a new command:
a fresh `UnlockedVault` each round, no key derivation), "warm" as a page shown again.

The cases are synthetic and cheap to make: each gets a new title and a few drafts, then its 100 items,
added one by one through the vault API (`add_item`, as intake adds them) but without files of their
own, since only the records and their changes are read here; the vault is built without fsync.

    .venv/bin/python benchmarks/unlock.py [--rounds 3] [--sizes 1 20 100 500]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "benchmark passphrase words"

CHILD = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from helper.cli import vaults
vaults.read_passphrase = lambda _prompt: sys.argv[3]
start = time.perf_counter()
vault = vaults.unlock(sys.argv[2])
unlocked = time.perf_counter()
vault.list_cases()
listed = time.perf_counter()
print(json.dumps({"s": unlocked - start, "list_ms": (listed - unlocked) * 1000,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def items(n_items: int, case_no: int):
    from helper.case import EvidenceItem

    return tuple(
        EvidenceItem(
            id=f"{case_no:016x}{n:016x}",
            blob=hashlib.sha256(f"{case_no} {n}".encode()).hexdigest()[:32],
            sha256=hashlib.sha256(f"SAMPLE {case_no} {n}".encode()).hexdigest(),
            size=1000 + n,
            original_name=f"screenshot-{n:04d}-SAMPLE.png",
            media_type="image/png",
            detected_type="image/png",
            added_at="2026-11-20T10:00:00+00:00",
            description="SAMPLE screenshot of a message",
        )
        for n in range(n_items)
    )


def grow(vault, cases: int, per_case: int) -> None:
    """Cases until the vault holds `cases`, each with a new title, a few drafts, then `per_case` items
    added one by one as intake adds them. Built without fsync: only reading is measured here."""
    import os

    from helper.casework import cases as case_verbs
    from helper.casework import walkthrough

    have = len(vault.case_ids())
    real_fsync = os.fsync
    os.fsync = lambda fd: None
    try:
        for case_no in range(have, cases):
            case = vault.create_case(f"Case {case_no} SAMPLE")
            case_verbs.rename(vault, case.id, f"Case {case_no}, renamed SAMPLE")
            for draft in range(3):
                walkthrough.save_draft(
                    vault, case.id, walkthrough.Edit({"narrative": f"SAMPLE draft {draft}"})
                )
            for item in items(per_case, case_no):
                vault.add_item(case.id, item)
    finally:
        os.fsync = real_fsync


def timed_ms(fn, rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[18] if len(times) >= 20 else max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="fresh processes unlocking, per size")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 20, 100, 500])
    parser.add_argument("--items", type=int, default=100, help="items per case")
    parser.add_argument("--list-rounds", type=int, default=40)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from helper.vault import Vault
    from helper.vault.store import UnlockedVault

    folder = Path(tempfile.mkdtemp(prefix="unlock-bench-"))
    try:
        made, _ = Vault.create(folder / "vault", PASSPHRASE)
        identity, path = made.identity, made.path
        made.lock()
        rows = {}
        for size in sorted(args.sizes):
            builder = UnlockedVault(path, identity)
            grow(builder, size, args.items)
            builder.lock()  # what it holds in memory is no part of what is measured
            runs = []
            for _ in range(args.rounds):
                out = subprocess.run(
                    [sys.executable, "-c", CHILD, str(ROOT), str(folder / "vault"), PASSPHRASE],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                runs.append(json.loads(out.stdout))
            cold = timed_ms(lambda: UnlockedVault(path, identity).list_cases(), args.list_rounds)
            warm_vault = UnlockedVault(path, identity)
            warm_vault.list_cases()
            warm = timed_ms(warm_vault.list_cases, args.list_rounds)
            rows[size] = {
                "unlock": statistics.median(r["s"] for r in runs),
                "peak": max(r["peak_mib"] for r in runs),
                "first list": statistics.median(r["list_ms"] for r in runs),
                "cold": (statistics.median(cold), p95(cold)),
                "warm": (statistics.median(warm), p95(warm)),
            }
        start = time.perf_counter()
        subprocess.run(
            [
                "script",
                "-qec",
                f"age -d -o {folder / 'key.txt'} {folder / 'vault' / 'identity.age'}",
                "/dev/null",
            ],
            input=f"{PASSPHRASE}\n",
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        age_s = time.perf_counter() - start
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    base = rows[min(rows)]
    print(
        f"{'cases':>6} {'unlock s':>9} {'ratio':>6} {'peak MiB':>9} {'1st list ms':>12} "
        f"{'list cold p50/p95 ms':>21} {'ratio':>6} {'list warm p50/p95 ms':>21}"
    )
    for size, row in rows.items():
        print(
            f"{size:>6} {row['unlock']:>9.2f} {row['unlock'] / base['unlock']:>6.2f} {row['peak']:>9.0f} "
            f"{row['first list']:>12.1f} {row['cold'][0]:>10.1f}/{row['cold'][1]:<10.1f} "
            f"{row['cold'][0] / base['cold'][0]:>6.1f} {row['warm'][0]:>10.1f}/{row['warm'][1]:<10.1f}"
        )
    biggest = rows[max(rows)]
    print(
        f"goals: unlock ≤ 1.5 s (median {base['unlock']:.2f}), ≤ 300 MiB (peak {biggest['peak']:.0f}); "
        f"at {max(rows)} cases unlock ≤ 1.2× ({biggest['unlock'] / base['unlock']:.2f}×) and the list "
        f"≤ 50 ms p95 (cold {biggest['cold'][1]:.1f}, warm {biggest['warm'][1]:.1f})"
    )
    print(f"age -d on the same key file {age_s:.2f} s (with a terminal's start-up)")


if __name__ == "__main__":
    main()
