"""Why a file was not taken. Each reason's kind sentence is in helper/vocabulary.py (REFUSALS)."""

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
    "unreadable",  # reading it failed in a way nobody foresaw (logged): that file alone is not kept
)


class Rejected(ValueError):
    """A file refused at intake. Nothing of it is kept."""

    def __init__(self, reason: str, detail: str = "") -> None:
        if reason not in REASONS:
            raise ValueError(f"unknown rejection reason {reason!r}")
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
