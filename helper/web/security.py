"""Guards of the local web app (DESIGN.md section 5): Host, launch token, Origin, headers."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, abort, redirect, request, session
from flask.typing import ResponseReturnValue

from helper.web.errors import render_closed
from helper.web.services import SESSION_LAUNCHED, services

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Reachable without the launch link: they reveal and unlock nothing, and quick exit, help and
# the language switch must work from every page, the "page is closed" one included.
# The closed page's passphrase form (`session.reopen`) is the way back after a quick exit; it is
# guarded as every POST is (Origin, CSRF token tied to this browser's cookie) and needs the passphrase.
LAUNCH_EXEMPT = frozenset(
    {"static", "session.quick_exit", "session.language", "session.reopen", "help.index"}
)


def content_security_policy(exit_url: str) -> str:
    exit_origin = "{0.scheme}://{0.netloc}".format(urlsplit(exit_url))
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self'",
            "font-src 'self'",
            "connect-src 'self'",
            "media-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            # The quick exit's no-script fallback is a form whose answer redirects to the neutral site.
            f"form-action 'self' {exit_origin}",
            "frame-ancestors 'none'",
        ]
    )


def security_headers(exit_url: str) -> dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(exit_url),
        "Cache-Control": "no-store",
        "Pragma": "no-cache",
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Resource-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    }


def check_host() -> None:
    """Refuse any Host but ours: a DNS-rebinding page cannot reach the app through another name."""
    if request.host not in services().config.allowed_hosts:
        abort(400)


def check_launch_token() -> ResponseReturnValue | None:
    if request.endpoint in LAUNCH_EXEMPT:
        return None
    offered = request.args.get("token")
    if offered is not None:
        if services().launch_tokens.redeem(offered):
            session.clear()
            session[SESSION_LAUNCHED] = True
            # Take the token out of the address bar and the history.
            return redirect(request.path, code=303)

        return render_closed()
    if not session.get(SESSION_LAUNCHED):

        return render_closed()
    return None


def check_origin() -> None:
    """State-changing requests must come from our own pages (CSRF tokens are checked as well).

    With `Referrer-Policy: no-referrer`, browsers send `Origin: null` on form posts; then the
    browser's own Fetch Metadata (`Sec-Fetch-Site: same-origin`) must vouch for the request.
    """
    if request.method in SAFE_METHODS:
        return
    origin = request.headers.get("Origin")
    if origin in services().config.allowed_origins:
        return
    if origin == "null" and request.headers.get("Sec-Fetch-Site") == "same-origin":
        return
    abort(403)


def add_security_headers(response: Response) -> Response:
    response.headers.update(security_headers(services().config.exit_url))
    # Static files are public code, but no-store everywhere keeps the rule simple and verifiable.
    response.headers.pop("Last-Modified", None)
    response.headers.pop("ETag", None)
    return response


def init_security(app: Flask) -> None:
    # Registered before CSRFProtect so foreign requests are refused before any body is parsed.
    app.before_request(check_host)
    app.before_request(check_launch_token)
    app.before_request(check_origin)
    app.after_request(add_security_headers)
