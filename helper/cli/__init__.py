"""The `incident-helper` command (also `python -m helper`)."""

from helper.cli.program import (
    EXIT_IO,
    EXIT_NO_VAULT,
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    EXIT_VAULT_EXISTS,
    EXIT_WRONG_PASSPHRASE,
    harden_process,
    main,
)

__all__ = [
    "EXIT_IO",
    "EXIT_NO_VAULT",
    "EXIT_OK",
    "EXIT_PROBLEMS",
    "EXIT_USAGE",
    "EXIT_VAULT_EXISTS",
    "EXIT_WRONG_PASSPHRASE",
    "harden_process",
    "main",
]
