"""The local HTTP server: Werkzeug's threaded server bound to 127.0.0.1.

Chosen over waitress on purpose: waitress reads a whole request body before the app sees it and
spools bodies over 512 KB to a plaintext temp file; Werkzeug's server hands the app the socket
stream, so uploads flow straight into the vault's encryption.
"""

from __future__ import annotations

import signal
import socketserver
import threading
from collections.abc import Callable
from dataclasses import replace

from flask import Flask
from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

from helper.config import Config
from helper.vault import Vault
from helper.web import create_app
from helper.web.security import security_headers

HOST = "127.0.0.1"


class QuietHandler(WSGIRequestHandler):
    """Logs nothing, and puts the security headers on every response the server itself writes too:
    its 400/431/505 for malformed requests and its bare 500 when a response fails on its first piece."""

    def log_request(self, *_args, **_kwargs) -> None:
        """Addresses carry case ids and the launch token: keep them off the terminal and logs."""

    def log_error(self, *_args, **_kwargs) -> None:
        """Malformed requests would echo what they sent; nothing is logged."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The server's own refusal of a malformed request: always a status line and the headers (never
        the bare HTTP/0.9 form), and a neutral body that echoes nothing of what was sent."""
        self.close_connection = True
        if getattr(self, "request_version", "HTTP/0.9") == "HTTP/0.9":
            self.request_version = "HTTP/1.1"
        body = f"<!doctype html><title>Incident Helper</title><p>{int(code)}</p>".encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Connection", "close")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if getattr(self, "command", None) != "HEAD" and code >= 200 and code not in (204, 304):
            self.wfile.write(body)

    def send_response(self, code: int, message: str | None = None) -> None:
        self._header_names: set[str] = set()
        super().send_response(code, message)

    def send_header(self, keyword: str, value: str) -> None:
        if hasattr(self, "_header_names"):
            self._header_names.add(keyword.lower())
        super().send_header(keyword, value)

    def end_headers(self) -> None:
        sent: set[str] = getattr(self, "_header_names", set())
        app = getattr(self.server, "app", None)
        if app is not None:
            for name, value in security_headers(app.extensions["helper"].config.exit_url).items():
                if name.lower() not in sent:
                    super().send_header(name, value)
        super().end_headers()


class LocalServer(ThreadedWSGIServer):
    """Binds to 127.0.0.1 without any name lookup: Python's HTTP server would ask the resolver for
    127.0.0.1's name (a reverse DNS query can leave the machine where /etc/hosts lacks it)."""

    def server_bind(self) -> None:
        socketserver.TCPServer.server_bind(self)
        self.server_name = HOST
        self.server_port = self.server_address[1]


def make_local_server(config: Config) -> tuple[LocalServer, Flask]:
    """Bind first (port 0 picks a free port), then build the app for the port actually bound."""
    # What writers killed earlier left behind goes now; files still being written are locked and stay.
    Vault(config.vault_path).remove_stale_temps()
    server = LocalServer(HOST, config.port, None, QuietHandler)  # type: ignore[arg-type]
    app = create_app(replace(config, port=server.server_port))
    server.app = app
    return server, app


def serve(
    config: Config,
    *,
    started: Callable[[str, str], None],
    relaunched: Callable[[str, str], None],
) -> None:
    """The server's whole life, until Ctrl+C or SIGTERM: bind, build the app, lock idle sessions as
    they time out, serve; then lock everything and close. `started` is told the one-time launch link
    once the server listens, `relaunched` each new link the app hands out later (when the person asks
    to open it again); each also gets the plain address, to type the passphrase in instead."""
    server, app = make_local_server(config)
    services = app.extensions["helper"]
    services.on_relaunch_url = lambda url: relaunched(url, services.home_url())
    stop = threading.Event()

    def sweep() -> None:
        while not stop.wait(15):
            services.keyring.sweep()

    def stop_on_terminate(_signum, _frame) -> None:
        raise KeyboardInterrupt  # a shutdown or `kill` locks as Ctrl+C does

    threading.Thread(target=sweep, name="idle-lock", daemon=True).start()
    previous = signal.signal(signal.SIGTERM, stop_on_terminate)
    try:
        started(services.launch_url(services.launch_tokens.issue()), services.home_url())
        server.serve_forever()  # Werkzeug's returns quietly on Ctrl+C
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        services.keyring.drop_all()
        server.server_close()
        signal.signal(signal.SIGTERM, previous)
