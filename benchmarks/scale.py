"""Big cases: 100, 1,000 and 3,000 items. Per size: the cost of adding one item, page times, and the
whole-case operations.

Cases are built straight into the vault (each item a small encrypted file with a thumbnail for one in
ten, as intake stores them). Then one more item is added as the page's script sends it (web: the raw
upload route, through the evidence desk) and as `import` does (CLI: the desk, no unlock), and the pages
a person opens are fetched through the Flask test client (p50 / p95 of repeated requests). The last
column is the growth from the smallest to the largest case: the goal is flat (add ≤ 1.3, page p95
≤ 50 ms, thumbnail ≤ 20 ms).

Then each kind of edit a person makes often, on a case of each size that also holds everything the
letters need: the story draft as the page autosaves it and the story step as the page saves it (web,
through the Flask test client), and through their verbs an item's description, a link, a list entry,
a consent, a counselor's note, a letter recorded as sent, a new title. The goal is flat: each ≤ 1.3
times its cost at the smallest size, p95 ≤ 50 ms. Beside the wall clock, the CPU time the edit took
this process: a few milliseconds of wall clock swing with the disk's flushes and the machine's other
work, the CPU time shows what grows with the case. An edit is a small file of what it changed, and
every 256 of them the record is written whole (a fold): its time is printed too, with what it adds to
each edit spread over the 256.

Below, the operations that read every item once: the originals ZIP, `verify` and the dossier, with
their time, Python's peak allocation (tracemalloc) and the time per item and per MiB, which stay flat
when the cost is linear in what is read.

    .venv/bin/python benchmarks/scale.py [--sizes 100 1000 3000] [--rounds 20] [--only edits]
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
from helper.casework import cases, counselor, evidence, letters, walkthrough  # noqa: E402
from helper.config import Config  # noqa: E402
from helper.dossier import DossierOptions, export_dossier  # noqa: E402
from helper.dossier.bundle import originals_bundle  # noqa: E402
from helper.evidence.desk import EvidenceDesk  # noqa: E402
from helper.vault import Vault, casefiles  # noqa: E402
from helper.web import create_app  # noqa: E402
from helper.web.services import SESSION_HANDLE  # noqa: E402
from tests.support import samples  # noqa: E402
from tests.support.letters import full_case, writer  # noqa: E402

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


def measure_edits(
    vault, client, size: int, rounds: int
) -> tuple[dict[str, tuple[float, float, float]], float]:
    """p50 and p95 (ms) of each kind of edit on a case of `size` items (and everything letters need),
    with the p50 of the CPU time it took this process; and the time (ms) of one fold of the case."""
    case_id, first = build(vault, size)
    sample = full_case("US")
    vault.update_case(
        case_id,
        lambda c: replace(sample, id=c.id, title=c.title, created_at=c.created_at, evidence=c.evidence,
                          reports=(), letters=()),
    )  # fmt: skip
    letter = writer().write(vault.load_case(case_id), "take-it-down", "x", "en")
    page = client.get(f"/walkthrough/{case_id}/story").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    assert token, "no CSRF token on the story page"
    typed = [0]

    def story(autosave: bool):
        typed[0] += 1
        response = client.post(
            f"/walkthrough/{case_id}/story",
            data={"csrf_token": token.group(1), "narrative": f"SAMPLE what happened, draft {typed[0]}"},
            headers={"X-Autosave": "1"} if autosave else {},
        )
        assert response.status_code in (200, 302, 303), response.get_data(as_text=True)[:200]

    def entry():
        typed[0] += 1
        edit = walkthrough.EntryEdit("accounts", f"{typed[0]:032x}", walkthrough.Edit({"handle": "@SAMPLE"}))
        walkthrough.save_entry(vault, case_id, "accounts", edit)

    kinds = {
        "draft autosave (web)": lambda: story(True),
        "story step (web)": lambda: story(False),
        "description": lambda: evidence.describe(vault, case_id, first.id, description=f"SAMPLE {typed[0]}"),
        "link": lambda: evidence.add_link(vault, case_id, url="https://example.com/SAMPLE", seen_at=None),
        "list entry": entry,
        "consent": lambda: counselor.record_consent(vault, case_id, first.id, True),
        "counselor note": lambda: counselor.add_note(vault, case_id, "Sam", "SAMPLE note"),
        "letter sent": lambda: letters.record_sent(
            vault, case_id, letter, channel="form", sent_at="2026-11-20T10:00+01:00"
        ),
        "rename": lambda: cases.rename(vault, case_id, f"Case of {size}, renamed {typed[0]}"),
    }
    out = {}
    for name, fn in kinds.items():
        fn()  # warm
        times, cpu = [], []
        for _ in range(rounds):
            start, start_cpu = time.perf_counter(), time.process_time()
            fn()
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        out[name] = (statistics.median(times), p95(times), statistics.median(cpu))
    every_change_folds, casefiles.FOLD_AFTER = casefiles.FOLD_AFTER, 1
    try:
        (fold,) = timed(lambda: cases.rename(vault, case_id, f"Case of {size}, folded"), 1)
    finally:
        casefiles.FOLD_AFTER = every_change_folds
    return out, fold


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


def edits_table(vault, client, sizes: list[int], rounds: int) -> None:
    small, big = min(sizes), max(sizes)
    edits: dict[int, dict[str, tuple[float, float, float]]] = {}
    folds: dict[int, float] = {}
    for size in sizes:
        edits[size], folds[size] = measure_edits(vault, client, size, rounds)
    heading = "".join(f"{s:>8} p50{s:>7} p95{s:>7} cpu" for s in sizes)
    print(f"{'edit':22}{heading}   growth {big}/{small}: p50  p95  cpu")
    for name in edits[small]:
        cells = "".join("".join(f"{v:12.1f}" for v in edits[s][name]) for s in sizes)
        growth = [edits[big][name][n] / edits[small][name][n] for n in (0, 1, 2)]
        print(f"{name:22}{cells}   {growth[0]:10.2f} {growth[1]:4.2f} {growth[2]:4.2f}")
    cells = "".join(f"{folds[s]:12.1f}{folds[s] / casefiles.FOLD_AFTER:12.1f}{'':12}" for s in sizes)
    print(f"{'fold, and per edit':22}{cells}")
    print(
        "(milliseconds, wall clock and this process's CPU time: the wall clock counts the disk's flushes"
        " and whatever else the machine runs; goal: growth ≤ 1.3, p95 ≤ 50 ms)"
    )
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 3000])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--only", choices=["edits"], help="only the edits' table")
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
        if args.only == "edits":
            edits_table(vault, client, args.sizes, args.rounds)
            return
        small, big = min(args.sizes), max(args.sizes)
        results: dict[int, dict[str, tuple[float, float]]] = {}
        heavy: dict[int, dict[str, tuple[float, float]]] = {}
        case_bytes: dict[int, int] = {}
        for size in args.sizes:
            results[size], case_id = measure(vault, client, size, args.rounds)
            case = vault.load_case(case_id)
            case_bytes[size] = sum(it.size for it in case.evidence)
            heavy[size] = whole_case(vault, case_id)
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
        edits_table(vault, client, args.sizes, args.rounds)
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
