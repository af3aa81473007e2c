"""The fonts shipped in `resources/fonts`, embedded so any Latin or CJK letter prints right.

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
# DejaVu has no CJK glyphs (日本 printed as boxes). Runs of CJK characters (markup.text) use
# Droid Sans Fallback (Apache 2.0, 4 MB TrueType, from Debian's fonts-droid-fallback), shipped
# here so every build, Windows included, embeds it as a subset. Noto CJK from PyPI is
# CFF-flavoured OpenType, which ReportLab cannot embed; a CID font would leave the glyphs to the
# PDF viewer (poppler without poppler-data prints none).
CJK = "WrenchbookCJK"
CJK_FILE = FONTS_DIR / "DroidSansFallbackFull.ttf"


@cache
def register_fonts() -> None:
    """Register the fonts once per process; `<b>` and `<i>` in paragraphs map to the faces."""
    for name in (SANS, SANS_BOLD, SANS_ITALIC, MONO):
        pdfmetrics.registerFont(TTFont(name, str(FONTS_DIR / f"{name}.ttf")))
    addMapping(SANS, 0, 0, SANS)
    addMapping(SANS, 1, 0, SANS_BOLD)
    addMapping(SANS, 0, 1, SANS_ITALIC)
    addMapping(SANS, 1, 1, SANS_BOLD)
    pdfmetrics.registerFont(TTFont(CJK, str(CJK_FILE)))
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(CJK, bold, italic, CJK)
