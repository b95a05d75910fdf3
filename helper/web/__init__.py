"""The app factory: the only Flask code besides the blueprints under this package."""

from __future__ import annotations

import mimetypes
from datetime import datetime, tzinfo
from pathlib import Path

from babel import Locale, UnknownLocaleError
from flask import Flask, Response, abort, redirect, request, url_for
from flask import session as browser_session  # `session` is also the blueprint package's name
from flask_babel import Babel, get_locale
from flask_wtf.csrf import CSRFProtect
from werkzeug.security import safe_join

from helper.config import Config
from helper.content import shipped
from helper.letters.engine import LetterWriter
from helper.letters.tracker import Tracker
from helper.resources import data_dir
from helper.vault import Vault
from helper.vocabulary import LANGUAGE_NAMES, LANGUAGES
from helper.web import (
    cases,
    counselor,
    dossier,
    errors,
    evidence,
    filters,
    help,
    labels,
    letters,
    security,
    session,
    walkthrough,
)

# Each area's views join its blueprint when their module is imported.
from helper.web.cases import routes as _cases  # noqa: F401
from helper.web.counselor import routes as _counselor  # noqa: F401
from helper.web.dossier import routes as _dossier  # noqa: F401
from helper.web.evidence import chats as _chats  # noqa: F401
from helper.web.evidence import copies as _copies  # noqa: F401
from helper.web.evidence import media as _media  # noqa: F401
from helper.web.evidence import routes as _evidence  # noqa: F401
from helper.web.help import routes as _help  # noqa: F401
from helper.web.keyring import KeyRing
from helper.web.letters import facts as _facts  # noqa: F401
from helper.web.letters import hash_services as _hash_services  # noqa: F401
from helper.web.letters import routes as _letters  # noqa: F401
from helper.web.services import LaunchTokens, Services, current_vault, services
from helper.web.session import routes as _session  # noqa: F401
from helper.web.sessions import MemorySessionInterface
from helper.web.uploads import SecureRequest, discard_unclaimed_uploads
from helper.web.walkthrough import routes as _walkthrough  # noqa: F401

STATIC_DIR = data_dir("static")


def select_locale() -> str:
    """The language chosen with the switch (or the browser's first that we speak), and for dates and
    numbers the browser's own region in that language: en_GB writes 12/03/2026, en_US 3/12/2026."""
    language = browser_session.get("lang")
    if language not in LANGUAGES:
        language = request.accept_languages.best_match(LANGUAGES) or "en"
    for tag, _quality in request.accept_languages:
        parts = tag.replace("-", "_").split("_")
        if len(parts) >= 2 and parts[0].lower() == language:
            try:
                return str(Locale.parse(f"{language}_{parts[-1].upper()}"))
            except (ValueError, UnknownLocaleError):
                continue
    return language


def local_timezone() -> tzinfo | None:
    """Dates are shown in this computer's time zone, as the person lives them."""
    return datetime.now().astimezone().tzinfo


def serve_static(filename: str) -> Response:
    """The app's own CSS, script and icon, read whole: no open file outlives a dropped connection
    (Werkzeug's server can skip closing a streamed file when the client goes away)."""
    path = safe_join(str(STATIC_DIR), filename)
    if path is None or not Path(path).is_file():
        abort(404)
    mimetype = mimetypes.guess_type(path)[0] or "application/octet-stream"
    return Response(Path(path).read_bytes(), mimetype=mimetype)


def lock_idle_vaults() -> None:
    services().keyring.sweep()


def create_app(config: Config) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(data_dir("templates")),
        static_folder=None,  # served from memory below
    )
    app.add_url_rule("/static/<path:filename>", endpoint="static", view_func=serve_static)
    app.request_class = SecureRequest
    app.session_interface = MemorySessionInterface()  # the cookie holds a random id, nothing else
    app.config.update(
        SECRET_KEY=config.secret_key,
        TESTING=config.testing,
        MAX_CONTENT_LENGTH=config.max_upload_bytes,
        SESSION_COOKIE_NAME="incident_helper",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=False,  # plain http on 127.0.0.1 only
        WTF_CSRF_TIME_LIMIT=None,  # a frightened person may take hours over one page
        WTF_CSRF_SSL_STRICT=False,
        BABEL_TRANSLATION_DIRECTORIES=str(data_dir("translations")),
        BABEL_DEFAULT_LOCALE="en",
        SEND_FILE_MAX_AGE_DEFAULT=0,
    )
    content = shipped()  # loaded and checked once per process (the dossier reads the same)
    app.extensions["helper"] = Services(
        config=config,
        vault=Vault(config.vault_path),
        keyring=KeyRing(idle_seconds=config.idle_lock_minutes * 60),
        launch_tokens=LaunchTokens(),
        content=content,
        letters=LetterWriter.from_content_root(content, data_dir("content")),
        tracker=Tracker(content),
    )

    security.init_security(app)
    app.before_request(lock_idle_vaults)
    csrf = CSRFProtect(app)
    # Quick exit only locks and leaves: it must work from any page, even one whose token is stale (a
    # quick exit in another tab, a restart). It stays POST-only and Origin-checked like every POST.
    csrf.exempt("helper.web.session.routes.quick_exit")
    Babel(app, locale_selector=select_locale, timezone_selector=local_timezone)
    errors.init_errors(app)
    filters.init_filters(app)
    labels.init_labels(app)
    app.teardown_request(discard_unclaimed_uploads)

    for area in (session, cases, evidence, dossier, help, walkthrough, letters, counselor):
        app.register_blueprint(area.bp)

    @app.context_processor
    def page_context() -> dict:
        return {
            "locale": get_locale().language,  # the page's language; dates follow the full locale
            "languages": LANGUAGES,
            "language_names": LANGUAGE_NAMES,  # each in its own language, for the switch
            "unlocked": current_vault() is not None,
            "idle_seconds": int(config.idle_lock_minutes * 60),
            "exit_url": config.exit_url,
        }

    @app.get("/")
    def index():
        if not services().vault.exists():
            return redirect(url_for("session.setup"))
        if current_vault() is None:
            return redirect(url_for("session.unlock"))
        return redirect(url_for("cases.index"))

    return app
