"""Why the project writes age files itself: its writer (`ageformat`, OpenSSL's ChaCha20-Poly1305 through
`cryptography`, pushed to piece by piece as an upload arrives) against pyrage's two ways of writing the
same file for the same recipient, on the same bytes in the same run:

- `pyrage.encrypt_io`: rage's streaming writer, which pulls from a reader (an upload would need a
  thread to feed it);
- `pyrage.encrypt`: rage with the whole plaintext in memory, the ciphertext returned whole.

Each is timed to an in-memory sink (no disk), best of `--rounds`; every output is checked to open with
pyrage. Printed as seconds and MiB/s, then as ratios: how many times faster the project's writer is.

    .venv/bin/python benchmarks/age_writer.py [--mib 256] [--rounds 3]
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PIECE = 1024 * 1024  # what an upload hands the writer at a time (the form parser's read size)


class _Counting(io.RawIOBase):
    """A sink that keeps only the ciphertext's length, so copying into memory does not decide the race."""

    def __init__(self) -> None:
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.size += len(data)
        return len(data)


def _best(rounds: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mib", type=int, default=256)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    import pyrage

    from helper.vault import ageformat

    identity = pyrage.x25519.Identity.generate()
    recipient = identity.to_public()
    data = os.urandom(args.mib * 1024 * 1024)
    view = memoryview(data)

    def ours(sink) -> None:
        writer = ageformat.writer_for_recipient(sink, str(recipient))
        for at in range(0, len(view), PIECE):
            writer.write(view[at : at + PIECE])
        writer.finish()

    def rage_io(sink) -> None:
        pyrage.encrypt_io(io.BytesIO(data), sink, [recipient])

    def rage_whole(_sink) -> bytes:
        return pyrage.encrypt(data, [recipient])

    # The same bytes, once, to a real buffer: each writer's output opens with pyrage.
    sample = data[: 3 * 64 * 1024 + 5]
    out = io.BytesIO()
    writer = ageformat.writer_for_recipient(out, str(recipient))
    writer.write(sample)
    writer.finish()
    assert pyrage.decrypt(out.getvalue(), [identity]) == sample
    out = io.BytesIO()
    pyrage.encrypt_io(io.BytesIO(sample), out, [recipient])
    assert pyrage.decrypt(out.getvalue(), [identity]) == sample

    timings = {
        "project writer (ageformat, pushed 1 MiB at a time)": _best(args.rounds, lambda: ours(_Counting())),
        "pyrage.encrypt_io (pulls from a reader)": _best(args.rounds, lambda: rage_io(_Counting())),
        "pyrage.encrypt (whole in memory)": _best(args.rounds, lambda: rage_whole(None)),
    }
    ours_s = next(iter(timings.values()))
    print(f"{args.mib} MiB of random bytes to one X25519 recipient, best of {args.rounds}:")
    for name, seconds in timings.items():
        print(f"  {name:52} {seconds:6.3f} s  {args.mib / seconds:7.0f} MiB/s  ratio {seconds / ours_s:5.2f}")
    print("ratio: each writer's time over the project writer's (above 1: the project writer is faster)")


if __name__ == "__main__":
    main()
