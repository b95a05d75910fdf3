"""Unlocking a vault: seconds and peak memory, in a fresh process each time (goals: ≤ 1.5 s, ≤ 300 MiB).

The key file is age's scrypt at log2 N = 18 (256 MiB by the format's own definition), written and read
by Incident Helper itself whatever the machine. A reference line times Debian's `age -d` reading the same
file (its passphrase given on a terminal by `script`).

    .venv/bin/python benchmarks/unlock.py [--rounds 5]
"""

from __future__ import annotations

import argparse
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
from helper.vault import Vault
start = time.perf_counter()
Vault(sys.argv[2]).unlock(sys.argv[3])
print(json.dumps({"s": time.perf_counter() - start,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from helper.vault import Vault

    folder = Path(tempfile.mkdtemp(prefix="unlock-bench-"))
    try:
        Vault.create(folder / "vault", PASSPHRASE)
        runs = []
        for _ in range(args.rounds):
            out = subprocess.run(
                [sys.executable, "-c", CHILD, str(ROOT), str(folder / "vault"), PASSPHRASE],
                capture_output=True,
                text=True,
                check=True,
            )
            runs.append(json.loads(out.stdout))
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
        seconds = statistics.median(r["s"] for r in runs)
        peak = max(r["peak_mib"] for r in runs)
        print(
            f"unlock  median {seconds:.2f} s (goal ≤ 1.5)   peak {peak:.0f} MiB (goal ≤ 300)   "
            f"age -d on the same key file {age_s:.2f} s "
            "(with a terminal's start-up)"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
