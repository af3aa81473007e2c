"""The inventory panel: parts with stock, the selected part's ledger, requisitions, orders."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.permissions import ALLOWED_ROLES, Action
from ui.i18n import tr
from ui.inventory.dialogs import AdjustDialog, ReceiveDialog, TransferDialog
from ui.inventory.models import (
    LEDGER_COLUMNS,
    ORDER_COLUMNS,
    REQUISITION_COLUMNS,
    PartTableModel,
    RowTableModel,
)
from ui.widgets.read_only_table import read_only_table

if TYPE_CHECKING:
    from PySide6.QtCore import QItemSelection

    from desktop.services.stock.inventory_records import (
        MovementView,
        PartRow,
        PurchaseOrderView,
        RequisitionView,
    )
    from ui.context import AppContext

LEDGER_ROWS = 500


class InventoryPanel(QWidget):
    """Parts table (low stock tinted), ledger of the selected part, purchasing tabs.

    UI thread only. `sig_stock_changed` fires after a movement this panel made, so the window
    can update its low-stock count (`low_stock_count`).
    """

    sig_stock_changed = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._inventory = context.services.inventory
        self._purchasing = context.services.purchasing
        self.low_stock_count = 0

        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Search part, description or category"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_search_text_changed)
        self.below_min = QCheckBox(tr("At or below minimum only"))
        self.below_min.toggled.connect(self._on_below_min_toggled)
        self.low_stock = QLabel()
        self.low_stock.setObjectName("lowStock")
        self.receive_button = QPushButton(tr("Receive…"))
        self.adjust_button = QPushButton(tr("Adjust…"))
        self.transfer_button = QPushButton(tr("Transfer…"))
        self.receive_button.clicked.connect(self._on_receive_clicked)
        self.adjust_button.clicked.connect(self._on_adjust_clicked)
        self.transfer_button.clicked.connect(self._on_transfer_clicked)
        may_move = context.actor.role in ALLOWED_ROLES[Action.MOVE_STOCK]
        for button in (self.receive_button, self.adjust_button, self.transfer_button):
            button.setVisible(may_move)
            button.setEnabled(False)

        bar = QHBoxLayout()
        bar.addWidget(self.search, 2)
        bar.addWidget(self.below_min)
        bar.addWidget(self.low_stock, 1)
        bar.addWidget(self.receive_button)
        bar.addWidget(self.adjust_button)
        bar.addWidget(self.transfer_button)

        self.parts_model = PartTableModel(self)
        self.parts_view = read_only_table(self.parts_model, stretch_column=1)
        self.parts_view.selectionModel().selectionChanged.connect(self._on_parts_selection_changed)
        self.ledger_model: RowTableModel[MovementView] = RowTableModel(LEDGER_COLUMNS, self)
        self.requisitions_model: RowTableModel[RequisitionView] = RowTableModel(
            REQUISITION_COLUMNS, self
        )
        self.orders_model: RowTableModel[PurchaseOrderView] = RowTableModel(ORDER_COLUMNS, self)
        self.ledger_view = read_only_table(
            self.ledger_model, stretch_column=len(LEDGER_COLUMNS) - 1
        )
        self.requisitions_view = read_only_table(
            self.requisitions_model, stretch_column=len(REQUISITION_COLUMNS) - 1
        )
        self.orders_view = read_only_table(self.orders_model, stretch_column=1)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.ledger_view, tr("Movements"))
        self.tabs.addTab(self.requisitions_view, tr("Requisitions"))
        self.tabs.addTab(self.orders_view, tr("Purchase orders"))

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.parts_view)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter)
        self.refresh()
        self.parts_view.resizeColumnsToContents()

    # -- reading -------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload everything, keeping the selected part selected."""
        self.low_stock_count = self._inventory.low_stock_count()
        plural = "s" * (self.low_stock_count != 1)
        self.low_stock.setText(
            tr("{low_stock_count} part{plural} at or below minimum").format(
                low_stock_count=self.low_stock_count, plural=plural
            )
        )
        self.requisitions_model.set_rows(self._purchasing.requisitions())
        self.orders_model.set_rows(self._purchasing.orders())
        self.requisitions_view.resizeColumnsToContents()
        self.orders_view.resizeColumnsToContents()
        self._load_parts()

    def _load_parts(self) -> None:
        """The parts filter is applied in SQL; searching reloads only this table."""
        selected = self.selected_part()
        rows = self._inventory.parts(self.search.text(), below_min_only=self.below_min.isChecked())
        self.parts_model.set_rows(rows)
        if selected is not None:
            self.select_part(selected.number)
        self._show_ledger()

    def selected_part(self) -> PartRow | None:
        rows = self.parts_view.selectionModel().selectedRows()
        return self.parts_model.row_at(rows[0].row()) if rows else None

    def select_part(self, number: str) -> bool:
        for row in range(self.parts_model.rowCount()):
            if self.parts_model.row_at(row).number == number:
                self.parts_view.selectRow(row)
                return True
        return False

    def _show_ledger(self) -> None:
        part = self.selected_part()
        rows = self._inventory.ledger(part.number, limit=LEDGER_ROWS) if part else []
        self.ledger_model.set_rows(rows)
        self.ledger_view.resizeColumnsToContents()
        for button in (self.receive_button, self.adjust_button, self.transfer_button):
            button.setEnabled(part is not None)

    def _on_parts_selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        self._show_ledger()

    def _on_search_text_changed(self, _text: str) -> None:
        self._load_parts()

    def _on_below_min_toggled(self, _checked: bool) -> None:
        self._load_parts()

    # -- movements -----------------------------------------------------------------------

    def receive_dialog(self) -> ReceiveDialog | None:
        part = self.selected_part()
        if part is None:
            return None
        return ReceiveDialog(
            self._inventory,
            self._context.actor,
            part.number,
            self._bin_codes(),
            part.bins[0] if part.bins else None,
            part.unit_cost,
            self,
        )

    def adjust_dialog(self) -> AdjustDialog | None:
        part = self.selected_part()
        if part is None:
            return None
        current = part.bins[0] if part.bins else None
        return AdjustDialog(
            self._inventory, self._context.actor, part.number, self._bin_codes(), current, self
        )

    def transfer_dialog(self) -> TransferDialog | None:
        part = self.selected_part()
        if part is None:
            return None
        current = part.bins[0] if part.bins else None
        return TransferDialog(
            self._inventory, self._context.actor, part.number, self._bin_codes(), current, self
        )

    def _bin_codes(self) -> list[str]:
        return [code for code, _ in self._inventory.bins()]

    def _run(self, dialog: ReceiveDialog | AdjustDialog | TransferDialog | None) -> None:
        if dialog is not None and dialog.exec():
            self.refresh()
            self.sig_stock_changed.emit()

    def _on_receive_clicked(self) -> None:
        self._run(self.receive_dialog())

    def _on_adjust_clicked(self) -> None:
        self._run(self.adjust_dialog())

    def _on_transfer_clicked(self) -> None:
        self._run(self.transfer_dialog())
