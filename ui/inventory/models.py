"""Qt table models over the inventory services' rows; UI thread only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from desktop.domain.inventory import qty_text
from desktop.services.inventory_records import (
    MovementView,
    PartRow,
    PurchaseOrderView,
    RequisitionView,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

R = TypeVar("R")
LOW_STOCK_BRUSH = QBrush(QColor("#f8d7da"))
"""Colour only where it means something (DESIGN.md): low stock."""
_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[R]):
    title: str
    value: Callable[[R], object]
    numeric: bool = False


def _number(value: float) -> str:
    return qty_text(value)


def _money(value: float) -> str:
    return f"{value:,.2f}"


PART_COLUMNS: tuple[Column[PartRow], ...] = (
    Column("Part", lambda r: r.number),
    Column("Description", lambda r: r.description),
    Column("Category", lambda r: r.category),
    Column("Vendor", lambda r: r.vendor or ""),
    Column("Bins", lambda r: ", ".join(r.bins)),
    Column("On hand", lambda r: _number(r.on_hand), True),
    Column("Reserved", lambda r: _number(r.reserved), True),
    Column("Available", lambda r: _number(r.available), True),
    Column("Min", lambda r: _number(r.min_qty), True),
    Column("Max", lambda r: _number(r.max_qty), True),
    Column("Reorder qty", lambda r: _number(r.reorder_qty), True),
    Column("Unit", lambda r: r.unit),
    Column("Avg cost", lambda r: _money(r.average_cost), True),
)
LEDGER_COLUMNS: tuple[Column[MovementView], ...] = (
    Column("When", lambda m: m.at.strftime("%Y-%m-%d %H:%M")),
    Column("Movement", lambda m: m.kind.value),
    Column("Bin", lambda m: m.bin),
    Column("Qty", lambda m: _number(m.quantity), True),
    Column("Unit cost", lambda m: _money(m.unit_cost), True),
    Column("Balance", lambda m: "" if m.balance is None else _number(m.balance), True),
    Column("Work order", lambda m: m.work_order or ""),
    Column("User", lambda m: m.user),
    Column("Reason", lambda m: m.reason),
)
REQUISITION_COLUMNS: tuple[Column[RequisitionView], ...] = (
    Column("No.", lambda r: r.id, True),
    Column("Part", lambda r: r.part),
    Column("Description", lambda r: r.description),
    Column("Vendor", lambda r: r.vendor or ""),
    Column("Qty", lambda r: _number(r.quantity), True),
    Column("Status", lambda r: r.status.value),
    Column("Raised", lambda r: r.raised_at.strftime("%Y-%m-%d")),
    Column("PO", lambda r: r.purchase_order or ""),
    Column("Reason", lambda r: r.reason),
)
ORDER_COLUMNS: tuple[Column[PurchaseOrderView], ...] = (
    Column("PO", lambda p: p.number),
    Column("Vendor", lambda p: p.vendor),
    Column("Status", lambda p: p.status.value.replace("_", " ")),
    Column("Created", lambda p: p.created_at.strftime("%Y-%m-%d")),
    Column("Sent", lambda p: p.sent_at.strftime("%Y-%m-%d") if p.sent_at else ""),
    Column("Lines", lambda p: len(p.lines), True),
    Column("Total", lambda p: _money(p.total), True),
)


class RowTableModel(QAbstractTableModel, Generic[R]):
    """A list of frozen service rows shown through a column table; reset per refresh."""

    def __init__(self, columns: Sequence[Column[R]], parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._rows: list[R] = []

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> R:
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        if 0 <= section < len(self._columns):
            return self._columns[section].title
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = column.value(self._rows[index.row()])
            return value if isinstance(value, str) else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return self._extra(self._rows[index.row()], role)

    def _extra(self, row: R, role: int) -> object:
        return None


class PartTableModel(RowTableModel[PartRow]):
    """Parts from InventoryService.parts(); rows at or below their minimum are tinted."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(PART_COLUMNS, parent)

    def _extra(self, row: PartRow, role: int) -> object:
        if role == Qt.ItemDataRole.BackgroundRole and row.below_min:
            return LOW_STOCK_BRUSH
        if role == Qt.ItemDataRole.ToolTipRole and row.below_min:
            return f"available {_number(row.available)} at or below minimum {_number(row.min_qty)}"
        return None
