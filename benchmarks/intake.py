"""Intake through the running app: 200 screenshots (12 MP JPEG) and one 1 GiB video.

Each batch is uploaded the way the page's script sends it (one raw request per file, two at a time) and timed
against Debian's `age` encrypting the same bytes, file by file, output fsynced, in the same run.
For pictures the app does more than `age` while the person waits: MD5 and SHA-256, type from the
bytes, the hostile-file checks, the header and EXIF; the decoding, the PDQ hash, the thumbnail and the
blurred thumbnail (each encrypted and fsynced) follow in the background (helper/evidence/renditions.py),
and the time until the last of them is made is printed too. Peak memory is the resident memory of the
server and its workers, sampled every 10 ms. Goal (issue 22): the uploads at 0.35 of `age` or better.

    .venv/bin/python benchmarks/intake.py [--pictures 200] [--video-mib 1024]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from PIL import Image, ImageDraw  # noqa: E402
from upload_throughput import PASSPHRASE, MemorySampler, _time_age, start_server  # noqa: E402

from tests.support import samples  # noqa: E402
from tests.support.live_client import LiveClient, file_chunks  # noqa: E402

UPLOADS_AT_ONCE = 2  # as the page's script sends them (static/app.js)
PREPARING = "Preparing the preview…"  # on the case page while a picture's renditions are made


def make_pictures(folder: Path, count: int) -> list[Path]:
    """12 MP JPEGs (4000 x 3000), each different: one base picture with sensor-like noise (so each file
    weighs what a phone's does, a few MiB), and a numbered label drawn on each."""
    base = samples.picture(4000, 3000, seed=99)
    noise = Image.effect_noise(base.size, 40).convert("RGB")
    base = Image.blend(base, noise, 0.25)
    paths = []
    for n in range(count):
        im = base.copy()
        ImageDraw.Draw(im).text((200, 2400), f"SAMPLE {n:03d}", fill="white", font_size=300)
        path = folder / f"screenshot-{n:03d}.jpg"
        im.save(path, "JPEG", quality=88, exif=samples.camera_exif())
        paths.append(path)
    return paths


def make_video(path: Path, size: int) -> None:
    with open(path, "wb") as f:
        f.write(samples.MP4_HEAD)
        remaining = size - len(samples.MP4_HEAD)
        while remaining:
            chunk = os.urandom(min(remaining, 1 << 24))
            f.write(chunk)
            remaining -= len(chunk)


def time_age(paths: list[Path], out_dir: Path) -> float:
    """`age` on each file, one run per file as the app takes one request per file."""
    outs = [out_dir / f"{n}.age" for n in range(len(paths))]

    def encrypt(recipient: str) -> None:
        for path, out in zip(paths, outs, strict=True):
            subprocess.run(["age", "-r", recipient, "-o", str(out), str(path)], check=True)

    return _time_age(outs, encrypt)


def unlocked_client(url: str) -> tuple[LiveClient, str, str]:
    client = LiveClient(url.split("/?")[0])
    client.launch(url)
    client.unlock(PASSPHRASE)
    case_id = client.new_case("Bench")
    return client, case_id, client.csrf(f"/cases/{case_id}")


def time_app(paths: list[Path], work: Path, tag: str) -> tuple[float, float, float]:
    vault = work / f"vault-{tag}"
    server, url = start_server(vault)
    try:
        client, case_id, token = unlocked_client(url)
        os.sync()
        sampler = MemorySampler(server.pid)
        sampler.start()
        start = time.perf_counter()

        batch = f"bench{tag}"

        def send(numbered: tuple[int, Path]) -> None:
            index, path = numbered
            status, _, body = client.upload_raw(
                f"/evidence/{case_id}/raw",
                token,
                path.name,
                path.stat().st_size,
                file_chunks(path),
                place=(batch, index),
            )
            assert status == 200, (status, body[:200])

        with ThreadPoolExecutor(max_workers=UPLOADS_AT_ONCE) as pool:
            list(pool.map(send, enumerate(paths)))
        elapsed = time.perf_counter() - start
        # The walkthrough's evidence step lists every file of the case (the case page, a page of them).
        while PREPARING.encode() in client.get(f"/walkthrough/{case_id}/evidence")[2]:
            time.sleep(0.2)
        prepared = time.perf_counter() - start
        return elapsed, prepared, sampler.stop()
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(vault, ignore_errors=True)


def analysis_cost(path: Path) -> tuple[float, float]:
    """Seconds the checks made while the person waits, and the renditions made after, take for one
    12 MP JPEG, in this process."""
    from helper.evidence.images import make_renditions
    from helper.evidence.intake import inspect
    from helper.evidence.sample import Sample

    data = path.read_bytes()
    checks = renditions = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        sample = Sample()
        sample.update(data)
        inspect(sample, path.name, decode=False)
        checks = min(checks, time.perf_counter() - start)
        start = time.perf_counter()
        make_renditions(data, "image/jpeg")
        renditions = min(renditions, time.perf_counter() - start)
    return checks, renditions


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pictures", type=int, default=200)
    parser.add_argument("--video-mib", type=int, default=1024)
    args = parser.parse_args()
    if shutil.which("age") is None:
        print("Debian's age is needed: apt-get install age", file=sys.stderr)
        return 1
    work = Path(tempfile.mkdtemp(prefix="ih-intake-", dir=ROOT / "benchmarks"))
    try:
        pictures_dir = work / "pictures"
        pictures_dir.mkdir()
        print(f"making {args.pictures} pictures of 12 MP...", flush=True)
        pictures = make_pictures(pictures_dir, args.pictures)
        total = sum(p.stat().st_size for p in pictures)
        video = work / "video.mp4"
        make_video(video, args.video_mib * 1024 * 1024)
        out = work / "out"
        out.mkdir()

        age_pictures = time_age(pictures, out)
        app_pictures, prepared, peak_pictures = time_app(pictures, work, "pictures")
        age_video = time_age([video], out)
        app_video, _, peak_video = time_app([video], work, "video")
        checks, renditions = analysis_cost(pictures[0])

        mib = 1024 * 1024
        each = total / args.pictures / mib
        print(f"\n{args.pictures} pictures, {total / mib:.0f} MiB in all ({each:.1f} MiB each)")
        print(f"  age, file by file:   {age_pictures:6.2f} s  ({total / mib / age_pictures:6.1f} MiB/s)")
        print(f"  app intake:          {app_pictures:6.2f} s  ({total / mib / app_pictures:6.1f} MiB/s)")
        print(f"  ratio to age:        {age_pictures / app_pictures:.2f} (goal: 0.35)")
        print(f"  every preview made:  {prepared:6.2f} s  (in the background, from the first upload)")
        print(f"  peak memory:         {peak_pictures:.0f} MiB (server and workers)")
        print(f"  checks:              {checks * 1000:.1f} ms per picture, in process, while it is sent")
        print(f"  renditions:          {renditions * 1000:.0f} ms per picture, in process, after it is saved")
        size = video.stat().st_size
        print(f"\none video, {size / mib:.0f} MiB")
        print(f"  age:                 {age_video:6.2f} s  ({size / mib / age_video:6.1f} MiB/s)")
        print(f"  app intake:          {app_video:6.2f} s  ({size / mib / app_video:6.1f} MiB/s)")
        print(f"  ratio to age:        {age_video / app_video:.2f}")
        print(f"  peak memory:         {peak_video:.0f} MiB (server and workers)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
