"""Fuzzing the age reader (helper/vault/age_header.py and the passphrase file it serves): a header of
any bytes parses or is refused with `AgeError`, and a damaged passphrase file opens to exactly what
was written or is refused the same way. Examples are derandomized (tests/conftest.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helper.vault import age_header, ageformat
from helper.vault.age_header import AgeError

PLAINTEXT = b"SAMPLE key file contents " * 5
PASSPHRASE = "correct horse SAMPLE staple"
# Cheap work factors: the fuzzer must never make the test derive a real key (2^22 takes gigabytes).
SMALL_LOG_N = 2
MAX_LOG_N = 4
FILE = ageformat.encrypt(PLAINTEXT, PASSPHRASE, log_n=SMALL_LOG_N)
HEADER_END = FILE.index(b"\n---") + 1

LINE = st.one_of(
    st.sampled_from(
        [
            b"age-encryption.org/v1",
            b"-> scrypt c2FsdHNhbHRzYWx0c2FsdA 2",
            b"-> X25519 " + b"A" * 43,
            b"-> ",
            b"-> scrypt  2",
            b"-> \xff",
            b"--- " + b"A" * 43,
            b"---",
            b"",
            b"A" * 64,
            b"A" * 65,
            b"=",
        ]
    ),
    st.binary(max_size=70),
)


@st.composite
def mutated(draw, data: bytes, within: int) -> bytes:
    """`data` with a few bytes flipped, cut or inserted, mostly in its first `within` bytes."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, min(within, len(out)) - 1)) if out else 0
        how = draw(st.sampled_from(["flip", "cut", "insert"]))
        if how == "flip" and out:
            out[at] ^= 1 << draw(st.integers(0, 7))
        elif how == "cut":
            del out[at : at + draw(st.integers(1, 8))]
        else:
            out[at:at] = draw(st.sampled_from([b"\n", b" ", b"-", b"=", b"\x00", b"9", b"\xff", b"->"]))
    return bytes(out)


def parse_or_refuse(data: bytes) -> age_header.Header | None:
    try:
        return age_header.parse(data)
    except AgeError:
        return None


@settings(max_examples=400)
@given(st.lists(LINE, max_size=8), st.binary(max_size=40))
def test_a_header_of_any_lines_parses_or_is_refused(lines, payload):
    data = b"\n".join(lines) + b"\n" + payload
    header = parse_or_refuse(data)
    if header is not None:
        assert data[: len(header.signed)] == header.signed
        assert 0 < header.payload_at <= len(data)
        assert len(header.mac) == 32


@settings(max_examples=300)
@given(mutated(FILE, HEADER_END + 50))
def test_a_damaged_passphrase_file_opens_whole_or_is_refused(data):
    try:
        factors = ageformat.scrypt_work_factors(data)
    except AgeError:
        return
    assert all(isinstance(f, int) for f in factors)
    try:
        opened = ageformat.decrypt(data, PASSPHRASE, max_log_n=MAX_LOG_N)
    except AgeError:
        return
    assert opened == PLAINTEXT


def test_the_file_the_fuzzer_damages_opens_undamaged():
    assert ageformat.decrypt(FILE, PASSPHRASE, max_log_n=MAX_LOG_N) == PLAINTEXT
    with pytest.raises(AgeError):
        ageformat.decrypt(FILE, "another SAMPLE passphrase", max_log_n=MAX_LOG_N)
