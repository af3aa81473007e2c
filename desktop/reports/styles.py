"""Paragraph styles and table looks shared by the sheets and the audit pack (black and white)."""

from __future__ import annotations

from functools import cache

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, Table, TableStyle

from desktop.reports.fonts import MONO, SANS, SANS_BOLD, register_fonts

# Light enough to print on any office laser, dark enough to survive a photocopy.
SHADE = colors.Color(0.88, 0.88, 0.88)
RULE = colors.Color(0.35, 0.35, 0.35)


@cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("body", fontName=SANS, fontSize=8.5, leading=10.5)
    return {
        "body": body,
        "small": ParagraphStyle("small", body, fontSize=7, leading=8.5),
        "tiny": ParagraphStyle("tiny", body, fontSize=6, leading=7.2),
        "cell": ParagraphStyle("cell", body, fontSize=7.5, leading=9),
        "list": ParagraphStyle("list", body, fontSize=6.5, leading=7.8),
        "head": ParagraphStyle("head", body, fontName=SANS_BOLD, fontSize=6.5, leading=7.8),
        "cell_bold": ParagraphStyle("cell_bold", body, fontName=SANS_BOLD, fontSize=7.5, leading=9),
        "mono": ParagraphStyle("mono", body, fontName=MONO, fontSize=6.5, leading=8),
        # Canonical JSON has no spaces: break it anywhere rather than run off the page.
        "code": ParagraphStyle(
            "code", body, fontName=MONO, fontSize=6, leading=7.2, wordWrap="CJK"
        ),
        "label": ParagraphStyle("label", body, fontSize=6.5, leading=8, textColor=RULE),
        "heading": ParagraphStyle(
            "heading", body, fontName=SANS_BOLD, fontSize=9.5, leading=12, spaceBefore=3
        ),
        "subheading": ParagraphStyle(
            "subheading", body, fontName=SANS_BOLD, spaceBefore=4, spaceAfter=1, keepWithNext=1
        ),
        "h1": ParagraphStyle("h1", body, fontName=SANS_BOLD, fontSize=15, leading=19, spaceAfter=6),
        "h2": ParagraphStyle(
            "h2",
            body,
            fontName=SANS_BOLD,
            fontSize=11.5,
            leading=14,
            spaceBefore=8,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "title": ParagraphStyle("title", body, fontName=SANS_BOLD, fontSize=24, leading=30),
        "number": ParagraphStyle("number", body, fontName=SANS_BOLD, fontSize=17, leading=21),
        "subtitle": ParagraphStyle("subtitle", body, fontName=SANS_BOLD, fontSize=11, leading=14),
    }


def para(markup: str, style: str = "cell") -> Paragraph:
    """A paragraph from markup that is already escaped (see `markup.text`)."""
    return Paragraph(markup, styles()[style])


def flowing(value: str, style: str = "body") -> list[Paragraph]:
    """Free text as one paragraph per line, outside any table: a table cell cannot split, so a
    long procedure in one cell stopped the whole PDF with a LayoutError (issue 16)."""
    from desktop.reports.markup import text

    return [Paragraph(text(line) or "&nbsp;", styles()[style]) for line in value.splitlines()]


def grid(header_rows: int = 1, font_size: float = 7.5) -> TableStyle:
    """A ruled table with a shaded header, the look of every register and log."""
    register_fonts()
    commands: list[tuple[object, ...]] = [
        ("FONT", (0, 0), (-1, -1), SANS, font_size),
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if header_rows:
        commands += [
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), SHADE),
            ("FONT", (0, 0), (-1, header_rows - 1), SANS_BOLD, font_size),
        ]
    return TableStyle(commands)


def chunked_tables(
    header: list[object],
    rows: list[list[object]],
    widths: list[float],
    chunk: int = 40,
    style: TableStyle | None = None,
) -> list[Table]:
    """Long lists as one table per page-sized chunk: ReportLab splits a huge table slowly
    (PITFALLS.md: 109 pages from one 8,000-row table took 7.7 s, 200 chunked pages 2.9 s)."""
    look = style or grid(font_size=6.5)
    heads = _wrapping(header)
    tables = []
    for start in range(0, max(len(rows), 1), chunk):
        table = Table([heads, *rows[start : start + chunk]], colWidths=widths, repeatRows=1)
        table.setStyle(look)
        tables.append(table)
    return tables


def _wrapping(header: list[object]) -> list[object]:
    """Column headings as paragraphs, so a heading of several words wraps inside its column
    instead of running into the next (German headings are longer than English ones)."""
    from desktop.reports.markup import text

    return [
        Paragraph(text(title), styles()["head"]) if isinstance(title, str) else title
        for title in header
    ]
