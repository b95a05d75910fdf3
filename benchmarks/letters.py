"""Letters and "What's next" on a big case: 1,000 evidence items and 50 reports, against a small one.

Every kind of letter is written (each language, each platform of the case) and the tracker's
"What's next" is computed, many times; p50 and p95 are printed with their goal (50 ms each), and as
ratios: to the small case (100 items, 5 reports: growth should be flat, the letters read only what they
print) and to a reference run in the same process (the case record's own JSON round trip, which any
page pays on every read).

    .venv/bin/python benchmarks/letters.py [--items 1000] [--reports 50] [--rounds 40]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from helper.case import Case, Report  # noqa: E402
from helper.letters.tracker import Tracker  # noqa: E402
from tests.support.letters import COUNTRY_OF, PLATFORM_OF, TODAY, full_case, writer  # noqa: E402

GOAL_MS = 50.0
KINDS = ("take-it-down", "dsa-notice", "gdpr-erasure", "escalation-ftc", "platform-report")


def big_case(items: int, reports: int, country: str) -> Case:
    case = full_case(country)
    base = case.evidence[0]
    evidence = tuple(
        replace(base, id=f"e{n}", blob=f"b{n}", sha256=f"{n:064x}", original_name=f"shot-{n:04d}-SAMPLE.png")
        for n in range(items)
    )
    sent = datetime.fromisoformat("2026-11-01T10:00:00+01:00")
    tracked = tuple(
        Report(
            id=f"r{n}",
            target="platform",
            kind=KINDS[n % len(KINDS)],
            platform=("instagram", "x", "discord", "reddit")[n % 4],
            channel="form" if n % 3 else "email",
            status=("sent", "acknowledged", "no_answer", "removed", "refused")[n % 5],
            sent_at=(sent + timedelta(hours=7 * n)).isoformat(),
            reference=f"REF-{n}",
        )
        for n in range(reports)
    )
    return replace(case, evidence=evidence, reports=case.reports + tracked)


def timed(fn, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[18] if len(times) >= 20 else max(times)


def letters_run(w, case_of, rounds: int) -> dict[str, list[float]]:
    """Each letter (kind, language, platform) written `rounds` times on its country's case."""
    results = {}
    for kind in w.content.kinds:
        case = case_of(COUNTRY_OF.get(kind.id, "US"))
        platforms = [PLATFORM_OF.get(kind.id, "instagram")] if kind.needs_platform else [None]
        for lang in kind.langs:
            for platform in platforms:
                results[f"{kind.id}.{lang}"] = timed(
                    lambda c=case, k=kind.id, p=platform, lang=lang: w.write(c, k, p, lang, TODAY), rounds
                )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--reports", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()

    w = writer()
    tracker = Tracker(w.content)
    cases = {}

    def case_of(size: str):
        def build(country: str) -> Case:
            key = (size, country)
            if key not in cases:
                items, reports = (
                    (args.items, args.reports) if size == "big" else (args.items // 10, args.reports // 10)
                )
                cases[key] = big_case(items, reports, country)
            return cases[key]

        return build

    now = datetime.fromisoformat("2026-11-28T12:00:00+01:00")
    big, small = case_of("big")("US"), case_of("small")("US")
    reference = timed(lambda: Case.from_dict(json.loads(json.dumps(big.to_dict()))), args.rounds)
    nexts = {
        size: timed(lambda c=c: tracker.whats_next(c, now), args.rounds * 5)
        for size, c in (("big", big), ("small", small))
    }
    letters = {size: letters_run(w, case_of(size), args.rounds) for size in ("big", "small")}

    ref = statistics.median(reference)
    print(
        f"case: {args.items} items, {len(big.reports)} reports; "
        f"reference (record JSON round trip) p50 {ref:.1f} ms"
    )
    print()
    print(f"{'':28} {'p50 ms':>8} {'p95 ms':>8} {'goal':>6} {'÷ small':>8} {'÷ ref':>7}")

    def row(name, times, small_times):
        ratio_small = statistics.median(times) / statistics.median(small_times)
        ok = "ok" if p95(times) <= GOAL_MS else "SLOW"
        print(
            f"{name:28} {statistics.median(times):8.2f} {p95(times):8.2f} {ok:>6} "
            f"{ratio_small:8.2f} {statistics.median(times) / ref:7.3f}"
        )
        return p95(times) <= GOAL_MS

    fine = row("what's next", nexts["big"], nexts["small"])
    for name in letters["big"]:
        fine &= row(name, letters["big"][name], letters["small"][name])
    print()
    print("all within goal" if fine else "SOME ABOVE GOAL")


if __name__ == "__main__":
    main()
