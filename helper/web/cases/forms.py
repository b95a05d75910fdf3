from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, InputRequired, Length

_TITLE_HELP = _l(
    "Only you see this name: the dossier leaves it out unless you choose to print it. "
    "For example: “Instagram, March”."
)


class NewCaseForm(FlaskForm):
    title = StringField(
        _l("A short name for this case"),
        validators=[DataRequired(_l("Please give the case a name.")), Length(max=120)],
        description=_TITLE_HELP,
    )


class RenameCaseForm(FlaskForm):
    title = StringField(
        _l("Name of the case"),
        validators=[DataRequired(_l("Please give the case a name.")), Length(max=120)],
    )
    revision = HiddenField(validators=[InputRequired()])


class DeleteCaseForm(FlaskForm):
    confirm = StringField(
        _l("Type the case's name to confirm"),
        validators=[DataRequired(_l("Type the case's name, exactly as it is shown above."))],
    )


class CloseCaseForm(FlaskForm):
    """Mark a case closed, or open again."""
