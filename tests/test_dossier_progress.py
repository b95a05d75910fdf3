"""The dossier says how far it has come while it is made: to a callback (the domain), to the page's
script (an endpoint), and on a terminal (standard error, only when it is one)."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys

from helper.dossier import DossierOptions, export_dossier
from helper.dossier.manifest import verify_dossier
from helper.web.services import SESSION_HANDLE
from tests.support import samples
from tests.support.cli import ROOT, terminal_env
from tests.support.evidence import add_file
from tests.support.web import PASSPHRASE, new_case, upload


def _case_with_pictures(vault, count: int = 3) -> str:
    case = vault.create_case("Progress SAMPLE")
    for n in range(count):
        add_file(vault, case.id, io.BytesIO(samples.png(80 + n, 60)), f"shot-{n}-SAMPLE.png", "image/png")
    return case.id


def test_the_export_tells_its_callback_how_far_it_has_come(unlocked):
    case_id = _case_with_pictures(unlocked)
    heard: list[tuple[int, int]] = []
    pdf = export_dossier(unlocked, case_id, DossierOptions(), on_progress=lambda d, t: heard.append((d, t)))
    assert verify_dossier(pdf).ok
    totals = {total for _, total in heard}
    assert len(totals) == 1
    (total,) = totals
    done = [d for d, _ in heard]
    assert done[0] == 0
    assert done == sorted(done)  # it only ever grows
    assert heard[-1] == (total, total)  # and ends complete, once sealed
    assert len({d for d in done if 0 < d < total}) > 3 * 3  # each item's page among the steps


def test_the_page_follows_its_dossier_by_a_token_only_its_session_can_read(app, client, token, unlocked):
    case_id = new_case(client, token)
    upload(client, token, case_id, (io.BytesIO(samples.png(120, 90)), "shot-SAMPLE.png"))
    page = client.get(f"/dossier/{case_id}").get_data(as_text=True)
    follow = re.search(r'name="progress" value="([0-9a-f]{32})"', page).group(1)
    assert f"/dossier/{case_id}/progress/{follow}" in page
    assert "dossier.js" in page
    assert client.get(f"/dossier/{case_id}/progress/{follow}").status_code == 404  # nothing asked yet

    board = app.extensions["helper"].dossier_progress
    seen = []
    real_start = board.start

    def start(handle, asked):
        heard = real_start(handle, asked)

        def told(done, total):
            heard(done, total)
            seen.append(board.get(handle, asked))  # what the endpoint answers at that moment

        return told

    board.start = start
    response = client.post(
        f"/dossier/{case_id}",
        data={"csrf_token": token, "lang": "en", "intimate": "blur", "action": "pdf", "progress": follow},
    )
    assert response.mimetype == "application/pdf"
    assert any(0 < s.done < s.total and not s.finished for s in seen)
    answer = client.get(f"/dossier/{case_id}/progress/{follow}").get_json()
    assert answer["finished"] is True
    assert answer["failed"] is False
    assert answer["done"] == answer["total"] > 0

    stranger = app.test_client()
    stranger.environ_base["HTTP_ORIGIN"] = client.environ_base["HTTP_ORIGIN"]
    launch = app.extensions["helper"].launch_tokens.issue()
    stranger.get(f"/?token={launch}")
    with stranger.session_transaction() as sess:  # another window, with the vault open too
        sess[SESSION_HANDLE] = app.extensions["helper"].keyring.add(unlocked)
    assert stranger.get(f"/dossier/{case_id}/progress/{follow}").status_code == 404
    assert client.get(f"/dossier/{case_id}/progress/not-a-token").status_code == 404


def _dossier_command(vault_dir, out, stderr):
    return subprocess.run(
        [sys.executable, "-m", "helper", "dossier", "--vault", str(vault_dir), "--case", "Progress SAMPLE"]
        + ["-o", str(out)],
        input=f"{PASSPHRASE}\n",
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
        cwd=ROOT,
        env=terminal_env(),
        timeout=120,
        check=False,
    )


def test_the_command_prints_its_progress_on_a_terminal_only(unlocked, vault_dir, tmp_path):
    _case_with_pictures(unlocked)
    quiet = _dossier_command(vault_dir, tmp_path / "quiet.pdf", subprocess.PIPE)
    assert quiet.returncode == 0, quiet.stderr
    assert "Making the dossier" not in quiet.stderr + quiet.stdout

    leader, follower = os.openpty()  # standard error a terminal, as in a person's window
    try:
        shown = _dossier_command(vault_dir, tmp_path / "shown.pdf", follower)
        os.close(follower)
        follower = -1
        written = b""
        while True:
            try:
                piece = os.read(leader, 65536)
            except OSError:  # the terminal's other end is closed: everything was read
                break
            if not piece:
                break
            written += piece
    finally:
        if follower >= 0:
            os.close(follower)
        os.close(leader)
    assert shown.returncode == 0
    lines = written.decode().replace("\r\n", "\n").split("\r")
    percents = [int(m) for m in re.findall(r"Making the dossier: (\d+)%", written.decode())]
    assert percents == sorted(percents)
    assert percents[0] == 0
    assert percents[-1] == 100
    assert len(percents) > 2
    assert lines[-1].endswith("\n")
    assert "Making the dossier" not in shown.stdout
    assert verify_dossier((tmp_path / "shown.pdf").read_bytes()).ok
