"""Creating, unlocking and locking the vault; language; quick exit."""

from __future__ import annotations

import logging
import secrets

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from helper.vault import (
    KeyFileRefused,
    NotAVault,
    Vault,
    VaultError,
    VaultExists,
    WeakPassphrase,
    WrongPassphrase,
)
from helper.web.counselor import mode as counselor_mode
from helper.web.errors import render_closed
from helper.web.services import (
    SESSION_HANDLE,
    SESSION_LAUNCHED,
    SESSION_RETURNING,
    current_vault,
    is_admitted,
    services,
)
from helper.web.session import bp
from helper.web.session.forms import (
    ChangePassphraseForm,
    LanguageForm,
    RecoverForm,
    RecoveryShownForm,
    ReopenForm,
    SetupForm,
    UnlockForm,
)
from helper.web.throttle import ThrottledTry
from helper.web.views import local_path, vault_required

log = logging.getLogger(__name__)


def key_file_refused(exc: KeyFileRefused) -> str:
    return _("Your safe space's key file was refused: %(why)s. Nothing was changed.", why=exc.describe(_))


def _recovery_keys() -> dict[str, str]:
    return services().recovery_keys


def _start(unlocked) -> None:
    services().keyring.drop(session.get(SESSION_HANDLE))
    session[SESSION_HANDLE] = services().keyring.add(unlocked)
    # Files an interrupted upload wrote but never added, once old enough that no upload in another
    # window can still be about to add them: looked for in the background, since it reads every case
    # (the person's way in costs the key file only), and a failure there leaves them for next time.
    unlocked.sweep_orphans_in_background()


@bp.route("/setup", methods=["GET", "POST"])
def setup():
    if services().vault.exists():
        return redirect(url_for("session.unlock"))
    form = SetupForm()
    if form.validate_on_submit():
        try:
            unlocked, recovery_key = Vault.create(services().vault.path, form.passphrase.data)
        except (VaultExists, WeakPassphrase, OSError):
            flash(_("We could not create your safe space in that folder. Nothing was changed."), "error")
            return redirect(url_for("session.setup"))
        _start(unlocked)
        _recovery_keys()[session[SESSION_HANDLE]] = recovery_key
        return redirect(url_for("session.recovery_key"))
    return render_template("session/setup.html", form=form, vault_path=services().vault.path)


@bp.route("/recovery-key", methods=["GET", "POST"])
@vault_required
def recovery_key(vault):
    handle = session[SESSION_HANDLE]
    key = _recovery_keys().get(handle)
    if key is None:
        return redirect(url_for("cases.index"))
    form = RecoveryShownForm()
    if form.validate_on_submit():
        _recovery_keys().pop(handle, None)
        flash(_("Your safe space is ready."), "success")
        return redirect(url_for("cases.index"))
    return render_template("session/recovery_key.html", form=form, recovery_key=key)


@bp.route("/unlock", methods=["GET", "POST"])
def unlock():
    if not services().vault.exists():
        return redirect(url_for("session.setup"))
    if current_vault() is not None:
        return redirect(url_for("cases.index"))
    form = UnlockForm()
    if form.validate_on_submit():
        try:
            unlocked = services().vault.unlock(form.passphrase.data)
        except KeyFileRefused as exc:
            flash(key_file_refused(exc), "error")
        except WrongPassphrase:
            form.passphrase.errors.append(
                _("That passphrase does not open this safe space. Please try again.")
            )
        except (NotAVault, OSError):
            flash(_("The safe space folder cannot be read. Is the USB stick still plugged in?"), "error")
        else:
            _start(unlocked)
            return redirect(local_path(request.args.get("next")) or url_for("cases.index"))
    return render_template("session/unlock.html", form=form, idle=request.args.get("idle"))


@bp.route("/recover", methods=["GET", "POST"])
def recover():
    if not services().vault.exists():
        return redirect(url_for("session.setup"))
    form = RecoverForm()
    if form.validate_on_submit():
        try:
            unlocked = services().vault.unlock_with_recovery(form.recovery_key.data)
            unlocked.reset_passphrase(form.passphrase.data)
        except KeyFileRefused as exc:
            flash(key_file_refused(exc), "error")
        except WrongPassphrase:
            form.recovery_key.errors.append(
                _("That recovery key does not open this safe space. Check each group.")
            )
        except (VaultError, OSError):
            flash(_("The safe space folder cannot be read. Nothing was changed."), "error")
        else:
            _start(unlocked)
            flash(_("Your new passphrase is set. Your recovery key still works."), "success")
            return redirect(url_for("cases.index"))
    return render_template("session/recover.html", form=form)


@bp.route("/passphrase", methods=["GET", "POST"])
@vault_required
def change_passphrase(vault):
    form = ChangePassphraseForm()
    if form.validate_on_submit():
        try:
            vault.change_passphrase(form.current.data, form.passphrase.data)
        except KeyFileRefused as exc:
            flash(key_file_refused(exc), "error")
        except WrongPassphrase:
            form.current.errors.append(_("That is not your current passphrase. Nothing was changed."))
        else:
            flash(_("Your passphrase is changed. Use the new one from now on."), "success")
            return redirect(url_for("cases.index"))
    return render_template("session/passphrase.html", form=form)


def _forget_this_browser_session() -> None:
    """Drop the key (and any recovery key still waiting to be shown) this session holds."""
    handle = session.pop(SESSION_HANDLE, None)
    services().keyring.drop(handle)
    if handle:
        _recovery_keys().pop(handle, None)


@bp.post("/lock")
def lock():
    """Any page's Lock button (CSRF and Origin are checked for every POST by the app)."""
    _forget_this_browser_session()
    if request.form.get("reason") == "idle":
        return redirect(url_for("session.unlock", idle=1))
    flash(_("Locked. Your evidence is encrypted and safe."), "success")
    return redirect(url_for("session.unlock"))


@bp.post("/exit")
def quick_exit():
    """Lock, forget this browser session, and leave for a neutral site. Counselor mode ends with it, and
    the journal of each case opened in it says so, as when it is ended with its button."""
    launched = session.get(SESSION_LAUNCHED, False)
    ticket = session.get(SESSION_RETURNING)
    try:
        counselor_mode.finish(current_vault())
    except Exception:  # the exit itself must never fail: the key is dropped below whatever happened
        log.exception("counselor mode ended by a quick exit without its journal entry")
    _forget_this_browser_session()
    session.clear()
    if launched or ticket:
        # This browser's way back on the closed page: its passphrase tries go in a lane of their own,
        # never behind a stranger's (helper/web/throttle.py). A random value, nothing else.
        session[SESSION_RETURNING] = ticket or secrets.token_urlsafe(16)
    svc = services()
    if launched and svc.on_relaunch_url is not None:
        svc.on_relaunch_url(svc.launch_url(svc.launch_tokens.issue()))
    if request.headers.get("X-Quick-Exit") == "fetch":
        return "", 204
    return redirect(svc.config.exit_url, code=303)


@bp.get("/state")
def state():
    """Whether this browser session is still open, for a page the quick exit of another tab did not
    reach (its script asks on focus). The launch check answers for it: 204 while open, the closed
    page's 403 once it is not. It touches no key, so asking keeps no vault from its idle lock."""
    return "", 204


@bp.app_context_processor
def session_state() -> dict:
    return {"session_open": is_admitted(session)}


@bp.post("/reopen")
def reopen():
    """The closed page's way back (after a quick exit, the launch link is spent): the passphrase opens a
    fresh session here. Tries are slowed after wrong ones (scrypt already costs about a second), so a
    program on this computer cannot guess its way in faster than offline; the browser that made the
    quick exit has a lane of its own, so a stranger's wrong tries never keep the person waiting."""

    form = ReopenForm()
    if not form.validate_on_submit():
        return render_closed(form, status=400)
    if not services().vault.exists():
        return render_closed(form, status=403)
    try:
        with services().reopen_guard.attempt(session.get(SESSION_RETURNING)) as attempt:
            unlocked = services().vault.unlock(form.passphrase.data)
            attempt.succeeded()
    except ThrottledTry as wait:
        form.passphrase.errors.append(
            ngettext(
                "Several wrong passphrases were typed on this computer just now. Please wait %(num)s "
                "second, then try again.",
                "Several wrong passphrases were typed on this computer just now. Please wait %(num)s "
                "seconds, then try again.",
                wait.seconds,
            )
        )
        return render_closed(form, status=429)
    except KeyFileRefused as exc:
        flash(key_file_refused(exc), "error")
        return render_closed(form, status=403)
    except WrongPassphrase:
        form.passphrase.errors.append(_("That passphrase does not open this safe space. Please try again."))
        return render_closed(form, status=403)
    except (NotAVault, OSError):
        flash(_("The safe space folder cannot be read. Is the USB stick still plugged in?"), "error")
        return render_closed(form, status=403)
    session.clear()
    session[SESSION_LAUNCHED] = True
    _start(unlocked)
    return redirect(url_for("cases.index"))


@bp.post("/alive")
@vault_required
def alive(vault):
    """The page pings while the person is typing, so the idle lock does not take their words."""
    return "", 204


@bp.post("/language")
def language():
    form = LanguageForm()
    if form.validate_on_submit():
        session["lang"] = form.lang.data
    return redirect(local_path(form.next.data) or url_for("index"))
