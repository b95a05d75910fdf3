"""Kind words for each reason a file is refused at intake."""

from __future__ import annotations

import unicodedata

from flask_babel import lazy_gettext as _l

from helper.evidence.rejections import Rejected

REFUSALS = {
    "empty": _l(
        "“%(name)s” is empty, so there was nothing to keep. Try saving it again from where it came from."
    ),
    "too_large": _l(
        "“%(name)s” is too large for Incident Helper. Nothing was kept. If it is a long video, you can cut "
        "it into shorter parts."
    ),
    "bad_name": _l(
        "“%(name)s” has a name with hidden characters or folder signs, which can be used to trick a "
        "computer. Nothing was kept. Please rename the file, then add it again."
    ),
    "program": _l(
        "“%(name)s” is a program, not a picture, video or document. Programs are never kept: opening one "
        "could harm your computer."
    ),
    "polyglot": _l(
        "“%(name)s” looks like one kind of file but hides another inside it. It was not kept, to keep your "
        "computer safe. If you made this screenshot yourself, make it again and add the new one."
    ),
    "image_too_big": _l(
        "“%(name)s” claims to be a picture of an enormous size, a trick used to crash computers. "
        "It was not kept."
    ),
    "damaged_image": _l(
        "“%(name)s” is damaged or incomplete: the picture cannot be read whole. Nothing was kept. Try "
        "saving or downloading it again, then add it."
    ),
    "unsafe_archive": _l(
        "“%(name)s” is a zip file built to cause harm: it would unpack to a huge size or outside itself. "
        "It was not kept."
    ),
    "damaged_archive": _l(
        "“%(name)s” is a zip file that cannot be read; it may be incomplete. Nothing was kept. Try exporting "
        "or downloading it again."
    ),
}


def shown_name(name: str) -> str:
    """A file name safe to show: invisible and direction characters made visible, length bounded."""
    shown = "".join(
        "�" if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in name.strip()
    )
    return (shown[:80] + "…") if len(shown) > 80 else (shown or "?")


def refusal(exc: Rejected, name: str) -> str:
    return str(REFUSALS[exc.reason] % {"name": shown_name(name)})
