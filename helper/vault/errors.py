"""What can go wrong with a vault, as nouns the caller can catch and explain kindly."""


class VaultError(Exception):
    """Base class of every vault problem."""


class NotAVault(VaultError):
    """The folder does not exist or holds no Incident Helper vault."""


class VaultExists(VaultError):
    """A vault (or other files) already occupy the folder."""


class WrongPassphrase(VaultError):
    """The passphrase (or recovery key) does not open this vault."""


class WeakPassphrase(VaultError):
    """The new passphrase is too short to protect the evidence."""


class CaseNotFound(VaultError):
    """No case with that id or name."""


class DamagedCase(VaultError):
    """A case file cannot be decrypted or read; the other cases are unaffected."""


class StaleRevision(VaultError):
    """Someone (another window) saved this case since it was read: nothing was overwritten."""


class ItemNotFound(VaultError):
    """No evidence item with that id in the case."""


class ItemProblem(VaultError):
    """An evidence item failed its integrity check."""

    def __init__(self, item_id: str, reason: str) -> None:
        super().__init__(f"{item_id}: {reason}")
        self.item_id = item_id
        self.reason = reason


class MissingItem(ItemProblem):
    """The item's encrypted file is gone."""


class TamperedItem(ItemProblem):
    """The item's encrypted file was changed, truncated or swapped."""
