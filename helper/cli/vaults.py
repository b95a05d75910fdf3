"""The vault itself: `init` creates one, `verify` re-checks every stored item. Also how every command
names its vault (`--vault`) and unlocks it."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from helper.cli.exits import EXIT_OK, EXIT_PROBLEMS
from helper.cli.terminal import _, read_passphrase, say, shown, warn
from helper.config import default_vault_path

if TYPE_CHECKING:
    from helper.vault import UnlockedVault


def add_vault_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--vault",
        type=Path,
        default=None,
        metavar="DIR",
        help=_("the vault folder (default: %(path)s)") % {"path": default_vault_path()},
    )


def unlock(vault_dir: Path) -> UnlockedVault:
    from helper.vault import Vault

    vault = Vault(vault_dir)
    vault.require()
    unlocked = vault.unlock(read_passphrase(_("Passphrase: ")))
    vault.remove_stale_temps()  # what a killed writer left; files being written elsewhere are locked
    # Files written but never added (a killed import) are swept by `verify`, which reads every case
    # anyway: a command costs the key file, whatever the number of cases.
    return unlocked


def register(commands: argparse._SubParsersAction) -> None:
    init = commands.add_parser(
        "init", help=_("create a vault (asks for a passphrase, prints a recovery key)")
    )
    add_vault_option(init)
    init.set_defaults(run=cmd_init)

    verify = commands.add_parser("verify", help=_("re-check every stored item against its fingerprint"))
    add_vault_option(verify)
    verify.set_defaults(run=cmd_verify)


def cmd_init(args: argparse.Namespace) -> int:
    from helper.vault import Vault

    passphrase = read_passphrase(_("Choose a passphrase (at least 10 characters): "), confirm=True)
    _vault, recovery_key = Vault.create(args.vault, passphrase)
    say("Your vault is ready in %(path)s.", path=args.vault)
    print()
    say("Your recovery key (shown only this once):")
    print()
    print(f"    {recovery_key}")
    print()
    say("Write it on paper and keep it somewhere private. If you forget your passphrase,")
    say("it is the only way back into your evidence.")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from helper.vault import Vault

    vault = unlock(args.vault)
    for path in Vault(args.vault).too_open():
        warn("Warning: other users of this computer may read %(path)s (run: chmod go-rwx on it).", path=path)
    problems = vault.verify()
    for problem in problems:
        print(shown(problem.describe(_)))  # a received case's file names came from its sender
    if problems:
        warn("%(num)s problem(s) found. The other items are intact.", num=len(problems))
        return EXIT_PROBLEMS
    count = sum(row.summary.items for row in vault.list_cases() if row.summary)
    say("All %(num)s item(s) are intact: each matches the fingerprint taken when it was added.", num=count)
    vault.remove_orphans()  # those old enough that no import can still be about to add them
    stray = vault.orphans() or []
    if stray:
        say(
            "%(num)s encrypted file(s) belong to no case (left by an interrupted import or upload): "
            "they are removed at an unlock once they are ten minutes old.",
            num=len(stray),
        )
    return EXIT_OK
