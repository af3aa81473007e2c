"""The one look of the app: style sheet, icons and the colours that carry meaning."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from PySide6.QtGui import QColor, QIcon

from desktop.domain.enums import Priority
from desktop.domain.failure_codes import RESOURCES_DIR

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

ICONS_DIR = RESOURCES_DIR / "icons"

PRIORITY_COLOURS = {
    Priority.EMERGENCY: QColor("#c0392b"),
    Priority.HIGH: QColor("#e67e22"),
    Priority.MEDIUM: QColor("#2980b9"),
    Priority.LOW: QColor("#7f8c8d"),
}
OVERDUE = QColor("#b03a2e")
WARNING = QColor("#a04000")
MUTED = QColor("#5d6d7e")


@cache
def icon(name: str) -> QIcon:
    """An icon from resources/icons by file stem, e.g. ``icon("board")``."""
    return QIcon(str(ICONS_DIR / f"{name}.svg"))


def apply(app: QApplication) -> None:
    """Fusion style (the same on every platform) under the Wrenchbook style sheet."""
    app.setStyle("Fusion")
    app.setWindowIcon(icon("wrenchbook"))
    app.setStyleSheet((RESOURCES_DIR / "theme.qss").read_text(encoding="utf-8"))
