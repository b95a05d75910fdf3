"""Checks of what can be checked in a payment: kind warnings for the person, never a block.

A wrong checksum usually means a typo, and a typo in a wallet address or IBAN can stop a bank or
an exchange from acting on a report. So the program says so, gently, and keeps what was typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from helper.case import Payment

_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"

# Common shapes of addresses people are told to pay to. A shape match is not proof of validity.
CRYPTO_SHAPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("bitcoin", re.compile(rf"^[13][{_BASE58}]{{25,34}}$")),
    ("bitcoin", re.compile(rf"^bc1[{_BECH32}]{{11,71}}$")),
    ("ethereum", re.compile(r"^0x[0-9a-fA-F]{40}$")),
    ("tron", re.compile(rf"^T[{_BASE58}]{{33}}$")),
    ("litecoin", re.compile(rf"^[LM][{_BASE58}]{{26,33}}$")),
    ("litecoin", re.compile(rf"^ltc1[{_BECH32}]{{11,71}}$")),
    ("solana", re.compile(rf"^[{_BASE58}]{{32,44}}$")),
)
TX_HASH = re.compile(r"^(0x)?[0-9a-fA-F]{64}$")
_IBAN_SHAPE = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")


@dataclass(frozen=True)
class PaymentWarning:
    field: str
    code: str  # "iban_checksum", "iban_shape", "wallet_shape", "tx_hash_shape", "amount"


def compact(value: str) -> str:
    return "".join(value.split())


def iban_is_valid(iban: str) -> bool:
    """ISO 13616: move the first four characters to the end, letters to numbers, mod 97 == 1."""
    value = compact(iban).upper()
    if not _IBAN_SHAPE.match(value):
        return False
    rearranged = value[4:] + value[:4]
    digits = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(digits) % 97 == 1


def crypto_address_kind(address: str) -> str | None:
    value = compact(address)
    return next((kind for kind, shape in CRYPTO_SHAPES if shape.match(value)), None)


def amount_is_valid(amount: str) -> bool:
    return bool(re.fullmatch(r"\d+(?:[.,]\d{1,8})?", compact(amount).replace("\u202f", "")))


def payment_warnings(payment: Payment) -> list[PaymentWarning]:
    warnings = []
    if payment.amount and not amount_is_valid(payment.amount):
        warnings.append(PaymentWarning("amount", "amount"))
    if payment.iban:
        shape_ok = bool(_IBAN_SHAPE.match(compact(payment.iban).upper()))
        if not shape_ok:
            warnings.append(PaymentWarning("iban", "iban_shape"))
        elif not iban_is_valid(payment.iban):
            warnings.append(PaymentWarning("iban", "iban_checksum"))
    if payment.wallet_address and crypto_address_kind(payment.wallet_address) is None:
        warnings.append(PaymentWarning("wallet_address", "wallet_shape"))
    if payment.tx_hash and not TX_HASH.match(compact(payment.tx_hash)):
        warnings.append(PaymentWarning("tx_hash", "tx_hash_shape"))
    return warnings
