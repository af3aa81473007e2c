"""The Assignment tab: which technicians do the work, who leads, and who is double-booked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.enums import Role
from desktop.domain.permissions import Action
from ui.i18n import say, tr
from ui.words import word
from ui.work_orders.form_widgets import Banner, FieldErrors

if TYPE_CHECKING:
    from desktop.services.orders.work_order_records import WorkOrderDetail
    from ui.work_orders.editor_host import EditorHost


class AssignmentTab(QWidget):
    def __init__(self, host: EditorHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._host = host
        self.errors = FieldErrors()
        self.crew = QListWidget()
        self.crew.setObjectName("crew")
        for user in host.context.services.users.list():
            if user.role is Role.VIEWER:
                continue
            craft = f", {user.craft}" if user.craft else ""
            item = QListWidgetItem(
                f"{user.full_name} ({user.username}) — {word(user.role.value)}{craft}"
            )
            item.setData(Qt.ItemDataRole.UserRole, user.username)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.crew.addItem(item)
        self.crew.setMaximumHeight(360)
        self.crew.itemChanged.connect(self._on_crew_item_changed)
        self.lead = QComboBox()
        self.lead.setObjectName("lead")
        self.assign_button = QPushButton(tr("&Assign"))
        self.assign_button.setObjectName("assign")
        self.assign_button.clicked.connect(self._on_assign_clicked)
        self.current = QLabel()
        self.current.setWordWrap(True)
        self.warnings = Banner()
        self.warnings.setObjectName("booking_warnings")

        form = QFormLayout()
        form.addRow(tr("Currently"), self.current)
        form.addRow(tr("Technicians"), self.errors.wrap("assignees", self.crew))
        lead_row = QHBoxLayout()
        lead_row.addWidget(self.errors.wrap("lead", self.lead), 1)
        lead_row.addWidget(self.assign_button)
        form.addRow(tr("Lead"), lead_row)
        layout = QVBoxLayout(self)
        layout.addWidget(self.warnings)
        layout.addLayout(form)
        hint = QLabel(
            tr(
                "Tick everyone who works on the order. Technicians already booked on other "
                "planned work at the same time are named after assigning."
            )
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addStretch(1)

    def load(self, detail: WorkOrderDetail, editable: bool) -> None:
        assigned = {a.username for a in detail.assignees}
        lead = next((a.username for a in detail.assignees if a.is_lead), None)
        self.crew.blockSignals(True)
        for i in range(self.crew.count()):
            item = self.crew.item(i)
            checked = item.data(Qt.ItemDataRole.UserRole) in assigned
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.crew.blockSignals(False)
        self._refill_lead(lead)
        lead = " " + tr("(lead)")
        names = [f"{a.full_name}{lead if a.is_lead else ''}" for a in detail.assignees]
        self.current.setText(", ".join(names) or tr("nobody assigned yet"))
        allowed = editable and self._host.may(Action.ASSIGN)
        for widget in (self.crew, self.lead, self.assign_button):
            widget.setEnabled(allowed)

    def checked(self) -> list[str]:
        return [
            self.crew.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.crew.count())
            if self.crew.item(i).checkState() is Qt.CheckState.Checked
        ]

    def set_checked(self, username: str, checked: bool) -> None:
        for i in range(self.crew.count()):
            item = self.crew.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == username:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def _refill_lead(self, lead: str | None) -> None:
        keep = lead or self.lead.currentData()
        self.lead.clear()
        for name in self.checked():
            self.lead.addItem(name, name)
        index = self.lead.findData(keep)
        self.lead.setCurrentIndex(max(index, 0))

    def _on_crew_item_changed(self, _item: QListWidgetItem) -> None:
        self._refill_lead(None)

    def _on_assign_clicked(self) -> None:
        host = self._host
        usernames = self.checked()
        lead = self.lead.currentData()
        self.errors.clear()
        warnings = host.run(
            lambda: host.service.assign(host.actor, host.number, host.version, usernames, lead),
            self.errors,
        )
        if warnings is None:
            return
        host.after_action(versioned=True)
        if warnings:
            self.warnings.say(
                tr("Booking clash:\n") + "\n".join(say(w) for w in warnings), "warning"
            )
        else:
            self.warnings.say("")
