from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import EqualTo, Length, Optional

from helper.vocabulary import LANGUAGE_NAMES


class DossierForm(FlaskForm):
    lang = RadioField(
        _l("Language of the dossier"),
        choices=[SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()],
        default="en",
    )
    person = StringField(
        _l("How should you be named in it?"),
        description=_l("Your name, initials, or nothing at all. It appears on the cover only."),
        validators=[Optional(), Length(max=200)],
    )
    show_case_name = BooleanField(
        _l("Print the case's name in the dossier"),
        description=_l(
            "Unticked, the dossier is titled only “Evidence dossier”, and so is the file's name: the name "
            "you gave the case stays private to you."
        ),
    )
    password = PasswordField(
        _l("Password for the file (recommended)"),
        description=_l(
            "With a password, the PDF is encrypted (AES-256). Give the password separately, by phone or "
            "in person."
        ),
        validators=[Optional(), Length(min=6, max=200, message=_l("Please use at least 6 characters."))],
    )
    password_again = PasswordField(
        _l("The same password again"),
        validators=[EqualTo("password", message=_l("The two passwords are not the same."))],
    )
    leave_out = StringField(
        _l("Files to leave out (optional)"),
        description=_l(
            "Their numbers, as on the case page: for example E12, E40-E45. Every other file is in."
        ),
        validators=[Optional(), Length(max=2000)],
    )
    intimate = RadioField(
        _l("Intimate pictures in this dossier"),
        choices=[
            SelectChoice("blur", _l("Blurred (recommended)")),
            SelectChoice("hide", _l("Not shown at all")),
            SelectChoice("show", _l("Shown as they are, only if the person receiving it needs to see them")),
        ],
        default="blur",
    )
    counselor_notes = BooleanField(
        _l("Add the counselor's notes"),
        description=_l("Only if you want them in: they are the counselor's words, not yours."),
    )
    letters = BooleanField(
        _l("Add the letters written, word for word, as an appendix"),
        description=_l("Useful for the police or a regulator: it shows what was asked, and when."),
    )
    redact_names = BooleanField(
        _l("Withhold the names of other people in quoted messages"),
        description=_l("Friends, family or classmates named in the messages. Their accounts' names stay."),
    )
