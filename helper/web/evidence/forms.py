from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, MultipleFileField


class UploadForm(FlaskForm):
    files = MultipleFileField(
        _l("Add screenshots, recordings or other files"),
        description=_l("You can pick several files at once. They are encrypted as they arrive."),
    )
    no_intimate = BooleanField(
        _l("These files show no nude or sexual image of anyone: only messages, profiles, links or payments."),
    )
