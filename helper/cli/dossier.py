"""`dossier` writes a case's evidence dossier (and, if asked, the originals with the signed manifest);
`verify-dossier` checks one, as its reader would."""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from helper.cli.exits import EXIT_OK, EXIT_PROBLEMS
from helper.cli.terminal import _, say
from helper.cli.vaults import add_vault_option, unlock
from helper.vocabulary import LANGUAGES

if TYPE_CHECKING:
    from helper.dossier.manifest import Verification


def register(commands: argparse._SubParsersAction) -> None:
    dossier = commands.add_parser(
        "dossier", help=_("write a case's evidence dossier (PDF, signed manifest inside)")
    )
    add_vault_option(dossier)
    dossier.add_argument("--case", required=True, metavar="NAME", help=_("the case's name"))
    dossier.add_argument(
        "-o", "--output", required=True, type=Path, metavar="FILE", help=_("the PDF to write")
    )
    dossier.add_argument(
        "--lang", choices=LANGUAGES, default="en", help=_("the dossier's language (default: en)")
    )
    dossier.add_argument("--person", default="", metavar="NAME", help=_("how the person chooses to be named"))
    dossier.add_argument(
        "--show-case-name",
        action="store_true",
        help=_("print the case's name on the cover and at the top of each page (default: a neutral title)"),
    )
    dossier.add_argument(
        "--intimate",
        choices=("blur", "hide", "show"),
        default="blur",
        help=_("intimate pictures blurred (default), left out, or shown as they are"),
    )
    dossier.add_argument(
        "--letters", action="store_true", help=_("add the letters written, word for word, as an appendix")
    )
    dossier.add_argument(
        "--redact-names", action="store_true", help=_("withhold other people's names in quoted messages")
    )
    dossier.add_argument(
        "--originals",
        type=Path,
        metavar="ZIP",
        help=_("also write the original files with the signed manifest to this ZIP (not encrypted)"),
    )
    dossier.add_argument(
        "--password-from-stdin",
        action="store_true",
        help=_("protect the PDF with a password (AES-256), read from the line after the passphrase"),
    )
    dossier.set_defaults(run=cmd_dossier)


def register_check(commands: argparse._SubParsersAction) -> None:
    check = commands.add_parser(
        "verify-dossier",
        help=_("check a dossier's (or an originals bundle's) signature and, given the files, their hashes"),
    )
    check.add_argument("file", type=Path, metavar="FILE")
    check.add_argument(
        "--evidence", type=Path, metavar="DIR", help=_("a folder holding the original files exported with it")
    )
    check.add_argument("--password", default="", help=_("the dossier's password, if it has one"))
    check.add_argument(
        "--expect-key",
        type=_fingerprint_argument,
        default=None,
        metavar="FINGERPRINT",
        help=_(
            "the signing key's fingerprint as you obtained it from the person, not from the file "
            "(they print it with 'incident-helper fingerprint'): any other key is a problem"
        ),
    )
    check.set_defaults(run=cmd_verify_dossier)

    own = commands.add_parser(
        "fingerprint",
        help=_(
            "print the fingerprint of the key that signs this vault's dossiers, to read out to their reader"
        ),
    )
    add_vault_option(own)
    own.set_defaults(run=cmd_fingerprint)


def _fingerprint_argument(text: str) -> str:
    from helper.dossier.manifest import expected_fingerprint

    try:
        return expected_fingerprint(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("a key fingerprint is 64 hexadecimal digits (spaces between the groups are fine)")
        ) from None


def cmd_dossier(args: argparse.Namespace) -> int:
    vault = unlock(args.vault)
    from helper.dossier import DossierOptions, export_dossier  # after the unlock: a lower memory peak
    from helper.dossier.bundle import originals_bundle
    from helper.vault.atomic import atomic_file

    password = sys.stdin.readline().rstrip("\r\n") if args.password_from_stdin else ""
    case = vault.find_case(args.case)
    options = DossierOptions(
        lang=args.lang,
        person=args.person,
        password=password,
        show_title=args.show_case_name,
        show_intimate=frozenset(it.id for it in case.evidence if it.intimate and args.intimate == "show"),
        hide_intimate=args.intimate == "hide",
        redact_names=args.redact_names,
        letters=args.letters,
    )
    with terminal_progress(sys.stderr) as progress:
        pdf = export_dossier(vault, case.id, options, on_progress=progress)
    with atomic_file(args.output) as out:
        out.write(pdf)
    say(
        "Wrote %(path)s (%(size)s bytes) for “%(title)s”.",
        path=args.output,
        size=f"{len(pdf):,}",
        title=case.title,
    )
    if args.originals is not None:
        with atomic_file(args.originals) as out:
            for piece in originals_bundle(vault, case.id, options):
                out.write(piece)
        say(
            "Wrote %(path)s: the original files and the signed manifest (not encrypted).", path=args.originals
        )
    if not password:
        say("The PDF is not encrypted: keep it somewhere private, or export it again with a password.")
    return EXIT_OK


@contextlib.contextmanager
def terminal_progress(stream: TextIO) -> Iterator[Callable[[int, int], None] | None]:
    """A progress line for a person watching (`stream` a terminal): the percentage made, rewritten in
    place, and a line break at the end. Nothing at all when the output goes to a file or a program."""
    if not stream.isatty():
        yield None
        return
    shown = [-1]

    def heard(done: int, total: int) -> None:
        percent = 100 * done // total if total else 0
        if percent != shown[0]:
            shown[0] = percent
            stream.write("\r" + _("Making the dossier: %(percent)s%%") % {"percent": percent})
            stream.flush()

    try:
        yield heard
    finally:
        if shown[0] >= 0:
            stream.write("\n")
            stream.flush()


def cmd_fingerprint(args: argparse.Namespace) -> int:
    vault = unlock(args.vault)
    from helper.dossier.manifest import fingerprint

    key = fingerprint(vault.signing_key().public_key())
    say("This vault signs its dossiers, originals bundles and hand-overs with the key whose fingerprint is:")
    print()
    print(f"    {key}")
    print()
    say(
        "Read it out to whoever checks a dossier from you, by phone or in person, "
        "not in the message that carries the dossier."
    )
    say("The fingerprint printed on a dossier's cover proves nothing by itself: a forger prints one too.")
    say("They check the dossier with:")
    print(f'    incident-helper verify-dossier dossier.pdf --expect-key "{key}"')
    return EXIT_OK


def cmd_verify_dossier(args: argparse.Namespace) -> int:
    from helper.dossier import manifest as dossiers

    expect_key = args.expect_key or ""
    # What pypdf says while it reads a broken or hostile file is not for the reader: the "Problem:"
    # line says what matters, in their language.
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    with args.file.open("rb") as file:
        is_bundle = file.read(2) == b"PK"
        file.seek(0)
        if is_bundle:  # an originals bundle: its files are checked inside it, read from the disk
            result = dossiers.verify_bundle(file, expect_key)
        else:
            content = file.read(dossiers.MAX_DOSSIER_BYTES + 1)
            result = dossiers.verify_dossier(content, args.evidence, args.password, expect_key)
    if result.signed:
        _say_what_the_signature_proves(result, expect_key)
        count = len(result.manifest["items"])
        say("Exported %(when)s, %(num)s item(s).", when=result.manifest["exported_at"], num=count)
        if args.evidence is not None or is_bundle:
            say(
                "%(found)s of %(num)s file(s) found with matching SHA-256.",
                found=result.files_checked,
                num=count,
            )
    for problem in result.problems:
        say("Problem: %(problem)s", problem=problem.describe(_))
    return EXIT_OK if result.ok else EXIT_PROBLEMS


def _say_what_the_signature_proves(result: Verification, expect_key: str) -> None:
    say("Signature: valid. Signing key fingerprint: %(key)s", key=result.fingerprint)
    say(
        "A valid signature proves only that the manifest (each file's size and SHA-256, the export time, "
        "the journal head) is unchanged since it was signed with this key."
    )
    say("It does not prove who signed it, nor what the pages say.")
    if result.key_expected:
        say("The key is the one you expected: the manifest was signed by the vault that holds it.")
    elif not expect_key:
        say("Anyone can make a key, sign an invented dossier and print the key's fingerprint on its cover.")
        say(
            "Compare this fingerprint with one you obtained from the person yourself (their vault prints it: "
            "'incident-helper fingerprint'), or give it with --expect-key FINGERPRINT."
        )
