from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, Length, Optional

_TOO_LONG = _l("This is too long. Please shorten it a little.")


class SafetyForm(FlaskForm):
    answer = StringField(validators=[AnyOf(["safe", "danger"])])


class ContinueForm(FlaskForm):
    """A step that only asks to go on."""


class AgeForm(FlaskForm):
    minor = RadioField(
        _l("Was the person in the images under 18, when they were made or now?"),
        choices=[
            SelectChoice("yes", _l("Yes, under 18")),
            SelectChoice("no", _l("No, 18 or older")),
            SelectChoice("unsure", _l("I am not sure")),
        ],
        validators=[Optional()],
    )


class KindForm(FlaskForm):
    kind = RadioField(
        _l("Which sounds most like what is happening? Choose the closest; you can change it later."),
        choices=[
            SelectChoice("financial", _l("Someone I met online wants money or more images")),
            SelectChoice("known_person", _l("Someone I know (an ex, for example) is threatening me")),
            SelectChoice("posted", _l("Images of me have already been posted")),
            SelectChoice("ai_altered", _l("Fake images were made from my ordinary photos (AI, face swap)")),
            SelectChoice("hacked", _l("Someone got into my account and took images")),
            SelectChoice("other", _l("Something else")),
        ],
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
