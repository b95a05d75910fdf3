"""Shared fixtures. Creating a vault costs two scrypt runs (seconds), so one is made per session
and copied for each test; tests that are about unlocking pay for their own scrypt."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pyrage
import pytest
from hypothesis import settings

from helper.config import Config
from helper.vault import UnlockedVault, Vault
from helper.web import create_app
from helper.web.services import SESSION_HANDLE
from tests.support.web import ORIGIN, PASSPHRASE, TEST_PORT, csrf_token, start_live

# The fuzz tests (tests/test_fuzz_*.py): the same examples on every run and every machine, no example
# database left behind, and bounds on each test's count and on each example's time (a test may lower
# the count, never drop the bounds).
settings.register_profile("incident-helper", derandomize=True, database=None, max_examples=200, deadline=2000)
settings.load_profile("incident-helper")


@dataclass(frozen=True)
class VaultTemplate:
    path: Path
    identity: str
    recovery_key: str


@pytest.fixture(scope="session")
def vault_template(tmp_path_factory) -> VaultTemplate:
    path = tmp_path_factory.mktemp("template") / "vault"
    unlocked, recovery_key = Vault.create(path, PASSPHRASE)
    return VaultTemplate(path, str(unlocked.identity), recovery_key)


@pytest.fixture
def vault_dir(vault_template, tmp_path) -> Path:
    target = tmp_path / "vault"
    shutil.copytree(vault_template.path, target)
    return target


@pytest.fixture
def unlocked(vault_template, vault_dir) -> UnlockedVault:
    """The copied vault, opened without paying for scrypt again."""
    return UnlockedVault(vault_dir, pyrage.x25519.Identity.from_str(vault_template.identity))


@pytest.fixture
def config(vault_dir) -> Config:
    return Config(vault_path=vault_dir, port=TEST_PORT, extra_hosts=("localhost",), testing=True)


@pytest.fixture
def app(config):
    return create_app(config)


@pytest.fixture
def launched(app):
    """A browser that came in through the launch link, sending our Origin on every request."""
    client = app.test_client()
    client.environ_base["HTTP_ORIGIN"] = ORIGIN
    token = app.extensions["helper"].launch_tokens.issue()
    assert client.get(f"/?token={token}").status_code == 303
    return client


@pytest.fixture
def client(app, launched, unlocked):
    """A launched browser whose session has the vault unlocked."""
    handle = app.extensions["helper"].keyring.add(unlocked)
    with launched.session_transaction() as sess:
        sess[SESSION_HANDLE] = handle
    return launched


@pytest.fixture
def token(client) -> str:
    return csrf_token(client, "/cases/")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium for the browser tests (pytest-playwright's own browsers are never installed)."""
    from tests.support.browser import CHROMIUM_ARGS

    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH") or shutil.which("chromium"),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def live(vault_dir):
    """The real server on 127.0.0.1 over the copied vault (already created)."""
    server, live_app = start_live(vault_dir)
    yield live_app
    server.shutdown()
    server.server_close()


def pytest_addoption(parser):
    parser.addoption(
        "--portable",
        action="store_true",
        help="run with the portable (Windows) implementation of locks and syncs (helper/vault/portable.py)",
    )


def pytest_configure(config):
    if config.getoption("--portable"):
        os.environ["INCIDENT_HELPER_PORTABLE"] = "1"  # child processes (crash tests) inherit it
