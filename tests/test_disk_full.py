"""A full disk, on every path that writes: the person is told plainly ("the disk is full"), keeps what
they typed, no temp file stays behind, nothing half-written is kept, and never a 500 page. Getting
the dossier out (to another disk) still works while the vault's disk is full.

The full disk is injected where every vault file is opened for writing (`open_temp`): the file is
created, as on a real full disk, and the first write fails with ENOSPC."""

from __future__ import annotations

import errno
import io

import pytest
from pypdf import PdfReader

from helper import cli
from helper.vault import store
from helper.vault.atomic import TEMP_PREFIX
from helper.vault.errors import is_disk_full
from tests.support import samples
from tests.support.disk import fill_disk
from tests.support.dossier_case import build as build_dossier_case
from tests.support.web import new_case, upload, upload_raw

FULL = "The disk is full"


@pytest.fixture
def full_disk(monkeypatch):
    return lambda: fill_disk(monkeypatch)


def vault_files(vault_path) -> list[str]:
    return sorted(str(p.relative_to(vault_path)) for p in vault_path.rglob("*") if p.name != "vault.lock")


def no_temp_files(vault_path) -> bool:
    return not [p for p in vault_path.rglob(f"{TEMP_PREFIX}*")]


@pytest.fixture
def case_id(client, token):
    return new_case(client, token)


def test_full_disk_is_recognised_through_a_chain_of_causes():
    outer = RuntimeError("encryption failed")
    outer.__cause__ = OSError(errno.ENOSPC, "full")
    assert is_disk_full(outer)
    assert is_disk_full(OSError(errno.EDQUOT, "quota"))
    assert not is_disk_full(OSError(errno.EACCES, "denied"))


def test_a_picture_sent_by_the_page_on_a_full_disk(client, token, unlocked, case_id, full_disk):
    before = vault_files(unlocked.path)
    full_disk()
    response = upload_raw(client, token, case_id, samples.encode(samples.picture()), "shot.png")
    assert response.status_code == 507
    assert response.get_json()["message"].startswith(FULL)
    assert vault_files(unlocked.path) == before
    assert unlocked.load_case(case_id).evidence == ()


def test_pictures_sent_by_the_form_on_a_full_disk(client, token, unlocked, case_id, full_disk):
    before = vault_files(unlocked.path)
    full_disk()
    response = upload(
        client, token, case_id, (io.BytesIO(samples.encode(samples.picture())), "shot.png"), no_intimate="y"
    )
    assert response.status_code in (302, 507)
    page = client.get(response.location).get_data(as_text=True) if response.status_code == 302 else ""
    assert FULL.lower() in (page + response.get_data(as_text=True)).lower()
    assert vault_files(unlocked.path) == before
    assert unlocked.load_case(case_id).evidence == ()


def test_a_story_draft_on_a_full_disk_says_so_and_keeps_nothing_half_written(
    client, token, unlocked, case_id, full_disk
):
    before = vault_files(unlocked.path)
    full_disk()
    response = client.post(
        f"/walkthrough/{case_id}/story",
        data={"csrf_token": token, "narrative": "SAMPLE: he wrote first on the 3rd."},
        headers={"X-Autosave": "1"},
    )
    assert response.status_code == 507
    assert response.get_json()["message"].startswith(FULL)
    assert vault_files(unlocked.path) == before


def test_a_walkthrough_step_on_a_full_disk_gives_back_what_was_typed(
    client, token, unlocked, case_id, full_disk
):
    full_disk()
    typed = "SAMPLE: he wrote first on the 3rd, <then> asked for 500 €."
    response = client.post(
        f"/walkthrough/{case_id}/story", data={"csrf_token": token, "narrative": typed, "started_on": ""}
    )
    assert response.status_code == 507
    page = response.get_data(as_text=True)
    assert FULL in page
    assert "SAMPLE: he wrote first on the 3rd, &lt;then&gt; asked for 500 €." in page
    assert page.count("<textarea readonly") == 1  # the form's own fields (the CSRF token) are not given back
    assert f'href="/walkthrough/{case_id}/story"' in page  # back to the form, to try again
    assert no_temp_files(unlocked.path)
    assert unlocked.load_case(case_id).incident.narrative == ""


def test_the_french_page_says_it_in_french(client, token, case_id, full_disk):
    full_disk()
    response = client.post(
        f"/walkthrough/{case_id}/story",
        data={"csrf_token": token, "narrative": "SAMPLE"},
        headers={"Accept-Language": "fr"},
    )
    assert response.status_code == 507
    assert "Le disque est plein" in response.get_data(as_text=True)


def test_the_dossier_and_the_originals_come_out_while_the_disk_is_full(client, token, unlocked, full_disk):
    case = build_dossier_case(unlocked)
    events = len(unlocked.journal(case.id))
    full_disk()
    response = client.post(f"/dossier/{case.id}", data={"csrf_token": token, "lang": "en"})
    assert response.status_code == 200
    assert PdfReader(io.BytesIO(response.data)).pages
    originals = client.post(
        f"/dossier/{case.id}", data={"csrf_token": token, "lang": "en", "action": "originals"}
    )
    assert originals.status_code == 200
    assert originals.data[:2] == b"PK"
    assert len(unlocked.journal(case.id)) == events  # only the journal misses them
    assert no_temp_files(unlocked.path)


def test_a_new_vault_has_its_signing_key_and_an_old_one_gets_it_at_unlock(vault_dir, unlocked):
    from helper.vault import Vault
    from tests.support.web import PASSPHRASE

    signing = vault_dir / store.SIGNING
    assert signing.exists()
    signing.unlink()
    Vault(vault_dir).unlock(PASSPHRASE)
    assert signing.exists()


def test_import_on_a_full_disk(vault_dir, unlocked, tmp_path, full_disk, monkeypatch, capsys):
    from tests.support.web import PASSPHRASE

    picture = tmp_path / "shot.png"
    picture.write_bytes(samples.encode(samples.picture()))
    case = unlocked.create_case("March")
    before = vault_files(vault_dir)
    full_disk()
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSPHRASE}\n"))
    code = cli.main(["import", "--vault", str(vault_dir), "--case", case.title, str(picture)])
    assert code != 0
    err = capsys.readouterr().err
    assert FULL in err
    assert "Traceback" not in err
    assert vault_files(vault_dir) == before


def test_a_command_that_cannot_write_says_the_disk_is_full(
    vault_dir, unlocked, full_disk, monkeypatch, capsys
):
    from tests.support.web import PASSPHRASE

    full_disk()
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSPHRASE}\n"))
    code = cli.main(["import", "--vault", str(vault_dir), "--case", "A new case", __file__])
    assert code == cli.EXIT_IO
    err = capsys.readouterr().err
    assert FULL in err
    assert "No space left" not in err  # the system's English words are not shown
