"""The work-order history of an asset as a sortable table: model, column table and view."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QT_TR_NOOP,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from desktop.domain.enums import Priority
from ui import theme
from ui.assets import formatting
from ui.assets.formatting import failure_mode_name
from ui.i18n import tr
from ui.words import word

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from PySide6.QtGui import QKeyEvent

    from desktop.services.analytics.asset_history import AssetWorkOrder

WorkOrderNumberRole = Qt.ItemDataRole.UserRole + 1

# The meaning colours of the main window's theme (ui.theme.PRIORITY_COLOURS): only the two
# urgent priorities stand out in a history, the rest stay plain text.
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter

ModelIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    """One column: header, shown text, sort key, alignment, and a sample of its widest text
    that sets the starting width (the view measures it in its own font)."""

    title: str
    text: Callable[[AssetWorkOrder], str]
    key: Callable[[AssetWorkOrder], Any]
    align: Qt.AlignmentFlag = _LEFT
    sample: str = "preventive"
    tip: str = ""


def _label(value: str) -> str:
    return word(value)


COLUMNS: tuple[Column, ...] = (
    Column(QT_TR_NOOP("No."), lambda r: r.number, lambda r: r.number, sample="WO-2026-000000"),
    Column(
        QT_TR_NOOP("Title"),
        lambda r: r.title,
        lambda r: r.title.lower(),
        sample="Pump leaking at seal",
    ),
    Column(
        QT_TR_NOOP("Type"),
        lambda r: _label(r.type.value),
        lambda r: r.type.value,
        sample="preventive",
    ),
    Column(
        QT_TR_NOOP("Status"),
        lambda r: _label(r.status.value),
        lambda r: r.status.value,
        sample="in progress",
    ),
    Column(
        QT_TR_NOOP("Prio."),
        lambda r: str(int(r.priority)),
        lambda r: int(r.priority),
        Qt.AlignmentFlag.AlignCenter,
        sample="Prio.",
        tip=QT_TR_NOOP("Priority: 1 emergency, 2 high, 3 medium, 4 low"),
    ),
    Column(
        QT_TR_NOOP("Asset"),
        lambda r: r.asset_code,
        lambda r: r.asset_code,
        sample="BOT-CIP-S2-SKD-P1",
    ),
    # Dates only: the time of day is in the tooltip, a history reads by day.
    Column(
        QT_TR_NOOP("Requested"),
        lambda r: formatting.local_date(r.requested_at),
        lambda r: r.requested_at,
        sample="2026-11-21",
    ),
    Column(
        QT_TR_NOOP("Completed"),
        lambda r: formatting.local_date(r.completed_at),
        lambda r: (r.completed_at is not None, r.completed_at or r.requested_at),
        sample="2026-11-21",
    ),
    Column(
        QT_TR_NOOP("Hours"),
        lambda r: formatting.hours(r.labour_hours) if r.labour_hours else "",
        lambda r: r.labour_hours,
        _RIGHT,
        "Hours",
        QT_TR_NOOP("Labour hours booked on the work order"),
    ),
    Column(
        QT_TR_NOOP("Cost"),
        lambda r: formatting.money(r.labour_cost) if r.labour_hours else "",
        lambda r: r.labour_cost,
        _RIGHT,
        "00,000.00",
        QT_TR_NOOP("Labour cost: Σ hours × the rate kept with each entry"),
    ),
    Column(
        QT_TR_NOOP("Down h"),
        lambda r: formatting.hours(r.downtime_hours) if r.downtime_hours else "",
        lambda r: r.downtime_hours,
        _RIGHT,
        "Down h",
        QT_TR_NOOP("Downtime hours of the work order (open periods until now)"),
    ),
    Column(
        QT_TR_NOOP("Failure"),
        lambda r: r.failure_mode or "",
        lambda r: r.failure_mode or "",
        sample="Failure",
    ),
)
REQUESTED_COLUMN = next(i for i, c in enumerate(COLUMNS) if c.title == "Requested")


def _tooltip(row: AssetWorkOrder, title: str) -> str | None:
    if title == "Title":
        return row.title
    if title == "Requested":
        return formatting.local_time(row.requested_at)
    if title == "Completed":
        return formatting.local_time(row.completed_at) or None
    if title == "Asset":
        return row.asset_code
    if title == "Prio.":
        return row.priority.name.lower()
    if title == "Failure" and row.failure_mode:
        return failure_mode_name(row.failure_mode)
    return None


class AssetWorkOrderTableModel(QAbstractTableModel):
    """Rows of AssetHistoryService.history(); sorted here (a few thousand rows at most per
    asset subtree, where list.sort takes milliseconds). UI thread only."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[AssetWorkOrder] = []
        self._sort: tuple[int, Qt.SortOrder] = (REQUESTED_COLUMN, Qt.SortOrder.DescendingOrder)

    def set_rows(self, rows: Sequence[AssetWorkOrder]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._sort_rows()
        self.endResetModel()

    def row_of(self, number: str) -> int | None:
        """Where the work order `number` is now, after sorting; None when it is not listed."""
        return next((i for i, r in enumerate(self._rows) if r.number == number), None)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return column.align
        if role == Qt.ItemDataRole.ForegroundRole and column.title == "Prio.":
            if row.priority in (Priority.EMERGENCY, Priority.HIGH):
                return theme.PRIORITY_COLOURS[row.priority]
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(row, column.title)
        if role == WorkOrderNumberRole:
            return row.number
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return tr(COLUMNS[section].title)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return COLUMNS[section].align
        if role == Qt.ItemDataRole.ToolTipRole:
            return tr(COLUMNS[section].tip) if COLUMNS[section].tip else None
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._sort_rows()
        self.layoutChanged.emit()

    def _sort_rows(self) -> None:
        column, order = self._sort
        # The number breaks ties, so equal keys keep a stable, meaningful order.
        self._rows.sort(key=lambda r: r.number, reverse=order == Qt.SortOrder.DescendingOrder)
        self._rows.sort(key=COLUMNS[column].key, reverse=order == Qt.SortOrder.DescendingOrder)


class WorkOrderHistoryView(QTableView):
    """The history table; Enter or a double-click on a row asks to open that work order."""

    sig_work_order_opened = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setSortingEnabled(True)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.horizontalHeader().setHighlightSections(False)
        self.doubleClicked.connect(self._on_view_double_clicked)

    def apply_default_widths(self) -> None:
        """Widths from the column table; the title column takes what is left over."""
        header = self.horizontalHeader()
        self.ensurePolished()  # measure in the style sheet's font, not the default one
        header.ensurePolished()
        cells = self.fontMetrics()
        bold = header.font()
        bold.setBold(True)
        titles = QFontMetrics(bold)
        for section, column in enumerate(COLUMNS):
            width = max(
                cells.horizontalAdvance(column.sample), titles.horizontalAdvance(column.title)
            )
            header.resizeSection(section, width + 20)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._open(self.currentIndex())
            return
        super().keyPressEvent(event)

    def _on_view_double_clicked(self, index: QModelIndex) -> None:
        self._open(index)

    def _open(self, index: QModelIndex) -> None:
        number = index.siblingAtColumn(0).data(WorkOrderNumberRole)
        if number:
            self.sig_work_order_opened.emit(number)
