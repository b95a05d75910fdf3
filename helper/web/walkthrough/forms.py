from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DateTimeLocalField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional, Regexp

from helper import vocabulary
from helper.web.labels import choices
from helper.web.moments import MINUTES

_TOO_LONG = _l("This is too long. Please shorten it a little.")


class SafetyForm(FlaskForm):
    answer = StringField(validators=[AnyOf(["safe", "danger"])])


class ContinueForm(FlaskForm):
    """A step that only asks to go on."""


class AgeForm(FlaskForm):
    minor = RadioField(
        _l("Was the person in the images under 18, when they were made or now?"),
        choices=choices(vocabulary.MINOR_ANSWERS),
        validators=[Optional()],
    )


class KindForm(FlaskForm):
    kind = RadioField(
        _l("Which sounds most like what is happening? Choose the closest; you can change it later."),
        choices=choices(vocabulary.KINDS),
        validators=[Optional()],
    )


class StoryForm(FlaskForm):
    narrative = TextAreaField(
        _l("In your own words, what happened?"),
        description=_l(
            "Write as much or as little as you like. Only you can read this unless you export it."
        ),
        validators=[Optional(), Length(max=20_000, message=_TOO_LONG)],
        render_kw={"rows": 8},
    )
    started_on = DateField(
        _l("When did it start?"),
        description=_l("An approximate date is fine."),
        validators=[Optional()],
    )
    first_contact_platform = StringField(
        _l("Where did they first contact you?"),
        description=_l("For example: Instagram, a game, a dating app."),
        validators=[Optional(), Length(max=200, message=_TOO_LONG)],
    )
    moved_to_platform = StringField(
        _l("Did they ask you to move to another app? Which one?"),
        validators=[Optional(), Length(max=200, message=_TOO_LONG)],
    )


def _text(label, description=None, max_length=500, **kw):
    return StringField(
        label,
        description=description,
        validators=[Optional(), Length(max=max_length, message=_TOO_LONG)],
        **kw,
    )


class AccountForm(FlaskForm):
    platform = _text(_l("Platform or app"), _l("For example: Instagram, Snapchat, WhatsApp."), 200)
    display_name = _text(_l("Name shown on the profile"), max_length=200)
    handle = _text(_l("Username or handle"), _l("Often starts with @. Copy it exactly."), 200)
    platform_id = _text(
        _l("Unique ID, if the platform shows one"),
        _l("A number or code that never changes, even if the name does."),
        200,
    )
    profile_url = _text(_l("Link to the profile"), max_length=2000, render_kw={"inputmode": "url"})
    phone = _text(_l("Phone number"), max_length=100, render_kw={"inputmode": "tel"})
    email = _text(_l("E-mail address"), max_length=300, render_kw={"inputmode": "email"})
    note = TextAreaField(_l("Anything else about this account"), validators=[Optional(), Length(max=5000)])


class ThreatForm(FlaskForm):
    wording = TextAreaField(
        _l("What did they say? Copy their exact words if you can."),
        validators=[Optional(), Length(max=10_000, message=_TOO_LONG)],
        render_kw={"rows": 4},
    )
    received_at = DateTimeLocalField(_l("When did you receive it?"), format=MINUTES, validators=[Optional()])
    deadline = DateTimeLocalField(
        _l("Did they give a deadline? When?"), format=MINUTES, validators=[Optional()]
    )
    targets = _text(
        _l("Who did they threaten to send the images to?"), _l("For example: my family, my school.")
    )


class PaymentForm(FlaskForm):
    paid = RadioField(
        _l("Is this a demand, or money that was sent?"),
        choices=choices(vocabulary.PAYMENT_STATES),
        default="demanded",
        validators=[Optional()],
    )
    amount = _text(
        _l("Amount"), _l("Numbers only, for example 150 or 150.50."), 50, render_kw={"inputmode": "decimal"}
    )
    currency = _text(_l("Currency"), _l("For example: USD, EUR, GBP, or the name of a crypto-currency."), 30)
    method = SelectField(
        _l("How?"),
        choices=choices(vocabulary.PAYMENT_METHODS, blank=_l("Choose…")),
        validators=[Optional()],
    )
    at = DateTimeLocalField(_l("When?"), format=MINUTES, validators=[Optional()])
    # What the person's own bank asks for: the account or card it was paid from (its last four digits
    # only: a full card number is never kept) and the bank's reference for the transaction.
    own_account = StringField(
        _l("The last 4 digits of your own card or account it was paid from"),
        description=_l("Only the last 4 digits: never type your full card or account number."),
        validators=[
            Optional(),
            Regexp(r"^\d{4}$", message=_l("Type only the last 4 digits, for example 4242.")),
        ],
        render_kw={"inputmode": "numeric", "maxlength": "4", "autocomplete": "off"},
    )
    reference = _text(_l("Your bank’s or app’s reference for the transaction"), max_length=200)
    wallet_address = _text(_l("Wallet address they gave"), max_length=200)
    tx_hash = _text(_l("Transaction ID (hash), if you paid in crypto"), max_length=200)
    gift_card_brand = _text(_l("Gift card brand"), max_length=100)
    gift_card_code = _text(_l("Gift card code"), _l("Card codes can sometimes be frozen by the brand."), 200)
    payee_handle = _text(_l("Their PayPal, Cash App, Venmo or Revolut name"), max_length=200)
    iban = _text(_l("Their IBAN or account number"), max_length=100)
    control_number = _text(_l("Money transfer control number (MTCN)"), max_length=100)
    note = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])


class PlaceForm(FlaskForm):
    url = _text(
        _l("Link where the images appear or were sent"), max_length=2000, render_kw={"inputmode": "url"}
    )
    platform = _text(_l("Platform or website"), max_length=200)
    seen_on = DateField(_l("When did you (or someone) see it there?"), validators=[Optional()])
    note = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])


class OriginalForm(FlaskForm):
    description = _text(
        _l("Which ordinary photo was used?"), _l("For example: my profile picture from 2025.")
    )
    where_posted = _text(_l("Where had you posted it?"), max_length=200)
    url = _text(_l("Link to it, if it is online"), max_length=2000, render_kw={"inputmode": "url"})


class ReportForm(FlaskForm):
    target = SelectField(
        _l("Who did you report to?"),
        choices=choices(vocabulary.REPORT_TARGETS, blank=_l("Choose…")),
        validators=[Optional()],
    )
    name = _text(_l("Name"), _l("For example: Instagram, Paris police station, 3018."), 200)
    made_on = DateField(_l("When?"), validators=[Optional()])
    reference = _text(_l("Reference or case number"), max_length=200)
    note = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])


class EventForm(FlaskForm):
    at = DateTimeLocalField(
        _l("When?"), format=MINUTES, validators=[DataRequired(_l("Please give a date and time."))]
    )
    text = _text(_l("What happened then?"), max_length=2000)
