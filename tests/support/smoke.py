"""What a person does first with an installed Incident Helper, run against any way of installing it
(the wheel in a fresh environment, the self-contained bundle): from an empty folder, with nothing of
the source tree in reach.

`smoke(command, folder)` runs `command` (a list: the program and any first arguments) through init,
import (a picture, a WhatsApp export), a French dossier with a password, verify-dossier, then serve,
fetching the setup page, a static file and Help now, each with the security headers."""

from __future__ import annotations

import http.cookiejar
import re
import subprocess
import urllib.request
from pathlib import Path

from tests.support import samples
from tests.support.cli import terminal_env

PASSPHRASE = "smoke test passphrase"
PASSWORD = "SAMPLE pdf password"
HEADERS = ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy")


BARE_PATH = False  # set by `smoke(..., bare=True)`: no folder on PATH, so no Python to fall back on


def _env() -> dict[str, str]:
    """An English terminal with nothing of this test run's Python in it."""
    env = {k: v for k, v in terminal_env().items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    if BARE_PATH:
        env["PATH"] = ""
    return env


def _run(command: list[str], folder: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    result = subprocess.run(
        [*command, *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=folder,
        timeout=300,
        check=False,
        env=_env(),
    )
    assert result.returncode == 0, (args, result.stdout[-2000:], result.stderr[-2000:])
    return result


def _fetch(opener, url: str) -> tuple[int, dict[str, str], str]:
    with opener.open(url, timeout=30) as response:
        return response.status, dict(response.headers), response.read().decode("utf-8", "replace")


def smoke(command: list[str], folder: Path, bare: bool = False) -> None:
    global BARE_PATH
    BARE_PATH = bare
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "shot.jpg").write_bytes(samples.jpeg())
    (folder / "WhatsApp Chat.zip").write_bytes(samples.whatsapp_zip())
    vault = "vault"
    assert (
        "recovery key" in _run(command, folder, "init", "--vault", vault, stdin=f"{PASSPHRASE}\n" * 2).stdout
    )
    imported = _run(
        command, folder, "import", "--vault", vault, "--case", "Smoke", "shot.jpg", "WhatsApp Chat.zip",
        stdin=f"{PASSPHRASE}\n",
    )  # fmt: skip
    assert "2 of 2" in imported.stdout, imported.stdout
    _run(
        command, folder, "dossier", "--vault", vault, "--case", "Smoke", "--lang", "fr", "-o", "dossier.pdf",
        "--password-from-stdin", stdin=f"{PASSPHRASE}\n{PASSWORD}\n",
    )  # fmt: skip
    assert (folder / "dossier.pdf").read_bytes().startswith(b"%PDF")
    checked = _run(command, folder, "verify-dossier", "--password", PASSWORD, "dossier.pdf")
    assert "2" in checked.stdout
    _serve(command, folder)


def _serve(command: list[str], folder: Path) -> None:
    server = subprocess.Popen(
        [*command, "serve", "--no-browser", "--vault", "new-vault"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=folder,
        env=_env(),
    )
    assert server.stdout is not None
    assert server.stderr is not None
    try:
        url = None
        for line in server.stdout:
            found = re.search(r"(http://127\.0\.0\.1:\d+/\?token=\S+)", line)
            if found:
                url = found.group(1)
                break
        assert url, server.stderr.read()[-2000:]
        base = url.split("/?")[0]
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        status, headers, page = _fetch(opener, url)
        assert status == 200
        assert "passphrase" in page.lower()  # the setup page: choose a passphrase
        for path, expected in (("/static/app.css", "{"), ("/help/", "112")):
            status, headers, body = _fetch(opener, base + path)
            assert status == 200, path
            assert expected in body, path
            for name in HEADERS:
                assert name in headers, (path, name)
    finally:
        server.terminate()
        server.wait(timeout=30)
        server.stdout.close()
        server.stderr.close()
