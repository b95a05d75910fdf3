"""PDQ, Meta's perceptual hash (the one StopNCII and ThreatExchange use), in numpy.

The same arithmetic as the reference C++ (ThreatExchange pdq/cpp, as the `pdqhash` package builds it),
step by step in single precision: luminance, two passes of Jarosz box filters, decimation to 64 x 64,
the quality metric, a 64 -> 16 DCT, and the median threshold. Each running sum is kept in the same order
as the C++ loops, so the hash is the reference's bit for bit (tested against `pdqhash` on hundreds of
generated pictures), with nothing to compile on the person's computer.
"""

from __future__ import annotations

import math

import numpy as np

MIN_HASHABLE_DIM = 5
JAROSZ_PASSES = 2
F32 = np.float32


def _dct_matrix() -> np.ndarray:
    scale = float(F32(math.sqrt(2.0 / 64.0)))  # a float in the C++, then promoted in each product
    rows = [
        [F32(scale * math.cos((math.pi / 2.0 / 64.0) * (i + 1) * (2 * j + 1))) for j in range(64)]
        for i in range(16)
    ]
    return np.array(rows, dtype=F32)


DCT = _dct_matrix()


def _window(old: int, new: int = 64) -> int:
    return (old + 2 * new - 1) // (2 * new)


def _box(data: np.ndarray, window: int) -> np.ndarray:
    """The C++ `box1DFloat` along the last axis of `data`, for every row at once (they are
    independent): a running sum that grows, slides and shrinks, divided by the window's current size
    at each step.

    The C++ adds and subtracts one value at a time, in single precision. The same sequence of
    additions, laid out in order (adds, then add/subtract pairs, then subtracts; a subtraction is the
    addition of the negated value, which is exact), is one single-precision running sum, which numpy's
    `cumsum` computes step by step: the same roundings, without a Python loop per step."""
    length = data.shape[-1]
    half = (window + 2) // 2
    slide = length - window
    terms = np.empty(data.shape[:-1] + (window + 2 * slide + half - 1,), dtype=F32)
    terms[:, :window] = data[:, :window]  # the window fills up (the first half - 1 give no output)
    terms[:, window : window + 2 * slide : 2] = data[:, window:]  # then slides: add the next...
    np.negative(data[:, :slide], out=terms[:, window + 1 : window + 2 * slide : 2])  # ...take the first
    np.negative(data[:, slide : slide + half - 1], out=terms[:, window + 2 * slide :])  # then empties
    sums = np.cumsum(terms, axis=-1, dtype=F32)
    out = np.empty_like(data)
    filling = window - half + 1
    out[:, :filling] = sums[:, half - 1 : window] / np.arange(half, window + 1, dtype=F32)
    out[:, filling : filling + slide] = sums[:, window + 1 : window + 2 * slide : 2] / F32(window)
    out[:, filling + slide :] = sums[:, window + 2 * slide :] / np.arange(
        window - 1, window - half, -1, dtype=F32
    )
    return out


def _picked(length: int) -> list[int]:
    """The C++ `decimateFloat`: which row (or column) each of the 64 samples is read from."""
    return [int(((i + 0.5) * length) / 64) for i in range(64)]


def _filtered_64x64(luma: np.ndarray) -> np.ndarray:
    """Two passes of box filters along rows then columns (Jarosz), decimated to 64 x 64. The last
    pass along columns runs only on the 64 columns that are sampled: columns are independent there,
    so the values are the same, for a fraction of the work."""
    rows, cols = luma.shape
    along_rows, along_cols = _window(cols), _window(rows)
    for done in range(1, JAROSZ_PASSES + 1):
        across = _box(luma, along_rows)  # each row, along its columns
        columns = np.ascontiguousarray(across.T)  # each column as a row, to filter along it
        if done == JAROSZ_PASSES:
            return np.ascontiguousarray(_box(columns[_picked(cols)], along_cols).T)[_picked(rows), :]
        luma = np.ascontiguousarray(_box(columns, along_cols).T)
    raise AssertionError("unreachable")


def _quality(block: np.ndarray) -> int:
    down = ((block[:-1, :] - block[1:, :]) * F32(100)) / F32(255)
    across = ((block[:, :-1] - block[:, 1:]) * F32(100)) / F32(255)
    total = int(
        np.abs(np.trunc(down)).astype(np.int64).sum() + np.abs(np.trunc(across)).astype(np.int64).sum()
    )
    return min(total // 90, 100)


def _dct16(block: np.ndarray) -> np.ndarray:
    partial = np.zeros((16, 64), dtype=F32)
    for k in range(64):  # T[i][j] += D[i][k] * A[k][j], in the C++ order of k
        partial += DCT[:, k : k + 1] * block[k : k + 1, :]
    out = np.zeros((16, 16), dtype=F32)
    for k in range(64):  # B[i][j] += T[i][k] * D[j][k]
        out += partial[:, k : k + 1] * DCT[:, k][np.newaxis, :]
    return out


def _torben_median(values: np.ndarray) -> np.float32:
    """The reference's median (Torben's method), with its own choice among equal middle values."""
    n = values.size
    low, high = values.min(), values.max()
    while True:
        guess = (low + high) / F32(2)
        below = values[values < guess]
        above = values[values > guess]
        less, greater = below.size, above.size
        equal = n - less - greater
        max_below = below.max() if less else low
        min_above = above.min() if greater else high
        max_below = max(max_below, low)
        min_above = min(min_above, high)
        if less <= (n + 1) // 2 and greater <= (n + 1) // 2:
            break
        if less > greater:
            high = max_below
        else:
            low = min_above
    if less >= (n + 1) // 2:
        return max_below
    if less + equal >= (n + 1) // 2:
        return guess
    return min_above


def luminance(rgb: np.ndarray) -> np.ndarray:
    """As the `pdqhash` binding computes it from an RGB picture (in double, then single precision)."""
    return (rgb[:, :, 0] * 0.299 + rgb[:, :, 1] * 0.587 + rgb[:, :, 2] * 0.114).astype(F32)


def pdq_from_rgb(rgb: np.ndarray) -> tuple[int, int]:
    """The 256-bit hash as an integer (bit k is the k-th DCT coefficient, row by row, above the
    median) and the quality (0-100) of an RGB picture given as an H x W x 3 array of bytes."""
    luma = luminance(rgb)
    rows, cols = luma.shape
    if rows < MIN_HASHABLE_DIM or cols < MIN_HASHABLE_DIM:
        return 0, 0
    block = luma if (rows, cols) == (64, 64) else _filtered_64x64(luma)
    quality = _quality(block)
    coefficients = _dct16(block).reshape(256)
    median = _torben_median(coefficients)
    bits = coefficients > median
    value = 0
    for k in np.flatnonzero(bits):
        value |= 1 << int(k)
    return value, quality
