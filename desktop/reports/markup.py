"""User text made safe for ReportLab paragraphs, which otherwise read it as markup."""

from __future__ import annotations

from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

if TYPE_CHECKING:
    from datetime import date, datetime


def text(value: object) -> str:
    """Paragraph markup that prints `value` exactly as typed: `<b>` and `&` stay literal."""
    if value is None:
        return ""
    return escape(str(value)).replace("\n", "<br/>")


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
