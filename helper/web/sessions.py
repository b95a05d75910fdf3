"""Browser sessions kept in this process's memory; the cookie carries only a random id.

Flask's default session lives in the cookie itself (signed, not encrypted): flash messages naming a
refused file, or anything else put in the session, would travel to the browser and sit in its cookie
store. Here the session's contents stay on the server, and are dropped when it stops.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable

from flask import Flask, Request, Response
from flask.sessions import SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict

IDLE_SECONDS = 12 * 3600  # a session unused this long is forgotten (its key was locked long before)
MAX_SESSIONS = 1000  # local use: a handful of tabs; a flood of new cookies cannot grow memory forever


class MemorySession(CallbackDict, SessionMixin):
    def __init__(self, initial: dict | None = None, sid: str = "", new: bool = False) -> None:
        def on_update(_self) -> None:
            self.modified = True

        super().__init__(initial or {}, on_update)
        self.sid = sid
        self.new = new
        self.modified = False


class MemorySessionInterface(SessionInterface):
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._store: dict[str, tuple[float, dict]] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def open_session(self, app: Flask, request: Request) -> MemorySession:
        sid = request.cookies.get(self.get_cookie_name(app), "")
        now = self._clock()
        with self._lock:
            found = self._store.get(sid)
            if found is not None and now - found[0] <= IDLE_SECONDS:
                return MemorySession(dict(found[1]), sid)
        return MemorySession(sid=secrets.token_urlsafe(32), new=True)

    def save_session(self, app: Flask, session: MemorySession, response: Response) -> None:  # type: ignore[override]
        name = self.get_cookie_name(app)
        domain, path = self.get_cookie_domain(app), self.get_cookie_path(app)
        with self._lock:
            if not session:
                if self._store.pop(session.sid, None) is not None or not session.new:
                    response.delete_cookie(name, domain=domain, path=path)
                return
            now = self._clock()
            if len(self._store) >= MAX_SESSIONS and session.sid not in self._store:
                self._forget_oldest(now)
            self._store[session.sid] = (now, dict(session))
        if session.new or session.modified:
            response.set_cookie(
                name,
                session.sid,
                httponly=True,
                samesite="Strict",
                secure=False,  # plain http on 127.0.0.1 only
                domain=domain,
                path=path,
            )

    def _forget_oldest(self, now: float) -> None:
        for sid, (seen, _data) in sorted(self._store.items(), key=lambda kv: kv[1][0]):
            if len(self._store) < MAX_SESSIONS and now - seen <= IDLE_SECONDS:
                break
            del self._store[sid]

    def __len__(self) -> int:
        return len(self._store)
