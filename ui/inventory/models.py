"""Qt table models over the inventory services' rows; UI thread only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import QT_TR_NOOP, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from desktop.domain.inventory import qty_text
from desktop.services.stock.inventory_records import (
    MovementView,
    PartRow,
    PurchaseOrderView,
    RequisitionView,
)
from ui.i18n import show_date, show_number, show_time, tr
from ui.words import word

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
    return show_number(value, 2)


PART_COLUMNS: tuple[Column[PartRow], ...] = (
    Column(QT_TR_NOOP("Part"), lambda r: r.number),
    Column(QT_TR_NOOP("Description"), lambda r: r.description),
    Column(QT_TR_NOOP("Category"), lambda r: r.category),
    Column(QT_TR_NOOP("Vendor"), lambda r: r.vendor or ""),
    Column(QT_TR_NOOP("Bins"), lambda r: ", ".join(r.bins)),
    Column(QT_TR_NOOP("On hand"), lambda r: _number(r.on_hand), True),
    Column(QT_TR_NOOP("Reserved"), lambda r: _number(r.reserved), True),
    Column(QT_TR_NOOP("Available"), lambda r: _number(r.available), True),
    Column(QT_TR_NOOP("Min"), lambda r: _number(r.min_qty), True),
    Column(QT_TR_NOOP("Max"), lambda r: _number(r.max_qty), True),
    Column(QT_TR_NOOP("Reorder qty"), lambda r: _number(r.reorder_qty), True),
    Column(QT_TR_NOOP("Unit"), lambda r: r.unit),
    Column(QT_TR_NOOP("Avg cost"), lambda r: _money(r.average_cost), True),
)
LEDGER_COLUMNS: tuple[Column[MovementView], ...] = (
    Column(QT_TR_NOOP("When"), lambda m: show_time(m.at)),
    Column(QT_TR_NOOP("Movement"), lambda m: word(m.kind.value)),
    Column(QT_TR_NOOP("Bin"), lambda m: m.bin),
    Column(QT_TR_NOOP("Qty"), lambda m: _number(m.quantity), True),
    Column(QT_TR_NOOP("Unit cost"), lambda m: _money(m.unit_cost), True),
    Column(QT_TR_NOOP("Balance"), lambda m: "" if m.balance is None else _number(m.balance), True),
    Column(QT_TR_NOOP("Work order"), lambda m: m.work_order or ""),
    Column(QT_TR_NOOP("User"), lambda m: m.user),
    Column(QT_TR_NOOP("Reason"), lambda m: m.reason),
)
REQUISITION_COLUMNS: tuple[Column[RequisitionView], ...] = (
    Column(QT_TR_NOOP("No."), lambda r: r.id, True),
    Column(QT_TR_NOOP("Part"), lambda r: r.part),
    Column(QT_TR_NOOP("Description"), lambda r: r.description),
    Column(QT_TR_NOOP("Vendor"), lambda r: r.vendor or ""),
    Column(QT_TR_NOOP("Qty"), lambda r: _number(r.quantity), True),
    Column(QT_TR_NOOP("Status"), lambda r: word(r.status.value)),
    Column(QT_TR_NOOP("Raised"), lambda r: show_date(r.raised_at)),
    Column(QT_TR_NOOP("PO"), lambda r: r.purchase_order or ""),
    Column(QT_TR_NOOP("Reason"), lambda r: r.reason),
)
ORDER_COLUMNS: tuple[Column[PurchaseOrderView], ...] = (
    Column(QT_TR_NOOP("PO"), lambda p: p.number),
    Column(QT_TR_NOOP("Vendor"), lambda p: p.vendor),
    Column(QT_TR_NOOP("Status"), lambda p: word(p.status.value)),
    Column(QT_TR_NOOP("Created"), lambda p: show_date(p.created_at)),
    Column(QT_TR_NOOP("Sent"), lambda p: show_date(p.sent_at) if p.sent_at else ""),
    Column(QT_TR_NOOP("Lines"), lambda p: len(p.lines), True),
    Column(QT_TR_NOOP("Total"), lambda p: _money(p.total), True),
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
            return tr(self._columns[section].title)
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
            return tr("available {available} at or below minimum {minimum}").format(
                available=_number(row.available), minimum=_number(row.min_qty)
            )
        return None
