"""Non-blocking message boxes for the editor: the event loop (and tests) keep running."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def show_message(
    parent: QWidget,
    title: str,
    text: str,
    details: list[str] | None = None,
    icon: QMessageBox.Icon = QMessageBox.Icon.Warning,
) -> QMessageBox:
    """Open a window-modal box listing `details` as bullets; it deletes itself when closed."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("editor_message")
    if details:
        box.setInformativeText("\n".join(f"• {line}" for line in details))
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
