"""Qt item models over PMPlanningService: the load grid and the list of planned PM work."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QT_TR_NOOP,
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from ui.i18n import show_amount, show_weekday, tr

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from datetime import date

    from desktop.services.pm.pm_planning import DayLoad, PlannedPM

MIME_TYPE = "application/x-wrenchbook-pm-order"
OVERLOAD_BRUSH = QBrush(QColor(255, 205, 205))
DAY_OFF_BRUSH = QBrush(QColor(235, 235, 235))
ItemRole = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class Column:
    title: str
    value: Callable[[PlannedPM], object]


COLUMNS = (
    Column(QT_TR_NOOP("Day"), lambda p: show_weekday(p.day)),
    Column(QT_TR_NOOP("Schedule"), lambda p: p.schedule),
    Column(QT_TR_NOOP("Asset"), lambda p: p.asset_code),
    Column(QT_TR_NOOP("Title"), lambda p: p.title),
    Column(QT_TR_NOOP("Craft"), lambda p: p.craft or ""),
    Column(QT_TR_NOOP("Hours"), lambda p: f"{show_amount(p.hours)}"),
    Column(
        QT_TR_NOOP("Order"),
        lambda p: p.work_order or (tr("forecast (meter)") if p.by_meter else tr("forecast")),
    ),
    Column(QT_TR_NOOP("Technicians"), lambda p: ", ".join(p.technicians)),
)


class PlannedWorkTableModel(QAbstractTableModel):
    """Rows from PMPlanningService.forecast(); orders can be dragged onto a day. UI thread only."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[PlannedPM] = []

    def set_rows(self, rows: Sequence[PlannedPM]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def item(self, row: int) -> PlannedPM:
        return self._rows[row]

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(COLUMNS[section].title)
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[index.column()].value(item)
        if role == Qt.ItemDataRole.FontRole and item.is_forecast:
            font = QFont()
            font.setItalic(True)
            return font
        if role == ItemRole:
            return item
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and not self._rows[index.row()].is_forecast:
            return base | Qt.ItemFlag.ItemIsDragEnabled
        return base

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid()})
        payload = [
            {"number": self._rows[r].work_order, "version": self._rows[r].version}
            for r in rows
            if not self._rows[r].is_forecast
        ]
        mime = QMimeData()
        mime.setData(MIME_TYPE, json.dumps(payload).encode())
        return mime


class LoadTableModel(QAbstractTableModel):
    """Planned hours against capacity: a row per craft or technician, a column per day.

    Dropping a PM order on a cell asks `on_drop(number, version, day)` to reschedule it; the
    service does the checks, so the drop is accepted only when every order was moved.
    """

    sig_drop_refused = Signal(str)

    def __init__(
        self,
        on_drop: Callable[[str, int, date], bool],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._on_drop = on_drop
        self._days: list[date] = []
        self._groups: list[str] = []
        self._cells: dict[tuple[str, date], DayLoad] = {}
        self._titles: dict[tuple[str, date], list[str]] = {}
        self._compact = False

    def set_compact(self, compact: bool) -> None:
        """Month view: a month of columns only fits short text (capacity in the tooltip)."""
        self.beginResetModel()
        self._compact = compact
        self.endResetModel()

    def set_load(
        self, days: Sequence[date], loads: Sequence[DayLoad], items: Sequence[PlannedPM]
    ) -> None:
        self.beginResetModel()
        self._days = list(days)
        self._groups = sorted({load.group for load in loads})
        self._cells = {(load.group, load.day): load for load in loads}
        self._titles = {}
        for item in items:
            keys = item.technicians or (item.craft or tr("(no craft)"),)
            for key in keys:
                self._titles.setdefault((key, item.day), []).append(
                    f"{item.work_order or tr('forecast')}: {item.title} "
                    f"({show_amount(item.hours)} h)"
                )
        self.endResetModel()

    def day(self, column: int) -> date:
        return self._days[column]

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._groups)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._days)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            day = self._days[section]
            return show_weekday(day, "ddd\nd" if self._compact else "ddd\ndd.MM.")
        return self._groups[section]

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        key = (self._groups[index.row()], self._days[index.column()])
        load = self._cells.get(key)
        if load is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if not load.planned_hours and not load.capacity_hours:
                return ""
            if self._compact:
                return f"{show_amount(load.planned_hours)}" if load.planned_hours else ""
            return f"{show_amount(load.planned_hours)} / {show_amount(load.capacity_hours)} h"
        if role == Qt.ItemDataRole.BackgroundRole:
            if load.overloaded:
                return OVERLOAD_BRUSH
            return DAY_OFF_BRUSH if not load.capacity_hours else None
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [
                tr("{planned} of {capacity} h planned").format(
                    planned=show_amount(load.planned_hours),
                    capacity=show_amount(load.capacity_hours),
                )
            ]
            return "\n".join(lines + self._titles.get(key, []))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        return super().flags(index) | Qt.ItemFlag.ItemIsDropEnabled

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def dropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: QModelIndex,
    ) -> bool:
        if not data.hasFormat(MIME_TYPE):
            return False
        target = column if column >= 0 else parent.column()
        if not 0 <= target < len(self._days):
            return False
        orders = json.loads(bytes(data.data(MIME_TYPE).data()).decode())
        moved = [self._on_drop(o["number"], o["version"], self._days[target]) for o in orders]
        return bool(moved) and all(moved)
