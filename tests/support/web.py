"""Helpers for driving the app: with Flask's test client, and as a real server on 127.0.0.1."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path

from helper.config import Config

PASSPHRASE = "blue kettle under seven hills"
TEST_PORT = 5000
ORIGIN = "http://localhost"


def csrf_token(client, path: str = "/session/unlock") -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def case_id_in(location: str) -> str:
    """The case id in a redirect after creating a case (it leads into the walkthrough)."""
    match = re.search(r"/([0-9a-f]{32})(?:/|$)", location)
    assert match, location
    return match.group(1)


def new_case(client, token, title="Instagram, March"):
    response = client.post("/cases/new", data={"csrf_token": token, "title": title})
    assert response.status_code == 302
    return case_id_in(response.location)


def upload(client, token, case_id, *files, **fields):
    """The no-script form: several files in one multipart request (and the pictures' renditions, made
    in the background, waited for)."""
    response = client.post(
        f"/evidence/{case_id}/upload",
        data={"csrf_token": token, "files": list(files), **fields},
        content_type="multipart/form-data",
    )
    renditions_made(client.application)
    return response


def upload_raw(client, token, case_id, data: bytes, name: str, **headers):
    """The page script's path: one file per request, as the raw body (renditions waited for)."""
    response = client.post(
        f"/evidence/{case_id}/raw",
        data=data,
        headers={
            "X-CSRFToken": token,
            "X-File-Name": name,
            "Content-Type": "image/png",
            **headers,
        },
    )
    renditions_made(client.application)
    return response


def renditions_made(app, timeout: float = 60.0) -> None:
    """Wait for the pictures' renditions the app makes in the background, unless the test paused its
    worker to see them still being prepared."""
    worker = app.extensions["helper"].renditions
    if not worker.paused:
        assert worker.wait(timeout), "the renditions were not made in time"


@dataclass
class LiveApp:
    url: str
    app: object
    vault_path: Path

    @property
    def services(self):
        return self.app.extensions["helper"]

    def launch_url(self) -> str:
        return self.services.launch_url(self.services.launch_tokens.issue())


def start_live(vault_path: Path, **config):
    from helper.web.server import make_local_server

    server, app = make_local_server(Config(vault_path=vault_path, port=0, **config))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, LiveApp(f"http://127.0.0.1:{server.server_port}", app, vault_path)
