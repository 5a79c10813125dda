"""The embedded TrueType family (DejaVu Sans, shipped in resources/fonts) every packet uses.

Embedded TTF keeps the text searchable and identical on every reader and printer; the
standard 14 fonts are not embedded and lack many characters (é, µ, ≤).
"""

from __future__ import annotations

from functools import cache

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from j3490_desk.paths import resources_dir

FAMILY = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
_FACES = {FAMILY: (0, 0), BOLD: (1, 0), ITALIC: (0, 1)}


@cache
def register_fonts() -> str:
    """Register the family once per process; returns its name for the stylesheet."""
    folder = resources_dir() / "fonts"
    for face, (bold, italic) in _FACES.items():
        pdfmetrics.registerFont(TTFont(face, str(folder / f"{face}.ttf")))
        addMapping(FAMILY, bold, italic, face)
    addMapping(FAMILY, 1, 1, BOLD)  # no bold-oblique face shipped: bold stands in
    return FAMILY
