"""The display's dark style sheet, with every size derived from the screen height.

A control room reads the screen from about three metres, on 1080p and 4K alike, so nothing
may be a fixed pixel size: each size is a fraction of the height, and a 4K screen gets twice
the pixels of a 1080p one for the same look.
"""

from __future__ import annotations

from functools import cache
from string import Template

from PySide6.QtCore import QT_TR_NOOP
from PySide6.QtGui import QColor

from desktop.domain.enums import Priority
from desktop.domain.failure_codes import RESOURCES_DIR

REFERENCE_HEIGHT = 1080
# Pixel sizes at 1080 lines. Body text of 30 px is ~19 mm on a 55" screen: readable from 3 m.
SIZES = {
    "body": 30,
    "small": 24,
    "label": 30,
    "title": 40,
    "big": 46,
    "huge": 88,
    "rule": 2,
    "radius": 10,
    "pad": 8,
    "gap": 18,
    "touch": 64,
    "chip": 180,
    "number": 290,
    "asset": 370,
}
PRIORITY_COLOURS = {
    Priority.EMERGENCY: QColor("#ff5a4e"),
    Priority.HIGH: QColor("#ffb000"),
    Priority.MEDIUM: QColor("#5bb8ff"),
    Priority.LOW: QColor("#b8c4cf"),
}
PRIORITY_NAMES = {
    Priority.EMERGENCY: QT_TR_NOOP("Emergency"),
    Priority.HIGH: QT_TR_NOOP("High"),
    Priority.MEDIUM: QT_TR_NOOP("Medium"),
    Priority.LOW: QT_TR_NOOP("Low"),
}
CURVE_COLOURS = ("#5bb8ff", "#7ee081", "#ffd166", "#f78cff", "#4ef0e0", "#ff9f6e")
ALARM_COLOUR = "#ff5a4e"


def unit(height: int) -> float:
    """Scale factor of a screen `height` pixels tall (1.0 at 1080; never below 0.5)."""
    return max(height, REFERENCE_HEIGHT // 2) / REFERENCE_HEIGHT


def px(name: str, height: int) -> int:
    return max(1, round(SIZES[name] * unit(height)))


@cache
def _template() -> Template:
    return Template((RESOURCES_DIR / "display.qss").read_text(encoding="utf-8"))


def style_sheet(height: int) -> str:
    return _template().substitute({name: px(name, height) for name in SIZES})
