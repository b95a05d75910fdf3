"""The process protects what it holds: no core dumps, and key files made to hurt are refused."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyrage
import pytest

from tests.support.cli import ROOT


def _limits(pid: int) -> str:
    with open(f"/proc/{pid}/limits") as f:
        return next(line for line in f if line.startswith("Max core file size"))


def test_the_command_turns_core_dumps_off_before_anything_else():
    code = textwrap.dedent(
        """
        import resource, sys
        from helper import cli
        from helper.hardening import is_dumpable
        cli.harden_process()
        print(resource.getrlimit(resource.RLIMIT_CORE), is_dumpable())
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "(0, 0) False"


def test_serve_runs_without_core_dumps(tmp_path):
    server = subprocess.Popen(
        [sys.executable, "-m", "helper", "serve", "--vault", str(tmp_path / "v"), "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    try:
        assert "running on this computer only" in server.stdout.readline()
        assert _limits(server.pid).split()[4:6] == ["0", "0"]
    finally:
        server.terminate()
        server.wait(timeout=30)
        server.stdout.close()


def test_python_m_helper_never_imports_a_module_planted_in_the_current_folder(tmp_path):
    """`python -m helper` (the README offers it) puts the current folder first on sys.path: a
    `pyrage.py` left in the Downloads folder would run with the passphrase about to be typed."""
    from tests.support.cli import terminal_env

    (tmp_path / "pyrage.py").write_text("open('PLANTED', 'w').close()\nraise SystemExit(99)\n")
    result = subprocess.run(
        [sys.executable, "-m", "helper", "verify", "--vault", str(tmp_path / "none")],
        cwd=tmp_path, capture_output=True, text=True, env=terminal_env(), timeout=120, check=False,
    )  # fmt: skip
    assert not (tmp_path / "PLANTED").exists()
    assert result.returncode == 4, result.stderr  # no vault there, said with the real pyrage loaded


# -- key files made to hurt ------------------------------------------------------------------------


def _with_work_factor(wrapped: bytes, log_n: int) -> bytes:
    head, sep, rest = wrapped.partition(b"\n-> scrypt ")
    salt, _old, tail = rest.partition(b"\n")[0].rpartition(b" ")
    return head + sep + salt + b" " + str(log_n).encode() + b"\n" + rest.partition(b"\n")[2]


def test_a_hostile_work_factor_is_refused_before_any_work(vault_dir):
    from helper.vault import KeyFileRefused, Vault
    from tests.support.web import PASSPHRASE

    identity = vault_dir / "identity.age"
    identity.write_bytes(_with_work_factor(identity.read_bytes(), 23))
    started = time.monotonic()
    with pytest.raises(KeyFileRefused, match="far more memory"):
        Vault(vault_dir).unlock(PASSPHRASE)
    assert time.monotonic() - started < 0.5  # not 30 s and 8 GB


def test_a_key_file_that_holds_no_key_is_a_calm_refusal(vault_dir, app):
    from helper.vault import KeyFileRefused, Vault
    from tests.support.cli import run
    from tests.support.web import ORIGIN, PASSPHRASE, csrf_token

    (vault_dir / "identity.age").write_bytes(pyrage.passphrase.encrypt(b"not a key at all", PASSPHRASE))
    with pytest.raises(KeyFileRefused):
        Vault(vault_dir).unlock(PASSPHRASE)
    result = run("verify", "--vault", str(vault_dir), stdin=f"{PASSPHRASE}\n")
    assert result.returncode == 3
    assert "holds no key" in result.stderr
    assert "Traceback" not in result.stderr
    browser = app.test_client()
    browser.environ_base["HTTP_ORIGIN"] = ORIGIN
    browser.get(f"/?token={app.extensions['helper'].launch_tokens.issue()}")
    page = browser.post(
        "/session/unlock", data={"csrf_token": csrf_token(browser), "passphrase": PASSPHRASE}
    ).get_data(as_text=True)
    assert "holds no key" in page
    assert "Something went wrong on our side" not in page


def _one_character_short(wrapped: bytes, field: str) -> bytes:
    """The key file with one of its base64 fields a character shorter: the salt (22 characters, so
    21 is no base64 length at all), the stanza's body, or the header's MAC."""
    lines = wrapped.split(b"\n")
    if field == "salt":
        arrow, kind, salt, log_n = lines[1].split(b" ")
        lines[1] = b" ".join((arrow, kind, salt[:-1], log_n))
    elif field == "body":
        lines[2] = lines[2][:-1]
    else:
        lines[3] = lines[3][:-1]
    return b"\n".join(lines)


@pytest.mark.parametrize("field", ["salt", "body", "mac"])
def test_a_key_file_with_a_base64_field_one_character_short_is_a_calm_refusal(vault_dir, app, field):
    from helper.vault import KeyFileRefused, Vault
    from tests.support.cli import run
    from tests.support.web import ORIGIN, PASSPHRASE, csrf_token

    identity = vault_dir / "identity.age"
    identity.write_bytes(_one_character_short(identity.read_bytes(), field))
    with pytest.raises(KeyFileRefused, match="damaged"):
        Vault(vault_dir).unlock(PASSPHRASE)
    result = run("verify", "--vault", str(vault_dir), stdin=f"{PASSPHRASE}\n")
    assert result.returncode == 3
    assert "The vault's key file was refused: the key file's header is damaged." in result.stderr
    assert "Traceback" not in result.stderr
    browser = app.test_client()
    browser.environ_base["HTTP_ORIGIN"] = ORIGIN
    browser.get(f"/?token={app.extensions['helper'].launch_tokens.issue()}")
    unlocking = browser.post(
        "/session/unlock", data={"csrf_token": csrf_token(browser), "passphrase": PASSPHRASE}
    )
    assert unlocking.status_code == 200
    assert "is damaged" in unlocking.get_data(as_text=True)
    stranger = app.test_client()  # the way back, from the closed page
    stranger.environ_base["HTTP_ORIGIN"] = ORIGIN
    back = stranger.post(
        "/session/reopen", data={"csrf_token": csrf_token(stranger, "/"), "passphrase": PASSPHRASE}
    )
    assert back.status_code == 403
    assert "is damaged" in back.get_data(as_text=True)


def test_a_vault_is_private_whatever_the_umask_and_verify_warns_otherwise(tmp_path):
    from helper.vault import Vault
    from tests.support.cli import run
    from tests.support.web import PASSPHRASE

    folder = tmp_path / "existing"
    folder.mkdir(mode=0o755)
    old = os.umask(0o022)
    try:
        unlocked, _key = Vault.create(folder, PASSPHRASE)
        case = unlocked.create_case("Private")
    finally:
        os.umask(old)
    for path in [folder, *folder.rglob("*")]:
        mode = path.stat().st_mode & 0o777
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))
    assert Vault(folder).too_open() == []
    os.chmod(folder / "cases" / f"{case.id}.age", 0o644)
    result = run("verify", "--vault", str(folder), stdin=f"{PASSPHRASE}\n")
    assert "other users of this computer may read" in result.stderr
    assert f"{case.id}.age" in result.stderr


def test_the_browser_is_opened_on_a_private_file_not_with_the_token(tmp_path):
    """`ps` shows every user the browser's command line: the launch token must not be on it."""
    seen = tmp_path / "browser-argv.txt"
    browser = tmp_path / "fake-browser"
    browser.write_text(f'#!/bin/sh\necho "$@" > {seen}\ncat "${{1#file://}}" >> {seen}.page\n')
    browser.chmod(0o755)
    env = {**os.environ, "BROWSER": f"{browser} %s", "DISPLAY": ""}
    server = subprocess.Popen(
        [sys.executable, "-m", "helper", "serve", "--vault", str(tmp_path / "v")],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while not (seen.exists() and (tmp_path / "browser-argv.txt.page").exists()):
            assert time.monotonic() < deadline, "the browser was not opened"
            time.sleep(0.05)
        time.sleep(0.2)
        argv = seen.read_text()
        assert argv.startswith("file:///")
        assert "token" not in argv
        page = Path(argv.strip().removeprefix("file://"))
        assert stat.S_IMODE(page.stat().st_mode) == 0o600
        assert stat.S_IMODE(page.parent.stat().st_mode) == 0o700
        assert "?token=" in (tmp_path / "browser-argv.txt.page").read_text()
    finally:
        server.terminate()
        server.wait(timeout=30)
        server.stdout.close()
    assert not page.exists()  # removed when the app stops


def _referenced_strings_with(marker: str) -> list[str]:
    """Every string still reachable from a container the garbage collector tracks that holds `marker`
    (freed memory is not zeroed by Python; what a process can promise is to hold no reference)."""
    import gc

    gc.collect()
    found = []
    for obj in gc.get_objects():
        values = obj.values() if isinstance(obj, dict) else obj if isinstance(obj, list | tuple | set) else ()
        try:
            found += [v for v in values if isinstance(v, str) and marker in v]
        except (RuntimeError, TypeError):
            continue
    return found


def test_after_lock_nothing_of_the_case_is_still_referenced(app, client, token, unlocked):
    from helper.case import Threat
    from tests.support.web import new_case

    case_id = new_case(client, token, title="QWMARKTITLE")
    unlocked.update_case(
        case_id,
        lambda c: c.with_incident(narrative="QWMARKSTORY").with_entry(
            "threats", Threat(id="t", wording="QWMARKTHREAT")
        ),
        None,
        {},
    )
    for path in (f"/cases/{case_id}", f"/walkthrough/{case_id}/review", f"/walkthrough/{case_id}/story"):
        assert client.get(path).status_code == 200
    from tests.support import samples
    from tests.support.web import upload_raw

    upload_raw(
        client, token, case_id, samples.WHATSAPP_ANDROID.encode(), "c.txt", **{"Content-Type": "text/plain"}
    )
    item = unlocked.load_case(case_id).evidence[0]
    client.post(
        f"/evidence/{case_id}/{item.id}/messages/search", data={"csrf_token": token, "q": "QWMARKSEARCH"}
    )
    client.post("/session/lock", data={"csrf_token": token})
    del unlocked
    leftovers = _referenced_strings_with("QWMARK")
    assert leftovers == []


@pytest.mark.parametrize(
    ("lang", "words"), [("C.UTF-8", "No web browser could be opened"), ("fr_FR.UTF-8", "Aucun")]
)
def test_without_a_browser_the_link_is_said_plainly_on_a_line_of_its_own(tmp_path, lang, words):
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env.update({"BROWSER": "/bin/false", "DISPLAY": "", "LANG": lang})
    server = subprocess.Popen(
        [sys.executable, "-m", "helper", "serve", "--vault", str(tmp_path / "v")],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=tmp_path, env=env,
    )  # fmt: skip
    lines = []
    try:
        for line in server.stdout:
            lines.append(line.rstrip("\n"))
            if words in line:
                lines.extend(next(server.stdout).rstrip("\n") for _ in range(2))
                break
    finally:
        server.terminate()
        server.wait(timeout=30)
        server.stdout.close()
    assert any(words in line for line in lines)
    alone = [line for line in lines if line.startswith("http://127.0.0.1:")]
    assert alone, lines  # the link alone on its line, from its first character: easy to copy whole
    assert "?token=" in alone[-1]
