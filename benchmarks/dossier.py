"""Dossier of 500 items with thumbnails, and of 3,000 items: milliseconds per item and peak memory.

The case is built once per size: 20 real pictures go through intake, then their records are repeated
(new ids, the same encrypted originals, each with its own thumbnail) up to the size wanted, each with
its journal entry, as a case that size has (the chain of custody lists them all). Each dossier is then
exported end to end (gather, render, sign, seal) in a fresh process, whose peak resident memory
(VmHWM) is read before and after the export: the unlock's scrypt comes first.
Goal (issue 22): at most 8 ms per item (a page per file), the same at 3,000 items as at 500.

    .venv/bin/python benchmarks/dossier.py [--sizes 500 3000]
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import io
import json
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSPHRASE = "benchmark passphrase only"


def build_case(vault_dir: Path, size: int) -> str:
    from helper import vocabulary
    from helper.vault import Vault
    from tests.support import samples
    from tests.support.evidence import add_file

    vault, _ = Vault.create(vault_dir, PASSPHRASE)
    case = vault.create_case(f"Benchmark {size}")
    originals = [
        add_file(vault, case.id, io.BytesIO(samples.png(800, 600, seed=n)), f"shot-{n}.png", "image/png")
        for n in range(20)
    ]
    extra = []
    for n in range(20, size):
        # Each item gets its own thumbnail (a PDF would otherwise store 20 pictures once each).
        base = originals[n % 20]
        thumb = samples.encode(samples.picture(320, 240, seed=n), "JPEG", quality=80)
        blob = vault.store_blob(thumb)  # a benchmark's shortcut past intake
        pin = hashlib.sha256(thumb).hexdigest()
        assert base.image is not None
        image = dataclasses.replace(
            base.image, thumbnail_blob=blob, blurred_blob=blob, thumbnail_sha256=pin, blurred_sha256=pin
        )
        extra.append(
            dataclasses.replace(
                base,
                id=secrets.token_hex(16),
                original_name=f"shot-{n}.png",
                description=f"SAMPLE screenshot {n}",
                image=image,
            )
        )
    added = [
        (vocabulary.EVIDENCE_ADDED, {"item": it.id, "sha256": it.sha256, "md5": it.md5, "size": it.size})
        for it in extra
    ]
    vault.update_case(case.id, lambda c: dataclasses.replace(c, evidence=(*c.evidence, *extra)), events=added)
    return case.id


CHILD = """
import json, sys, time
sys.path.insert(0, {root!r})
from helper.vault import Vault
from helper.dossier import DossierOptions, export_dossier
def hwm():
    status = open("/proc/self/status").read()
    return int(status.split("VmHWM:")[1].split()[0]) / 1024
vault = Vault({vault!r}).unlock({passphrase!r})
unlock_peak = hwm()
with open("/proc/self/clear_refs", "w") as f:
    f.write("5")  # Linux: start the peak (VmHWM) again from here, so the export's own peak is read
start = time.perf_counter()
pdf = export_dossier(vault, {case!r}, DossierOptions())
elapsed = time.perf_counter() - start
peak = hwm()
print(json.dumps({{"seconds": elapsed, "bytes": len(pdf), "unlock_peak_mib": unlock_peak, "peak_mib": peak}}))
"""


def export_once(vault_dir: Path, case_id: str) -> dict:
    code = CHILD.format(root=str(ROOT), vault=str(vault_dir), passphrase=PASSPHRASE, case=case_id)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return json.loads(re.findall(r"\{.*\}", out)[-1])


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 3000])
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ih-dossier-", dir=ROOT / "benchmarks"))
    try:
        results = []
        for size in args.sizes:
            vault_dir = work / f"vault-{size}"
            case_id = build_case(vault_dir, size)
            result = export_once(vault_dir, case_id)
            results.append((size, result))
            print(
                f"{size:5d} items: {result['seconds']:6.2f} s, {result['bytes'] / 2**20:6.1f} MiB of PDF, "
                f"export peak {result['peak_mib']:.0f} MiB "
                f"(the unlock before it: {result['unlock_peak_mib']:.0f} MiB)",
                flush=True,
            )
        if len(results) > 1:
            (small, a), (large, b) = results[0], results[-1]
            per_small = a["seconds"] / small * 1000
            per_large = b["seconds"] / large * 1000
            growth = b["seconds"] / a["seconds"]
            print(f"time per item: {per_small:.1f} ms at {small}, {per_large:.1f} ms at {large} (goal: 8 ms)")
            print(f"ratio of the times per item: {per_large / per_small:.2f} (1.00: linear)")
            print(f"growth: {growth:.2f}x the time for {large / small:.0f}x the items")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
