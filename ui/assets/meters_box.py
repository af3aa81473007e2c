"""The asset's meters (runtime hours, cycles) and the OPC UA tags mapped to it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout, QWidget

from ui.i18n import show_date, show_number, tr

if TYPE_CHECKING:
    from ui.services import Services

MAX_TAGS = 12
"""More tags than fit the box are counted, not listed: the Trends page has them all."""


class MetersAndTagsBox(QGroupBox):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(tr("Meters and tags"), parent)
        self._meters = services.meters
        self._tags = services.plant_tags
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        self.set_asset(None)

    def set_asset(self, code: str | None) -> None:
        """List what is recorded on the asset itself (not its sub-assets)."""
        if code is None:
            self.label.setText("")
            return
        lines = []
        for meter in (m for m in self._meters.meters() if m.asset_code == code):
            when = (
                tr(", read {day}").format(day=show_date(meter.last_reading_at))
                if meter.last_reading_at
                else ""
            )
            lines.append(f"{meter.name}: {show_number(meter.total, 0)} {meter.unit}{when}")
        tags = [t for t in self._tags.tags() if t.asset_code == code]
        if tags:
            lines.append("")
            lines.append(tr("OPC UA tags ({count}):").format(count=len(tags)))
            lines += [
                f"  {t.name} [{t.unit}]" if t.unit else f"  {t.name}" for t in tags[:MAX_TAGS]
            ]
            if len(tags) > MAX_TAGS:
                lines.append("  " + tr("… and {count} more").format(count=len(tags) - MAX_TAGS))
        self.label.setText(
            "\n".join(lines) or tr("No meters or OPC UA tags on {code}.").format(code=code)
        )
