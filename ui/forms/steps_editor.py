"""An ordered list of checklist steps to edit in place: kind, text, unit, limits, required."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TR_NOOP, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.enums import ChecklistItemKind
from ui.forms.fields import FormField
from ui.i18n import tr

if TYPE_CHECKING:
    from collections.abc import Sequence

HEADERS = (
    QT_TR_NOOP("Kind"),
    QT_TR_NOOP("Step"),
    QT_TR_NOOP("Unit"),
    QT_TR_NOOP("Low"),
    QT_TR_NOOP("High"),
    QT_TR_NOOP("Required"),
)
KIND_TEXT = {
    ChecklistItemKind.CHECK: QT_TR_NOOP("check (pass / fail)"),
    ChecklistItemKind.MEASUREMENT: QT_TR_NOOP("measurement"),
    ChecklistItemKind.TEXT: QT_TR_NOOP("text"),
    ChecklistItemKind.SIGNATURE: QT_TR_NOOP("sign-off"),
}
KINDS = list(KIND_TEXT)


@dataclass(frozen=True)
class StepRow:
    """One step as typed: the limits stay text until the form is saved (then they are read)."""

    kind: ChecklistItemKind
    text: str
    unit: str
    low: str
    high: str
    required: bool


class StepsEditor(QWidget):
    """Steps in their order; Add, Remove, Up and Down keep it. UI thread only."""

    sig_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels([tr(h) for h in HEADERS])
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(320)
        self.add_button = QPushButton(tr("&Add step"))
        self.add_button.setObjectName("add_step")
        self.remove_button = QPushButton(tr("Remo&ve"))
        self.up_button = QPushButton(tr("U&p"))
        self.down_button = QPushButton(tr("Do&wn"))
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(lambda: self.add_step())
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(1))
        self.table.itemChanged.connect(lambda _item: self.sig_changed.emit())

    def steps(self) -> tuple[StepRow, ...]:
        rows = []
        for row in range(self.table.rowCount()):
            combo = self.table.cellWidget(row, 0)
            assert isinstance(combo, QComboBox)
            rows.append(
                StepRow(
                    KINDS[combo.currentIndex()],
                    self._text(row, 1),
                    self._text(row, 2),
                    self._text(row, 3),
                    self._text(row, 4),
                    self.table.item(row, 5).checkState() == Qt.CheckState.Checked,
                )
            )
        return tuple(rows)

    def set_steps(self, steps: Sequence[StepRow] | None) -> None:
        blocker = self.table.blockSignals(True)
        self.table.setRowCount(0)
        for step in steps or ():
            self.add_step(step, announce=False)
        self.table.blockSignals(blocker)
        self.sig_changed.emit()

    def add_step(self, step: StepRow | None = None, *, announce: bool = True) -> None:
        step = step or StepRow(ChecklistItemKind.CHECK, "", "", "", "", True)
        row = self.table.rowCount()
        self.table.insertRow(row)
        combo = QComboBox()
        combo.addItems([tr(text) for text in KIND_TEXT.values()])
        combo.setCurrentIndex(KINDS.index(step.kind))
        combo.currentIndexChanged.connect(lambda _index: self.sig_changed.emit())
        self.table.setCellWidget(row, 0, combo)
        for column, value in ((1, step.text), (2, step.unit), (3, step.low), (4, step.high)):
            self.table.setItem(row, column, QTableWidgetItem(value))
        required = QTableWidgetItem()
        required.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
        required.setCheckState(Qt.CheckState.Checked if step.required else Qt.CheckState.Unchecked)
        self.table.setItem(row, 5, required)
        if announce:
            self.table.setCurrentCell(row, 1)
            self.sig_changed.emit()

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text().strip() if item is not None else ""

    def _on_remove_button_clicked(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self.sig_changed.emit()

    def _move(self, step: int) -> None:
        row = self.table.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.table.rowCount():
            return
        steps = list(self.steps())
        steps[row], steps[target] = steps[target], steps[row]
        self.set_steps(steps)
        self.table.setCurrentCell(target, 1)


def steps(name: str, label: str, **options: Any) -> FormField:
    return FormField(
        name, label, StepsEditor, lambda w: w.steps(), lambda w, v: w.set_steps(v), **options
    )
