"""The Details tab: every editable field of a work order beside its read-only record."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TR_NOOP
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.enums import Priority
from ui.i18n import tr
from ui.words import word
from ui.work_orders.field_set import Field, FieldSet
from ui.work_orders.form_widgets import FieldErrors, OptionalDateTime, show_time

if TYPE_CHECKING:
    from desktop.services.orders.work_order_records import WorkOrderDetail

PRIORITY_TEXT = {
    Priority.EMERGENCY: QT_TR_NOOP("1 — Emergency"),
    Priority.HIGH: QT_TR_NOOP("2 — High"),
    Priority.MEDIUM: QT_TR_NOOP("3 — Medium"),
    Priority.LOW: QT_TR_NOOP("4 — Low"),
}
MAX_ESTIMATE = 10_000.0


def priority_combo() -> QComboBox:
    combo = QComboBox()
    for priority, text in PRIORITY_TEXT.items():
        combo.addItem(tr(text), int(priority))
    return combo


def estimate_spin() -> QDoubleSpinBox:
    """Hours with one decimal; 0 shows as "—" and means no estimate yet."""
    spin = QDoubleSpinBox()
    spin.setRange(0.0, MAX_ESTIMATE)
    spin.setDecimals(1)
    spin.setSingleStep(0.5)
    spin.setSuffix(tr(" h"))
    spin.setSpecialValueText("—")
    return spin


def label(text: str) -> str:
    return text.replace("_", " ").capitalize()


# Read-only facts of the record, in the order they are shown.
RECORD_ROWS = (
    ("number", QT_TR_NOOP("Number")),
    ("status", QT_TR_NOOP("Status")),
    ("type", QT_TR_NOOP("Type")),
    ("asset", QT_TR_NOOP("Asset")),
    ("origin", QT_TR_NOOP("Origin")),
    ("requester", QT_TR_NOOP("Requested by")),
    ("requested_at", QT_TR_NOOP("Requested")),
    ("approved_at", QT_TR_NOOP("Approved")),
    ("scheduled_at", QT_TR_NOOP("Scheduled")),
    ("started_at", QT_TR_NOOP("Started")),
    ("completed_at", QT_TR_NOOP("Completed")),
    ("closed_at", QT_TR_NOOP("Closed")),
    ("cancelled_at", QT_TR_NOOP("Cancelled")),
    ("hold_reason", QT_TR_NOOP("Hold reason")),
    ("cancel_reason", QT_TR_NOOP("Cancel reason")),
    ("updated", QT_TR_NOOP("Last changed")),
)


def record_values(detail: WorkOrderDetail) -> dict[str, str]:
    row = detail.row
    return {
        "number": row.number,
        "status": word(row.status.value),
        "type": word(row.type.value),
        "asset": f"{row.asset_code} — {row.asset_name}",
        "origin": word(detail.origin.value),
        "requester": detail.requester,
        "requested_at": show_time(row.requested_at),
        "approved_at": show_time(detail.approved_at),
        "scheduled_at": show_time(detail.scheduled_at),
        "started_at": show_time(detail.started_at),
        "completed_at": show_time(row.completed_at),
        "closed_at": show_time(detail.closed_at),
        "cancelled_at": show_time(detail.cancelled_at),
        "hold_reason": word(detail.hold_reason.value) if detail.hold_reason else "—",
        "cancel_reason": detail.cancel_reason or "—",
        "updated": tr("{when} by {who}").format(
            when=show_time(detail.updated_at), who=detail.updated_by
        ),
    }


class DetailsTab(QWidget):
    """Registers its inputs in the editor's FieldSet; shows the record's facts on the right."""

    def __init__(
        self, fields: FieldSet, errors: FieldErrors, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.title = QLineEdit()
        self.title.setObjectName("title")
        self.title.setMaxLength(400)  # longer than allowed, so the service names the limit
        self.priority = priority_combo()
        self.due_at = OptionalDateTime()
        self.estimate_hours = estimate_spin()
        self.scheduled_start = OptionalDateTime()
        self.scheduled_end = OptionalDateTime()
        self.asset_down = QCheckBox(tr("the asset is down (not able to run)"))
        self.description = QPlainTextEdit()
        self.description.setTabChangesFocus(True)
        self.resolution = QPlainTextEdit()
        self.resolution.setTabChangesFocus(True)
        self.resolution.setPlaceholderText(tr("What was found and done"))
        for widget in (self.description, self.resolution):
            widget.setMinimumHeight(70)

        fields.add(Field("title", self.title, self.title.text, lambda v: self.title.setText(v)))
        fields.add(
            Field(
                "priority",
                self.priority,
                lambda: Priority(self.priority.currentData()),
                lambda v: self.priority.setCurrentIndex(self.priority.findData(int(v))),
            )
        )
        for name in ("due_at", "scheduled_start", "scheduled_end"):
            widget: OptionalDateTime = getattr(self, name)
            fields.add(Field(name, widget, widget.value, widget.set_value))
        fields.add(
            Field(
                "estimate_hours",
                self.estimate_hours,
                lambda: self.estimate_hours.value() or None,
                lambda v: self.estimate_hours.setValue(v or 0.0),
            )
        )
        fields.add(
            Field(
                "asset_down",
                self.asset_down,
                self.asset_down.isChecked,
                lambda v: self.asset_down.setChecked(bool(v)),
            )
        )
        for name in ("description", "resolution"):
            text: QPlainTextEdit = getattr(self, name)
            fields.add(Field(name, text, text.toPlainText, lambda v, t=text: t.setPlainText(v)))

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        rows = (
            ("title", tr("&Title"), self.title),
            ("priority", tr("&Priority"), self.priority),
            ("due_at", tr("D&ue"), self.due_at),
            ("estimate_hours", tr("&Estimate"), self.estimate_hours),
            ("scheduled_start", tr("Planned &start"), self.scheduled_start),
            ("scheduled_end", tr("Planned e&nd"), self.scheduled_end),
            ("asset_down", tr("Asset"), self.asset_down),
            ("description", tr("&Description"), self.description),
            ("resolution", tr("&Resolution"), self.resolution),
        )
        for name, text, widget in rows:
            form.addRow(text, errors.wrap(name, widget))
        editable = QGroupBox(tr("Work order"))
        editable.setLayout(form)

        self._facts: dict[str, QLabel] = {}
        facts_form = QFormLayout()
        for key, text in RECORD_ROWS:
            value = QLabel()
            value.setObjectName(f"fact_{key}")
            value.setWordWrap(True)
            self._facts[key] = value
            facts_form.addRow(tr(text), value)
        facts = QGroupBox(tr("Record"))
        facts_layout = QVBoxLayout(facts)
        facts_layout.addLayout(facts_form)
        facts_layout.addStretch(1)

        chain: list[QWidget] = [
            self.title,
            self.priority,
            self.due_at.enabled_box,
            self.due_at.edit,
        ]
        chain += [self.estimate_hours]
        for when in (self.scheduled_start, self.scheduled_end):
            chain += [when.enabled_box, when.edit]
        chain += [self.asset_down, self.description, self.resolution]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        layout = QHBoxLayout(self)
        layout.addWidget(editable, 3)
        layout.addWidget(facts, 2)

    def show_record(self, detail: WorkOrderDetail) -> None:
        for key, text in record_values(detail).items():
            self._facts[key].setText(text)

    def fact(self, key: str) -> str:
        return self._facts[key].text()
