"""The `incident-helper` program: its parser, put together from each area's commands, and `main`.

Starting it imports only what the parser needs; each command imports what it uses when it runs, so
`--help` is quick and `verify` unlocks with little else in memory (benchmarks/cli_start.py).
"""

from __future__ import annotations

import argparse
import logging
import sys

from helper import __version__
from helper.cli import dossier, evidence, handover, letters, serve, vaults
from helper.cli.exits import EXIT_CODES, explain
from helper.cli.terminal import _, use_language
from helper.config import default_vault_path
from helper.hardening import harden_process
from helper.i18n import terminal_language
from helper.vocabulary import N_

DESCRIPTION = N_(
    """\
Incident Helper helps you document sextortion, keeps your evidence encrypted on this computer,
and writes what police and platforms need. Nothing is sent anywhere.

With no command, it starts the app and opens it in your browser."""
)

EXAMPLES = (
    ("incident-helper", N_("start and open the browser")),
    ("incident-helper serve --vault /media/usb/vault", N_("keep the vault on a USB stick")),
    (
        'incident-helper dossier --case "Instagram" -o dossier.pdf --lang fr',
        N_("write the dossier in French"),
    ),
    ("incident-helper verify-dossier dossier.pdf --evidence originals/", N_("check a dossier and its files")),
    ("incident-helper init --vault ~/vault", N_("create a vault from the terminal")),
    (
        'incident-helper import --vault ~/vault --case "Instagram, March" shots/*.png',
        N_("add files to a case"),
    ),
    ("incident-helper verify --vault ~/vault", N_("check that no evidence was changed")),
    (
        "incident-helper keygen -o helpline.key",
        N_("make your organisation's key pair (prints the public key)"),
    ),
    (
        'incident-helper handover --vault ~/vault --case "Instagram" --to age1… -o case.age',
        N_("hand a case over, encrypted to that key"),
    ),
    ("incident-helper receive --vault ~/vault case.age --key helpline.key", N_("import a hand-over bundle")),
    ('incident-helper letters --vault ~/vault --case "Instagram"', N_("list the letters that fit a case")),
    (
        'incident-helper letter --vault ~/vault --case "Instagram" --kind take-it-down --platform x -o x.txt',
        N_("write one letter (nothing is ever sent)"),
    ),
)

# Each area adds its commands (and their handlers), in the order `--help` lists them.
AREAS = (
    serve.register,
    vaults.register,
    evidence.register,
    dossier.register,
    letters.register,
    handover.register,
    dossier.register_check,
)


def _epilog() -> str:
    examples = "\n".join(f"  {command}\n      {_(what)}" for command, what in EXAMPLES)
    heading = _("examples:")
    return f"{_(EXIT_CODES)}\n\n{heading}\n{examples}"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="incident-helper",
        description=_(DESCRIPTION),
        epilog=_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for register in AREAS:
        register(commands)
    return parser


def command_names(parser: argparse.ArgumentParser) -> set[str]:
    return {
        name
        for action in parser._actions  # argparse keeps its subcommands only there
        if isinstance(action, argparse._SubParsersAction)
        for name in action.choices
    }


def main(argv: list[str] | None = None) -> int:
    harden_process()  # before any secret is in memory: no core dump can hold it
    use_language(terminal_language())
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in command_names(parser) and argv[0] not in ("-h", "--help", "--version")):
        argv.insert(0, "serve")  # serving is the default
    args = parser.parse_args(argv)
    if getattr(args, "vault", "") is None:
        args.vault = default_vault_path()
    try:
        return args.run(args)
    except Exception as exc:
        code = explain(exc)
        if code is None:
            raise
        return code
