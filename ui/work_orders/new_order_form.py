"""The form that raises a work order: asset, type, priority, what is wrong, and checklists."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TR_NOOP, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.enums import Priority, WorkOrderType
from desktop.services.orders.work_order_records import WorkOrderDraft
from ui.i18n import tr
from ui.words import word
from ui.work_orders.code_picker import SearchableCombo
from ui.work_orders.details_tab import estimate_spin, priority_combo
from ui.work_orders.form_widgets import FieldErrors, OptionalDateTime

if TYPE_CHECKING:
    from ui.context import AppContext

NO_ASSET_PROBLEM = QT_TR_NOOP("choose the asset the work is for (type part of its code or name)")


class NewOrderForm(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.errors = FieldErrors()
        assets = context.services.assets.list()
        self.asset = SearchableCombo(((a.code, f"{a.code} — {a.name}") for a in assets), "")
        self.asset.setObjectName("asset")
        self.asset.lineEdit().setPlaceholderText(tr("type part of an asset code or name"))
        self.type = QComboBox()
        self.type.setObjectName("type")
        for wo_type in WorkOrderType:
            self.type.addItem(word(wo_type.value), wo_type)
        self.type.setCurrentIndex(self.type.findData(WorkOrderType.CORRECTIVE))
        self.priority = priority_combo()
        self.priority.setObjectName("priority")
        self.priority.setCurrentIndex(self.priority.findData(int(Priority.MEDIUM)))
        self.title = QLineEdit()
        self.title.setObjectName("title")
        self.title.setPlaceholderText(tr("what is wrong or what is to be done"))
        self.description = QPlainTextEdit()
        self.description.setObjectName("description")
        self.description.setTabChangesFocus(True)
        self.due_at = OptionalDateTime()
        self.due_at.setToolTip(tr("Left empty, the order is due after the priority's default time"))
        self.estimate_hours = estimate_spin()
        self.asset_down = QCheckBox(tr("the asset is down now (downtime starts)"))
        self.asset_down.setObjectName("asset_down")
        self.checklists = QListWidget()
        self.checklists.setObjectName("checklists")
        self.checklists.setMaximumHeight(180)
        self.description.setMaximumHeight(160)
        self.asset.setMinimumWidth(480)
        for template in context.services.checklist_templates.list():
            item = QListWidgetItem(f"{template.code} — {template.name}")
            item.setData(Qt.ItemDataRole.UserRole, template.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.checklists.addItem(item)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(tr("&Asset"), self.errors.wrap("asset", self.asset))
        form.addRow(tr("T&ype"), self.type)
        form.addRow(tr("&Priority"), self.errors.wrap("priority", self.priority))
        form.addRow(tr("&Title"), self.errors.wrap("title", self.title))
        form.addRow(tr("&Description"), self.description)
        form.addRow(tr("D&ue"), self.errors.wrap("due_at", self.due_at))
        form.addRow(tr("&Estimate"), self.errors.wrap("estimate_hours", self.estimate_hours))
        form.addRow("", self.asset_down)
        form.addRow(tr("&Checklists"), self.errors.wrap("checklist", self.checklists))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)
        for first, second in (
            (self.asset, self.type),
            (self.type, self.priority),
            (self.priority, self.title),
            (self.title, self.description),
            (self.description, self.due_at.enabled_box),
            (self.due_at.enabled_box, self.due_at.edit),
            (self.due_at.edit, self.estimate_hours),
            (self.estimate_hours, self.asset_down),
            (self.asset_down, self.checklists),
        ):
            QWidget.setTabOrder(first, second)

    def draft(self) -> WorkOrderDraft:
        codes = tuple(
            self.checklists.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.checklists.count())
            if self.checklists.item(i).checkState() is Qt.CheckState.Checked
        )
        return WorkOrderDraft(
            title=self.title.text(),
            asset_code=self.asset.value() or "",
            type=WorkOrderType(self.type.currentData()),
            priority=Priority(self.priority.currentData()),
            description=self.description.toPlainText(),
            due_at=self.due_at.value(),
            estimate_hours=self.estimate_hours.value() or None,
            asset_down=self.asset_down.isChecked(),
            checklist_codes=codes,
        )

    def show_problems(self, problems: dict[str, str]) -> dict[str, str]:
        if "asset" in problems and not self.asset.value():
            problems = problems | {"asset": tr(NO_ASSET_PROBLEM)}
        return self.errors.show(problems)

    def has_input(self) -> bool:
        return bool(self.title.text().strip() or self.description.toPlainText().strip())
