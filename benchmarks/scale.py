"""Big cases: 100, 1,000 and 3,000 items. Per size: the cost of adding one item, and page times.

Cases are built straight into the vault (each item a small encrypted file with a thumbnail for one in
ten, as intake stores them), then one more item is added the way the app adds it, and the pages a
person opens are fetched through the Flask test client (p50 / p95 of repeated requests). The last
column is the growth from 100 to 3,000 items: the goal is flat (add ≤ 1.3, pages within their goals:
page p95 ≤ 50 ms, thumbnail ≤ 20 ms).

    .venv/bin/python benchmarks/scale.py [--sizes 100 1000 3000] [--rounds 20]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from helper.case import EvidenceItem, ImageInfo, utc_now  # noqa: E402
from helper.config import Config  # noqa: E402
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


def measure(vault, client, size: int, rounds: int) -> dict[str, tuple[float, float]]:
    """p50 and p95 (ms) of adding one item and of each page, for a case of `size` items."""
    case_id, first = build(vault, size)
    extra = [0]

    def add_one():
        extra[0] += 1
        data = f"SAMPLE extra {extra[0]}".encode()
        blob = vault.store_blob(data)
        item = replace(first, id=f"{size:08x}{extra[0]:024x}", blob=blob, image=None)
        vault.add_item(case_id, item)

    pages = {
        "add one item": add_one,
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
        for size in args.sizes:
            results[size] = measure(vault, client, size, args.rounds)
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
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
