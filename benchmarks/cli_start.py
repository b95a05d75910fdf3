"""Starting the command: CPU of `incident-helper --help`, peak memory of `verify` on an empty vault
(goals: ≤ 0.3 s, ≤ 300 MiB).

Each figure is measured on a fresh process, as a person starting the command gets it, and set beside a
reference run in the same way: Python doing nothing (`python -c pass`) for the start-up, and a bare
unlock of the same vault (scrypt at log2 N = 18: 256 MiB by the format's own definition) for the memory.

    .venv/bin/python benchmarks/cli_start.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "benchmark passphrase words"

BARE_UNLOCK = "import sys; from helper.vault import Vault; Vault(sys.argv[1]).unlock(sys.argv[2])"


def measure(argv: list[str], stdin: str = "") -> tuple[float, float]:
    """CPU seconds (user + system) and peak resident MiB of one child process, from the kernel's own
    accounting of that child (wait4), so the benchmark's own work is not counted."""
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env["LANG"] = "C.UTF-8"
    child = subprocess.Popen(
        argv,
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert child.stdin is not None
    child.stdin.write(stdin.encode())
    child.stdin.close()
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{argv} failed: {child.stderr.read().decode() if child.stderr else ''}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # Linux reports kilobytes


def median_cpu(argv: list[str], rounds: int) -> float:
    return statistics.median(measure(argv)[0] for _ in range(rounds))


def max_peak(argv: list[str], stdin: str, rounds: int) -> float:
    return max(measure(argv, stdin)[1] for _ in range(rounds))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from helper.vault import Vault

    python = sys.executable
    help_cpu = median_cpu([python, "-m", "helper", "--help"], args.rounds)
    nothing_cpu = median_cpu([python, "-c", "pass"], args.rounds)
    print(
        f"--help  CPU median {help_cpu:.2f} s (goal ≤ 0.3)   python -c pass {nothing_cpu:.2f} s   "
        f"ratio {help_cpu / nothing_cpu:.1f}"
    )
    folder = Path(tempfile.mkdtemp(prefix="cli-start-bench-"))
    try:
        vault = folder / "vault"
        Vault.create(vault, PASSPHRASE)
        verify_argv = [python, "-m", "helper", "verify", "--vault", str(vault)]
        verify = max_peak(verify_argv, f"{PASSPHRASE}\n", args.rounds)
        bare = max_peak([python, "-c", BARE_UNLOCK, str(vault), PASSPHRASE], "", args.rounds)
        print(
            f"verify  peak {verify:.0f} MiB on an empty vault (goal ≤ 300)   bare unlock {bare:.0f} MiB   "
            f"ratio {verify / bare:.2f}"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
