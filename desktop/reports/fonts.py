"""The DejaVu fonts shipped in `resources/fonts`, embedded so any Latin letter prints right.

ReportLab's built-in Helvetica has no Polish or Turkish letters (ł, ğ, ş print as black boxes),
and the app must not depend on fonts installed on the workstation.
"""

from __future__ import annotations

from functools import cache

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from desktop.domain.failure_codes import RESOURCES_DIR

FONTS_DIR = RESOURCES_DIR / "fonts"
SANS = "DejaVuSans"
SANS_BOLD = "DejaVuSans-Bold"
SANS_ITALIC = "DejaVuSans-Oblique"
MONO = "DejaVuSansMono"


@cache
def register_fonts() -> None:
    """Register the fonts once per process; `<b>` and `<i>` in paragraphs map to the faces."""
    for name in (SANS, SANS_BOLD, SANS_ITALIC, MONO):
        pdfmetrics.registerFont(TTFont(name, str(FONTS_DIR / f"{name}.ttf")))
    addMapping(SANS, 0, 0, SANS)
    addMapping(SANS, 1, 0, SANS_BOLD)
    addMapping(SANS, 0, 1, SANS_ITALIC)
    addMapping(SANS, 1, 1, SANS_BOLD)
