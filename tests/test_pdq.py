"""The app's PDQ (numpy, nothing to compile) against the reference `pdqhash` (Meta's C++), bit for
bit and quality for quality, on 230 generated pictures of every kind intake meets: photo-like noise,
text screenshots, flat and graded areas (ties at the median), rotations, flips, crops, and sizes from
too small to hash to larger than a phone photo."""

from __future__ import annotations

import numpy as np
import pdqhash
import pytest
from PIL import Image, ImageDraw, ImageFilter

from helper.evidence.pdq import pdq_from_rgb
from tests.support import samples


def reference(rgb: np.ndarray) -> tuple[int, int]:
    bits, quality = pdqhash.compute(rgb)
    return int("".join("1" if b else "0" for b in bits.tolist()), 2), int(quality)


def _rng(n: int) -> np.random.Generator:
    return np.random.default_rng(1000 + n)


def noise(n: int) -> Image.Image:
    h, w = _rng(n).integers(5, 700, size=2)
    return Image.fromarray(_rng(n).integers(0, 256, size=(h, w, 3), dtype=np.uint8))


def photo_like(n: int) -> Image.Image:
    """Smooth shapes with grain, as a camera gives."""
    rng = _rng(n)
    w, h = (int(v) for v in rng.integers(64, 900, size=2))
    base = samples.picture(w, h, seed=n)
    grain = Image.effect_noise((w, h), float(rng.integers(5, 60))).convert("RGB")
    return Image.blend(base, grain, 0.2).filter(ImageFilter.GaussianBlur(float(rng.uniform(0, 3))))


def screenshot(n: int) -> Image.Image:
    """A chat screenshot: lines of SAMPLE text on a plain background."""
    rng = _rng(n)
    w, h = (int(v) for v in rng.integers(200, 1200, size=2))
    dark = bool(n % 2)
    im = Image.new("RGB", (w, h), (20, 20, 24) if dark else (250, 250, 250))
    draw = ImageDraw.Draw(im)
    for line in range(int(rng.integers(2, 30))):
        y = 10 + line * int(rng.integers(18, 40))
        draw.text(
            (10, y), f"SAMPLE message {n}-{line}: see you at 8", fill=(230, 230, 230) if dark else (0, 0, 0)
        )
    return im


def flat_or_graded(n: int) -> Image.Image:
    rng = _rng(n)
    w, h = (int(v) for v in rng.integers(5, 400, size=2))
    if n % 2:
        return Image.new("RGB", (w, h), tuple(int(c) for c in rng.integers(0, 256, size=3)))
    ramp = np.linspace(0, 255, w, dtype=np.float64)[np.newaxis, :].repeat(h, axis=0)
    return Image.fromarray(np.stack([ramp, ramp[::-1, ::-1], ramp * 0.5], axis=2).astype(np.uint8))


def transformed(n: int) -> Image.Image:
    base = samples.picture(640, 480, seed=n // 8)
    rng = _rng(n)
    step = n % 8
    if step < 4:
        return base.rotate(90 * step, expand=True)
    if step == 4:
        return base.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    if step == 5:
        return base.rotate(float(rng.uniform(-20, 20)), expand=True, fillcolor=(255, 255, 255))
    x, y = (int(v) for v in rng.integers(0, 200, size=2))
    return base.crop((x, y, x + int(rng.integers(100, 440)), y + int(rng.integers(100, 280))))


def sized(n: int) -> Image.Image:
    sides = [(1, 1), (4, 9), (5, 5), (5, 300), (7, 13), (16, 16), (63, 64), (64, 64), (65, 64), (128, 96),
             (129, 257), (2000, 1500), (1500, 2100), (4032, 3024)]  # fmt: skip
    w, h = sides[n % len(sides)]
    return Image.fromarray(_rng(n).integers(0, 256, size=(h, w, 3), dtype=np.uint8)).filter(
        ImageFilter.BoxBlur(1)
    )


KINDS = [
    (noise, 50),
    (photo_like, 50),
    (screenshot, 40),
    (flat_or_graded, 20),
    (transformed, 56),
    (sized, 14),
]
CASES = [pytest.param(make, n, id=f"{make.__name__}-{n}") for make, count in KINDS for n in range(count)]


def test_there_are_enough_cases():
    assert len(CASES) >= 200


@pytest.mark.parametrize(("make", "n"), CASES)
def test_pdq_is_the_reference_bit_for_bit(make, n):
    rgb = np.asarray(make(n).convert("RGB"))
    assert pdq_from_rgb(rgb) == reference(rgb)


def test_intake_hashes_with_it():
    from helper.evidence.images import analyse_image

    data = samples.jpeg()
    facts = analyse_image(data, "image/jpeg")
    assert len(facts.pdq) == 64
    assert facts.pdq_quality > 0
