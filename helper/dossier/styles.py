"""Every style of the dossier in one place: fonts that print any name, sizes, colours, margins."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from helper.resources import data_dir

PAGE = A4
MARGIN = 18 * mm
INK = colors.HexColor("#1d2733")
MUTED = colors.HexColor("#4a5563")
RULE = colors.HexColor("#c9ced4")
SHADE = colors.HexColor("#eef1f4")
ACCENT = colors.HexColor("#235b78")


class MissingFont(RuntimeError):
    """The package's own copy of DejaVu is gone (a damaged install)."""


def font_dir() -> Path:
    """DejaVu ships with the app (fonts/, with its licence): accented, Greek and Cyrillic names print
    as typed on any computer, with no system font installed."""
    return data_dir("fonts")


@cache
def register_fonts() -> None:
    for name, file in (
        ("DejaVu", "DejaVuSans.ttf"),
        ("DejaVu-Bold", "DejaVuSans-Bold.ttf"),
        ("DejaVu-Mono", "DejaVuSansMono.ttf"),
    ):
        path = font_dir() / file
        if not path.is_file():
            raise MissingFont(f"{file} not found in {font_dir()}")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(
        "DejaVu", normal="DejaVu", bold="DejaVu-Bold", italic="DejaVu", boldItalic="DejaVu-Bold"
    )


@cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("body", fontName="DejaVu", fontSize=9.5, leading=13, textColor=INK)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10.5, textColor=MUTED),
        # A cell wraps between words only; its column is made wide enough for its longest word.
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10, splitLongWords=0),
        # Web and wallet addresses, ids: cut inside when wider than their column (none is widened for them).
        "cell_long": ParagraphStyle("cell_long", parent=base, fontSize=8, leading=10, splitLongWords=1),
        "letter": ParagraphStyle("letter", parent=base, fontSize=8.5, leading=11),
        "hash": ParagraphStyle("hash", parent=base, fontName="DejaVu-Mono", fontSize=7, leading=9),
        "h1": ParagraphStyle(
            "h1", parent=base, fontName="DejaVu-Bold", fontSize=16, leading=20, spaceAfter=8
        ),
        "h2": ParagraphStyle(
            "h2", parent=base, fontName="DejaVu-Bold", fontSize=12, leading=15, spaceBefore=10, spaceAfter=6
        ),
        "title": ParagraphStyle("title", parent=base, fontName="DejaVu-Bold", fontSize=24, leading=30),
        "quote": ParagraphStyle("quote", parent=base, leftIndent=8 * mm, textColor=INK, fontSize=9),
        "banner": ParagraphStyle(
            "banner", parent=base, fontName="DejaVu-Bold", fontSize=11, textColor=colors.HexColor("#8a1f1b")
        ),
    }


CELL_PADDING = 3  # points, left and right of every cell


def table_style(header: bool = True, rules: bool = True) -> list[tuple]:
    """A table's look; with `rules`, a line under every row (else the caller draws its own)."""
    commands: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), "DejaVu", 8),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ]
    if rules:
        commands.append(("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE))
    elif header:
        commands.append(("LINEBELOW", (0, 0), (-1, 0), 0.25, RULE))
    if header:
        commands += [("BACKGROUND", (0, 0), (-1, 0), SHADE), ("FONT", (0, 0), (-1, 0), "DejaVu-Bold", 8)]
    return commands
