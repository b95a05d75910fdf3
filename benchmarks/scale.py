"""Big cases: 100, 1,000 and 3,000 items. Per size: the cost of adding one item, page times, and the
whole-case operations.

Cases are built straight into the vault (each item a small encrypted file with a thumbnail for one in
ten, as intake stores them). Then one more item is added as the page's script sends it (web: the raw
upload route, through the evidence desk) and as `import` does (CLI: the desk, no unlock), and the pages
a person opens are fetched through the Flask test client (p50 / p95 of repeated requests). The last
column is the growth from the smallest to the largest case: the goal is flat (add ≤ 1.3, page p95
≤ 50 ms, thumbnail ≤ 20 ms).

Below, the operations that read every item once: the originals ZIP, `verify` and the dossier, with
their time, Python's peak allocation (tracemalloc) and the time per item and per MiB, which stay flat
when the cost is linear in what is read.

    .venv/bin/python benchmarks/scale.py [--sizes 100 1000 3000] [--rounds 20]
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from helper.case import EvidenceItem, ImageInfo, utc_now  # noqa: E402
from helper.config import Config  # noqa: E402
from helper.dossier import DossierOptions, export_dossier  # noqa: E402
from helper.dossier.bundle import originals_bundle  # noqa: E402
from helper.evidence.desk import EvidenceDesk  # noqa: E402
from helper.vault import Vault  # noqa: E402
from helper.web import create_app  # noqa: E402
from helper.web.services import SESSION_HANDLE  # noqa: E402
from tests.support import samples  # noqa: E402

PASSPHRASE = "benchmark passphrase words"


def build(vault, size: int):
    case = vault.create_case(f"Case of {size}")
    thumb = samples.jpeg(96, 72) if hasattr(samples, "jpeg") else samples.png(96, 72)
    thumb_blob = vault.store_blob(thumb)
    import hashlib

    thumb_sha = hashlib.sha256(thumb).hexdigest()
    items = []
    for n in range(size):
        data = f"SAMPLE item {n}\n".encode()
        blob = vault.store_blob(data)
        image = None
        if n % 10 == 0:
            image = ImageInfo(
                format="JPEG",
                width=800,
                height=600,
                thumbnail_blob=thumb_blob,
                blurred_blob=thumb_blob,
                thumbnail_sha256=thumb_sha,
                blurred_sha256=thumb_sha,
            )
        items.append(
            EvidenceItem(
                id=f"{n:032x}",
                blob=blob,
                sha256=hashlib.sha256(data).hexdigest(),
                size=len(data),
                original_name=f"shot-{n:04d}-SAMPLE.{'jpg' if image else 'txt'}",
                media_type="image/jpeg" if image else "text/plain",
                detected_type="image/jpeg" if image else "text/plain",
                added_at=utc_now(),
                image=image,
            )
        )
    vault.update_case(case.id, lambda c: replace(c, evidence=tuple(items)), None, {})
    return case.id, items[0]


def timed(fn, rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def p95(times):
    return statistics.quantiles(times, n=20)[18] if len(times) >= 20 else max(times)


def measure(vault, client, size: int, rounds: int) -> tuple[dict[str, tuple[float, float]], str]:
    """p50 and p95 (ms) of adding one item and of each page, for a case of `size` items; and its id."""
    case_id, first = build(vault, size)
    extra = [0]

    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    assert token, "no CSRF token on the case page"
    desk = EvidenceDesk(vault)

    def add_web():
        extra[0] += 1
        data = f"SAMPLE extra {extra[0]}".encode()
        response = client.post(
            f"/evidence/{case_id}/raw",
            data=data,
            headers={"X-CSRFToken": token.group(1), "X-File-Name": f"extra-{extra[0]}.txt"},
            content_type="text/plain",
        )
        assert response.status_code == 200, response.get_data(as_text=True)[:200]

    def add_cli():
        extra[0] += 1
        data = f"SAMPLE extra {extra[0]}".encode()
        outcome = desk.receive_stream(case_id, io.BytesIO(data), name="extra.txt", expected_size=len(data))
        assert outcome.saved, outcome

    pages = {
        "add (web)": add_web,
        "add (CLI import)": add_cli,
        "case page": lambda: client.get(f"/cases/{case_id}"),
        "item page": lambda: client.get(f"/evidence/{case_id}/{first.id}"),
        "thumbnail": lambda: client.get(f"/evidence/{case_id}/{first.id}/thumbnail"),
        "timeline": lambda: client.get(f"/walkthrough/{case_id}/timeline"),
        "review": lambda: client.get(f"/walkthrough/{case_id}/review"),
        "export options": lambda: client.get(f"/dossier/{case_id}"),
    }
    out = {}
    for name, fn in pages.items():
        fn()  # warm: the first read decrypts
        times = timed(fn, rounds)
        out[name] = (statistics.median(times), p95(times))
    return out, case_id


def bulky_case(vault, mib: int) -> str:
    """A case of ten files of `mib` MiB each, received as the desk receives them."""
    case = vault.create_case(f"Bulky {mib}")
    desk = EvidenceDesk(vault)
    for n in range(10):
        data = os.urandom(mib * 2**20)
        outcome = desk.receive_stream(
            case.id, io.BytesIO(data), name=f"video-{n}.bin", expected_size=len(data)
        )
        assert outcome.saved, outcome
    return case.id


def whole_case(vault, case_id: str) -> dict[str, tuple[float, float]]:
    """Seconds and peak MiB allocated for each operation that reads every item of the case."""

    def originals():
        for _piece in originals_bundle(vault, case_id, DossierOptions()):
            pass

    out = {}
    for name, fn in (
        ("originals ZIP", originals),
        ("verify", vault.verify),
        ("dossier", lambda: export_dossier(vault, case_id, DossierOptions())),
    ):
        tracemalloc.start()
        start = time.perf_counter()
        fn()
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        out[name] = (seconds, peak)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 3000])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="scale-bench-"))
    try:
        vault, _ = Vault.create(folder / "vault", PASSPHRASE)
        app = create_app(
            Config(vault_path=folder / "vault", port=5000, extra_hosts=("localhost",), testing=True)
        )
        client = app.test_client()
        client.environ_base["HTTP_ORIGIN"] = "http://localhost"
        token = app.extensions["helper"].launch_tokens.issue()
        client.get(f"/?token={token}")
        handle = app.extensions["helper"].keyring.add(vault)
        with client.session_transaction() as sess:
            sess[SESSION_HANDLE] = handle
        results: dict[int, dict[str, tuple[float, float]]] = {}
        heavy: dict[int, dict[str, tuple[float, float]]] = {}
        case_bytes: dict[int, int] = {}
        for size in args.sizes:
            results[size], case_id = measure(vault, client, size, args.rounds)
            case = vault.load_case(case_id)
            case_bytes[size] = sum(it.size for it in case.evidence)
            heavy[size] = whole_case(vault, case_id)
        small, big = min(args.sizes), max(args.sizes)
        print(
            f"{'':16}"
            + "".join(f"{s:>8} p50{s:>7} p95" for s in args.sizes)
            + f"   growth {big}/{small} (p50)"
        )
        for name in results[small]:
            cells = "".join(f"{results[s][name][0]:12.1f}{results[s][name][1]:12.1f}" for s in args.sizes)
            growth = results[big][name][0] / results[small][name][0]
            print(f"{name:16}{cells}   {growth:6.2f}")
        print("(milliseconds)")
        print()
        print(f"{'':16}" + "".join(f"{s:>8} items: s, peak MiB, ms/item" for s in args.sizes))
        for name in heavy[small]:
            cells = "".join(
                f"{heavy[s][name][0]:12.2f}{heavy[s][name][1]:10.1f}{1000 * heavy[s][name][0] / s:10.2f}"
                for s in args.sizes
            )
            print(f"{name:16}{cells}")
        print("(each item here is a few bytes: time per item flat means linear in the items read)")
        print()
        print("the same with large files: 10 files of 4 MiB, then 10 of 32 MiB")
        per_mib = []
        for mib in (4, 32):
            # A vault of its own: `verify` reads every case of a vault, and these should be all it holds.
            bulky_vault, _ = Vault.create(folder / f"bulky-{mib}", PASSPHRASE)
            case_id = bulky_case(bulky_vault, mib)
            heavy_bytes = whole_case(bulky_vault, case_id)
            total = 10 * mib
            per_mib.append({name: secs * 1000 / total for name, (secs, _) in heavy_bytes.items()})
            print(
                f"  {total:4d} MiB: "
                + "; ".join(
                    f"{name} {secs:.2f} s ({secs * 1000 / total:.1f} ms/MiB, peak {peak:.0f} MiB)"
                    for name, (secs, peak) in heavy_bytes.items()
                    if name != "dossier"
                )
            )
        print(
            "  growth of ms/MiB from 40 to 320 MiB (flat = linear in bytes): "
            + ", ".join(
                f"{name} {per_mib[1][name] / per_mib[0][name]:.2f}" for name in ("originals ZIP", "verify")
            )
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
