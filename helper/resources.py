"""Where the app's own files are: templates, static files, content, translations and fonts.

In the source tree they sit beside the package (templates/, static/, content/, translations/, fonts/:
the layout advocates and translators edit). A built wheel carries copies inside the package, under
`helper/_data/` (setup.py puts them there), and the installed app reads those through
`importlib.resources`: nothing it needs is looked for in a checkout, or on the system (the dossier's
font included).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

DATA_DIRS = ("templates", "static", "content", "translations", "fonts")
_SOURCE_TREE = Path(__file__).resolve().parent.parent


def data_dir(name: str) -> Path:
    """The folder `name` (one of DATA_DIRS): the package's own copy when installed, else the source
    tree's (a checkout installed in editable mode, as `make` does)."""
    if name not in DATA_DIRS:
        raise ValueError(name)
    packaged = Path(str(files("helper") / "_data" / name))
    if packaged.is_dir():
        return packaged
    return _SOURCE_TREE / name
