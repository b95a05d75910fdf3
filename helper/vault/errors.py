"""What can go wrong with a vault, as nouns the caller can catch and explain kindly.

Each carries its message as a catalogue id with parameters, so the command line and the app can say it
in the reader's language (`describe(gettext)`); `str()` gives the English.
"""

import errno

from helper.vocabulary import N_, Translate

DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


def is_disk_full(exc: BaseException) -> bool:
    """A write refused for want of space (the disk, the person's quota, or the largest file allowed),
    however deep in the chain of causes it happened."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, OSError) and cause.errno in DISK_FULL_ERRNOS:
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False


def _same(message: str) -> str:
    return message


class VaultError(Exception):
    """Base class of every vault problem."""

    def __init__(self, message: str = "", **params: object) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params

    def describe(self, gettext: Translate = _same) -> str:
        text = gettext(self.message) if self.message else ""
        return text % self.params if self.params else text


class NotAVault(VaultError):
    """The folder does not exist or holds no Incident Helper vault."""


class VaultExists(VaultError):
    """A vault (or other files) already occupy the folder."""


class WrongPassphrase(VaultError):
    """The passphrase (or recovery key) does not open this vault."""


class KeyFileRefused(WrongPassphrase):
    """`identity.age` or `recovery.age` is not what this program wrote: a work factor made to hang the
    unlock, or a file that opens to something other than a key. Refused before (or instead of) use."""


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
        super().__init__(N_("%(item)s: %(reason)s"), item=item_id, reason=reason)
        self.item_id = item_id
        self.reason = reason  # a catalogue id


# The reasons an item fails its check, in one place for the catalogue.
ITEM_MISSING = N_("its encrypted file is missing")
ITEM_DAMAGED = N_("its encrypted file is damaged or was changed")
ITEM_CHANGED = N_("its content does not match the fingerprint taken when it was added")
ITEM_MISMATCH = N_("its content does not match its fingerprint")
MESSAGES_UNREADABLE = N_("its messages cannot be read")
DERIVED_CHANGED = N_("a thumbnail or messages file made from it is missing or was changed")


class MissingItem(ItemProblem):
    """The item's encrypted file is gone."""


class TamperedItem(ItemProblem):
    """The item's encrypted file was changed, truncated or swapped."""
