"""The `incident-helper` command (also `python -m helper`)."""

from __future__ import annotations

import argparse
import getpass
import html
import logging
import os
import shutil
import signal
import sys
import tempfile
import threading
import webbrowser
from datetime import UTC, datetime
from pathlib import Path

from helper import __version__, handover
from helper.casework import letters
from helper.config import DEFAULT_IDLE_LOCK_MINUTES, DEFAULT_RETENTION_DAYS, Config, default_vault_path
from helper.content import shipped
from helper.dossier import DossierOptions, export_dossier
from helper.dossier.bundle import originals_bundle
from helper.dossier.manifest import verify_bundle, verify_dossier
from helper.evidence.desk import EvidenceDesk
from helper.hardening import harden_process
from helper.i18n import terminal_language, translator
from helper.letters.engine import LetterWriter
from helper.resources import data_dir
from helper.vault import (
    CaseNotFound,
    KeyFileRefused,
    NotAVault,
    UnlockedVault,
    Vault,
    VaultError,
    VaultExists,
    WeakPassphrase,
    WrongPassphrase,
    crypto,
)
from helper.vault.atomic import atomic_file
from helper.vault.errors import is_disk_full
from helper.vault.passphrase import check_new_passphrase
from helper.vocabulary import LANGUAGE_NAMES, LANGUAGES, N_

# The terminal's words, in its language (LANG / LC_ALL / LANGUAGE): set once by `main`.
_t = translator("en")


def _(message: str) -> str:
    return _t.gettext(message)


def say(text: str, **params) -> None:
    print(_(text) % params if params else _(text), flush=True)


def warn(text: str, **params) -> None:
    print(_(text) % params if params else _(text), file=sys.stderr, flush=True)


EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_WRONG_PASSPHRASE = 3
EXIT_NO_VAULT = 4
EXIT_VAULT_EXISTS = 5
EXIT_IO = 6

DESCRIPTION = N_(
    """\
Incident Helper helps you document sextortion, keeps your evidence encrypted on this computer,
and writes what police and platforms need. Nothing is sent anywhere.

With no command, it starts the app and opens it in your browser."""
)

EXIT_CODES = N_(
    """\
exit codes: 0 done, 1 problems found by verify, files refused by import, a letter missing
            something, or a hand-over bundle refused; 2 wrong usage,
            3 wrong passphrase, 4 no vault in that folder, 5 the folder is not empty,
            6 a file could not be read or written"""
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


# argparse's own words, so that `--help` and usage errors are wholly in the terminal's language.
ARGPARSE_WORDS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("expected one argument"),
    N_("invalid %(type)s value: %(value)r"),
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
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def vault_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--vault",
            type=Path,
            default=None,
            metavar="DIR",
            help=_("the vault folder (default: %(path)s)") % {"path": default_vault_path()},
        )

    serve = sub.add_parser("serve", help=_("start the app on this computer and open it (the default)"))
    vault_arg(serve)
    serve.add_argument("--port", type=int, default=0, help=_("port on 127.0.0.1 (default: any free port)"))
    serve.add_argument(
        "--no-browser", action="store_true", help=_("print the link but do not open a browser")
    )
    serve.add_argument(
        "--idle-lock",
        type=float,
        default=DEFAULT_IDLE_LOCK_MINUTES,
        metavar="MINUTES",
        help=_("lock after this many minutes without activity (default: %(minutes)s)")
        % {"minutes": DEFAULT_IDLE_LOCK_MINUTES},
    )
    serve.add_argument(
        "--retention-days",
        type=int,
        default=DEFAULT_RETENTION_DAYS,
        metavar="DAYS",
        help=_("point out closed cases older than this, for deletion (default: %(days)s)")
        % {"days": DEFAULT_RETENTION_DAYS},
    )

    init = sub.add_parser("init", help=_("create a vault (asks for a passphrase, prints a recovery key)"))
    vault_arg(init)

    verify = sub.add_parser("verify", help=_("re-check every stored item against its fingerprint"))
    vault_arg(verify)

    imp = sub.add_parser("import", help=_("add files as evidence to a case (created if new)"))
    vault_arg(imp)
    imp.add_argument("--case", required=True, metavar="NAME", help=_("the case's name"))
    imp.add_argument(
        "--intimate",
        action="store_true",
        help=_("the files contain intimate images: keep them hidden (blurred) in the app"),
    )
    imp.add_argument(
        "--no-intimate",
        action="store_true",
        help=_(
            "the files contain no intimate image (needed when the person in the images was under 18: "
            "then only screenshots of messages, profiles, links or payments are kept)"
        ),
    )
    imp.add_argument("files", nargs="+", type=Path, metavar="FILE")

    dossier = sub.add_parser(
        "dossier", help=_("write a case's evidence dossier (PDF, signed manifest inside)")
    )
    vault_arg(dossier)
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

    letters = sub.add_parser(
        "letters", help=_("list the letters that fit a case, each with what it still lacks")
    )
    vault_arg(letters)
    letters.add_argument("--case", required=True, metavar="NAME", help=_("the case's name"))

    letter = sub.add_parser(
        "letter", help=_("write one letter or report from a case (exit 1: written, but something is missing)")
    )
    vault_arg(letter)
    letter.add_argument("--case", required=True, metavar="NAME", help=_("the case's name"))
    letter.add_argument(
        "--kind", required=True, metavar="KIND", help=_("which letter (see 'incident-helper letters')")
    )
    letter.add_argument("--platform", default=None, metavar="ID", help=_("the platform it goes to (e.g. x)"))
    letter.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=None,
        help=_("the letter's language (default: the one it is sent in)"),
    )
    letter.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help=_("the file to write (default: print it)")
    )
    letter.add_argument(
        "--format",
        choices=("txt", "eml"),
        default="txt",
        help=_("text, or an e-mail draft for your mail program (default: txt)"),
    )

    keygen = sub.add_parser(
        "keygen", help=_("make an organisation's key pair for receiving hand-over bundles")
    )
    keygen.add_argument(
        "-o", "--output", required=True, type=Path, metavar="FILE", help=_("the private key file to write")
    )

    send = sub.add_parser("handover", help=_("export a case, encrypted to an organisation's public key"))
    vault_arg(send)
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

    receive = sub.add_parser(
        "receive", help=_("import a hand-over bundle into this vault, every file checked")
    )
    vault_arg(receive)
    receive.add_argument("file", type=Path, metavar="FILE")
    receive.add_argument(
        "--key", required=True, type=Path, metavar="KEYFILE", help=_("the organisation's private key file")
    )

    check = sub.add_parser(
        "verify-dossier",
        help=_("check a dossier's (or an originals bundle's) signature and, given the files, their hashes"),
    )
    check.add_argument("file", type=Path, metavar="FILE")
    check.add_argument(
        "--evidence", type=Path, metavar="DIR", help=_("a folder holding the original files exported with it")
    )
    check.add_argument("--password", default="", help=_("the dossier's password, if it has one"))
    return parser


def read_passphrase(prompt: str, confirm: bool = False) -> str:
    """From the terminal (asked twice when `confirm`); from the first line of standard input otherwise."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass(_("Type it again: ")) != first:
        raise WeakPassphrase(_("the two passphrases are not the same"))
    return first


def unlock(vault_dir: Path) -> UnlockedVault:
    vault = Vault(vault_dir)
    vault.require()
    unlocked = vault.unlock(read_passphrase(_("Passphrase: ")))
    vault.remove_stale_temps()  # what a killed writer left; files being written elsewhere are locked
    unlocked.remove_orphans()  # files written but never added (a killed import), once old enough
    return unlocked


def cmd_init(args: argparse.Namespace) -> int:
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
    vault = unlock(args.vault)
    for path in Vault(args.vault).too_open():
        warn("Warning: other users of this computer may read %(path)s (run: chmod go-rwx on it).", path=path)
    problems = vault.verify()
    for problem in problems:
        print(problem.describe(_))
    if problems:
        warn("%(num)s problem(s) found. The other items are intact.", num=len(problems))
        return EXIT_PROBLEMS
    count = sum(len(row.case.evidence) for row in vault.list_cases() if row.case)
    say("All %(num)s item(s) are intact: each matches the fingerprint taken when it was added.", num=count)
    stray = vault.orphans() or []
    if stray:
        say(
            "%(num)s encrypted file(s) belong to no case (left by an interrupted import or upload): "
            "they are removed at an unlock once they are ten minutes old.",
            num=len(stray),
        )
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    missing = [f for f in args.files if not f.is_file()]
    if missing:
        for f in missing:
            warn("Not a file: %(path)s", path=f)
        return EXIT_IO
    vault = unlock(args.vault)
    case, created = vault.find_or_create_case(args.case)
    if created:
        say("Started a new case: %(title)s", title=case.title)
    desk = EvidenceDesk(vault)
    added = 0
    for path in args.files:
        stat = path.stat()
        modified = datetime.fromtimestamp(stat.st_mtime, UTC).isoformat(timespec="seconds")
        with path.open("rb") as f:
            outcome = desk.receive_stream(
                case.id,
                f,
                name=path.name,
                expected_size=stat.st_size,  # a large file is encrypted by a second process meanwhile
                file_modified=modified,
                intimate=args.intimate,
                declared_not_intimate=args.no_intimate,
            )
        if not outcome.saved:
            warn("Not added: %(message)s", message=outcome.message(_))
            continue
        added += 1
        item = outcome.item
        say(
            "Added %(name)s  %(type)s  sha256 %(sha256)s  md5 %(md5)s",
            name=path.name,
            type=item.detected_type,
            sha256=item.sha256,
            md5=item.md5,
        )
    say(
        "%(added)s of %(num)s file(s) added to “%(title)s”, encrypted.",
        added=added,
        num=len(args.files),
        title=case.title,
    )
    return EXIT_OK if added == len(args.files) else EXIT_PROBLEMS


def write_launch_file(url: str) -> Path:
    """A private page that forwards the browser to `url`, as Jupyter does: the browser is started on
    this file's path, so the one-time token never appears on a command line that `ps` shows to every
    user of the computer. The folder is 0700 and the file 0600."""
    folder = Path(tempfile.mkdtemp(prefix="incident-helper-"))
    page = folder / "open.html"
    fd = os.open(page, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(
            '<!doctype html><meta charset="utf-8"><meta name="referrer" content="no-referrer">'
            f'<meta http-equiv="refresh" content="0;url={html.escape(url)}">'
            f'<title>Incident Helper</title><p><a href="{html.escape(url)}">Incident Helper</a></p>'
        )
    return page


def open_browser(uri: str) -> bool:
    """Whether a browser could be started (none on a bare server, a locked-down account...)."""
    try:
        return bool(webbrowser.open(uri))
    except webbrowser.Error:
        return False


def cmd_serve(args: argparse.Namespace) -> int:
    from helper.web.server import make_local_server

    if args.vault.exists() and any(args.vault.iterdir()) and not Vault(args.vault).exists():
        raise NotAVault(_("%(path)s is not empty and holds no Incident Helper vault") % {"path": args.vault})
    server, app = make_local_server(
        Config(
            vault_path=args.vault,
            port=args.port,
            idle_lock_minutes=args.idle_lock,
            retention_days=args.retention_days,
        )
    )
    services = app.extensions["helper"]

    def announce(url: str) -> None:
        print()
        say("To open Incident Helper again, use this link:")
        print(f"\n    {url}\n", flush=True)
        say(
            "Or open the address %(address)s in your browser and type your passphrase.",
            address=services.home_url(),
        )

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
    say("Incident Helper is running on this computer only. Nothing is sent anywhere.")
    say("Your vault: %(path)s", path=args.vault)
    print()
    say("Open this link in your browser (it works once):")
    print(f"\n    {url}\n")
    say("Press Ctrl+C here to stop. Stopping locks everything.")
    launch_page = None
    if not args.no_browser:
        launch_page = write_launch_file(url)
        if not open_browser(launch_page.as_uri()):
            print()
            say("No web browser could be opened from here. Copy this link, whole, into your browser:")
            print(f"\n{url}\n", flush=True)
    try:
        server.serve_forever()  # Werkzeug's returns quietly on Ctrl+C
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        services.keyring.drop_all()
        server.server_close()
        if launch_page is not None:
            shutil.rmtree(launch_page.parent, ignore_errors=True)
    print()
    say("Stopped. Your vault is locked.")
    return EXIT_OK


def cmd_dossier(args: argparse.Namespace) -> int:
    vault = unlock(args.vault)
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


def cmd_keygen(args: argparse.Namespace) -> int:
    if args.output.exists():
        warn("%(path)s already exists: choose another name. Nothing was written.", path=args.output)
        return EXIT_USAGE
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
    try:
        recipient = handover.parse_recipient(args.to)
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
                names=", ".join(unknown),
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
    vault = unlock(args.vault)
    key_passphrase = read_passphrase(_("Passphrase of the key: "))
    identity = crypto.unwrap_identity(args.key.read_bytes(), key_passphrase)
    try:
        received = handover.receive_bundle(vault, args.file, identity)
    except handover.HandoverError as exc:
        warn("The bundle was refused: %(why)s. Nothing was imported.", why=exc.describe(_))
        return EXIT_PROBLEMS
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


def _letter_writer() -> LetterWriter:
    return LetterWriter.from_content_root(shipped(), data_dir("content"))


def _element_line(element, lang: str) -> str:
    return _("missing: %(what)s (%(clause)s). %(fix)s") % {
        "what": element.name.get(lang),
        "clause": element.clause.get(lang),
        "fix": element.fix.get(lang),
    }


def cmd_letters(args: argparse.Namespace) -> int:
    vault = unlock(args.vault)
    case = vault.find_case(args.case)
    writer = _letter_writer()
    lang = terminal_language()
    if not case.incident.country:
        say("The country where you live is not set in this case: only letters that fit anywhere are listed.")
    for option in writer.options(case):
        command = option.kind.id + (f" --platform {option.platform.id}" if option.platform else "")
        print(f"{command}\n    {option.kind.name.get(lang)}")
        if not option.missing:
            print("    " + _("complete"))
        for element in option.missing:
            print("    " + _element_line(element, lang))
    return EXIT_OK


def cmd_letter(args: argparse.Namespace) -> int:
    vault = unlock(args.vault)
    case = vault.find_case(args.case)
    writer = _letter_writer()
    shown = terminal_language()
    try:
        kind = writer.content.kind(args.kind)
    except KeyError:
        warn(
            "There is no letter called “%(kind)s”. These exist: %(kinds)s.",
            kind=args.kind,
            kinds=", ".join(k.id for k in writer.content.kinds),
        )
        return EXIT_USAGE
    if args.platform is not None and writer.content.platform(args.platform) is None:
        warn(
            "There is no platform called “%(platform)s”. These exist: %(platforms)s.",
            platform=args.platform,
            platforms=", ".join(p.id for p in writer.content.platforms),
        )
        return EXIT_USAGE
    try:
        lang = letters.letter_language(kind, args.lang, shown)
    except letters.LanguageNotOffered:
        names = ", ".join(LANGUAGE_NAMES[code] for code in kind.langs)
        warn("This letter is written only in: %(languages)s.", languages=names)
        return EXIT_USAGE
    letter = writer.write(case, kind.id, args.platform, lang)
    data = letter.eml(case.signer.email) if args.format == "eml" else letter.text.encode()
    letters.keep_copy(vault, case.id, letter, args.format)
    if args.output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        with atomic_file(args.output) as out:
            out.write(data)
        say("Wrote %(path)s. Nothing was sent: you send it yourself.", path=args.output)
    if letter.form:
        say("Paste it into the form at %(url)s", url=letter.form.url)
    for element in letter.missing:
        warn(_element_line(element, shown))
    for url in letter.bare:
        warn("“%(url)s” names a site, not an image: add the full address of the post or image.", url=url)
    return EXIT_PROBLEMS if letter.missing else EXIT_OK


COMMANDS = {
    "serve": cmd_serve,
    "init": cmd_init,
    "verify": cmd_verify,
    "import": cmd_import,
    "dossier": cmd_dossier,
    "verify-dossier": cmd_verify_dossier,
    "letters": cmd_letters,
    "letter": cmd_letter,
    "keygen": cmd_keygen,
    "handover": cmd_handover,
    "receive": cmd_receive,
}


def main(argv: list[str] | None = None) -> int:
    global _t
    harden_process()  # before any secret is in memory: no core dump can hold it
    _t = translator(terminal_language())
    # argparse looks its words up through its module's `_` when it uses them (pinned by a contract test).
    argparse._ = _t.gettext  # type: ignore[attr-defined]
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
    except KeyFileRefused as exc:
        warn("The vault's key file was refused: %(why)s. Nothing was changed.", why=exc.describe(_))
        return EXIT_WRONG_PASSPHRASE
    except WrongPassphrase:
        warn("That passphrase does not open this vault. Nothing was changed.")
        return EXIT_WRONG_PASSPHRASE
    except WeakPassphrase as exc:
        warn("Please choose another passphrase: %(why)s. Nothing was created.", why=_(str(exc)))
        return EXIT_USAGE
    except NotAVault as exc:
        warn("No vault found: %(why)s. Create one with 'incident-helper init --vault DIR'.", why=exc)
        return EXIT_NO_VAULT
    except VaultExists as exc:
        warn("Cannot create a vault there: %(why)s. Choose an empty or new folder.", why=exc)
        return EXIT_VAULT_EXISTS
    except CaseNotFound:
        warn("No case has that name. Check the spelling, or open the app to see your cases.")
        return EXIT_USAGE
    except VaultError as exc:
        warn("The vault could not be used: %(why)s.", why=exc)
        return EXIT_IO
    except OSError as exc:
        if is_disk_full(exc):
            warn("The disk is full, so this was not saved. What you saved before is safe.")
            warn("Make some room (empty the bin, move large files to another disk), then try again.")
        else:
            warn("A file could not be read or written: %(path)s.", path=exc.filename or "?")
        return EXIT_IO
