from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import MultipleFileField


class UploadForm(FlaskForm):
    files = MultipleFileField(
        _l("Add screenshots, recordings or other files"),
        description=_l("You can pick several files at once. They are encrypted as they arrive."),
    )
