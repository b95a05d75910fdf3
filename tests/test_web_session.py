"""Creating, unlocking, recovering and locking through the web pages (Flask test client)."""

from __future__ import annotations

import re

import pytest

from helper.config import Config
from helper.vault import Vault
from helper.web import create_app
from helper.web.services import SESSION_HANDLE
from tests.support.web import ORIGIN, PASSPHRASE, TEST_PORT, csrf_token


@pytest.fixture
def fresh_app(tmp_path):
    return create_app(
        Config(vault_path=tmp_path / "new-vault", port=TEST_PORT, extra_hosts=("localhost",), testing=True)
    )


@pytest.fixture
def fresh(fresh_app):
    client = fresh_app.test_client()
    client.environ_base["HTTP_ORIGIN"] = ORIGIN
    client.get(f"/?token={fresh_app.extensions['helper'].launch_tokens.issue()}")
    return client


def test_first_run_goes_to_setup(fresh):
    response = fresh.get("/")
    assert response.location.endswith("/session/setup")


def test_setup_creates_the_vault_and_shows_the_recovery_key_once(fresh, fresh_app):
    token = csrf_token(fresh, "/session/setup")
    response = fresh.post(
        "/session/setup", data={"csrf_token": token, "passphrase": PASSPHRASE, "confirm": PASSPHRASE}
    )
    assert response.location.endswith("/session/recovery-key")
    page = fresh.get("/session/recovery-key").get_data(as_text=True)
    key = re.search(r"<code>([A-Z2-9]{5}(?:-[A-Z2-9]{5}){7})</code>", page).group(1)
    # Until it is confirmed, it stays on screen (a reload does not lose it)...
    assert key in fresh.get("/session/recovery-key").get_data(as_text=True)
    # ... the box must be ticked ...
    assert fresh.post("/session/recovery-key", data={"csrf_token": token}).status_code == 200
    response = fresh.post("/session/recovery-key", data={"csrf_token": token, "written_down": "y"})
    assert response.location.endswith("/cases/")
    # ... and then it is gone for good.
    assert fresh.get("/session/recovery-key").location.endswith("/cases/")
    assert fresh_app.extensions["helper"].recovery_keys == {}
    Vault(fresh_app.extensions["helper"].config.vault_path).unlock_with_recovery(key)


@pytest.mark.parametrize(
    ("passphrase", "confirm", "message"),
    [
        ("short", "short", "at least 10"),
        (PASSPHRASE, "something else entirely", "not the same"),
        ("", "", "fill this in"),
    ],
)
def test_setup_explains_a_refused_passphrase_and_creates_nothing(
    fresh, fresh_app, passphrase, confirm, message
):
    token = csrf_token(fresh, "/session/setup")
    response = fresh.post(
        "/session/setup", data={"csrf_token": token, "passphrase": passphrase, "confirm": confirm}
    )
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert not fresh_app.extensions["helper"].config.vault_path.exists()


def test_unlock_with_the_wrong_passphrase_says_so_kindly(launched):
    token = csrf_token(launched)
    response = launched.post("/session/unlock", data={"csrf_token": token, "passphrase": "not it at all"})
    assert response.status_code == 200
    assert "does not open" in response.get_data(as_text=True)
    assert launched.get("/cases/").status_code == 302


def test_unlock_then_lock(launched, app):
    token = csrf_token(launched)
    response = launched.post("/session/unlock", data={"csrf_token": token, "passphrase": PASSPHRASE})
    assert response.location.endswith("/cases/")
    assert launched.get("/cases/").status_code == 200
    response = launched.post("/session/lock", data={"csrf_token": token})
    assert response.location.endswith("/session/unlock")
    assert len(app.extensions["helper"].keyring) == 0
    assert launched.get("/cases/").status_code == 302


def test_unlock_returns_to_the_page_asked_for(launched, unlocked):
    case = unlocked.create_case("Deep link")
    target = f"/cases/{case.id}"
    response = launched.get(target)
    assert "next=" in response.location
    token = csrf_token(launched)
    response = launched.post(
        f"/session/unlock?next={target}", data={"csrf_token": token, "passphrase": PASSPHRASE}
    )
    assert response.location.endswith(target)


def test_idle_lock_from_the_page_explains_itself(client, token):
    response = client.post("/session/lock", data={"csrf_token": token, "reason": "idle"})
    assert "idle=1" in response.location
    assert "nothing happened for a while" in client.get(response.location).get_data(as_text=True)


def test_recover_with_the_key_sets_a_new_passphrase(launched, vault_template, app):
    token = csrf_token(launched, "/session/recover")
    response = launched.post(
        "/session/recover",
        data={
            "csrf_token": token,
            "recovery_key": vault_template.recovery_key.lower(),
            "passphrase": "after the recovery key",
            "confirm": "after the recovery key",
        },
    )
    assert response.location.endswith("/cases/")
    Vault(app.extensions["helper"].config.vault_path).unlock("after the recovery key")


def test_recover_with_a_wrong_key_changes_nothing(launched, app):
    identity_file = app.extensions["helper"].config.vault_path / "identity.age"
    before = identity_file.read_bytes()
    token = csrf_token(launched, "/session/recover")
    response = launched.post(
        "/session/recover",
        data={
            "csrf_token": token,
            "recovery_key": "AAAAA-AAAAA",
            "passphrase": "after the recovery key",
            "confirm": "after the recovery key",
        },
    )
    assert response.status_code == 200
    assert "does not open" in response.get_data(as_text=True)
    assert identity_file.read_bytes() == before


def test_change_passphrase(client, token, app):
    response = client.post(
        "/session/passphrase",
        data={
            "csrf_token": token,
            "current": PASSPHRASE,
            "passphrase": "a different one now",
            "confirm": "a different one now",
        },
    )
    assert response.location.endswith("/cases/")
    Vault(app.extensions["helper"].config.vault_path).unlock("a different one now")


def test_change_passphrase_with_a_wrong_current_one_changes_nothing(client, token, app):
    identity_file = app.extensions["helper"].config.vault_path / "identity.age"
    before = identity_file.read_bytes()
    response = client.post(
        "/session/passphrase",
        data={
            "csrf_token": token,
            "current": "wrong wrong wrong",
            "passphrase": "a different one now",
            "confirm": "a different one now",
        },
    )
    assert response.status_code == 200
    assert "not your current passphrase" in response.get_data(as_text=True)
    assert identity_file.read_bytes() == before


@pytest.mark.parametrize(
    ("accept", "expected"), [("fr-FR,fr;q=0.9", "Vos dossiers"), ("en-US", "Your cases")]
)
def test_language_follows_the_browser(client, accept, expected):
    assert expected in client.get("/cases/", headers={"Accept-Language": accept}).get_data(as_text=True)


def test_language_can_be_switched_on_any_page(client, token):
    response = client.post("/session/language", data={"csrf_token": token, "lang": "fr", "next": "/cases/"})
    assert response.location.endswith("/cases/")
    html = client.get("/cases/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Vos dossiers" in html
    assert '<html lang="fr">' in html
    client.post(
        "/session/language", data={"csrf_token": token, "lang": "en", "next": "https://evil.example/"}
    )
    assert "Your cases" in client.get("/cases/").get_data(as_text=True)


def test_handle_is_dropped_from_the_session_on_lock(client, token):
    client.post("/session/lock", data={"csrf_token": token})
    with client.session_transaction() as sess:
        assert SESSION_HANDLE not in sess
