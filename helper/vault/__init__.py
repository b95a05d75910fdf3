"""The encrypted store (DESIGN.md section 4). No Flask here."""

from helper.vault.errors import (
    CaseNotFound,
    DamagedCase,
    ItemNotFound,
    ItemProblem,
    KeyFileRefused,
    MissingItem,
    NotAVault,
    StaleRevision,
    TamperedItem,
    VaultError,
    VaultExists,
    WeakPassphrase,
    WrongPassphrase,
)
from helper.vault.store import CaseListing, PendingBlob, Problem, UnlockedVault, Vault, VerifiedItem

__all__ = [
    "CaseListing",
    "CaseNotFound",
    "DamagedCase",
    "ItemNotFound",
    "ItemProblem",
    "KeyFileRefused",
    "MissingItem",
    "NotAVault",
    "PendingBlob",
    "Problem",
    "StaleRevision",
    "TamperedItem",
    "UnlockedVault",
    "Vault",
    "VaultError",
    "VaultExists",
    "VerifiedItem",
    "WeakPassphrase",
    "WrongPassphrase",
]
