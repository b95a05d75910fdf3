"""`import`: files from this computer become evidence of a case, each checked and encrypted."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from helper.cli.exits import EXIT_IO, EXIT_OK, EXIT_PROBLEMS
from helper.cli.terminal import _, say, warn
from helper.cli.vaults import add_vault_option, unlock


def register(commands: argparse._SubParsersAction) -> None:
    imp = commands.add_parser("import", help=_("add files as evidence to a case (created if new)"))
    add_vault_option(imp)
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
    imp.set_defaults(run=cmd_import)


def cmd_import(args: argparse.Namespace) -> int:
    missing = [f for f in args.files if not f.is_file()]
    if missing:
        for f in missing:
            warn("Not a file: %(path)s", path=f)
        return EXIT_IO
    vault = unlock(args.vault)
    from helper.evidence.desk import EvidenceDesk  # after the unlock: scrypt's memory peak stays lower

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
        item = outcome.item  # set when saved
        if not outcome.saved or item is None:
            warn("Not added: %(message)s", message=outcome.message(_))
            continue
        added += 1
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
