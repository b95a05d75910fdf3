"""How strong a new passphrase is, in words a frightened person can act on."""

from __future__ import annotations

import math
from enum import IntEnum

from helper.vault.errors import WeakPassphrase
from helper.vocabulary import N_

MIN_LENGTH = 10


class Strength(IntEnum):
    TOO_SHORT = 0
    WEAK = 1
    FAIR = 2
    STRONG = 3


def estimate_bits(passphrase: str) -> float:
    """A deliberately cautious estimate: alphabet size by character class, repeats discounted."""
    pool = 0
    if any(c.islower() for c in passphrase):
        pool += 26
    if any(c.isupper() for c in passphrase):
        pool += 26
    if any(c.isdigit() for c in passphrase):
        pool += 10
    if any(not c.isalnum() for c in passphrase):
        pool += 33
    distinct = len(set(passphrase))
    if not pool or not distinct:
        return 0.0
    effective_length = min(len(passphrase), distinct * 2)
    return effective_length * math.log2(pool)


def strength(passphrase: str) -> Strength:
    if len(passphrase) < MIN_LENGTH:
        return Strength.TOO_SHORT
    bits = estimate_bits(passphrase)
    if bits < 50:
        return Strength.WEAK
    if bits < 75:
        return Strength.FAIR
    return Strength.STRONG


def check_new_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_LENGTH:
        raise WeakPassphrase(N_("a passphrase needs at least %(num)s characters"), num=MIN_LENGTH)
