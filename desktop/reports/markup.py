"""User text made safe for ReportLab paragraphs, which otherwise read it as markup."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from desktop.reports.fonts import CJK

if TYPE_CHECKING:
    from datetime import date, datetime


# CJK punctuation, kana, CJK ideographs and full-width forms: the glyphs DejaVu lacks.
_CJK_RUN = re.compile("[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+")


def text(value: object) -> str:
    """Paragraph markup that prints `value` exactly as typed: `<b>` and `&` stay literal, and
    CJK characters print in the CJK font instead of as boxes."""
    if value is None:
        return ""
    escaped = escape(str(value)).replace("\n", "<br/>")
    return _CJK_RUN.sub(lambda m: f'<font name="{CJK}">{m.group(0)}</font>', escaped)


def when(value: datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if value is not None else ""


def day(value: date | datetime | None) -> str:
    return f"{value:%Y-%m-%d}" if value is not None else ""


def number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def limits(low: float | None, high: float | None, unit: str | None) -> str:
    """A measurement's allowed range as a technician reads it: `10 – 80 °C`, `≤ 4.5 mm/s`."""
    suffix = f" {unit}" if unit else ""
    if low is not None and high is not None:
        return f"{low:g} – {high:g}{suffix}"
    if high is not None:
        return f"≤ {high:g}{suffix}"
    if low is not None:
        return f"≥ {low:g}{suffix}"
    return ""
