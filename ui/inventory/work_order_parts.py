"""Parts on one work order, for the work-order editor: planned, reserved, used, missing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TR_NOOP, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import WrenchbookError
from desktop.domain.inventory import qty_text
from ui.i18n import say, say_error, show_number, tr
from ui.inventory.models import Column, RowTableModel

if TYPE_CHECKING:
    from desktop.services.stock.inventory_records import WorkOrderPartView
    from ui.context import AppContext

LINE_COLUMNS: tuple[Column[WorkOrderPartView], ...] = (
    Column(QT_TR_NOOP("Part"), lambda p: p.part),
    Column(QT_TR_NOOP("Description"), lambda p: p.description),
    Column(QT_TR_NOOP("Planned"), lambda p: qty_text(p.planned), True),
    Column(QT_TR_NOOP("Reserved"), lambda p: qty_text(p.reserved), True),
    Column(QT_TR_NOOP("Used"), lambda p: qty_text(p.issued), True),
    Column(QT_TR_NOOP("Missing"), lambda p: qty_text(p.missing), True),
    Column(QT_TR_NOOP("Cost"), lambda p: f"{show_number(p.cost, 2)}", True),
    Column(QT_TR_NOOP("Unit"), lambda p: p.unit),
)


class WorkOrderPartsWidget(QWidget):
    """The parts tab of one work order: plan a part, issue one, see cost and shortages.

    UI thread only. `sig_parts_changed` fires after a change this widget saved.
    """

    sig_parts_changed = Signal()

    def __init__(self, context: AppContext, number: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._service = context.services.inventory
        self.number = number
        self.model: RowTableModel[WorkOrderPartView] = RowTableModel(LINE_COLUMNS, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel()
        self.warnings = QLabel()
        self.warnings.setStyleSheet("color: #8a4b00;")
        self.warnings.setWordWrap(True)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.part = QComboBox()
        self.part.setEditable(True)
        self.quantity = QDoubleSpinBox()
        self.quantity.setDecimals(3)
        self.quantity.setRange(0.0, 1_000_000.0)
        self.quantity.setValue(1.0)
        self.bin = QComboBox()
        self.bin.setEditable(True)
        self.plan_button = QPushButton(tr("Plan"))
        self.plan_button.setToolTip(tr("Set the planned quantity (0 removes the part)"))
        self.issue_button = QPushButton(tr("Issue"))
        self.plan_button.clicked.connect(self._on_plan_clicked)
        self.issue_button.clicked.connect(self._on_issue_clicked)
        entry = QHBoxLayout()
        for label, widget in (
            (tr("Part"), self.part),
            (tr("Qty"), self.quantity),
            (tr("Bin"), self.bin),
        ):
            entry.addWidget(QLabel(label))
            entry.addWidget(widget, 2 if widget is self.part else 0)
        entry.addWidget(self.plan_button)
        entry.addWidget(self.issue_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(self.summary)
        layout.addWidget(self.warnings)
        layout.addLayout(entry)
        layout.addWidget(self.error)
        self.part.addItems([p.number for p in self._service.parts()])
        self.bin.addItems([code for code, _ in self._service.bins()])
        self.refresh()

    def refresh(self) -> None:
        parts = self._service.work_order_parts(self.number)
        self.model.set_rows(parts.lines)
        self.view.resizeColumnsToContents()
        state = tr("; waiting for parts") if parts.waiting_for_parts else ""
        self.summary.setText(
            tr("Parts cost {cost}{state}").format(cost=show_number(parts.cost, 2), state=state)
        )
        self.warnings.setText("\n".join(say(warning) for warning in parts.warnings))

    def _save(self, action: str) -> None:
        part, quantity = self.part.currentText().strip(), self.quantity.value()
        actor = self._context.actor
        try:
            if action == "plan":
                self._service.plan_part(actor, self.number, part, quantity)
            else:
                bin_code = self.bin.currentText().strip()
                self._service.issue(actor, part, quantity, bin_code, self.number)
        except WrenchbookError as exc:
            self.error.setText(say_error(exc))
            return
        self.error.clear()
        self.refresh()
        self.sig_parts_changed.emit()

    def _on_plan_clicked(self) -> None:
        self._save("plan")

    def _on_issue_clicked(self) -> None:
        self._save("issue")
