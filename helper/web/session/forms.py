from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, StringField
from wtforms.validators import AnyOf, DataRequired, EqualTo, Length

from helper.vault.passphrase import MIN_LENGTH
from helper.vocabulary import LANGUAGES

_REQUIRED = _l("Please fill this in.")
_TOO_SHORT = _l("Please use at least %(n)s characters.", n=MIN_LENGTH)
_NO_MATCH = _l("The two passphrases are not the same. Please type them again.")


def new_passphrase_fields():
    return (
        PasswordField(
            _l("Choose a passphrase"),
            validators=[DataRequired(_REQUIRED), Length(min=MIN_LENGTH, message=_TOO_SHORT)],
            render_kw={"autocomplete": "new-password", "data-strength": "on"},
        ),
        PasswordField(
            _l("Type it again"),
            validators=[DataRequired(_REQUIRED), EqualTo("passphrase", message=_NO_MATCH)],
            render_kw={"autocomplete": "new-password"},
        ),
    )


class SetupForm(FlaskForm):
    passphrase, confirm = new_passphrase_fields()


class RecoveryShownForm(FlaskForm):
    written_down = BooleanField(
        _l("I have written down my recovery key and put it somewhere safe."),
        validators=[DataRequired(_l("Please tick the box once the key is written down."))],
    )


class UnlockForm(FlaskForm):
    passphrase = PasswordField(
        _l("Passphrase"),
        validators=[DataRequired(_REQUIRED)],
        render_kw={"autocomplete": "current-password", "autofocus": True},
    )


class ReopenForm(FlaskForm):
    """On the "closed" page: the way back after a quick exit, without the terminal's link."""

    passphrase = PasswordField(
        _l("Your passphrase"),
        validators=[DataRequired(_REQUIRED)],
        render_kw={"autocomplete": "current-password"},
    )


class RecoverForm(FlaskForm):
    recovery_key = StringField(
        _l("Recovery key"),
        validators=[DataRequired(_REQUIRED)],
        render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"},
    )
    passphrase, confirm = new_passphrase_fields()


class ChangePassphraseForm(FlaskForm):
    current = PasswordField(
        _l("Your current passphrase"),
        validators=[DataRequired(_REQUIRED)],
        render_kw={"autocomplete": "current-password"},
    )
    passphrase, confirm = new_passphrase_fields()


class LanguageForm(FlaskForm):
    lang = StringField(validators=[AnyOf(LANGUAGES)])
    next = HiddenField()
