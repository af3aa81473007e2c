"""The selected asset's name plate: code, name, class, criticality, status and its details."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TR_NOOP, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from desktop.domain.enums import AssetStatus
from ui.assets import formatting
from ui.i18n import tr
from ui.words import word

if TYPE_CHECKING:
    from desktop.services.assets.assets import AssetRecord

# Only a status that means "this asset does not run" is coloured.
_STATUS_COLOURS = {
    AssetStatus.OUT_OF_SERVICE: QColor("#b03a2e"),
    AssetStatus.DECOMMISSIONED: QColor("#7f8c8d"),
}
FIELDS = (
    QT_TR_NOOP("Class"),
    QT_TR_NOOP("Level"),
    QT_TR_NOOP("Criticality"),
    QT_TR_NOOP("Status"),
    QT_TR_NOOP("Maker / model"),
    QT_TR_NOOP("Serial"),
    QT_TR_NOOP("Installed"),
    QT_TR_NOOP("Replacement value"),
)


class AssetHeader(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.values: dict[str, QLabel] = {}
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setHorizontalSpacing(8)
        layout.setVerticalSpacing(2)
        layout.addWidget(self.title, 0, 0, 1, 8)
        # Two rows of four caption/value pairs.
        for position, name in enumerate(FIELDS):
            row, column = 1 + position // 4, (position % 4) * 2
            caption = QLabel(tr("{name}:").format(name=tr(name)))
            caption.setStyleSheet("color: palette(placeholder-text);")
            value = QLabel()
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(caption, row, column, Qt.AlignmentFlag.AlignRight)
            layout.addWidget(value, row, column + 1)
            self.values[name] = value
        for column in (1, 3, 5, 7):
            layout.setColumnStretch(column, 1)

    def show_asset(
        self, record: AssetRecord, include_subtree: bool, asset_count: int | None
    ) -> None:
        """`asset_count`: the assets in the history, None while it is still loading."""
        below = (asset_count or 1) - 1
        if not (include_subtree and below):
            scope = ""
        elif below == 1:
            scope = "   " + tr("(with 1 sub-asset)")
        else:
            scope = "   " + tr("(with {count} sub-assets)").format(count=below)
        self.title.setText(f"{record.code} — {record.name}{scope}")
        maker = " / ".join(part for part in (record.maker, record.model) if part)
        shown = {
            "Class": record.asset_class,
            "Level": word(record.level.value),
            "Criticality": record.criticality.value,
            "Status": word(record.status.value),
            "Maker / model": maker or "–",
            "Serial": record.serial or "–",
            "Installed": formatting.day(record.install_date) or "–",
            "Replacement value": formatting.money(record.replacement_value),
        }
        for name, text in shown.items():
            self.values[name].setText(text)
        colour = _STATUS_COLOURS.get(record.status)
        self.values["Status"].setStyleSheet(f"color: {colour.name()};" if colour else "")
