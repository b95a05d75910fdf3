from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional

_TOO_LONG = _l("This is too long. Please shorten it a little.")


class StartForm(FlaskForm):
    name = StringField(
        _l("Your name (the counselor)"),
        validators=[DataRequired(message=_l("Please give your name.")), Length(max=120, message=_TOO_LONG)],
    )
    organisation = StringField(
        _l("Your organisation"),
        description=_l("The helpline or service you work for."),
        validators=[Optional(), Length(max=200, message=_TOO_LONG)],
    )
    next = HiddenField()


class EmptyForm(FlaskForm):
    """A button that only needs its CSRF token."""


class ConsentForm(FlaskForm):
    granted = HiddenField(validators=[AnyOf(["yes", "no"])])


class NoteForm(FlaskForm):
    text = TextAreaField(
        _l("A note for yourself"),
        description=_l("Kept apart from the person's own words. It goes in a dossier only if they choose."),
        validators=[
            DataRequired(message=_l("Write something, or leave it.")),
            Length(max=10_000, message=_TOO_LONG),
        ],
        render_kw={"rows": 4},
    )


class HandoverForm(FlaskForm):
    """The hand-over: chosen here, listed on the next page, made from there (helper/web/counselor/bundle.py
    settles choices that contradict each other)."""

    recipient = StringField(
        _l("The organisation's public key"),
        description=_l("It starts with age1. They give it to you; it is safe to share."),
        validators=[DataRequired(message=_l("Paste the key they gave you.")), Length(max=200)],
    )
    all_items = BooleanField(_l("Every file not marked intimate"), default=True)
    intimate = BooleanField(_l("The files marked intimate too"), default=False)
    # The case's files, ticked one by one; ids that are not the case's are left out, not refused.
    items = SelectMultipleField(choices=[], validate_choice=False)
    notes = BooleanField(_l("My notes (the counselor's private notes)"), default=False)
    step = HiddenField(validators=[AnyOf(["review", "make", "change"])], default="review")
