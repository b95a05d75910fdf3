import re
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, Length, Optional, ValidationError

from helper import vocabulary
from helper.case import SIGNER_EMAIL_MAX
from helper.web.labels import choices
from helper.web.moments import MINUTES

_TOO_LONG = _l("This is too long. Please shorten it a little.")


def _text(label, description=None, size=200, **kw):
    return StringField(
        label, description=description, validators=[Optional(), Length(max=size, message=_TOO_LONG)], **kw
    )


# Something@somewhere.tld, the whole of it: "$" would let a final line break through, and the letters'
# e-mail drafts write this address as a header line, which a line break ends.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _email_address(form, field) -> None:
    if field.data and not (_EMAIL.fullmatch(field.data) and field.data.isprintable()):
        raise ValidationError(_l("This does not look like an e-mail address."))


class SignerForm(FlaskForm):
    acting_for = RadioField(
        _l("Who is signing these letters?"), choices=choices(vocabulary.ACTING_FOR), validators=[Optional()]
    )
    person_name = _text(
        _l("The name of the person in the images"),
        _l("Only if you are signing for someone else."),
    )
    name = _text(_l("Your full name"), _l("Most forms and the police need a real name; eSafety does not."))
    email = StringField(
        _l("Your e-mail address"),
        description=_l("A new address just for these reports is fine."),
        validators=[
            Optional(),
            Length(max=SIGNER_EMAIL_MAX, message=_TOO_LONG),
            _email_address,
        ],
    )
    phone = _text(_l("Your telephone number"), size=60)
    address = TextAreaField(
        _l("Your postal address"),
        description=_l("Platforms do not need it."),
        validators=[Optional(), Length(max=1000, message=_TOO_LONG)],
        render_kw={"rows": 3},
    )
    signature = _text(
        _l("Your signature"),
        _l("Type your full name: in a letter sent online, that is your electronic signature."),
    )
    harm = TextAreaField(
        _l("How has this affected you?"),
        description=_l("In your own words. The letter to the prosecutor asks for it."),
        validators=[Optional(), Length(max=5000, message=_TOO_LONG)],
        render_kw={"rows": 4},
    )
    intimate_declared = BooleanField(_l("The content shows me (or the person I act for) in an intimate way."))
    good_faith = BooleanField(
        _l("I believe in good faith that these images were published or threatened without consent.")
    )
    accurate = BooleanField(_l("What I say in these letters is accurate and complete."))
    own_photo = BooleanField(_l("I took the picture myself (only then can a copyright notice be used)."))
    perjury = BooleanField(
        _l(
            "For a copyright notice: I state, under penalty of perjury, that I own the picture or act for "
            "its owner."
        )
    )


class WitnessForm(Form):
    """One witness: a row of the complaint form (no CSRF of its own: the page's form has it)."""

    name = _text(_l("Name"))
    address = TextAreaField(
        _l("Address"), validators=[Optional(), Length(max=1000, message=_TOO_LONG)], render_kw={"rows": 2}
    )
    knows = TextAreaField(
        _l("What they saw or can say"),
        validators=[Optional(), Length(max=2000, message=_TOO_LONG)],
        render_kw={"rows": 2},
    )


def _one_line(form, field) -> None:
    if field.data and not field.data.isprintable():
        raise ValidationError(_l("Please type it on one line, as the service shows it."))


def _one_line_text(label, description=None):
    return StringField(
        label,
        description=description,
        validators=[Optional(), Length(max=200, message=_TOO_LONG), _one_line],
    )


class ComplaintForm(FlaskForm):
    """What a complaint to the prosecutor asks for beyond the letters' details (service-public F1524)."""

    birth_date = DateField(_l("Your date of birth"), validators=[Optional()])
    birth_place = _one_line_text(
        _l("Your place of birth"), _l("The town, and the country if it is not where you live now.")
    )
    court_city = _one_line_text(
        _l("The city of the court (tribunal judiciaire) you write to"),
        _l(
            "The court of the place where the offence was committed, or of where its author lives. For "
            "threats received online, the place where you received them is usually taken as a place of "
            "the offence: check this with the court’s reception desk or a victim support service."
        ),
    )
    witnesses = FieldList(FormField(WitnessForm), label=_l("Witnesses"), min_entries=1, max_entries=20)

    def validate_birth_date(self, field) -> None:
        if field.data and (field.data.year < 1900 or field.data > date.today()):
            raise ValidationError(_l("Please check this date."))


class CountryForm(FlaskForm):
    country = SelectField(_l("Where do you live?"), validators=[Optional()])


class SentForm(FlaskForm):
    platform = HiddenField()
    lang = HiddenField()
    payment = HiddenField()  # a bank letter: the payment (and so the payee) it is about
    channel = SelectField(
        _l("How did you send it?"), choices=choices(vocabulary.REPORT_CHANNELS), validators=[Optional()]
    )
    sent_at = DateTimeLocalField(
        _l("When did you send it?"),
        format=MINUTES,
        validators=[Optional()],
    )
    reference = _text(_l("Reference or ticket number, if you got one"))


class DownloadForm(FlaskForm):
    platform = HiddenField()
    lang = HiddenField()
    payment = HiddenField()
    format = HiddenField(validators=[AnyOf(["txt", "eml"])])


class ReportForm(FlaskForm):
    status = SelectField(_l("Where does it stand?"), choices=choices(vocabulary.REPORT_STATUSES))
    sent_at = DateTimeLocalField(_l("When did you send it?"), format=MINUTES, validators=[Optional()])
    notice_at = DateTimeLocalField(
        _l("When did the regulator send its notice to the platform?"),
        description=_l("eSafety’s 24 hours run from its notice, not from your report."),
        format=MINUTES,
        validators=[Optional()],
    )
    reference = _text(_l("Reference or ticket number"))


class ReplyForm(FlaskForm):
    text = TextAreaField(
        _l("What did they answer?"),
        validators=[Optional(), Length(max=5000, message=_TOO_LONG)],
        render_kw={"rows": 3},
    )


# What a hash service gives is short; the record refuses anything longer (helper.case.HashCase).
_NUMBER_SIZE = 100


class NumbersForm(FlaskForm):
    """A hash service's case number and PIN. The PIN box is always empty when the page opens: the PIN
    is shown only when the person asks, and an empty box keeps the PIN already kept."""

    case_number = StringField(
        _l("Case number"),
        validators=[Optional(), Length(max=_NUMBER_SIZE, message=_TOO_LONG), _one_line],
        render_kw={"spellcheck": "false", "autocapitalize": "off"},
    )
    pin = StringField(
        _l("PIN"),
        validators=[Optional(), Length(max=_NUMBER_SIZE, message=_TOO_LONG), _one_line],
        render_kw={"spellcheck": "false", "autocapitalize": "off", "autocomplete": "off"},
    )
    shown = HiddenField()  # which numbers the page showed (helper.casework.hash_services.kept_revision)


class RevealForm(FlaskForm):
    """ "Show the PIN": a deliberate click, sent as a POST so that the PIN is never behind an address
    the browser's history could open again."""
