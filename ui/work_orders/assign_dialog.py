"""Pick the technicians for one or many work orders, and who leads."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.enums import Role
from ui.i18n import tr

if TYPE_CHECKING:
    from desktop.services.admin.users import UserRecord


class AssignDialog(QDialog):
    """Checkable list of the crew; ``usernames`` and ``lead`` hold the choice when accepted."""

    def __init__(self, users: list[UserRecord], what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Assign {what}").format(what=what))
        self.crew = QListWidget()
        for user in users:
            if user.role is Role.VIEWER or not user.active:
                continue
            craft = f" — {user.craft}" if user.craft else ""
            item = QListWidgetItem(f"{user.full_name} ({user.username}){craft}")
            item.setData(Qt.ItemDataRole.UserRole, user.username)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.crew.addItem(item)
        self.lead = QComboBox()
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._on_ok_clicked)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(tr("Lead"), self.lead)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("Technicians for {what}:").format(what=what)))
        layout.addWidget(self.crew)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.crew.itemChanged.connect(self._on_crew_changed)
        self.resize(420, 460)

    @property
    def usernames(self) -> list[str]:
        return [
            self.crew.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.crew.count())
            if self.crew.item(i).checkState() == Qt.CheckState.Checked
        ]

    @property
    def lead_username(self) -> str | None:
        return self.lead.currentData()

    def check(self, username: str) -> None:
        for i in range(self.crew.count()):
            if self.crew.item(i).data(Qt.ItemDataRole.UserRole) == username:
                self.crew.item(i).setCheckState(Qt.CheckState.Checked)

    def _on_crew_changed(self) -> None:
        current = self.lead.currentData()
        self.lead.clear()
        for name in self.usernames:
            self.lead.addItem(name, name)
        self.lead.setCurrentIndex(max(self.lead.findData(current), 0))

    def _on_ok_clicked(self) -> None:
        if not self.usernames:
            self.error.setText(tr("Tick at least one technician."))
            return
        self.accept()
