"""The work-order list: filters, a lazily loaded table, and bulk assign and move."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.enums import HoldReason, Status
from desktop.domain.errors import WrenchbookError
from desktop.domain.lifecycle import move_targets, needs_hold_reason
from ui import messages
from ui.i18n import say, show_number, tr
from ui.widgets.filter_bar import FilterBar
from ui.words import word
from ui.work_orders import moves
from ui.work_orders.assign_dialog import AssignDialog
from ui.work_orders.table_model import COLUMNS, WorkOrderTableModel

if TYPE_CHECKING:
    from desktop.services.orders.work_order_records import WorkOrderRow
    from ui.context import AppContext

HEADER_KEY = "work_orders/header"


class WorkOrderTablePanel(QWidget):
    """Every work order, filtered and sorted by the database, paged in as the user scrolls."""

    sig_work_order_opened = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._service = context.services.work_orders
        self.last_message: QMessageBox | None = None
        self.filters = FilterBar(context, with_status=True)
        self.filters.sig_number_entered.connect(self.sig_work_order_opened)
        self.model = WorkOrderTableModel(self._service, context.clock)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for i, column in enumerate(COLUMNS):
            self.table.setColumnWidth(i, column.width)
        header.setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        self.count = QLabel()
        self.count.setObjectName("hint")
        self.clear_numbers = QPushButton(tr("Show all"))
        self.clear_numbers.setVisible(False)
        self.clear_numbers.clicked.connect(lambda: self.show_numbers((), ""))
        self._numbers_label = ""
        self.open_button = QPushButton(tr("Open"))
        self.assign_button = QPushButton(tr("Assign…"))
        self.move_button = QPushButton(tr("Move to"))
        self.move_button.setMenu(self._move_menu())
        self.print_button = QPushButton(tr("Print sheets…"))
        self.new_button = QPushButton(tr("New work order"))
        self.new_button.setObjectName("primary")
        title = QLabel(tr("Work orders"))
        title.setObjectName("panelTitle")
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.count)
        top.addWidget(self.clear_numbers)
        actions = QHBoxLayout()
        for button in (
            self.new_button,
            self.open_button,
            self.assign_button,
            self.move_button,
            self.print_button,
        ):
            actions.addWidget(button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        self.filters.sig_filter_changed.connect(self.refresh)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.activated.connect(self._on_table_double_clicked)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.open_button.clicked.connect(self._on_open_clicked)
        self.assign_button.clicked.connect(self.assign_selected)
        self.print_button.clicked.connect(
            lambda: self.print_sheets([r.number for r in self.selected_rows()])
        )
        self.new_button.clicked.connect(lambda: self.sig_work_order_opened.emit(""))
        self.refresh()

    def print_sheets(self, numbers: list[str]) -> None:
        # ReportLab and qrcode load when a sheet is printed, not when the panel is built.
        from ui.reports.sheets import print_sheets

        print_sheets(self._context, numbers, self)

    def focus_search(self) -> None:
        self.filters.search.setFocus()
        self.filters.search.selectAll()

    def show_numbers(self, numbers: tuple[str, ...] | list[str], label: str) -> None:
        """List just these orders (e.g. those behind a dashboard figure) until "Show all"."""
        self.filters.numbers = tuple(numbers)
        self._numbers_label = label
        self.clear_numbers.setVisible(bool(numbers))
        self.refresh()

    def refresh(self) -> None:
        """Other people's changes with the same filter keep what the user has selected; a new
        filter starts the list over."""
        criteria = self.filters.criteria()
        # "Overdue" carries the time it was asked at; the same filter a moment later is the same.
        same = replace(criteria, overdue_at=None) == replace(self.model.criteria, overdue_at=None)
        if not same or not self.model.rowCount():
            self.model.load(criteria)
        else:
            self.model.criteria = criteria
            chosen = [row.number for row in self.selected_rows()]
            current = self.table.currentIndex()
            number = self.model.row_at(current.row()).number if current.isValid() else None
            if self.model.reload():
                self._reselect(chosen, number, current.column())
        behind = (
            tr(" behind {what}").format(what=self._numbers_label) if self.filters.numbers else ""
        )
        self.count.setText(
            tr("{total} work orders{behind}").format(
                total=show_number(self.model.total, 0), behind=behind
            )
        )
        self._on_selection_changed()

    def _reselect(self, numbers: list[str], current: str | None, column: int) -> None:
        selection = self.table.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for number in numbers:
            row = self.model.row_of(number)
            if row is not None:
                selection.select(self.model.index(row, 0), flags)
        row = self.model.row_of(current) if current else None
        if row is not None:
            selection.setCurrentIndex(
                self.model.index(row, max(column, 0)), QItemSelectionModel.SelectionFlag.NoUpdate
            )

    def reload_choices(self) -> None:
        self.filters.load_choices()

    def save_state(self, settings: QSettings) -> None:
        settings.setValue(HEADER_KEY, self.table.horizontalHeader().saveState())

    def restore_state(self, settings: QSettings) -> None:
        state = settings.value(HEADER_KEY)
        if state is not None:
            header = self.table.horizontalHeader()
            header.restoreState(state)
            self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())

    def selected_rows(self) -> list[WorkOrderRow]:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        return [self.model.row_at(r) for r in sorted(rows)]

    def _on_selection_changed(self) -> None:
        chosen = len(self.table.selectionModel().selectedRows())
        self.open_button.setEnabled(chosen == 1)
        self.assign_button.setEnabled(chosen > 0)
        self.move_button.setEnabled(chosen > 0)
        self.print_button.setEnabled(chosen > 0)

    def _on_table_double_clicked(self) -> None:
        self._on_open_clicked()

    def _on_open_clicked(self) -> None:
        rows = self.selected_rows()
        if rows:
            self.sig_work_order_opened.emit(rows[0].number)

    def _move_menu(self) -> QMenu:
        menu = QMenu(self)
        for status in move_targets():
            label = status.value.replace("_", " ")
            if needs_hold_reason(status):
                hold = menu.addMenu(label)
                for reason in HoldReason:
                    hold.addAction(
                        reason.value, lambda r=reason, s=status: self.move_selected(s, r)
                    )
                continue
            menu.addAction(label, lambda s=status: self.move_selected(s))
        return menu

    def assign_selected(self) -> QMessageBox | None:
        """Assign the same crew to every selected order; reports bookings and refusals."""
        rows = self.selected_rows()
        if not rows:
            return None
        what = (
            rows[0].number if len(rows) == 1 else tr("{count} work orders").format(count=len(rows))
        )
        dialog = AssignDialog(self._context.services.users.list(), what, self)
        if dialog.exec() != AssignDialog.DialogCode.Accepted:
            return None
        return self.assign_rows(rows, dialog.usernames, dialog.lead_username)

    def assign_rows(
        self, rows: list[WorkOrderRow], usernames: list[str], lead: str | None
    ) -> QMessageBox:
        done, notes = 0, []
        for row in rows:
            try:
                warnings = self._service.assign(
                    self._context.actor, row.number, row.version, usernames, lead
                )
            except WrenchbookError as exc:
                notes.append(f"{row.number}: {messages.explain(exc)}")
                continue
            done += 1
            notes.extend(f"{row.number}: {say(warning)}" for warning in warnings)
        return self._report(
            tr("Assigned {done} of {total}").format(done=done, total=len(rows)), notes
        )

    def move_selected(
        self, target: Status, hold_reason: HoldReason | None = None
    ) -> QMessageBox | None:
        """Move every selected order to `target`; each refusal is listed with its reasons."""
        rows = self.selected_rows()
        if not rows:
            return None
        what = (
            rows[0].number if len(rows) == 1 else tr("{count} work orders").format(count=len(rows))
        )
        note = moves.ask_reason(self, [r.status for r in rows], target, what)
        if note is None:
            return None
        return self.move_rows(rows, target, note, hold_reason)

    def move_rows(
        self,
        rows: list[WorkOrderRow],
        target: Status,
        note: str = "",
        hold_reason: HoldReason | None = None,
    ) -> QMessageBox:
        done, notes = 0, []
        for row in rows:
            refusal = moves.move(
                self._service, self._context, row.number, row.version, target, note, hold_reason
            )
            if refusal is None:
                done += 1
            else:
                notes.append(refusal)
        headline = tr("Moved {done} of {total} to {status}").format(
            done=done, total=len(rows), status=word(target.value)
        )
        return self._report(headline, notes)

    def _report(self, headline: str, notes: list[str]) -> QMessageBox:
        self.refresh()
        icon = QMessageBox.Icon.Warning if notes else QMessageBox.Icon.Information
        text = headline + (".\n\n" + "\n\n".join(notes) if notes else ".")
        self.last_message = messages.show(self, tr("Work orders"), text, icon)
        return self.last_message
