"""A minimal browser stand-in for the live server: cookies, CSRF, and streamed multipart uploads.

Written on http.client so that an upload is streamed from a generator: nothing on the client side
spools to a temp file, and nothing big is held in memory (Werkzeug's test client does both).
"""

from __future__ import annotations

import http.client
import re
import secrets
from collections.abc import Iterable, Iterator
from urllib.parse import quote, urlencode, urlsplit

CHUNK = 1 << 20


class LiveClient:
    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        assert parts.hostname, base_url
        self.host = parts.hostname
        self.port = parts.port
        self.origin = f"http://{parts.hostname}:{parts.port}"
        self.cookie = ""

    def _connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host, self.port, timeout=600)

    def _remember_cookie(self, response: http.client.HTTPResponse) -> None:
        header = response.getheader("Set-Cookie")
        if header:
            self.cookie = header.split(";", 1)[0]

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        conn = self._connection()
        all_headers = {"Cookie": self.cookie, "Origin": self.origin, **(headers or {})}
        conn.request(method, path, body=body, headers=all_headers)
        response = conn.getresponse()
        data = response.read()
        self._remember_cookie(response)
        conn.close()
        return response.status, dict(response.getheaders()), data

    def get(self, path: str):
        return self.request("GET", path)

    def post_form(self, path: str, fields: dict[str, str]):
        return self.request(
            "POST", path, urlencode(fields).encode(), {"Content-Type": "application/x-www-form-urlencoded"}
        )

    def csrf(self, path: str) -> str:
        _, _, html = self.get(path)
        found = re.search(rb'name="csrf_token"(?: type="hidden")? value="([^"]+)"', html)
        assert found, (path, html[:2000])
        return found.group(1).decode()

    def unlock(self, passphrase: str) -> None:
        status, _, _ = self.post_form(
            "/session/unlock", {"csrf_token": self.csrf("/session/unlock"), "passphrase": passphrase}
        )
        assert status == 302, status

    def new_case(self, title: str) -> str:
        """Start a case; its id."""
        status, headers, _ = self.post_form(
            "/cases/new", {"csrf_token": self.csrf("/cases/"), "title": title}
        )
        assert status == 302, status
        found = re.search(r"/([0-9a-f]{32})", headers["Location"])
        assert found, headers["Location"]
        return found.group(1)

    def launch(self, launch_url: str) -> None:
        parts = urlsplit(launch_url)
        status, _, _ = self.get(f"{parts.path}?{parts.query}")
        assert status == 303, status

    def upload(
        self, path: str, token: str, files: Iterable[tuple[str, int, Iterable[bytes]]], field: str = "files"
    ):
        """Stream a multipart form: each file as (name, size, chunks)."""
        boundary = "----helper" + secrets.token_hex(12)
        parts: list[tuple[bytes, int, Iterable[bytes]]] = []
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
        ).encode()
        for name, size, chunks in files:
            part_head = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{name}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
            parts.append((part_head, size, chunks))
        tail = f"--{boundary}--\r\n".encode()
        length = len(head) + sum(len(h) + size + 2 for h, size, _ in parts) + len(tail)

        def body() -> Iterator[bytes]:
            yield head
            for part_head, _, chunks in parts:
                yield part_head
                yield from chunks
                yield b"\r\n"
            yield tail

        return self.stream(
            "POST", path, length, body(), {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        )

    def upload_raw(
        self,
        path: str,
        token: str,
        name: str,
        size: int,
        chunks: Iterable[bytes],
        place: tuple[str, int] | None = None,
    ):
        """One file as a raw body, as the page's script sends it; `place` is its batch and index, which
        the page sends with files it sends side by side (they join the case in that order)."""
        headers = {
            "Content-Type": "application/octet-stream",
            "X-CSRFToken": token,
            "X-File-Name": quote(name),
        }
        if place is not None:
            headers["X-Upload-Batch"], headers["X-Upload-Index"] = place[0], str(place[1])
        return self.stream("POST", path, size, chunks, headers)

    def stream(self, method: str, path: str, length: int, body: Iterable[bytes], headers: dict):
        conn = self._connection()
        conn.putrequest(method, path)
        all_headers = {"Cookie": self.cookie, "Origin": self.origin, "Content-Length": str(length), **headers}
        for key, value in all_headers.items():
            conn.putheader(key, value)
        conn.endheaders()
        for chunk in body:
            conn.send(chunk)
        response = conn.getresponse()
        data = response.read()
        self._remember_cookie(response)
        conn.close()
        return response.status, dict(response.getheaders()), data


def repeat(block: bytes, size: int) -> Iterator[bytes]:
    """`size` bytes made of `block` repeated, in chunks, without building them all."""
    buf = (block * (CHUNK // len(block) + 1))[:CHUNK]
    sent = 0
    while sent < size:
        piece = buf[: min(CHUNK, size - sent)]
        sent += len(piece)
        yield piece


def file_chunks(path, size_limit: int | None = None) -> Iterator[bytes]:
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            yield chunk
