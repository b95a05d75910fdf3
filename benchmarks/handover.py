"""Hand-over of a big case: 1,000 items and 2 GiB of evidence, bundled and received.

Each is timed against Debian's `age` on the same bytes in the same run: bundling against `age -r`
encrypting one file of the same total size, receiving against `age -d` decrypting it. A ratio is
age's time over ours (goal: 0.7 or more, i.e. at most ~1.4 times age's time, though both sides of
ours do twice the cryptography: decrypt from one key and encrypt to the other). Peak memory is the
resident memory of this process and its workers above the level before, sampled every 10 ms
(goal: 150 MiB or less, whatever the size).

    .venv/bin/python benchmarks/handover.py [--items 1000] [--mib 2048] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import pyrage  # noqa: E402
from upload_throughput import MemorySampler, rss_mib  # noqa: E402

from helper import handover  # noqa: E402
from helper.case import Case, EvidenceItem, utc_now  # noqa: E402
from helper.vault import UnlockedVault, Vault  # noqa: E402

PASSPHRASE = "benchmark passphrase words"
CHUNK = 1 << 20


def fill(vault: UnlockedVault, case_id: str, items: int, total: int, plain: Path) -> None:
    """`items` files of random bytes, `total` bytes in all, stored as the intake would store them; the
    same bytes also written to `plain`, for age to work on."""
    each = total // items
    with open(plain, "wb") as out:
        for n in range(items):
            blob = vault.begin_blob(expected_size=each)
            left = each
            while left:
                piece = os.urandom(min(CHUNK, left))
                blob.write(piece)
                out.write(piece)
                left -= len(piece)
            digest = blob.finish()
            blob.publish()
            item = EvidenceItem(
                id=f"{n:032x}",
                blob=blob.blob_id,
                sha256=digest.sha256,
                size=digest.size,
                original_name=f"recording-{n:04d}-SAMPLE.bin",
                media_type="application/octet-stream",
                added_at=utc_now(),
                md5=digest.md5,
            )
            vault.update_case(case_id, partial(Case.with_evidence, item=item), None, {})


def measured(run) -> tuple[float, float]:
    """Seconds, and peak resident memory (MiB) above the level before, of `run()`."""
    base = rss_mib(os.getpid())
    sampler = MemorySampler(os.getpid())
    sampler.start()
    start = time.perf_counter()
    run()
    elapsed = time.perf_counter() - start
    sampler.stop()
    return elapsed, max(0.0, sampler.peak - base)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--mib", type=int, default=2048)
    parser.add_argument("--json", action="store_true", help="print one JSON line (for the test suite)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="handover-bench-"))
    try:
        sender, _ = Vault.create(folder / "sender", PASSPHRASE)
        receiver, _ = Vault.create(folder / "receiver", PASSPHRASE)
        org = pyrage.x25519.Identity.generate()
        key = folder / "org.key"
        key.write_text(f"{org}\n")
        case = sender.create_case("Benchmark case")
        plain = folder / "plain.bin"
        fill(sender, case.id, args.items, args.mib * 1024 * 1024, plain)
        bundle = folder / "bundle.age"

        def send() -> None:
            with open(bundle, "wb") as out:
                handover.write_bundle(sender, case.id, org.to_public(), out)

        def receive() -> None:
            handover.receive_bundle(receiver, bundle, org)

        send_s, send_mib = measured(send)
        receive_s, receive_mib = measured(receive)
        reference = folder / "plain.age"
        start = time.perf_counter()
        subprocess.run(["age", "-r", str(org.to_public()), "-o", str(reference), str(plain)], check=True)
        age_r = time.perf_counter() - start
        start = time.perf_counter()
        # To a file on the same disk, as receiving writes every byte back (encrypted) to the vault.
        subprocess.run(
            ["age", "-d", "-i", str(key), "-o", str(folder / "plain.out"), str(reference)], check=True
        )
        age_d = time.perf_counter() - start
        result = {
            "items": args.items,
            "mib": args.mib,
            "bundle_s": round(send_s, 2),
            "receive_s": round(receive_s, 2),
            "age_r_s": round(age_r, 2),
            "age_d_s": round(age_d, 2),
            "bundle_ratio": round(age_r / send_s, 2),
            "receive_ratio": round(age_d / receive_s, 2),
            "bundle_peak_mib": round(send_mib, 1),
            "receive_peak_mib": round(receive_mib, 1),
        }
        if args.json:
            print(json.dumps(result))
            return
        print(f"case: {args.items} items, {args.mib} MiB of evidence")
        print(
            f"bundle   {send_s:7.2f} s   age -r {age_r:6.2f} s   "
            f"ratio {result['bundle_ratio']:.2f} (goal ≥ 0.7)"
            f"   peak +{send_mib:.0f} MiB (goal ≤ 150)"
        )
        print(
            f"receive  {receive_s:7.2f} s   age -d {age_d:6.2f} s   "
            f"ratio {result['receive_ratio']:.2f} (goal ≥ 0.7)"
            f"   peak +{receive_mib:.0f} MiB (goal ≤ 150)"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
