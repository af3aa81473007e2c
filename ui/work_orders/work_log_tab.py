"""The Labour & downtime tab: hours booked on the order and the periods the asset was down."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.enums import Role
from desktop.domain.permissions import Action
from ui import i18n
from ui.i18n import show_number, tr
from ui.work_orders.editor_host import fill_table, read_only_table
from ui.work_orders.form_widgets import FieldErrors, OptionalDateTime, show_date, show_time

if TYPE_CHECKING:
    from desktop.services.orders.work_order_records import DowntimeView, WorkOrderDetail
    from ui.work_orders.editor_host import EditorHost


def _hours(period: DowntimeView) -> str:
    if period.end is None:
        return tr("open")
    return show_number((period.end - period.start).total_seconds() / 3600, 1)


class WorkLogTab(QWidget):
    def __init__(self, host: EditorHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._host = host
        self.labour_errors = FieldErrors()
        self.downtime_errors = FieldErrors()

        self.labour_table = read_only_table(
            [tr("Technician"), tr("Date"), tr("Hours"), tr("Rate"), tr("Note")], stretch=4
        )
        self.labour_table.setObjectName("labour_table")
        self.labour_total = QLabel()
        self.technician = QComboBox()
        self.technician.setObjectName("technician")
        actor = host.actor
        for user in host.context.services.users.list():
            # Technicians book only their own hours; the service refuses anything else.
            if user.role is Role.VIEWER:
                continue
            if actor.role is Role.TECHNICIAN and user.username != actor.username:
                continue
            self.technician.addItem(f"{user.full_name} ({user.username})", user.username)
        self.technician.setCurrentIndex(max(self.technician.findData(actor.username), 0))
        self.work_date = QDateEdit()
        self.work_date.setObjectName("work_date")
        self.work_date.setCalendarPopup(True)
        self.work_date.setDisplayFormat(i18n.date_format())
        self.hours = QDoubleSpinBox()
        self.hours.setObjectName("hours")
        self.hours.setRange(0.0, 24.0)
        self.hours.setDecimals(2)
        self.hours.setSingleStep(0.25)
        self.hours.setSuffix(tr(" h"))
        self.labour_note = QLineEdit()
        self.labour_note.setObjectName("labour_note")
        self.labour_note.setPlaceholderText(tr("what was done"))
        self.add_labour_button = QPushButton(tr("Add &labour"))
        self.add_labour_button.setObjectName("add_labour")
        self.add_labour_button.clicked.connect(self._on_add_labour_clicked)

        entry = QHBoxLayout()
        entry.addWidget(self.labour_errors.wrap("technician", self.technician), 2)
        entry.addWidget(self.labour_errors.wrap("work_date", self.work_date))
        entry.addWidget(self.labour_errors.wrap("hours", self.hours))
        entry.addWidget(self.labour_note, 2)
        entry.addWidget(self.add_labour_button)
        labour = QGroupBox(tr("Labour"))
        labour_layout = QVBoxLayout(labour)
        labour_layout.addWidget(self.labour_table, 1)
        labour_layout.addWidget(self.labour_total)
        labour_layout.addLayout(entry)

        self.downtime_table = read_only_table(
            [tr("Start", "column"), tr("End"), tr("Hours"), tr("Planned"), tr("Reason")], stretch=4
        )
        self.downtime_table.setObjectName("downtime_table")
        self.down_start = OptionalDateTime(tr("from"))
        self.down_start.enabled_box.setChecked(True)
        self.down_start.enabled_box.hide()
        self.down_end = OptionalDateTime(tr("until"))
        self.planned = QCheckBox(tr("planned"))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(tr("reason code, e.g. breakdown"))
        self.add_downtime_button = QPushButton(tr("Add &period"))
        self.add_downtime_button.setObjectName("add_downtime")
        self.add_downtime_button.clicked.connect(self._on_add_downtime_clicked)
        self.end_downtime_button = QPushButton(tr("&End open periods now"))
        self.end_downtime_button.setObjectName("end_downtime")
        self.end_downtime_button.clicked.connect(self._on_end_downtime_clicked)
        period_form = QFormLayout()
        times = QHBoxLayout()
        times.addWidget(self.downtime_errors.wrap("start", self.down_start), 1)
        times.addWidget(self.downtime_errors.wrap("end", self.down_end), 1)
        period_form.addRow(tr("Down"), times)
        reason_row = QHBoxLayout()
        reason_row.addWidget(self.reason, 1)
        reason_row.addWidget(self.planned)
        reason_row.addWidget(self.add_downtime_button)
        reason_row.addWidget(self.end_downtime_button)
        period_form.addRow(tr("Reason"), reason_row)
        downtime = QGroupBox(tr("Downtime"))
        downtime_layout = QVBoxLayout(downtime)
        downtime_layout.addWidget(self.downtime_table, 1)
        downtime_layout.addLayout(period_form)

        layout = QVBoxLayout(self)
        layout.addWidget(labour, 3)
        layout.addWidget(downtime, 2)
        self._reset_entry()

    def _reset_entry(self) -> None:
        today = self._host.context.clock().astimezone().date()
        self.work_date.setDate(QDate(today.year, today.month, today.day))
        self.work_date.setMaximumDate(QDate(today.year, today.month, today.day))
        self.hours.setValue(0.0)
        self.labour_note.clear()
        self.down_start.set_value(self._host.context.clock())
        self.down_end.set_value(None)

    def load(self, detail: WorkOrderDetail, editable: bool) -> None:
        fill_table(
            self.labour_table,
            [
                [
                    e.technician,
                    show_date(e.work_date),
                    show_number(e.hours, 2),
                    show_number(e.rate, 2),
                    e.note,
                ]
                for e in detail.labour
            ],
        )
        cost = sum(e.hours * e.rate for e in detail.labour)
        self.labour_total.setText(
            tr("Entries: {value}, {labour_hours} h, labour cost {cost}").format(
                value=len(detail.labour),
                labour_hours=show_number(detail.labour_hours, 2),
                cost=show_number(cost, 2),
            )
        )
        fill_table(
            self.downtime_table,
            [
                [
                    show_time(p.start),
                    show_time(p.end),
                    _hours(p),
                    tr("yes") if p.planned else tr("no"),
                    p.reason_code,
                ]
                for p in detail.downtime
            ],
        )
        allowed = editable and self._host.may(Action.LOG_WORK)
        for widget in (
            self.technician,
            self.work_date,
            self.hours,
            self.labour_note,
            self.add_labour_button,
            self.down_start,
            self.down_end,
            self.planned,
            self.reason,
            self.add_downtime_button,
        ):
            widget.setEnabled(allowed)
        has_open = any(p.end is None for p in detail.downtime)
        self.end_downtime_button.setEnabled(allowed and has_open)

    def _on_add_labour_clicked(self) -> None:
        host = self._host
        technician = self.technician.currentData() or ""
        work_date = self.work_date.date().toPython()
        hours = self.hours.value()
        note = self.labour_note.text().strip()
        self.labour_errors.clear()
        done = host.run(
            lambda: host.service.log_labour(
                host.actor, host.number, technician, work_date, hours, note
            ),
            self.labour_errors,
        )
        if done is not None:
            self._reset_entry()
            host.after_action(versioned=False)

    def _on_add_downtime_clicked(self) -> None:
        host = self._host
        start = self.down_start.value()
        end = self.down_end.value()
        planned = self.planned.isChecked()
        reason = self.reason.text().strip() or "unplanned"
        self.downtime_errors.clear()
        if start is None:
            self.downtime_errors.show({"start": tr("enter when the asset went down")})
            return
        done = host.run(
            lambda: host.service.add_downtime(host.actor, host.number, start, end, planned, reason),
            self.downtime_errors,
        )
        if done is not None:
            self.reason.clear()
            self._reset_entry()
            # Recording downtime marks the asset down, which changes the order's version.
            host.after_action(versioned=True)

    def _on_end_downtime_clicked(self) -> None:
        host = self._host
        self.downtime_errors.clear()
        done = host.run(
            lambda: host.service.end_downtime(host.actor, host.number, host.context.clock()),
            self.downtime_errors,
        )
        if done is not None:
            host.after_action(versioned=False)
