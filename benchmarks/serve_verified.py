"""Serving an item only once it is verified whole (issue 10): a first pass decrypts it into fingerprints,
the second streams it piece by piece against them. Printed as a ratio to one plain `age` decryption of
the same file in the same run (pyrage to /dev/null), and the wait before the first byte.

    .venv/bin/python benchmarks/serve_verified.py [MiB]
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(mib: int = 256) -> None:
    import pyrage

    from helper.evidence.desk import EvidenceDesk
    from helper.vault.store import UnlockedVault
    from tests.support import samples

    folder = Path(tempfile.mkdtemp(prefix="ih-serve-")) / "vault"
    for sub in ("cases", "blobs"):
        (folder / sub).mkdir(parents=True)
    vault = UnlockedVault(folder, pyrage.x25519.Identity.generate())
    case = vault.create_case("Benchmark")
    data = samples.MP4_HEAD + os.urandom(mib * 1024 * 1024)
    item = EvidenceDesk(vault).receive_stream(case.id, io.BytesIO(data), name="video.mp4").item
    assert item is not None
    del data
    path = folder / "blobs" / f"{item.blob}.age"

    started = time.perf_counter()
    with open(path, "rb") as source, open(os.devnull, "wb") as sink:
        pyrage.decrypt_io(source, sink, [vault.identity])
    plain = time.perf_counter() - started

    started = time.perf_counter()
    stream = vault.open_evidence(case.id, item.id).pieces()
    first = next(stream)
    waited = time.perf_counter() - started
    served = len(first) + sum(len(piece) for piece in stream)
    checked = time.perf_counter() - started
    assert served == item.size
    print(f"{mib} MiB: age alone {plain:.2f} s; checked stream {checked:.2f} s "
          f"(first byte after {waited:.2f} s); ratio {plain / checked:.2f}")  # fmt: skip


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 256)
