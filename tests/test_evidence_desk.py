"""The evidence desk: one place receives every file, applies every rule once, and answers with one
`Outcome`; the under-18 rule holds on every path, under the vault's write lock."""

from __future__ import annotations

import io
import os
from dataclasses import replace

import pytest

from helper import cli
from helper.case import InvalidRecord, Payment, Threat
from helper.evidence.desk import EvidenceDesk, Outcome
from helper.vault import Vault, VaultError
from helper.vault.atomic import TEMP_PREFIX
from tests.support import samples
from tests.support.cli import run
from tests.support.web import PASSPHRASE, new_case, upload, upload_raw


def blob_files(vault) -> list[str]:
    return sorted(p.name for p in (vault.path / "blobs").iterdir())


def minor(vault, case_id: str) -> None:
    vault.update_case(case_id, lambda c: c.with_incident(minor="yes"), "walkthrough.saved", {"step": "age"})


# -- one outcome for every ending ---------------------------------------------------------------


def test_a_saved_file_is_pinned_in_its_case(unlocked):
    case = unlocked.create_case("Case")
    outcome = EvidenceDesk(unlocked).receive_stream(case.id, io.BytesIO(samples.png(64, 48)), name="a.png")
    assert outcome.saved
    assert unlocked.load_case(case.id).evidence == (outcome.item,)
    assert outcome.message(str) == ""


@pytest.mark.parametrize(
    ("make", "status"),
    [
        (lambda v, c: (c, io.BytesIO(b""), {}), "refused"),
        (lambda v, c: ("0" * 32, io.BytesIO(b"SAMPLE"), {}), "case_gone"),
        (lambda v, c: (c, io.BytesIO(b"SAMPLE"), {"expected_size": 99}), "incomplete"),
    ],
    ids=["empty", "case gone", "stopped short"],
)
def test_every_ending_is_one_outcome_and_keeps_nothing(unlocked, make, status):
    case = unlocked.create_case("Case")
    case_id, source, extra = make(unlocked, case.id)
    outcome = EvidenceDesk(unlocked).receive_stream(case_id, source, name="x.png", **extra)
    assert outcome.status == status
    assert outcome.message(str)  # a sentence for the person, never empty
    assert unlocked.load_case(case.id).evidence == ()
    assert blob_files(unlocked) == []


def test_over_the_size_limit_is_refused_as_it_arrives(unlocked):
    case = unlocked.create_case("Case")
    outcome = EvidenceDesk(unlocked, max_size=1000).receive_stream(
        case.id, io.BytesIO(b"SAMPLE" * 1000), name="big.txt"
    )
    assert (outcome.status, outcome.reason) == ("refused", "too_large")
    assert blob_files(unlocked) == []


def test_locked_while_the_file_arrives_keeps_nothing(unlocked):
    case = unlocked.create_case("Case")
    desk = EvidenceDesk(unlocked)
    incoming = desk.begin("shot.png")
    incoming.write(samples.png(64, 48))
    unlocked.lock()
    outcome = desk.receive(case.id, incoming, name="shot.png")
    assert outcome.status == "locked"
    assert blob_files(unlocked) == []


def test_a_locked_vault_cannot_begin_a_file(unlocked):
    unlocked.lock()
    with pytest.raises(VaultError):
        EvidenceDesk(unlocked).begin("x")


def test_refusal_sentences_name_the_file_safely():
    message = Outcome("refused", "evil\u202egpj.exe", reason="program").message(str)
    assert "\u202e" not in message
    assert "is a program" in message


# -- the under-18 rule, on every path -----------------------------------------------------------


def test_the_rule_is_applied_again_under_the_write_lock(unlocked):
    """The person answers "under 18" in another window while a file is arriving: the file is refused
    when it is added, and nothing of it (original or renditions) is left."""
    case = unlocked.create_case("Case")
    desk = EvidenceDesk(unlocked)
    assert desk.precheck(case.id) is None  # an adult's case when the upload started
    incoming = desk.begin("photo.png")
    incoming.write(samples.png(320, 240))
    minor(unlocked, case.id)
    outcome = desk.receive(case.id, incoming, name="photo.png", intimate=False)
    assert outcome.status == "minor"
    assert unlocked.load_case(case.id).evidence == ()
    assert blob_files(unlocked) == []


def test_the_record_refuses_an_undeclared_file_on_the_minor_path(unlocked):
    from helper.case import MinorImageRefused

    case = unlocked.create_case("Case")
    minor(unlocked, case.id)
    item = EvidenceDesk(unlocked).receive_stream
    with pytest.raises(MinorImageRefused):
        unlocked.load_case(case.id).check_accepts(intimate=False, declared_not_intimate=False)
    assert item(case.id, io.BytesIO(b"SAMPLE"), name="a.txt").status == "minor"
    declared = item(case.id, io.BytesIO(b"SAMPLE chat"), name="a.txt", declared_not_intimate=True)
    assert declared.saved
    marked = item(case.id, io.BytesIO(b"SAMPLE"), name="b.txt", declared_not_intimate=True, intimate=True)
    assert marked.status == "minor"


@pytest.fixture
def minor_case(client, token, unlocked):
    case_id = new_case(client, token)
    client.post(f"/walkthrough/{case_id}/age", data={"csrf_token": token, "minor": "unsure"})
    return case_id


def test_every_web_entry_point_obeys_the_rule(client, token, minor_case, unlocked, app):
    picture = samples.png(320, 240)
    upload(client, token, minor_case, (io.BytesIO(picture), "photo.png", "image/png"))
    assert upload_raw(client, token, minor_case, picture, "photo.png").status_code == 422
    # Find copies, then "keep this picture": the same desk refuses it.
    client.post(
        f"/evidence/{minor_case}/copies",
        data={"csrf_token": token, "image": (io.BytesIO(picture), "found.png")},
        content_type="multipart/form-data",
    )
    from helper.web.services import SESSION_HANDLE

    with client.session_transaction() as sess:
        handle = sess[SESSION_HANDLE]
    held = app.extensions["helper"].keyring.hold(handle, picture, "found.png")
    response = client.post(f"/evidence/{minor_case}/copies/keep", data={"csrf_token": token, "token": held})
    assert "cannot keep intimate images" in client.get(response.location).get_data(as_text=True)
    assert unlocked.load_case(minor_case).evidence == ()
    assert blob_files(unlocked) == []


def test_import_obeys_the_rule(vault_dir, tmp_path):
    unlocked = Vault(vault_dir).unlock(PASSPHRASE)
    case = unlocked.create_case("Young")
    minor(unlocked, case.id)
    shot = tmp_path / "shot.png"
    shot.write_bytes(samples.png(320, 240))
    refused = run("import", "--vault", str(vault_dir), "--case", "Young", str(shot), stdin=f"{PASSPHRASE}\n")
    assert refused.returncode == cli.EXIT_PROBLEMS
    assert "under 18" in refused.stderr
    assert unlocked.load_case(case.id).evidence == ()
    declared = run(
        "import", "--vault", str(vault_dir), "--case", "Young", "--no-intimate", str(shot),
        stdin=f"{PASSPHRASE}\n",
    )  # fmt: skip
    assert declared.returncode == cli.EXIT_OK, declared.stderr
    assert len(unlocked.load_case(case.id).evidence) == 1


# -- writes validate like reads -----------------------------------------------------------------


def test_a_misplaced_entry_is_refused_and_the_case_stays_readable(unlocked):
    case = unlocked.create_case("Case")
    before = (unlocked.path / "cases" / f"{case.id}.age").read_bytes()
    with pytest.raises(InvalidRecord):
        unlocked.update_case(case.id, lambda c: c.with_entry("threats", Payment(id="p")), "x", {})
    with pytest.raises(InvalidRecord):  # around with_entry, straight into the tuple
        unlocked.update_case(case.id, lambda c: replace(c, threats=(Payment(id="p"),)), "x", {})
    assert (unlocked.path / "cases" / f"{case.id}.age").read_bytes() == before
    assert unlocked.load_case(case.id).threats == ()


def test_a_value_a_read_would_refuse_is_never_written(unlocked):
    from datetime import date

    case = unlocked.create_case("Case")
    with pytest.raises(InvalidRecord):  # a date object where the record keeps ISO text
        unlocked.update_case(case.id, lambda c: c.with_incident(started_on=date(2026, 3, 1)), "x", {})
    with pytest.raises(ValueError, match="unknown code"):
        Payment(id="p", method="bitcoin")
    with pytest.raises(InvalidRecord):
        unlocked.update_case(case.id, lambda c: c.with_entry("threats", Threat(id="t", deadline=5)), "x", {})
    assert unlocked.load_case(case.id).incident.started_on is None


def test_an_unknown_code_in_a_stored_case_is_reported_as_damage(unlocked):
    from helper.case import Case, CaseFormatError

    data = unlocked.create_case("Case").to_dict()
    data["incident"]["kind"] = "gift_card"
    with pytest.raises(CaseFormatError):
        Case.from_dict(data)


# -- an upload in flight survives any unlock or passphrase change -------------------------------


def test_unlocking_elsewhere_and_changing_the_passphrase_leave_an_upload_alone(vault_dir):
    first = Vault(vault_dir).unlock(PASSPHRASE)
    case = first.create_case("Case")
    desk = EvidenceDesk(first)
    incoming = desk.begin("video.mp4")
    incoming.write(samples.png(640, 480))
    temps = list((vault_dir / "blobs").glob(f"{TEMP_PREFIX}*"))
    assert len(temps) == 1
    old = os.stat(temps[0]).st_mtime - 3600
    os.utime(temps[0], (old, old))  # however long it has been arriving
    second = Vault(vault_dir).unlock(PASSPHRASE)  # another window
    second.change_passphrase(PASSPHRASE, PASSPHRASE + " too")
    Vault(vault_dir).remove_stale_temps()  # a server starting, or the command line
    assert temps[0].exists()
    assert desk.receive(case.id, incoming, name="video.mp4").saved


def test_what_a_killed_writer_left_is_cleaned_when_the_app_starts(vault_dir):
    from tests.support.web import start_live

    stale = vault_dir / "blobs" / f"{TEMP_PREFIX}deadbeef"
    stale.write_bytes(b"ciphertext of an upload whose process was killed")
    old = os.stat(stale).st_mtime - 60
    os.utime(stale, (old, old))
    server, _live = start_live(vault_dir)
    server.server_close()
    assert not stale.exists()
