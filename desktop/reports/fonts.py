"""The DejaVu fonts shipped in `resources/fonts`, embedded so any Latin letter prints right.

ReportLab's built-in Helvetica has no Polish or Turkish letters (ł, ğ, ş print as black boxes),
and the app must not depend on fonts installed on the workstation.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

from desktop.domain.failure_codes import RESOURCES_DIR

FONTS_DIR = RESOURCES_DIR / "fonts"
SANS = "DejaVuSans"
SANS_BOLD = "DejaVuSans-Bold"
SANS_ITALIC = "DejaVuSans-Oblique"
MONO = "DejaVuSansMono"
# DejaVu has no CJK glyphs (日本 printed as boxes). Runs of CJK characters (markup.text) use
# Droid Sans Fallback (Debian fonts-droid-fallback, 4 MB TrueType, embedded as a subset) where
# it is installed or shipped in resources/fonts; else ReportLab's CID font, which needs no file
# but leaves the glyphs to the viewer (Acrobat has them; poppler needs poppler-data).
# Noto CJK from PyPI is CFF-flavoured OpenType, which ReportLab cannot embed.
CJK = "WrenchbookCJK"
_CJK_FILES = (
    FONTS_DIR / "DroidSansFallbackFull.ttf",
    Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
)
_CJK_CID = "HeiseiKakuGo-W5"


@cache
def register_fonts() -> None:
    """Register the fonts once per process; `<b>` and `<i>` in paragraphs map to the faces."""
    for name in (SANS, SANS_BOLD, SANS_ITALIC, MONO):
        pdfmetrics.registerFont(TTFont(name, str(FONTS_DIR / f"{name}.ttf")))
    addMapping(SANS, 0, 0, SANS)
    addMapping(SANS, 1, 0, SANS_BOLD)
    addMapping(SANS, 0, 1, SANS_ITALIC)
    addMapping(SANS, 1, 1, SANS_BOLD)
    found = next((path for path in _CJK_FILES if path.is_file()), None)
    if found is not None:
        pdfmetrics.registerFont(TTFont(CJK, str(found)))
    else:
        cid = UnicodeCIDFont(_CJK_CID)
        cid.name = cid.fontName = CJK
        pdfmetrics.registerFont(cid)
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(CJK, bold, italic, CJK)
