"""The `incident-helper` command (also `python -m helper`)."""

from __future__ import annotations

import argparse
import getpass
import logging
import signal
import sys
import threading
import webbrowser
from datetime import UTC, datetime
from pathlib import Path

from helper import __version__
from helper.case import MinorImageRefused
from helper.config import DEFAULT_IDLE_LOCK_MINUTES, Config, default_vault_path
from helper.dossier import DossierOptions, export_dossier
from helper.dossier.bundle import originals_bundle
from helper.dossier.manifest import verify_bundle, verify_dossier
from helper.dossier.text import LANGUAGES
from helper.evidence.rejections import EXPLANATIONS, Rejected
from helper.vault import (
    CaseNotFound,
    NotAVault,
    UnlockedVault,
    Vault,
    VaultError,
    VaultExists,
    WeakPassphrase,
    WrongPassphrase,
)
from helper.vault.atomic import atomic_file

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_WRONG_PASSPHRASE = 3
EXIT_NO_VAULT = 4
EXIT_VAULT_EXISTS = 5
EXIT_IO = 6

DESCRIPTION = """\
Incident Helper helps you document sextortion, keeps your evidence encrypted on this computer,
and writes what police and platforms need. Nothing is sent anywhere.

With no command, it starts the app and opens it in your browser."""

EPILOG = """\
exit codes: 0 done, 1 problems found by verify or files refused by import, 2 wrong usage,
            3 wrong passphrase, 4 no vault in that folder, 5 the folder is not empty,
            6 a file could not be read or written

examples:
  incident-helper                                  start and open the browser
  incident-helper serve --vault /media/usb/vault   keep the vault on a USB stick
  incident-helper dossier --case "Instagram" -o dossier.pdf --lang fr
  incident-helper verify-dossier dossier.pdf --evidence originals/
  incident-helper init --vault ~/vault             create a vault from the terminal
  incident-helper import --vault ~/vault --case "Instagram, March" shots/*.png
  incident-helper verify --vault ~/vault           check that no evidence was changed"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="incident-helper",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def vault_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--vault",
            type=Path,
            default=None,
            metavar="DIR",
            help=f"the vault folder (default: {default_vault_path()})",
        )

    serve = sub.add_parser("serve", help="start the app on this computer and open it (the default)")
    vault_arg(serve)
    serve.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: any free port)")
    serve.add_argument("--no-browser", action="store_true", help="print the link but do not open a browser")
    serve.add_argument(
        "--idle-lock",
        type=float,
        default=DEFAULT_IDLE_LOCK_MINUTES,
        metavar="MINUTES",
        help=f"lock after this many minutes without activity (default: {DEFAULT_IDLE_LOCK_MINUTES})",
    )

    init = sub.add_parser("init", help="create a vault (asks for a passphrase, prints a recovery key)")
    vault_arg(init)

    verify = sub.add_parser("verify", help="re-check every stored item against its fingerprint")
    vault_arg(verify)

    imp = sub.add_parser("import", help="add files as evidence to a case (created if new)")
    vault_arg(imp)
    imp.add_argument("--case", required=True, metavar="NAME", help="the case's name")
    imp.add_argument(
        "--intimate",
        action="store_true",
        help="the files contain intimate images: keep them hidden (blurred) in the app",
    )
    imp.add_argument("files", nargs="+", type=Path, metavar="FILE")

    dossier = sub.add_parser("dossier", help="write a case's evidence dossier (PDF, signed manifest inside)")
    vault_arg(dossier)
    dossier.add_argument("--case", required=True, metavar="NAME", help="the case's name")
    dossier.add_argument("-o", "--output", required=True, type=Path, metavar="FILE", help="the PDF to write")
    dossier.add_argument(
        "--lang", choices=LANGUAGES, default="en", help="the dossier's language (default: en)"
    )
    dossier.add_argument("--person", default="", metavar="NAME", help="how the person chooses to be named")
    dossier.add_argument(
        "--intimate",
        choices=("blur", "hide", "show"),
        default="blur",
        help="intimate pictures blurred (default), left out, or shown as they are",
    )
    dossier.add_argument(
        "--redact-names", action="store_true", help="withhold other people's names in quoted messages"
    )
    dossier.add_argument(
        "--originals",
        type=Path,
        metavar="ZIP",
        help="also write the original files with the signed manifest to this ZIP (not encrypted)",
    )
    dossier.add_argument(
        "--password-from-stdin",
        action="store_true",
        help="protect the PDF with a password (AES-256), read from the line after the passphrase",
    )

    check = sub.add_parser(
        "verify-dossier",
        help="check a dossier's (or an originals bundle's) signature and, given the files, their hashes",
    )
    check.add_argument("file", type=Path, metavar="FILE")
    check.add_argument(
        "--evidence", type=Path, metavar="DIR", help="a folder holding the original files exported with it"
    )
    check.add_argument("--password", default="", help="the dossier's password, if it has one")
    return parser


def read_passphrase(prompt: str, confirm: bool = False) -> str:
    """From the terminal (asked twice when `confirm`); from the first line of standard input otherwise."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Type it again: ") != first:
        raise WeakPassphrase("the two passphrases are not the same")
    return first


def unlock(vault_dir: Path) -> UnlockedVault:
    vault = Vault(vault_dir)
    vault.require()
    return vault.unlock(read_passphrase("Passphrase: "))


def cmd_init(args: argparse.Namespace) -> int:
    passphrase = read_passphrase("Choose a passphrase (at least 10 characters): ", confirm=True)
    _, recovery_key = Vault.create(args.vault, passphrase)
    print(f"Your vault is ready in {args.vault}.")
    print()
    print("Your recovery key (shown only this once):")
    print()
    print(f"    {recovery_key}")
    print()
    print("Write it on paper and keep it somewhere private. If you forget your passphrase,")
    print("it is the only way back into your evidence.")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    vault = unlock(args.vault)
    problems = vault.verify()
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found. The other items are intact.", file=sys.stderr)
        return EXIT_PROBLEMS
    count = sum(len(row.case.evidence) for row in vault.list_cases() if row.case)
    print(f"All {count} item(s) are intact: each matches the fingerprint taken when it was added.")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    missing = [f for f in args.files if not f.is_file()]
    if missing:
        for f in missing:
            print(f"Not a file: {f}", file=sys.stderr)
        return EXIT_IO
    vault = unlock(args.vault)
    try:
        case = vault.find_case(args.case)
    except CaseNotFound:
        case = vault.create_case(args.case)
        print(f"Started a new case: {case.title}")
    added = 0
    for path in args.files:
        modified = datetime.fromtimestamp(path.stat().st_mtime, UTC).isoformat(timespec="seconds")
        try:
            with path.open("rb") as f:
                item = vault.add_evidence(
                    case.id, f, path.name, "application/octet-stream", modified, intimate=args.intimate
                )
        except Rejected as exc:
            print(
                f"Not added: {path.name}: {EXPLANATIONS[exc.reason]}. Nothing of it was kept.",
                file=sys.stderr,
            )
            continue
        except MinorImageRefused:
            print(
                f"Not added: {path.name}: the person in the images was under 18, so intimate images "
                "cannot be kept, even by you. Use Take It Down or Report Remove to get them taken down.",
                file=sys.stderr,
            )
            continue
        added += 1
        print(f"Added {path.name}  {item.detected_type}  sha256 {item.sha256}  md5 {item.md5}")
    print(f"{added} of {len(args.files)} file(s) added to {case.title!r}, encrypted.")
    return EXIT_OK if added == len(args.files) else EXIT_PROBLEMS


def cmd_serve(args: argparse.Namespace) -> int:
    from helper.web.server import make_local_server

    if args.vault.exists() and any(args.vault.iterdir()) and not Vault(args.vault).exists():
        raise NotAVault(f"{args.vault} is not empty and holds no Incident Helper vault")
    server, app = make_local_server(
        Config(vault_path=args.vault, port=args.port, idle_lock_minutes=args.idle_lock)
    )
    services = app.extensions["helper"]

    def announce(url: str) -> None:
        print(f"\nTo open Incident Helper again, use this link:\n\n    {url}\n", flush=True)

    services.on_relaunch_url = announce
    stop = threading.Event()

    def sweep() -> None:
        while not stop.wait(15):
            services.keyring.sweep()

    threading.Thread(target=sweep, name="idle-lock", daemon=True).start()

    def stop_on_terminate(_signum, _frame) -> None:
        raise KeyboardInterrupt  # a shutdown or `kill` locks as Ctrl+C does

    signal.signal(signal.SIGTERM, stop_on_terminate)
    url = services.launch_url(services.launch_tokens.issue())
    print("Incident Helper is running on this computer only. Nothing is sent anywhere.")
    print(f"Your vault: {args.vault}")
    print(f"\nOpen this link in your browser (it works once):\n\n    {url}\n")
    print("Press Ctrl+C here to stop. Stopping locks everything.", flush=True)
    if not args.no_browser:
        webbrowser.open(url)
    try:
        server.serve_forever()  # Werkzeug's returns quietly on Ctrl+C
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        services.keyring.drop_all()
        server.server_close()
    print("\nStopped. Your vault is locked.", flush=True)
    return EXIT_OK


def cmd_dossier(args: argparse.Namespace) -> int:
    vault = unlock(args.vault)
    password = sys.stdin.readline().rstrip("\r\n") if args.password_from_stdin else ""
    case = vault.find_case(args.case)
    options = DossierOptions(
        lang=args.lang,
        person=args.person,
        password=password,
        show_intimate=frozenset(it.id for it in case.evidence if it.intimate and args.intimate == "show"),
        hide_intimate=args.intimate == "hide",
        redact_names=args.redact_names,
    )
    pdf = export_dossier(vault, case.id, options)
    with atomic_file(args.output) as out:
        out.write(pdf)
    print(f"Wrote {args.output} ({len(pdf):,} bytes) for {case.title!r}.")
    if args.originals is not None:
        with atomic_file(args.originals) as out:
            for piece in originals_bundle(vault, case.id, options):
                out.write(piece)
        print(f"Wrote {args.originals}: the original files and the signed manifest (not encrypted).")
    if not password:
        print("The PDF is not encrypted: keep it somewhere private, or export it again with a password.")
    return EXIT_OK


def cmd_verify_dossier(args: argparse.Namespace) -> int:
    content = args.file.read_bytes()
    if content.startswith(b"PK"):  # an originals bundle: its files are checked inside it
        result = verify_bundle(content)
    else:
        result = verify_dossier(content, args.evidence, args.password)
    if result.signed:
        print(f"Signature: valid. Signing key fingerprint: {result.fingerprint}")
        print("Compare it with the fingerprint printed on the dossier's cover.")
        manifest = result.manifest
        count = len(manifest["items"])
        print(f"Case {manifest['case']['title']!r}, exported {manifest['exported_at']}, {count} item(s).")
        if args.evidence is not None or content.startswith(b"PK"):
            print(f"{result.files_checked} of {len(manifest['items'])} file(s) found with matching SHA-256.")
    for problem in result.problems:
        print(f"Problem: {problem}")
    return EXIT_OK if result.ok else EXIT_PROBLEMS


COMMANDS = {
    "serve": cmd_serve,
    "init": cmd_init,
    "verify": cmd_verify,
    "import": cmd_import,
    "dossier": cmd_dossier,
    "verify-dossier": cmd_verify_dossier,
}


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version")):
        argv.insert(0, "serve")  # serving is the default
    args = parser.parse_args(argv)
    if getattr(args, "vault", "") is None:
        args.vault = default_vault_path()
    try:
        return COMMANDS[args.command](args)
    except WrongPassphrase:
        print("That passphrase does not open this vault. Nothing was changed.", file=sys.stderr)
        return EXIT_WRONG_PASSPHRASE
    except WeakPassphrase as exc:
        print(f"Please choose another passphrase: {exc}. Nothing was created.", file=sys.stderr)
        return EXIT_USAGE
    except NotAVault as exc:
        print(f"No vault found: {exc}. Create one with 'incident-helper init --vault DIR'.", file=sys.stderr)
        return EXIT_NO_VAULT
    except VaultExists as exc:
        print(f"Cannot create a vault there: {exc}. Choose an empty or new folder.", file=sys.stderr)
        return EXIT_VAULT_EXISTS
    except VaultError as exc:
        print(f"The vault could not be used: {exc}.", file=sys.stderr)
        return EXIT_IO
    except OSError as exc:
        print(f"A file could not be read or written: {exc.strerror or exc}.", file=sys.stderr)
        return EXIT_IO
