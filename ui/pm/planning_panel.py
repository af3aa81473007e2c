"""The planning calendar: PM load per craft or technician by week or month, drag to reschedule."""

from __future__ import annotations

import calendar as month_calendar
from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TR_NOOP, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import WrenchbookError
from ui.i18n import say_error, show_date, tr
from ui.pm.models import LoadTableModel, PlannedWorkTableModel

if TYPE_CHECKING:
    from ui.context import AppContext

WEEK, MONTH = QT_TR_NOOP("Week"), QT_TR_NOOP("Month")
BY_CRAFT, BY_TECHNICIAN = QT_TR_NOOP("By craft"), QT_TR_NOOP("By technician")


class PlanningPanel(QWidget):
    """Scheduled and forecast PM work against capacity; UI thread only.

    Moving an order goes through PMPlanningService.reschedule, which refuses days off and
    blackout windows; the refusal is shown in the panel's message line.
    """

    sig_rescheduled = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._service = context.services.pm_planning
        today = context.clock().date()
        self._anchor = today - timedelta(days=today.weekday())

        self.span_box = QComboBox()
        for span in (WEEK, MONTH):
            self.span_box.addItem(tr(span), span)
        self.grouping_box = QComboBox()
        for grouping in (BY_CRAFT, BY_TECHNICIAN):
            self.grouping_box.addItem(tr(grouping), grouping)
        self.previous_button = QPushButton("◀")
        self.today_button = QPushButton(tr("Today"))
        self.next_button = QPushButton("▶")
        self._title = QLabel()
        self._message = QLabel()
        self._message.setWordWrap(True)
        self._message.setStyleSheet("color: #a40000")

        self.load_model = LoadTableModel(self._reschedule, self)
        self.work_model = PlannedWorkTableModel(self)
        self.load_view = QTableView()
        self.load_view.setModel(self.load_model)
        self.load_view.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.load_view.setAcceptDrops(True)
        self.load_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.load_view.horizontalHeader().setMinimumSectionSize(24)
        self.work_view = QTableView()
        self.work_view.setModel(self.work_model)
        self.work_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.work_view.setDragEnabled(True)
        self.work_view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.work_view.horizontalHeader().setStretchLastSection(True)

        bar = QHBoxLayout()
        for widget in (
            self.previous_button,
            self.today_button,
            self.next_button,
            self.span_box,
            self.grouping_box,
        ):
            bar.addWidget(widget)
        bar.addWidget(self._title, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.load_view)
        splitter.addWidget(self.work_view)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self._message)
        layout.addWidget(splitter, 1)

        self.previous_button.clicked.connect(lambda: self._step(-1))
        self.next_button.clicked.connect(lambda: self._step(1))
        self.today_button.clicked.connect(self._on_today_clicked)
        self.span_box.currentTextChanged.connect(lambda _: self.refresh())
        self.grouping_box.currentTextChanged.connect(lambda _: self.refresh())
        self.refresh()

    def days(self) -> list[date]:
        """The days on show: Monday to Sunday, or the whole month of the anchor."""
        if self.span_box.currentData() == WEEK:
            return [self._anchor + timedelta(days=n) for n in range(7)]
        first = self._anchor.replace(day=1)
        length = month_calendar.monthrange(first.year, first.month)[1]
        return [first + timedelta(days=n) for n in range(length)]

    def refresh(self) -> None:
        days = self.days()
        by = "technician" if self.grouping_box.currentData() == BY_TECHNICIAN else "craft"
        try:
            items = self._service.forecast(days[0], days[-1])
            loads = self._service.load(days[0], days[-1], by=by)
        except WrenchbookError as exc:
            self._message.setText(say_error(exc))
            return
        self.load_model.set_compact(self.span_box.currentData() == MONTH)
        self.load_model.set_load(days, loads, items)
        self.work_model.set_rows(items)
        self.work_view.resizeColumnsToContents()
        self._title.setText(f"{show_date(days[0])} – {show_date(days[-1])}")

    def message(self) -> str:
        return self._message.text()

    def _step(self, direction: int) -> None:
        if self.span_box.currentData() == WEEK:
            self._anchor += timedelta(weeks=direction)
        else:
            first = self._anchor.replace(day=1)
            month = first.month - 1 + direction
            self._anchor = first.replace(year=first.year + month // 12, month=month % 12 + 1)
        self.refresh()

    def _on_today_clicked(self) -> None:
        today = self._context.clock().date()
        self._anchor = today - timedelta(days=today.weekday())
        self.refresh()

    def _reschedule(self, number: str, version: int, day: date) -> bool:
        try:
            self._service.reschedule(self._context.actor, number, version, day)
        except WrenchbookError as exc:
            self._message.setText(say_error(exc))
            return False
        self._message.setText("")
        self.sig_rescheduled.emit(number)
        self.refresh()
        return True
