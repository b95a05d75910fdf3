"""DESIGN.md section 5, one test at least per guard. Headers are asserted, not assumed."""

from __future__ import annotations

import io
import re

import pytest

from helper.web.security import security_headers
from helper.web.services import SESSION_HANDLE
from tests.support.web import ORIGIN, PASSPHRASE, case_id_in, csrf_token

EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
}


def assert_security_headers(response):
    csp = dict(
        (part.strip().split(" ", 1) + [""])[:2]
        for part in response.headers["Content-Security-Policy"].split(";")
    )
    for directive, value in EXPECTED_CSP.items():
        assert csp[directive] == value, directive
    assert csp["form-action"].startswith("'self'")
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.fixture
def broken_app(app):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret detail SAMPLE-TRACE")

    return app


def every_kind_of_response(app, client, token):
    case = client.post("/cases/new", data={"csrf_token": token, "title": "T"})
    return {
        "page": client.get("/cases/"),
        "redirect": case,
        "static css": client.get("/static/app.css"),
        "static js": client.get("/static/app.js"),
        "400 csrf": client.post("/cases/new", data={"title": "x"}),
        "400 host": client.get("/cases/", headers={"Host": "evil.example:5000"}),
        "403 origin": client.post(
            "/cases/new", data={"csrf_token": token}, headers={"Origin": "http://evil.example"}
        ),
        "403 no token": app.test_client().get("/cases/"),
        "404": client.get("/nowhere"),
        "405": client.get("/session/lock"),
        "500": client.get("/boom"),
    }


def test_every_kind_of_response_carries_the_security_headers(broken_app, client, token):
    responses = every_kind_of_response(broken_app, client, token)
    expected = {
        "page": 200,
        "redirect": 302,
        "static css": 200,
        "static js": 200,
        "400 csrf": 400,
        "400 host": 400,
        "403 origin": 403,
        "403 no token": 403,
        "404": 404,
        "405": 405,
        "500": 500,
    }
    assert {k: r.status_code for k, r in responses.items()} == expected
    for kind, response in responses.items():
        response.close()
        try:
            assert_security_headers(response)
        except AssertionError as exc:
            raise AssertionError(f"{kind}: {exc}") from exc


def test_413_carries_the_headers_and_a_calm_page(app, client, token):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    case_id = case_id_in(client.post("/cases/new", data={"csrf_token": token, "title": "T"}).location)
    response = client.post(
        f"/evidence/{case_id}/upload",
        data={"csrf_token": token, "files": (io.BytesIO(b"SAMPLE" * 1000), "big.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert_security_headers(response)
    assert "too large" in response.get_data(as_text=True)


def test_error_pages_never_show_a_stack_trace(broken_app, client):
    body = client.get("/boom").get_data(as_text=True)
    assert "Traceback" not in body
    assert "SAMPLE-TRACE" not in body
    assert "RuntimeError" not in body
    assert "What you saved before is safe" in body


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:5000", "127.0.0.1:5001", "localhost.evil.example:5000"]
)
def test_a_foreign_host_is_refused(launched, host):
    assert launched.get("/cases/", headers={"Host": host}).status_code == 400


def test_our_own_hosts_are_accepted(app):
    client = app.test_client()
    token = app.extensions["helper"].launch_tokens.issue()
    for host in ("127.0.0.1:5000", "localhost:5000"):
        assert client.get(f"/?token={token}", headers={"Host": host}).status_code in (303, 403)


@pytest.mark.parametrize("origin", [None, "http://evil.example", "http://127.0.0.1:5001", "null"])
def test_post_without_our_origin_is_refused(app, client, token, origin):
    client.environ_base.pop("HTTP_ORIGIN")
    headers = {"Origin": origin} if origin else {}
    response = client.post("/cases/new", data={"csrf_token": token, "title": "Forged"}, headers=headers)
    assert response.status_code == 403
    client.environ_base["HTTP_ORIGIN"] = ORIGIN
    assert "Forged" not in client.get("/cases/").get_data(as_text=True)


def test_null_origin_is_accepted_only_when_the_browser_says_same_origin(client, token):
    client.environ_base.pop("HTTP_ORIGIN")
    refused = client.post(
        "/cases/new",
        data={"csrf_token": token, "title": "A"},
        headers={"Origin": "null", "Sec-Fetch-Site": "cross-site"},
    )
    assert refused.status_code == 403
    accepted = client.post(
        "/cases/new",
        data={"csrf_token": token, "title": "B"},
        headers={"Origin": "null", "Sec-Fetch-Site": "same-origin"},
    )
    assert accepted.status_code == 302


def test_post_without_csrf_token_is_refused(client):
    response = client.post("/cases/new", data={"title": "Forged"})
    assert response.status_code == 400
    assert "Forged" not in client.get("/cases/").get_data(as_text=True)


def test_post_with_a_wrong_csrf_token_is_refused(client):
    response = client.post("/cases/new", data={"title": "Forged", "csrf_token": "x" * 40})
    assert response.status_code == 400


def test_without_the_launch_token_there_is_nothing(app):
    client = app.test_client()
    for path in ("/", "/cases/", "/session/unlock", "/session/setup"):
        response = client.get(path)
        assert response.status_code == 403
        assert "passphrase" in response.get_data(as_text=True)


def test_quick_exit_and_language_work_on_the_closed_page(app):
    stranger = app.test_client()
    stranger.environ_base["HTTP_ORIGIN"] = ORIGIN
    token = csrf_token(stranger, "/")
    urls = []
    app.extensions["helper"].on_relaunch_url = urls.append
    assert stranger.post("/session/exit", data={"csrf_token": token}).status_code == 303
    assert urls == []  # no new launch link is minted for someone who never had one
    token = csrf_token(stranger, "/")
    response = stranger.post("/session/language", data={"csrf_token": token, "lang": "fr", "next": "/"})
    assert response.status_code == 302
    assert "Cette page est fermée" in stranger.get("/").get_data(as_text=True)


def test_a_wrong_launch_token_is_refused(app):
    assert app.test_client().get("/?token=guess").status_code == 403


def test_the_launch_token_works_once_and_leaves_the_address_bar(app):
    token = app.extensions["helper"].launch_tokens.issue()
    first = app.test_client()
    response = first.get(f"/?token={token}")
    assert response.status_code == 303
    assert "token" not in response.location
    assert first.get("/").status_code == 302
    assert app.test_client().get(f"/?token={token}").status_code == 403


def test_session_cookie_is_httponly_and_samesite_strict(app):
    token = app.extensions["helper"].launch_tokens.issue()
    response = app.test_client().get(f"/?token={token}")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie


def test_session_cookie_holds_a_random_id_and_nothing_else(client, unlocked):
    cookie = client.get_cookie("incident_helper").value
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", cookie)
    assert "." not in cookie  # not Flask's signed payload


def test_refused_file_names_and_flashes_never_reach_the_cookie(client, token):
    """A flash naming a refused file stays on the server; the browser's cookie store never holds it."""
    from tests.support.web import new_case, upload

    case_id = new_case(client, token)
    response = upload(client, token, case_id, (io.BytesIO(b""), "SECRETNAME-photo.png", "image/png"))
    cookies = " ".join(response.headers.getlist("Set-Cookie"))
    assert "SECRETNAME" not in cookies
    assert "SECRETNAME" not in client.get_cookie("incident_helper").value
    assert "SECRETNAME-photo.png" in client.get(response.location).get_data(as_text=True)  # still shown


def test_the_unlocked_vault_belongs_to_the_browser_session_that_unlocked_it(app, client):
    other = app.test_client()
    other.environ_base["HTTP_ORIGIN"] = ORIGIN
    other.get(f"/?token={app.extensions['helper'].launch_tokens.issue()}")
    assert client.get("/cases/").status_code == 200
    response = other.get("/cases/")
    assert response.status_code == 302
    assert "/session/unlock" in response.location


def test_idle_vault_is_locked(app, client):
    keyring = app.extensions["helper"].keyring
    now = [1000.0]
    keyring._clock = lambda: now[0]
    with client.session_transaction() as sess:
        handle = sess[SESSION_HANDLE]
    keyring._entries[handle].last_seen = now[0]
    now[0] += keyring.idle_seconds - 1
    assert client.get("/cases/").status_code == 200  # activity resets the clock
    now[0] += keyring.idle_seconds + 1
    response = client.get("/cases/")
    assert response.status_code == 302
    assert "/session/unlock" in response.location
    assert len(keyring) == 0


def test_idle_sweep_locks_without_any_request(app, client, unlocked):
    keyring = app.extensions["helper"].keyring
    now = [0.0]
    keyring._clock = lambda: now[0]
    for entry in keyring._entries.values():
        entry.last_seen = 0.0
    now[0] = keyring.idle_seconds + 5
    assert keyring.sweep() == 1
    assert unlocked.is_locked


def test_quick_exit_locks_clears_the_session_and_leaves(app, client, unlocked, token):
    response = client.post("/session/exit", data={"csrf_token": token})
    assert response.status_code == 303
    assert response.location == app.extensions["helper"].config.exit_url
    assert unlocked.is_locked
    assert len(app.extensions["helper"].keyring) == 0
    assert client.get("/cases/").status_code == 403  # the launch session is gone too


def test_quick_exit_offers_a_new_link_on_the_terminal(app, client, token):
    urls = []
    app.extensions["helper"].on_relaunch_url = urls.append
    client.post("/session/exit", data={"csrf_token": token})
    assert len(urls) == 1
    fresh = app.test_client()
    assert fresh.get(urls[0].replace("http://127.0.0.1:5000", "")).status_code == 303


def test_quick_exit_from_script_answers_without_redirect(client, unlocked, token):
    response = client.post("/session/exit", data={"csrf_token": token}, headers={"X-Quick-Exit": "fetch"})
    assert response.status_code == 204
    assert unlocked.is_locked


def test_csp_allows_the_quick_exit_redirect_target_only():
    headers = security_headers("https://weather.example/today")
    assert "form-action 'self' https://weather.example;" in headers["Content-Security-Policy"]


def test_every_page_has_the_quick_exit_button(client, app):
    for path in ("/cases/", "/session/passphrase", "/nowhere"):
        html = client.get(path).get_data(as_text=True)
        assert 'id="quick-exit-form"' in html, path
    locked = app.test_client()
    assert 'id="quick-exit-form"' in locked.get("/").get_data(as_text=True)  # even the 403 page


def test_no_inline_script_or_style_in_pages(client):
    for path in ("/cases/", "/session/passphrase"):
        html = client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)", html)
        assert " style=" not in html
        assert "<style" not in html
        assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"


def test_redirect_after_unlock_stays_on_this_site(launched, app):
    assert launched.get("/session/unlock?next=https://evil.example/").status_code == 200
    from helper.web.views import local_path

    for bad in ("https://evil.example", "//evil.example", "/\\evil.example", "javascript:alert(1)"):
        assert local_path(bad) is None
    assert local_path("/cases/abc") == "/cases/abc"


def test_csrf_token_fixture_works(client):
    assert csrf_token(client, "/cases/")


def test_a_long_upload_counts_as_activity(unlocked):
    from helper.web.keyring import KeyRing

    now = [0.0]
    keyring = KeyRing(idle_seconds=60, clock=lambda: now[0])
    handle = keyring.add(unlocked)
    progress = keyring.keep_alive(handle, every=100)
    for received in range(0, 10_000, 50):  # bytes keep arriving for far longer than the idle limit
        now[0] += 5
        progress(received)
        assert keyring.sweep() == 0
    assert keyring.get(handle) is unlocked
    now[0] += 61  # then silence
    assert keyring.sweep() == 1


@pytest.mark.parametrize(
    "path", ["/static/../helper/cli.py", "/static/%2e%2e/pyproject.toml", "/static/nope.css"]
)
def test_static_files_stay_inside_the_static_folder(app, path):
    assert app.test_client().get(path).status_code == 404


def test_static_files_are_served_with_their_type(app):
    response = app.test_client().get("/static/app.js")
    assert response.mimetype in ("text/javascript", "application/javascript")
    assert b"quickExit" in response.data


# -- the way back after a quick exit, without the terminal ---------------------------------------


def _after_quick_exit(client, token):
    client.post("/session/exit", data={"csrf_token": token})
    return client.get("/cases/")


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ("type your passphrase", "Open my safe space")),
        ("fr", ("tapez votre phrase secrète", "Ouvrir")),
    ],
)
def test_the_closed_page_offers_the_way_back(client, token, lang, words):
    closed = _after_quick_exit(client, token)
    assert closed.status_code == 403
    client.post("/session/language", data={"csrf_token": csrf_token(client, "/"), "lang": lang, "next": "/"})
    page = client.get("/").get_data(as_text=True)
    for word in words:
        assert word in page
    assert 'action="/session/reopen"' in page


def test_the_passphrase_reopens_a_fresh_session(app, client, token):
    _after_quick_exit(client, token)
    response = client.post(
        "/session/reopen", data={"csrf_token": csrf_token(client, "/"), "passphrase": PASSPHRASE}
    )
    assert response.status_code == 302
    assert response.location.endswith("/cases/")
    assert client.get("/cases/").status_code == 200
    assert len(app.extensions["helper"].keyring) == 1


def test_a_wrong_passphrase_keeps_it_closed_and_says_so(app, client, token):
    waits = []
    app.extensions["helper"].reopen_guard._sleep = waits.append
    _after_quick_exit(client, token)
    response = client.post(
        "/session/reopen", data={"csrf_token": csrf_token(client, "/"), "passphrase": "nope" * 3}
    )
    assert response.status_code == 403
    assert "does not open this safe space" in response.get_data(as_text=True)
    assert client.get("/cases/").status_code == 403
    assert waits == []  # a first try never waits; this browser's next one waits its own second


def test_another_site_cannot_reopen(app):
    stranger = app.test_client()
    stranger.environ_base["HTTP_ORIGIN"] = "http://evil.example"
    tok = csrf_token(stranger, "/")
    assert (
        stranger.post("/session/reopen", data={"csrf_token": tok, "passphrase": PASSPHRASE}).status_code
        == 403
    )
    same = app.test_client()
    same.environ_base["HTTP_ORIGIN"] = ORIGIN
    assert same.post("/session/reopen", data={"passphrase": PASSPHRASE}).status_code == 400  # no CSRF token
    assert len(app.extensions["helper"].keyring) == 0


def test_wrong_tries_wait_longer_each_time_and_a_right_one_resets():
    from helper.web.services import ReopenGuard

    waits = []
    guard = ReopenGuard(sleep=waits.append, clock=lambda: 0.0)
    for _ in range(8):
        with guard.attempt("this browser's ticket"):
            pass
    assert waits == [1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0]
    with guard.attempt("this browser's ticket") as attempt:
        attempt.succeeded()
    waits.clear()
    for _ in range(2):
        with guard.attempt("this browser's ticket"):
            pass
    assert waits == [1.0]


def test_titles_never_name_the_case_or_a_file(client, token, unlocked):
    """Browsers keep titles in their history: they stay neutral."""
    import re

    from tests.support import samples
    from tests.support.web import new_case, upload_raw

    case_id = new_case(client, token, title="Léa's ex SECRETCASE")
    chat = samples.WHATSAPP_ANDROID.encode()
    upload_raw(client, token, case_id, chat, "SECRETFILE chat.txt", **{"Content-Type": "text/plain"})
    [item] = unlocked.load_case(case_id).evidence
    item_path = f"/evidence/{case_id}/{item.id}"
    paths = [f"/cases/{case_id}", item_path, f"{item_path}/messages", f"/dossier/{case_id}"]
    for path in [*paths, f"/walkthrough/{case_id}/review"]:
        title = re.search(r"<title>(.*?)</title>", client.get(path).get_data(as_text=True), re.S).group(1)
        assert title == "Incident Helper", (path, title)  # one constant title, whatever the page


def test_the_upload_script_hears_the_closed_page_in_json(app):
    stranger = app.test_client()
    stranger.environ_base["HTTP_ORIGIN"] = ORIGIN
    response = stranger.post("/evidence/" + "0" * 32 + "/raw", data=b"SAMPLE")
    assert response.status_code == 403
    assert "passphrase" in response.get_json()["message"]


def test_quick_exit_works_from_a_stale_page_without_script(app, client, unlocked, token):
    """After a quick exit in another tab (or a restart), the page's token is stale: it still leaves."""
    other_tab = client.post("/session/exit", data={"csrf_token": token})
    assert other_tab.status_code == 303
    stale = client.post("/session/exit", data={"csrf_token": token})
    assert stale.status_code == 303
    assert stale.location == app.extensions["helper"].config.exit_url
    no_token = client.post("/session/exit")
    assert no_token.status_code == 303
    foreign = app.test_client()
    foreign.environ_base["HTTP_ORIGIN"] = "http://evil.example"
    assert foreign.post("/session/exit").status_code == 403  # still same-origin only
    assert client.get("/session/exit").status_code in (403, 405)  # and POST only


# -- the server itself ----------------------------------------------------------------------------


def test_the_server_binds_without_any_name_lookup(vault_dir, monkeypatch):
    import socket

    from tests.support.web import start_live

    asked = []
    monkeypatch.setattr(socket, "getfqdn", lambda *a: asked.append(a) or "x")
    monkeypatch.setattr(socket, "gethostbyaddr", lambda *a: asked.append(a) or ("x", [], []))
    server, live = start_live(vault_dir)
    try:
        assert live.url.startswith("http://127.0.0.1:")
        assert asked == []
    finally:
        server.shutdown()
        server.server_close()


def _raw(live, request: bytes) -> bytes:
    import socket

    with socket.create_connection(("127.0.0.1", int(live.url.rsplit(":", 1)[1])), timeout=10) as conn:
        conn.sendall(request)
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    return data


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"GARBAGE<script>\r\n\r\n", b"400"),
        (b"GET / HTTP/a.b\r\n\r\n", b"400"),
        (b"GET / HTTP/2.0\r\nHost: x\r\n\r\n", b"505"),
        (b"GET / HTTP/1.1\r\n" + b"X-Long: " + b"a" * 70_000 + b"\r\n\r\n", b"431"),
    ],
    ids=["malformed", "bad version", "version", "header too long"],
)
def test_the_servers_own_error_answers_carry_the_security_headers(live, request_bytes, status):
    answer = _raw(live, request_bytes)
    head = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    assert head.split(" ")[1] == status.decode()
    for name in ("Content-Security-Policy", "X-Content-Type-Options", "Cache-Control", "Referrer-Policy"):
        assert f"\n{name}:" in head, (name, head)
    assert b"<script>" not in answer  # nothing of the request is echoed


def test_a_response_that_fails_on_its_first_piece_still_carries_the_headers(live, monkeypatch):
    """Werkzeug's bare 500, written by the server when the app's answer breaks before its first byte."""
    from helper.web import security

    def broken():
        raise OSError("the disk went away")
        yield b""  # pragma: no cover

    live.app.add_url_rule("/broken-stream", "broken_stream", lambda: live.app.response_class(broken()))
    monkeypatch.setattr(security, "LAUNCH_EXEMPT", security.LAUNCH_EXEMPT | {"broken_stream"})
    host = live.url.split("//")[1].encode()
    answer = _raw(live, b"GET /broken-stream HTTP/1.1\r\nHost: " + host + b"\r\nConnection: close\r\n\r\n")
    head = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    assert " 500 " in head.split("\r\n")[0]
    assert "Content-Security-Policy:" in head


def test_server_side_sessions_are_forgotten_when_idle_or_when_emptied(app):
    from helper.web import sessions

    now = [0.0]
    app.session_interface = sessions.MemorySessionInterface(clock=lambda: now[0])
    browser = app.test_client()
    browser.get(f"/?token={app.extensions['helper'].launch_tokens.issue()}")
    assert len(app.session_interface) == 1
    assert browser.get("/cases/").status_code in (200, 302)  # still launched
    now[0] += sessions.IDLE_SECONDS + 1
    assert browser.get("/cases/").status_code == 403  # forgotten: the closed page


def test_every_form_tells_the_browser_not_to_keep_what_is_typed(client, token, unlocked):
    """Form history ("Web Data") and session restore keep typed values unless autocomplete is off."""
    from tests.support.web import new_case

    case_id = new_case(client, token)
    steps = [f"/walkthrough/{case_id}/{step}" for step in ("story", "payments")]
    for path in ("/cases/", f"/cases/{case_id}", *steps, f"/dossier/{case_id}", "/session/passphrase"):
        forms = re.findall(r"<form[^>]*>", client.get(path).get_data(as_text=True))
        assert forms
        for form in forms:
            assert 'autocomplete="off"' in form, (path, form)


def test_a_huge_text_field_in_a_form_is_refused_calmly(client, token, unlocked):
    """Uploads are parsed 1 MiB at a time, so a text field may be held up to 2 MiB while parsed; past
    that it is refused before it is kept, and nothing changes."""
    case_id = case_id_in(client.post("/cases/new", data={"csrf_token": token, "title": "T"}).location)
    boundary = "SAMPLEboundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="no_intimate"\r\n\r\n'
        + "S" * (3 * 1024 * 1024)
        + f"\r\n--{boundary}--\r\n"
    ).encode()  # built here: the test client would spool a body this large to a temp file of its own
    response = client.post(
        f"/evidence/{case_id}/upload", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 413
    assert_security_headers(response)
    assert unlocked.load_case(case_id).evidence == ()
