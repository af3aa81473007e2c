"""Work orders as a lazily paged table: filtering and sorting happen in SQL, rows in pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TR_NOOP, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.services.orders.work_orders import SearchFilter, WorkOrderService
from ui import theme
from ui.i18n import show_time, tr
from ui.words import word

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from desktop.services.orders.work_order_records import WorkOrderRow
    from desktop.services.shared.clock import Clock

PAGE_SIZE = 200
WorkOrderRole = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex


def _when(value: datetime | None) -> str:
    """In the site's time zone and the workstation's language (not the PC's own zone)."""
    return show_time(value) if value else ""


@dataclass(frozen=True)
class Column:
    title: str
    sort_key: str | None  # a WorkOrderService.SORT_COLUMNS key, None when not sortable
    value: Callable[[WorkOrderRow], str]
    width: int


COLUMNS = (
    Column(QT_TR_NOOP("Number"), "number", lambda r: r.number, 130),
    Column(QT_TR_NOOP("Title"), "title", lambda r: r.title, 280),
    Column(QT_TR_NOOP("Type"), "type", lambda r: word(r.type.value), 95),
    Column(
        QT_TR_NOOP("Priority"),
        "priority",
        lambda r: f"{int(r.priority)} {word(r.priority.name.lower())}",
        95,
    ),
    Column(QT_TR_NOOP("Status"), "status", lambda r: word(r.status.value), 95),
    Column(QT_TR_NOOP("Asset"), "asset", lambda r: r.asset_code, 175),
    Column(QT_TR_NOOP("Requested"), "requested", lambda r: _when(r.requested_at), 125),
    Column(QT_TR_NOOP("Due"), "due", lambda r: _when(r.due_at), 125),
    Column(QT_TR_NOOP("Scheduled"), "scheduled", lambda r: _when(r.scheduled_start), 125),
    Column(QT_TR_NOOP("Completed"), "completed", lambda r: _when(r.completed_at), 125),
)
DUE_COLUMN = 7
PRIORITY_COLUMN = 3


class WorkOrderTableModel(QAbstractTableModel):
    """Holds only the pages fetched so far; the view asks for more as the user scrolls."""

    def __init__(self, service: WorkOrderService, clock: Clock) -> None:
        super().__init__()
        self._service = service
        self._clock = clock
        self._rows: list[WorkOrderRow] = []
        self._total = 0
        self.criteria = SearchFilter()
        self.sort_key = "number"
        self.descending = True

    @property
    def total(self) -> int:
        """How many work orders match, loaded or not."""
        return self._total

    def load(self, criteria: SearchFilter | None = None) -> None:
        """Start over with new criteria (or the same, to see other people's changes)."""
        if criteria is not None:
            self.criteria = criteria
        self.beginResetModel()
        self._total = self._service.count(self.criteria)
        self._rows = self._page(0)
        self.endResetModel()

    def reload(self) -> bool:
        """Read the loaded rows again to show other people's changes; False when the view
        was kept. Rows whose contents changed are updated in place, so the selection, the
        current row and the scroll stay; only when other orders now match (or sort
        differently) is the model reset, and it says so (True) for the panel to reselect."""
        total = self._service.count(self.criteria)
        rows = self._service.search(
            self.criteria,
            sort=self.sort_key,
            descending=self.descending,
            limit=max(len(self._rows), PAGE_SIZE),
            offset=0,
        )
        if [r.number for r in rows] != [r.number for r in self._rows]:
            self.beginResetModel()
            self._total, self._rows = total, rows
            self.endResetModel()
            return True
        self._total = total
        last = len(COLUMNS) - 1
        for row, (old, new) in enumerate(zip(self._rows, rows, strict=True)):
            if old != new:
                self._rows[row] = new
                self.dataChanged.emit(self.index(row, 0), self.index(row, last))
        return False

    def row_of(self, number: str) -> int | None:
        """The row showing `number` among those loaded, or None."""
        return next((i for i, r in enumerate(self._rows) if r.number == number), None)

    def _page(self, offset: int) -> list[WorkOrderRow]:
        return self._service.search(
            self.criteria,
            sort=self.sort_key,
            descending=self.descending,
            limit=PAGE_SIZE,
            offset=offset,
        )

    def row_at(self, row: int) -> WorkOrderRow:
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:
        if parent.isValid():
            return
        page = self._page(len(self._rows))
        if not page:
            self._total = len(self._rows)  # others deleted rows meanwhile; stop asking
            return
        start = len(self._rows)
        self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[column].value(row)
        if role == WorkOrderRole:
            return row
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == DUE_COLUMN and row.is_overdue(self._clock()):
                return theme.OVERDUE
            if column == PRIORITY_COLUMN:
                return theme.PRIORITY_COLOURS[row.priority]
        if role == Qt.ItemDataRole.ToolTipRole and column == DUE_COLUMN:
            return "overdue" if row.is_overdue(self._clock()) else None
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(COLUMNS[section].title)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is a new query: the order is the database's, over all matching rows."""
        key = COLUMNS[column].sort_key
        if key is None:
            return
        self.sort_key = key
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.load()
