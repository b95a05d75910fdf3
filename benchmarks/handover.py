"""Hand-over of a big case: 1,000 items and 2 GiB of evidence, bundled and received; and how memory
grows with the number of items.

Each is timed against Debian's `age` on the same bytes in the same run: bundling against `age -r`
encrypting one file of the same total size, receiving against `age -d` decrypting it. A ratio is
age's time over ours (goal: 0.7 or more, i.e. at most ~1.4 times age's time, though both sides of
ours do twice the cryptography: decrypt from one key and encrypt to the other). Peak memory is the
resident memory of this process and its workers above the level before, sampled every 10 ms
(goal: 150 MiB or less, whatever the size).

    .venv/bin/python benchmarks/handover.py [--items 1000] [--mib 2048] [--json]

With `--scaling`, cases of 1,000 and 10,000 small items (1 KiB each, each with a small file made from
it, as a thumbnail is) are bundled and received, each step in a fresh process of its own, and the peak
resident memory above that process's level before is compared, as a ratio and as the memory each
item adds. Nothing is held per file but a little bookkeeping (before: a 64 KiB buffer and an OpenSSL
context per file, 1,478 MiB for 10,000 items); what still grows is the case itself, its record and
its journal, which the vault holds and writes whole (at 10,000 items the record alone is 25 MiB in
memory, 7 MiB as JSON): goal, under 16 KiB per item.

    .venv/bin/python benchmarks/handover.py --scaling [--json]
"""

from __future__ import annotations

import argparse
import hashlib
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
from helper.case import Case, ChatInfo, EvidenceItem, utc_now  # noqa: E402
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


def fill_small(vault: UnlockedVault, case_id: str, items: int) -> None:
    """`items` files of 1 KiB, each with a small derived file (as a thumbnail is), added the way the
    intake adds them (one small addition each, not a rewrite of the record)."""
    for n in range(items):
        data = os.urandom(1024)
        blob = vault.begin_blob(expected_size=len(data))
        blob.write(data)
        digest = blob.finish()
        blob.publish()
        thumbnail = os.urandom(2048)
        chat = ChatInfo(
            format="whatsapp",
            messages_blob=vault.store_blob(thumbnail),
            message_count=1,
            messages_sha256=hashlib.sha256(thumbnail).hexdigest(),
        )
        item = EvidenceItem(
            id=f"{n:032x}",
            blob=blob.blob_id,
            sha256=digest.sha256,
            size=digest.size,
            original_name=f"chat-{n:05d}-SAMPLE.txt",
            media_type="text/plain",
            added_at=utc_now(),
            md5=digest.md5,
            chat=chat,
        )
        vault.add_item(case_id, item)


def measure_step(step: str, folder: Path) -> None:
    """One step in this fresh process: its peak memory above the level before, printed as JSON."""
    identity = pyrage.x25519.Identity.from_str((folder / "identity.txt").read_text().strip())
    org = pyrage.x25519.Identity.from_str((folder / "org.txt").read_text().strip())
    sender = UnlockedVault(folder / "sender", identity)
    receiver = UnlockedVault(folder / "receiver", identity)
    case_id = sender.case_ids()[0]
    bundle = folder / "bundle.age"

    def send() -> None:
        with open(bundle, "wb") as out:
            handover.write_bundle(sender, case_id, org.to_public(), out)

    def receive() -> None:
        handover.receive_bundle(receiver, bundle, org)

    seconds, mib = measured(send if step == "bundle" else receive)
    print(json.dumps({"step": step, "s": round(seconds, 2), "peak_mib": round(mib, 1)}))


def scaling(as_json: bool) -> None:
    results = {}
    for items in (1000, 10000):
        folder = Path(tempfile.mkdtemp(prefix="handover-scaling-"))
        try:
            sender, _ = Vault.create(folder / "sender", PASSPHRASE)
            shutil.copytree(folder / "sender", folder / "receiver")
            (folder / "identity.txt").write_text(f"{sender.identity}\n")
            (folder / "org.txt").write_text(f"{pyrage.x25519.Identity.generate()}\n")
            fill_small(sender, sender.create_case("Scaling case").id, items)
            for step in ("bundle", "receive"):
                done = subprocess.run(
                    [sys.executable, __file__, "--step", step, "--folder", str(folder)],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                results[f"{step}_{items}"] = json.loads(done.stdout.strip().splitlines()[-1])
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    summary = {
        "bundle_peak_mib_1000": results["bundle_1000"]["peak_mib"],
        "bundle_peak_mib_10000": results["bundle_10000"]["peak_mib"],
        "receive_peak_mib_1000": results["receive_1000"]["peak_mib"],
        "receive_peak_mib_10000": results["receive_10000"]["peak_mib"],
        "receive_s_10000": results["receive_10000"]["s"],
    }
    for step in ("bundle", "receive"):
        small, big = summary[f"{step}_peak_mib_1000"], summary[f"{step}_peak_mib_10000"]
        summary[f"{step}_ratio"] = round(big / max(small, 1.0), 2)
        summary[f"{step}_kib_per_item"] = round((big - small) * 1024 / 9000, 1)
    if as_json:
        print(json.dumps(summary))
        return
    for step in ("bundle", "receive"):
        print(
            f"{step:8} peak +{summary[f'{step}_peak_mib_1000']:.0f} MiB at 1,000 items, "
            f"+{summary[f'{step}_peak_mib_10000']:.0f} MiB at 10,000: ratio {summary[f'{step}_ratio']:.2f}, "
            f"{summary[f'{step}_kib_per_item']:.1f} KiB per item (goal < 16)"
        )


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
    parser.add_argument("--scaling", action="store_true", help="memory at 1,000 and 10,000 small items")
    parser.add_argument("--step", choices=("bundle", "receive"), help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        measure_step(args.step, args.folder)
        return
    if args.scaling:
        scaling(args.json)
        return
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
