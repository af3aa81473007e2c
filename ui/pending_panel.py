"""A page that says what will be there: the shell's page while the database opens."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class PendingPanel(QWidget):
    """A panel title and one line below it, e.g. "Opening the database…"."""

    def __init__(self, title: str, coming: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        heading = QLabel(title)
        heading.setObjectName("panelTitle")
        self.body = QLabel(coming)
        self.body.setObjectName("hint")
        self.body.setWordWrap(True)
        self.body.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.body, 1)

    def set_text(self, text: str) -> None:
        self.body.setText(text)
