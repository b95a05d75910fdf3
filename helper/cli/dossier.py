"""`dossier` writes a case's evidence dossier (and, if asked, the originals with the signed manifest);
`verify-dossier` checks one, as its reader would."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from helper.cli.exits import EXIT_OK, EXIT_PROBLEMS
from helper.cli.terminal import _, say
from helper.cli.vaults import add_vault_option, unlock
from helper.vocabulary import LANGUAGES


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
    check.set_defaults(run=cmd_verify_dossier)


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
    pdf = export_dossier(vault, case.id, options)
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


def cmd_verify_dossier(args: argparse.Namespace) -> int:
    from helper.dossier.manifest import verify_bundle, verify_dossier

    content = args.file.read_bytes()
    if content.startswith(b"PK"):  # an originals bundle: its files are checked inside it
        result = verify_bundle(content)
    else:
        result = verify_dossier(content, args.evidence, args.password)
    if result.signed:
        say("Signature: valid. Signing key fingerprint: %(key)s", key=result.fingerprint)
        say("Compare it with the fingerprint printed on the dossier's cover.")
        manifest = result.manifest
        count = len(manifest["items"])
        say("Exported %(when)s, %(num)s item(s).", when=manifest["exported_at"], num=count)
        if args.evidence is not None or content.startswith(b"PK"):
            say(
                "%(found)s of %(num)s file(s) found with matching SHA-256.",
                found=result.files_checked,
                num=count,
            )
    for problem in result.problems:
        say("Problem: %(problem)s", problem=problem.describe(_))
    return EXIT_OK if result.ok else EXIT_PROBLEMS
