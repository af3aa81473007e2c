"""The asset's meters and OPC UA tags; filled once those are recorded (PM and OPC UA issues)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout, QWidget


class MetersAndTagsBox(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Meters and tags", parent)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        self.set_asset(None)

    def set_asset(self, code: str | None) -> None:
        if code is None:
            self.label.setText("")
            return
        self.label.setText(
            f"No meters or OPC UA tags are recorded for {code} yet.\n\n"
            "Runtime and cycle meters come with preventive maintenance; live sensor tags "
            "with condition monitoring."
        )
