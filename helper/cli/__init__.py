"""The `incident-helper` command (also `python -m helper`): one module per area, each adding its
commands to the parser beside the functions that run them (`program` puts them together)."""

from helper.cli.exits import (
    EXIT_IO,
    EXIT_NO_VAULT,
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    EXIT_VAULT_EXISTS,
    EXIT_WRONG_PASSPHRASE,
)
from helper.cli.program import build_parser, harden_process, main

__all__ = [
    "EXIT_IO",
    "EXIT_NO_VAULT",
    "EXIT_OK",
    "EXIT_PROBLEMS",
    "EXIT_USAGE",
    "EXIT_VAULT_EXISTS",
    "EXIT_WRONG_PASSPHRASE",
    "build_parser",
    "harden_process",
    "main",
]
