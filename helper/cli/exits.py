"""The command's exit codes, and the sentence said for each error that ends it.

The table is read only once a command has failed, so that starting the command imports nothing of the
vault.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from helper.cli.terminal import _, warn
from helper.vocabulary import N_

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_WRONG_PASSPHRASE = 3
EXIT_NO_VAULT = 4
EXIT_VAULT_EXISTS = 5
EXIT_IO = 6

EXIT_CODES = N_(
    """\
exit codes: 0 done, 1 problems found by verify, files refused by import, a letter missing
            something, or a hand-over bundle refused; 2 wrong usage,
            3 wrong passphrase, 4 no vault in that folder, 5 the folder is not empty,
            6 a file could not be read or written"""
)


@dataclass(frozen=True)
class Ending:
    """An error the command explains: the exit code, and the sentence (with its `why`, if any)."""

    error: type[BaseException]
    code: int
    sentence: str
    why: Callable[[BaseException], object] | None = None


def endings() -> tuple[Ending, ...]:
    """In the order they are tried: a more particular error before the one it is a kind of."""
    from helper.vault import (
        CaseNotFound,
        KeyFileRefused,
        NotAVault,
        VaultError,
        VaultExists,
        WeakPassphrase,
        WrongPassphrase,
    )

    return (
        Ending(
            KeyFileRefused,
            EXIT_WRONG_PASSPHRASE,
            N_("The vault's key file was refused: %(why)s. Nothing was changed."),
            lambda exc: exc.describe(_),  # type: ignore[attr-defined]
        ),
        Ending(
            WrongPassphrase,
            EXIT_WRONG_PASSPHRASE,
            N_("That passphrase does not open this vault. Nothing was changed."),
        ),
        Ending(
            WeakPassphrase,
            EXIT_USAGE,
            N_("Please choose another passphrase: %(why)s. Nothing was created."),
            lambda exc: _(str(exc)),
        ),
        Ending(
            NotAVault,
            EXIT_NO_VAULT,
            N_("No vault found: %(why)s. Create one with 'incident-helper init --vault DIR'."),
            lambda exc: exc,
        ),
        Ending(
            VaultExists,
            EXIT_VAULT_EXISTS,
            N_("Cannot create a vault there: %(why)s. Choose an empty or new folder."),
            lambda exc: exc,
        ),
        Ending(
            CaseNotFound,
            EXIT_USAGE,
            N_("No case has that name. Check the spelling, or open the app to see your cases."),
        ),
        Ending(VaultError, EXIT_IO, N_("The vault could not be used: %(why)s."), lambda exc: exc),
    )


def explain(exc: BaseException) -> int | None:
    """Says what went wrong, in plain words, and returns the exit code; None for an error not foreseen
    (the caller lets it go on, with its traceback)."""
    for ending in endings():
        if isinstance(exc, ending.error):
            if ending.why is None:
                warn(ending.sentence)
            else:
                warn(ending.sentence, why=ending.why(exc))
            return ending.code
    if isinstance(exc, OSError):
        from helper.vault.errors import is_disk_full

        if is_disk_full(exc):
            warn("The disk is full, so this was not saved. What you saved before is safe.")
            warn("Make some room (empty the bin, move large files to another disk), then try again.")
        else:
            warn("A file could not be read or written: %(path)s.", path=exc.filename or "?")
        return EXIT_IO
    return None
