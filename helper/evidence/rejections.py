"""Why a file was not taken. The web layer turns each reason into a kind, translated sentence."""

from __future__ import annotations

REASONS = (
    "empty",  # zero bytes
    "too_large",  # over the size limit
    "bad_name",  # a name with folders, control or direction characters, or far too long
    "program",  # an executable: never evidence, and dangerous to open
    "polyglot",  # one file that is also another kind of file (an image that is also a zip or a web page)
    "image_too_big",  # dimensions a decoder would need gigabytes for (a decompression bomb)
    "damaged_image",  # an image that does not decode whole: truncated or corrupt
    "unsafe_archive",  # a zip bomb, or paths that climb out of the archive
    "damaged_archive",  # a zip that cannot be read
)


# Plain words for the command line (the app has its own, translated, in helper/web/evidence/messages.py).
EXPLANATIONS = {
    "empty": "the file is empty",
    "too_large": "the file is over the size limit",
    "bad_name": "its name holds folder signs or hidden characters; rename it and try again",
    "program": "it is a program, and programs are never kept",
    "polyglot": "it hides another kind of file inside it",
    "image_too_big": "it claims enormous picture dimensions (a decompression bomb)",
    "damaged_image": "the picture is damaged or incomplete",
    "unsafe_archive": "the zip would unpack to a huge size or outside itself",
    "damaged_archive": "the zip cannot be read",
}


class Rejected(ValueError):
    """A file refused at intake. Nothing of it is kept."""

    def __init__(self, reason: str, detail: str = "") -> None:
        if reason not in REASONS:
            raise ValueError(f"unknown rejection reason {reason!r}")
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
