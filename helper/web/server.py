"""The local HTTP server: Werkzeug's threaded server bound to 127.0.0.1.

Chosen over waitress on purpose: waitress reads a whole request body before the app sees it and
spools bodies over 512 KB to a plaintext temp file; Werkzeug's server hands the app the socket
stream, so uploads flow straight into the vault's encryption.
"""

from __future__ import annotations

from dataclasses import replace

from flask import Flask
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from helper.config import Config
from helper.vault import Vault
from helper.web import create_app


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *_args, **_kwargs) -> None:
        """Addresses carry case ids and the launch token: keep them off the terminal and logs."""


def make_local_server(config: Config) -> tuple[BaseWSGIServer, Flask]:
    """Bind first (port 0 picks a free port), then build the app for the port actually bound."""
    # What writers killed earlier left behind goes now; files still being written are locked and stay.
    Vault(config.vault_path).remove_stale_temps()
    server = make_server("127.0.0.1", config.port, app=None, threaded=True, request_handler=QuietHandler)
    app = create_app(replace(config, port=server.server_port))
    server.app = app
    return server, app
