"""`serve` (the default command): the app on 127.0.0.1, opened in the person's browser."""

from __future__ import annotations

import argparse
import html
import os
import shutil
import tempfile
import webbrowser
from pathlib import Path

from helper.cli.exits import EXIT_OK
from helper.cli.terminal import _, say
from helper.cli.vaults import add_vault_option
from helper.config import DEFAULT_IDLE_LOCK_MINUTES, DEFAULT_RETENTION_DAYS


def register(commands: argparse._SubParsersAction) -> None:
    serve = commands.add_parser("serve", help=_("start the app on this computer and open it (the default)"))
    add_vault_option(serve)
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
    serve.set_defaults(run=cmd_serve)


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
    from helper.config import Config
    from helper.vault import NotAVault, Vault
    from helper.web.server import serve

    if args.vault.exists() and any(args.vault.iterdir()) and not Vault(args.vault).exists():
        raise NotAVault(_("%(path)s is not empty and holds no Incident Helper vault") % {"path": args.vault})
    launch_pages: list[Path] = []

    def started(url: str, _address: str) -> None:
        say("Incident Helper is running on this computer only. Nothing is sent anywhere.")
        say("Your vault: %(path)s", path=args.vault)
        print()
        say("Open this link in your browser (it works once):")
        print(f"\n    {url}\n")
        say("Press Ctrl+C here to stop. Stopping locks everything.")
        if args.no_browser:
            return
        launch_pages.append(write_launch_file(url))
        if not open_browser(launch_pages[0].as_uri()):
            print()
            say("No web browser could be opened from here. Copy this link, whole, into your browser:")
            print(f"\n{url}\n", flush=True)

    def relaunched(url: str, address: str) -> None:
        print()
        say("To open Incident Helper again, use this link:")
        print(f"\n    {url}\n", flush=True)
        say("Or open the address %(address)s in your browser and type your passphrase.", address=address)

    config = Config(
        vault_path=args.vault,
        port=args.port,
        idle_lock_minutes=args.idle_lock,
        retention_days=args.retention_days,
    )
    try:
        serve(config, started=started, relaunched=relaunched)
    finally:
        for page in launch_pages:
            shutil.rmtree(page.parent, ignore_errors=True)
    print()
    say("Stopped. Your vault is locked.")
    return EXIT_OK
