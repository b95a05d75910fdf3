from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    FileField,
    HiddenField,
    MultipleFileField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from helper.web.moments import MINUTES


class UploadForm(FlaskForm):
    files = MultipleFileField(
        _l("Add screenshots, recordings or other files"),
        description=_l("You can pick several files at once. They are encrypted as they arrive."),
    )
    no_intimate = BooleanField(
        _l("These files show no nude or sexual image of anyone: only messages, profiles, links or payments."),
    )
    intimate = BooleanField(
        _l("Some of these files contain intimate images: keep them all hidden until I choose to look"),
    )


class ItemForm(FlaskForm):
    description = TextAreaField(
        _l("What does this show?"),
        description=_l("For example: the first threat, their profile, the payment request."),
        validators=[Optional(), Length(max=5000)],
        render_kw={"rows": 3},
    )
    captured_at = DateTimeLocalField(
        _l("When was this screenshot or recording made?"), format=MINUTES, validators=[Optional()]
    )
    platform = StringField(
        _l("Which platform or app does it show?"), validators=[Optional(), Length(max=200)]
    )
    account_id = SelectField(_l("Which of their accounts does it show?"), validators=[Optional()])
    intimate = BooleanField(
        _l("It contains intimate imagery"),
        description=_l("It will be hidden by default, and shown only when you choose."),
    )


class RemoveItemForm(FlaskForm):
    confirm = BooleanField(
        _l("Yes, remove this file from the case for good"),
        validators=[DataRequired(_l("Please tick the box to confirm."))],
    )


class LinkForm(FlaskForm):
    url = StringField(
        _l("Web address (link)"),
        description=_l("Copy it from the address bar. Incident Helper only records it: it never opens it."),
        validators=[DataRequired(_l("Please paste the link.")), Length(max=2000)],
        render_kw={"inputmode": "url", "autocomplete": "off"},
    )
    seen_at = DateTimeLocalField(_l("When did you see it?"), format=MINUTES, validators=[Optional()])
    platform = StringField(_l("Platform or website"), validators=[Optional(), Length(max=200)])
    note = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)], render_kw={"rows": 2})

    def validate_url(self, field) -> None:
        value = (field.data or "").strip()
        if any(ch.isspace() for ch in value) or "://" not in value and not value.startswith("www."):
            raise ValidationError(
                _l("This does not look like a web address. It usually starts with https://.")
            )


class RevealForm(FlaskForm):
    """One deliberate click to see an intimate item; the click is written in the journal."""


class DownloadForm(FlaskForm):
    """Saving a copy outside the vault, unencrypted: a deliberate act, journaled."""


class QuotesForm(FlaskForm):
    """Which messages of a chat export go on the timeline (checkboxes named "quote")."""


class FindCopiesForm(FlaskForm):
    image = FileField(
        _l("A picture you found somewhere else"),
        description=_l(
            "It is compared with the pictures in your safe space, in memory only. It is not saved unless you "
            "ask afterwards."
        ),
    )


class KeepCopyForm(FlaskForm):
    token = HiddenField()
    intimate = BooleanField(
        _l("It contains intimate imagery: keep it hidden until I choose to look"), default=True
    )
