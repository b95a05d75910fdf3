"""Content (help lines, guidance, letters) loaded from `content/` into frozen dataclasses.

Content is data that advocates and lawyers can correct without reading Python. Every record is
checked against the vocabulary declared in `content/schema.toml`; an error names the file, the
record and the field.
"""

from functools import cache

from helper.content.loader import Content, ContentError, load_content
from helper.content.model import Advice, Country, HelpLine, RemovalService, Text
from helper.resources import data_dir


@cache
def shipped() -> Content:
    """The content that comes with the program, loaded once."""
    return load_content(data_dir("content"))


__all__ = [
    "Advice",
    "Content",
    "ContentError",
    "Country",
    "HelpLine",
    "RemovalService",
    "Text",
    "load_content",
    "shipped",
]
