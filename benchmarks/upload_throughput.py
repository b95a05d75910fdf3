"""A 1 GiB file into the vault, uploaded through the running app and imported from the command line;
compared with `age` encrypting the same file.

Prints the app's throughput as a ratio to `age` (measured in the same run, on the same disk, both
ending with an fsync of their output) and the server's peak resident memory. The app does more than
`age`: SHA-256 and MD5 of every byte, beside the encryption. Goals (issue 13): ratio >= 0.55 for the
upload and for `import` (on a 2-core machine MD5 alone takes most of the time `age` takes), server
peak <= 150 MiB.

    .venv/bin/python benchmarks/upload_throughput.py [--size-mib 1024] [--runs 2]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pyrage

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.live_client import LiveClient, file_chunks  # noqa: E402

PASSPHRASE = "benchmark passphrase only"


def make_input(path: Path, size: int) -> None:
    with open(path, "wb") as f:
        remaining = size
        while remaining:
            chunk = os.urandom(min(remaining, 1 << 24))
            f.write(chunk)
            remaining -= len(chunk)


def _time_age(out: Path | list[Path], encrypt) -> float:
    """Seconds for `encrypt(recipient)` to write `out` (one file or several), fsync included, from a
    clean disk cache."""
    outs = out if isinstance(out, list) else [out]
    recipient = str(pyrage.x25519.Identity.generate().to_public())
    os.sync()  # start from a clean disk cache, as the app's run does
    start = time.perf_counter()
    encrypt(recipient)
    for path in outs:
        fd = os.open(path, os.O_RDONLY)
        os.fsync(fd)
        os.close(fd)
    elapsed = time.perf_counter() - start
    for path in outs:
        path.unlink()
    return elapsed


def time_age(src: Path, out: Path) -> float:
    return _time_age(out, lambda r: subprocess.run(["age", "-r", r, "-o", str(out), str(src)], check=True))


def time_age_from_pipe(src: Path, out: Path) -> float:
    """For context: `age` fed through a pipe, as any streaming encryptor (the app's included) is."""

    def encrypt(recipient: str) -> None:
        with open(src, "rb") as f:
            feeder = subprocess.Popen(["cat"], stdin=f, stdout=subprocess.PIPE)
            assert feeder.stdout is not None
            subprocess.run(["age", "-r", recipient, "-o", str(out)], stdin=feeder.stdout, check=True)
            feeder.stdout.close()
            feeder.wait()

    return _time_age(out, encrypt)


def _run_import(vault: Path, files: list[Path]) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "helper", "import", "--vault", str(vault), "--case", "Bench", *files],
        input=f"{PASSPHRASE}\n",
        text=True,
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    return time.perf_counter() - start


def time_cli_import(vault: Path, src: Path, tiny: Path) -> float:
    """Seconds `incident-helper import` spends on the file: the whole command, less the same command
    importing a one-byte file (start-up and the unlock's scrypt, which are not intake)."""
    _run_import(vault, [tiny])  # the case exists: both runs below do the same work around the file
    overhead = _run_import(vault, [tiny])
    os.sync()
    return _run_import(vault, [src]) - overhead


def peak_rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    found = re.search(r"VmHWM:\s+(\d+) kB", status)
    assert found, status
    return int(found.group(1)) / 1024


def rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    found = re.search(r"VmRSS:\s+(\d+) kB", status)
    assert found, status
    return int(found.group(1)) / 1024


def start_server(vault: Path) -> tuple[subprocess.Popen, str]:
    subprocess.run(
        [sys.executable, "-m", "helper", "init", "--vault", str(vault)],
        input=f"{PASSPHRASE}\n",
        text=True,
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "helper", "serve", "--no-browser", "--vault", str(vault)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert server.stdout is not None
    for line in server.stdout:
        match = re.search(r"(http://127\.0\.0\.1:\d+/\?token=\S+)", line)
        if match:
            return server, match.group(1)
    raise RuntimeError("the server printed no launch link")


def time_app_upload(launch_url: str, src: Path, size: int, pid: int) -> dict:
    """Seconds and peak server memory for each way a browser uploads: script (raw) and plain form."""
    client = LiveClient(launch_url.split("/?")[0])
    client.launch(launch_url)
    client.unlock(PASSPHRASE)
    unlock_peak = peak_rss_mib(pid)
    case_id = client.new_case("Bench")
    case_path = f"/cases/{case_id}"
    token = client.csrf(case_path)
    results = {}
    for way in ("script", "form"):
        os.sync()
        sampler = MemorySampler(pid)
        sampler.start()
        start = time.perf_counter()
        if way == "script":
            status, _, _ = client.upload_raw(
                f"/evidence/{case_id}/raw", token, "video.mp4", size, file_chunks(src)
            )
            assert status == 200, status
        else:
            status, _, _ = client.upload(
                f"/evidence/{case_id}/upload", token, [("video.mp4", size, file_chunks(src))]
            )
            assert status == 302, status
        elapsed = time.perf_counter() - start
        results[way] = (elapsed, sampler.stop())
    return {**results, "unlock": unlock_peak}


class MemorySampler(threading.Thread):
    """Peak of the resident memory of the server plus its worker processes, sampled every 10 ms.

    (The server's own VmHWM would also count the unlock, whose scrypt takes 256 MiB by the age
    format's work factor: that is reported apart, not mixed into the upload's figure.)
    """

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0.0
        self._done = threading.Event()

    def tree(self) -> list[int]:
        pids, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            pids.append(pid)
            for task in Path(f"/proc/{pid}/task").glob("*/children"):
                with contextlib.suppress(OSError):  # a thread that ended while we looked
                    todo.extend(int(c) for c in task.read_text().split())
        return pids

    def run(self) -> None:
        while not self._done.is_set():
            total = 0.0
            for pid in self.tree():
                with contextlib.suppress(OSError, AttributeError):
                    total += rss_mib(pid)
            self.peak = max(self.peak, total)
            time.sleep(0.01)

    def stop(self) -> float:
        self._done.set()
        self.join()
        return self.peak


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("age") is None:
        print("Debian's age is needed: apt-get install age", file=sys.stderr)
        return 1
    size = args.size_mib * 1024 * 1024
    work = Path(tempfile.mkdtemp(prefix="ih-bench-", dir=ROOT / "benchmarks"))
    try:
        src = work / "input.bin"
        make_input(src, size)
        age_times: list[float] = []
        pipe_times: list[float] = []
        times: dict[str, list[float]] = {"script": [], "form": [], "import": []}
        tiny = work / "tiny.txt"
        tiny.write_bytes(b"S")
        peaks: dict[str, list[float]] = {"script": [], "form": []}
        unlock_peaks: list[float] = []
        for run in range(args.runs):
            age_times.append(time_age(src, work / "reference.age"))
            pipe_times.append(time_age_from_pipe(src, work / "reference.age"))
            vault = work / f"vault-{run}"
            server, url = start_server(vault)
            try:
                results = time_app_upload(url, src, size, server.pid)
                unlock_peaks.append(results.pop("unlock"))
            finally:
                server.terminate()
                server.wait()
            times["import"].append(time_cli_import(vault, src, tiny))
            shutil.rmtree(vault)
            for way, (seconds, peak) in results.items():
                times[way].append(seconds)
                peaks[way].append(peak)
            print(
                f"run {run + 1}: age {age_times[-1]:.2f} s; "
                + "; ".join(
                    f"{way} upload {sec:.2f} s, server peak {peak:.0f} MiB"
                    for way, (sec, peak) in results.items()
                )
                + f"; import {times['import'][-1]:.2f} s"
            )
        mib = size / 2**20
        best_age = min(age_times)
        print(f"\nfile: {mib:.0f} MiB of random bytes; best of {args.runs} runs")
        print(f"age -r (reference), output fsynced: {mib / best_age:.0f} MiB/s")
        print(
            f"  for context, age reading the same file through a pipe: {mib / min(pipe_times):.0f} MiB/s, "
            f"ratio {best_age / min(pipe_times):.2f}"
        )
        for way, label in (
            ("script", "upload from the page (script, raw body)"),
            ("form", "upload without script (multipart form)"),
        ):
            best = min(times[way])
            print(
                f"{label}: {mib / best:.0f} MiB/s, ratio to age {best_age / best:.2f} (goal >= 0.55), "
                f"server peak memory during the upload {max(peaks[way]):.0f} MiB (goal <= 150)"
            )
        best = min(times["import"])
        ratio = best_age / best
        print(f"`incident-helper import`: {mib / best:.0f} MiB/s, ratio to age {ratio:.2f} (goal >= 0.55)")
        print(f"server peak at unlock (scrypt, set by the age format): {max(unlock_peaks):.0f} MiB")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
