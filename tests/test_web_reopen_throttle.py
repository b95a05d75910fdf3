"""The closed page's passphrase form: strangers' wrong tries slow guessing, never the person's way back,
and their count outlives a restart (helper/web/throttle.py)."""

from __future__ import annotations

import json
import stat
import threading
import time

import pytest

from helper.vault import WrongPassphrase
from helper.web import create_app
from helper.web.throttle import RECORD_NAME, FailureRecord, ReopenGuard, ThrottledTry
from tests.support.web import ORIGIN, PASSPHRASE, csrf_token

WRONG = "not the SAMPLE passphrase"


def stranger(app):
    browser = app.test_client()
    browser.environ_base["HTTP_ORIGIN"] = ORIGIN
    return browser


def try_passphrase(browser, passphrase):
    return browser.post(
        "/session/reopen", data={"csrf_token": csrf_token(browser, "/"), "passphrase": passphrase}
    )


@pytest.fixture
def quick_unlock(app, monkeypatch):
    """Wrong passphrases are told apart without scrypt's second; the right one still pays for it."""
    vault = app.extensions["helper"].vault
    real = vault.unlock

    def unlock(passphrase):
        if passphrase != PASSPHRASE:
            raise WrongPassphrase("that passphrase does not open this vault")
        return real(passphrase)

    monkeypatch.setattr(vault, "unlock", unlock)
    return unlock


def test_the_persons_try_is_never_queued_behind_a_strangers(app, client, token, monkeypatch):
    """A stranger's try is being checked (and would be slowed after); the person, back on the closed
    page of the browser they left with the quick exit, opens the vault meanwhile."""
    client.post("/session/exit", data={"csrf_token": token})
    vault = app.extensions["helper"].vault
    real = vault.unlock
    checking, release = threading.Event(), threading.Event()

    def unlock(passphrase):
        if passphrase != PASSPHRASE:
            checking.set()
            release.wait(10)
            raise WrongPassphrase("that passphrase does not open this vault")
        return real(passphrase)

    monkeypatch.setattr(vault, "unlock", unlock)
    monkeypatch.setattr(app.extensions["helper"].reopen_guard, "_sleep", lambda _s: None)
    other = stranger(app)
    answers = []
    thread = threading.Thread(target=lambda: answers.append(try_passphrase(other, WRONG).status_code))
    thread.start()
    assert checking.wait(5)
    began = time.monotonic()
    response = try_passphrase(client, PASSPHRASE)
    took = time.monotonic() - began
    release.set()
    thread.join(15)
    assert response.status_code == 302
    assert took < 8  # scrypt's second or so, not the stranger's turn
    assert answers == [403]


def test_a_stranger_is_answered_at_once_with_how_long_to_wait(app, quick_unlock):
    guard = app.extensions["helper"].reopen_guard
    for _ in range(guard.FREE_FAILURES):
        assert try_passphrase(stranger(app), WRONG).status_code == 403
    began = time.monotonic()
    response = try_passphrase(stranger(app), WRONG)
    assert time.monotonic() - began < 2  # refused, not held
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "Please wait 1 second, then try again." in page
    assert 'action="/session/reopen"' in page  # the form is still there


def test_the_person_is_not_slowed_by_strangers_wrong_tries(app, client, token, quick_unlock):
    client.post("/session/exit", data={"csrf_token": token})
    waits = []
    app.extensions["helper"].reopen_guard._sleep = waits.append
    for _ in range(12):
        try_passphrase(stranger(app), WRONG)
    assert try_passphrase(stranger(app), WRONG).status_code == 429
    assert try_passphrase(client, PASSPHRASE).status_code == 302
    assert waits == []
    assert client.get("/cases/").status_code == 200


def test_the_count_of_wrong_tries_survives_a_restart_and_holds_nothing_else(app, config, quick_unlock):
    guard = app.extensions["helper"].reopen_guard
    for _ in range(guard.FREE_FAILURES):
        try_passphrase(stranger(app), WRONG)
    record = config.vault_path / RECORD_NAME
    assert stat.S_IMODE(record.stat().st_mode) == 0o600
    saved = json.loads(record.read_text())
    assert set(saved) == {"format", "failures", "last_failure"}
    assert saved["failures"] == guard.FREE_FAILURES
    assert isinstance(saved["last_failure"], float)
    assert WRONG not in record.read_text()
    assert PASSPHRASE not in record.read_text()

    restarted = create_app(config)
    response = try_passphrase(stranger(restarted), WRONG)
    assert response.status_code == 429


def test_the_right_passphrase_clears_the_count(app, quick_unlock, config):
    for _ in range(3):
        try_passphrase(stranger(app), WRONG)
    assert try_passphrase(stranger(app), PASSPHRASE).status_code == 302
    assert json.loads((config.vault_path / RECORD_NAME).read_text())["failures"] == 0


def test_no_wait_is_longer_than_its_cap_whatever_the_count_or_the_clock():
    now = [1_000.0]
    guard = ReopenGuard(clock=lambda: now[0])
    guard.failures, guard.last_failure = 10_000, now[0] + 86_400  # a clock set back a day
    assert guard.shared_wait() == guard.SHARED_MAX_WAIT
    with pytest.raises(ThrottledTry) as refused, guard.attempt():
        pass
    assert refused.value.seconds == guard.SHARED_MAX_WAIT
    now[0] += guard.SHARED_MAX_WAIT
    assert guard.shared_wait() <= guard.SHARED_MAX_WAIT
    slept = []
    own = ReopenGuard(sleep=slept.append, clock=lambda: 0.0)
    for _ in range(50):
        with own.attempt("a returning browser"):
            pass
    assert max(slept) == own.OWN_MAX_WAIT


def test_one_strangers_try_at_a_time_and_the_next_is_told_to_wait_not_queued():
    guard = ReopenGuard(clock=lambda: 0.0)
    with guard.attempt() as first:
        with pytest.raises(ThrottledTry) as refused, guard.attempt():
            pass
        assert refused.value.seconds == guard.BUSY_WAIT
        with guard.attempt("a returning browser") as own:  # its own lane: not refused
            own.succeeded()
        first.succeeded()


def test_a_damaged_record_counts_as_a_guessers(tmp_path):
    (tmp_path / RECORD_NAME).write_text("{not json")
    guard = ReopenGuard(FailureRecord(tmp_path), clock=lambda: 50.0)
    assert guard.failures == guard.FREE_FAILURES
    assert guard.shared_wait() == 1.0


def test_no_record_is_written_before_the_vault_exists(tmp_path):
    guard = ReopenGuard(FailureRecord(tmp_path, exists=lambda: False))
    with guard.attempt():
        pass
    assert list(tmp_path.iterdir()) == []
