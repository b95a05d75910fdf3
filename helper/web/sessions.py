"""Browser sessions kept in this process's memory; the cookie carries only a random id.

Flask's default session lives in the cookie itself (signed, not encrypted): flash messages naming a
refused file, or anything else put in the session, would travel to the browser and sit in its cookie
store. Here the session's contents stay on the server, and are dropped when it stops.

Any program on this computer can send requests, so the store is split in two. A session let in (with
the launch link, or the passphrase after a quick exit) is *admitted*: only those secrets make one, and
nothing a stranger does can push it out. Every other session is *anonymous* (the closed page, help, a
stranger's requests). An anonymous session holding nothing but its CSRF token is not stored at all: the
token is derived from the session's id with the app's secret, so a flood of requests costs no memory,
evicts nothing, and never spends the form the person is typing their passphrase into. An anonymous
session holding more (a language chosen) goes to a small pool of its own, the least recently used first
out. A session that is admitted gets a new id, so an id known before (one planted in the browser)
opens nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask, Request, Response
from flask.sessions import SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict

from helper.web.services import is_admitted, is_kept

IDLE_SECONDS = 12 * 3600  # a session unused this long is forgotten (its key was locked long before)
MAX_ADMITTED = 256  # only the launch link or the passphrase adds one: a handful of browsers
MAX_ANONYMOUS = 64  # strangers can fill this pool as they like: it pushes out only its own
SID = re.compile(r"[A-Za-z0-9_-]{43}")  # what secrets.token_urlsafe(32) gives


class MemorySession(CallbackDict, SessionMixin):
    def __init__(
        self,
        initial: Mapping[str, Any] | None = None,
        sid: str = "",
        new: bool = False,
        derived: Mapping[str, Any] | None = None,
        version: int | None = None,
    ) -> None:
        def on_update(_self) -> None:
            self.modified = True

        super().__init__(dict(initial or {}), on_update)
        self.sid = sid
        self.new = new
        self.modified = False
        self.derived = dict(derived or {})  # what the id itself gives: never stored
        self.version = version  # the stored copy this one was read from (None: not stored)


@dataclass
class _Stored:
    seen: float
    data: dict
    version: int


class MemorySessionInterface(SessionInterface):
    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        admitted: Callable[[Mapping[str, Any]], bool] = is_admitted,
        kept: Callable[[Mapping[str, Any]], bool] = is_kept,
    ) -> None:
        # Each pool in least-recently-used order: every save moves its session to the end.
        self._admitted: dict[str, _Stored] = {}
        self._anonymous: dict[str, _Stored] = {}
        self._lock = threading.Lock()
        self._clock = clock
        self._is_admitted = admitted  # let in: a new id when it becomes so
        self._is_kept = kept  # stored with the admitted ones (a quick exit's way back, for one)
        self._versions = 0

    def open_session(self, app: Flask, request: Request) -> MemorySession:
        sid = request.cookies.get(self.get_cookie_name(app), "")
        now = self._clock()
        with self._lock:
            for pool in (self._admitted, self._anonymous):
                found = pool.get(sid)
                if found is None:
                    continue
                if now - found.seen <= IDLE_SECONDS:
                    derived = self._derived(app, sid)
                    return MemorySession(found.data, sid, derived=derived, version=found.version)
                del pool[sid]
        new = not SID.fullmatch(sid)
        if new:
            sid = secrets.token_urlsafe(32)
        derived = self._derived(app, sid)
        return MemorySession(derived, sid, new=new, derived=derived)

    def save_session(self, app: Flask, session: MemorySession, response: Response) -> None:  # type: ignore[override]
        name = self.get_cookie_name(app)
        domain, path = self.get_cookie_domain(app), self.get_cookie_path(app)
        data = dict(session)
        now = self._clock()
        renewed = False
        with self._lock:
            pool, current = self._find(session.sid)
            # Another request of this browser may have saved (or ended) the session since this one read
            # it: a copy that changed nothing, or that would bring back what a quick exit ended, is
            # dropped; otherwise the last to save wins, as two tabs choosing a language would.
            if self._stale(session, current) and (
                not session.modified or current is None or self._ended(current.data, data)
            ):
                return
            if pool is not None:
                del pool[session.sid]
            if not data:
                if current is not None or not session.new:
                    response.delete_cookie(name, domain=domain, path=path)
                return
            if self._is_admitted(data) and (current is None or not self._is_admitted(current.data)):
                session.sid, renewed = secrets.token_urlsafe(32), True
            if self._is_admitted(data) or self._is_kept(data):
                self._put(self._admitted, MAX_ADMITTED, session.sid, data, now)
            elif any(session.derived.get(key, _MISSING) != value for key, value in data.items()):
                self._put(self._anonymous, MAX_ANONYMOUS, session.sid, data, now)
            # else: only what the id gives (its CSRF token): nothing to store.
        if session.new or session.modified or renewed:
            response.set_cookie(
                name,
                session.sid,
                httponly=True,
                samesite="Strict",
                secure=False,  # plain http on 127.0.0.1 only
                domain=domain,
                path=path,
            )

    def _derived(self, app: Flask, sid: str) -> dict[str, Any]:
        """An anonymous session's CSRF token, from its id and the app's secret: the same on every request
        of that browser, stored nowhere, unknown to anyone without the secret. (Flask-WTF keeps its raw
        token in the session under this name and uses the one it finds; tests pin that.)"""
        secret = app.secret_key or b""
        key = secret.encode() if isinstance(secret, str) else bytes(secret)
        token = hmac.new(key, b"helper.session.csrf:" + sid.encode(), hashlib.sha256).hexdigest()
        return {app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"): token}

    def _find(self, sid: str) -> tuple[dict[str, _Stored] | None, _Stored | None]:
        for pool in (self._admitted, self._anonymous):
            if sid in pool:
                return pool, pool[sid]
        return None, None

    @staticmethod
    def _stale(session: MemorySession, current: _Stored | None) -> bool:
        return session.version is not None and (current is None or current.version != session.version)

    def _ended(self, stored: Mapping[str, Any], copy: Mapping[str, Any]) -> bool:
        return self._is_admitted(copy) and not self._is_admitted(stored)

    def _put(self, pool: dict[str, _Stored], limit: int, sid: str, data: dict, now: float) -> None:
        # The oldest come first: forget those idle too long, then as many as the limit asks.
        while pool:
            oldest = next(iter(pool))
            if len(pool) < limit and now - pool[oldest].seen <= IDLE_SECONDS:
                break
            del pool[oldest]
        self._versions += 1
        pool[sid] = _Stored(now, data, self._versions)

    def __len__(self) -> int:
        return len(self._admitted) + len(self._anonymous)


_MISSING = object()
