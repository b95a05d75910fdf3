"""Handing a case over to a helpline, encrypted: `keygen` makes the organisation's key pair,
`handover` writes a bundle for it, `receive` imports one (the sending vault prints its key's
fingerprint with `fingerprint`, to compare with the one `receive` shows)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from helper.cli.exits import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from helper.cli.terminal import _, read_passphrase, say, shown, warn
from helper.cli.vaults import add_vault_option, unlock
from helper.i18n import listed, terminal_language

if TYPE_CHECKING:
    from helper.handover import Change

# The file names a replacement lists, at most, for each of added and removed; then how many more.
NAMES_SHOWN = 50


def register(commands: argparse._SubParsersAction) -> None:
    keygen = commands.add_parser(
        "keygen", help=_("make an organisation's key pair for receiving hand-over bundles")
    )
    keygen.add_argument(
        "-o", "--output", required=True, type=Path, metavar="FILE", help=_("the private key file to write")
    )
    keygen.set_defaults(run=cmd_keygen)

    send = commands.add_parser("handover", help=_("export a case, encrypted to an organisation's public key"))
    add_vault_option(send)
    send.add_argument("--case", required=True, metavar="NAME", help=_("the case's name"))
    send.add_argument(
        "--to", required=True, metavar="AGE1KEY", help=_("the organisation's public key (age1…)")
    )
    send.add_argument(
        "--items",
        nargs="+",
        metavar="FILE",
        help=_("only these files (their names in the case); default: all"),
    )
    send.add_argument(
        "-o", "--output", required=True, type=Path, metavar="FILE", help=_("the bundle to write")
    )
    send.set_defaults(run=cmd_handover)

    receive = commands.add_parser(
        "receive", help=_("import a hand-over bundle into this vault, every file checked")
    )
    add_vault_option(receive)
    receive.add_argument("file", type=Path, metavar="FILE")
    receive.add_argument(
        "--key", required=True, type=Path, metavar="KEYFILE", help=_("the organisation's private key file")
    )
    receive.add_argument(
        "--replace",
        action="store_true",
        help=_("replace the copy of the case held here with this newer one from the same sender"),
    )
    receive.set_defaults(run=cmd_receive)


def cmd_keygen(args: argparse.Namespace) -> int:
    if args.output.exists():
        warn("%(path)s already exists: choose another name. Nothing was written.", path=args.output)
        return EXIT_USAGE
    from helper import handover
    from helper.vault.atomic import atomic_file
    from helper.vault.passphrase import check_new_passphrase

    passphrase = read_passphrase(
        _("Choose a passphrase for the key (at least 10 characters): "), confirm=True
    )
    check_new_passphrase(passphrase)
    private, public = handover.keygen(passphrase)
    with atomic_file(args.output) as out:
        out.write(private)
    os.chmod(args.output, 0o600)
    say("Wrote the private key to %(path)s (encrypted with your passphrase). Keep it safe.", path=args.output)
    say("Your public key, to give to the people who hand cases over to you:")
    print(public)
    return EXIT_OK


def cmd_handover(args: argparse.Namespace) -> int:
    from helper import handover
    from helper.vault.atomic import atomic_file

    try:
        recipient = handover.parse_recipient(args.to)
    except handover.WeakRecipient:
        warn(
            "This key cannot be used: it is a weak key that would let anyone read the bundle. "
            "Nothing was written."
        )
        return EXIT_USAGE
    except ValueError:
        warn("This is not a public key: it starts with age1 and is one line. Nothing was written.")
        return EXIT_USAGE
    vault = unlock(args.vault)
    case = vault.find_case(args.case)
    chosen = None
    if args.items:
        by_name = {it.original_name: it.id for it in case.evidence}
        unknown = [name for name in args.items if name not in by_name]
        if unknown:
            warn(
                "No file of this case has that name: %(names)s. Nothing was written.",
                names=listed(unknown, terminal_language()),
            )
            return EXIT_USAGE
        chosen = frozenset(by_name[name] for name in args.items)
    with atomic_file(args.output) as out:
        sent = handover.write_bundle(vault, case.id, recipient, out, chosen)
    say(
        "Wrote %(path)s: %(num)s file(s), encrypted to that key. Give it to them yourself.",
        path=args.output,
        num=sent.items,
    )
    return EXIT_OK


def cmd_receive(args: argparse.Namespace) -> int:
    from helper.vault import crypto

    vault = unlock(args.vault)
    key_passphrase = read_passphrase(_("Passphrase of the key: "))
    identity = crypto.unwrap_identity(args.key.read_bytes(), key_passphrase)
    from helper import handover  # after both unlocks: scrypt's memory peak stays lower

    try:
        with handover.staged_bundle(vault, args.file, identity) as staged:
            if staged.change is not None:
                _show_change(staged.change, staged.signer)
                if not (args.replace or _agreed()):
                    return EXIT_PROBLEMS
            received = staged.commit()
    except handover.HandoverError as exc:
        warn("The bundle was refused: %(why)s. Nothing was imported.", why=exc.describe(_))
        return EXIT_PROBLEMS
    if received.replaced is not None:
        say("The copy held here was replaced.")
    say(
        "Received “%(title)s”: %(num)s file(s), every fingerprint checked.",
        title=received.case.title,
        num=received.items,
    )
    say(
        "It was signed by the vault with key fingerprint %(key)s: compare it with the sender's.",
        key=received.signer,
    )
    return EXIT_OK


def _show_change(change: Change, signer: str) -> None:
    say(
        "This vault already holds “%(title)s”, from the same sender (key fingerprint %(key)s).",
        title=change.title,
        key=signer,
    )
    say("This bundle is a newer copy. Replacing the copy held here with it:")
    for names, line in (
        (change.added, _("adds %(num)s file(s):")),
        (change.removed, _("removes %(num)s file(s), deleted from this vault:")),
    ):
        if names:
            print("  " + line % {"num": len(names)})
            for name in names[:NAMES_SHOWN]:
                print("    " + shown(name))
            if len(names) > NAMES_SHOWN:
                print("    " + _("… and %(num)s more") % {"num": len(names) - NAMES_SHOWN})
    if not (change.added or change.removed):
        print("  " + _("keeps the same files (the record and its journal change)"))
    if change.local_changes:
        print(
            "  "
            + _("drops %(num)s change(s) made in this vault since it was received")
            % {"num": change.local_changes}
        )


def _agreed() -> bool:
    """Asked on the terminal; with no terminal to ask on, only --replace agrees."""
    if not sys.stdin.isatty():
        warn("Nothing was replaced: to replace it, run the same command again with --replace.")
        return False
    try:
        answer = input(_("Replace the copy held here? Type yes to replace it: "))
    except EOFError:  # Ctrl+D: no answer is no
        answer = ""
    if answer.strip().casefold() in (_("yes").casefold(), "yes"):
        return True
    say("Nothing was replaced: the copy held here is as it was.")
    return False
