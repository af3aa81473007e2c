"""The Checklist tab: each item with the input its kind needs; answers are saved one by one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TR_NOOP
from PySide6.QtGui import QDoubleValidator
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.enums import ChecklistItemKind, CheckResult
from desktop.domain.permissions import Action
from ui.i18n import show_amount, tr
from ui.words import word
from ui.work_orders.form_widgets import ERROR_STYLE, FieldErrors, show_time

if TYPE_CHECKING:
    from collections.abc import Callable

    from desktop.services.orders.work_order_records import ChecklistItemView, WorkOrderDetail
    from ui.work_orders.editor_host import EditorHost

RESULT_STYLE = {
    CheckResult.PASS: "color: #1b7f3b; font-weight: bold;",
    CheckResult.FAIL: "color: #b00020; font-weight: bold;",
    CheckResult.NOT_APPLICABLE: "color: #666;",
}


def limits_text(item: ChecklistItemView) -> str:
    unit = f" {item.unit}" if item.unit else ""
    if item.low is not None and item.high is not None:
        return f"{show_amount(item.low)}–{show_amount(item.high)}{unit}"
    if item.low is not None:
        return f"≥ {show_amount(item.low)}{unit}"
    if item.high is not None:
        return f"≤ {show_amount(item.high)}{unit}"
    return unit.strip()


def within_limits(item: ChecklistItemView, value: float) -> bool:
    return (item.low is None or value >= item.low) and (item.high is None or value <= item.high)


def _answer_text(key: str) -> str:
    """An answer button in the user's language; "Record" is the verb here, not the noun."""
    texts = {
        "Pass": tr("Pass"),
        "Fail": tr("Fail"),
        "N/A": tr("N/A"),
        "Record": tr("Record", "checklist answer"),
        "Sign": tr("Sign"),
    }
    return texts.get(key, key)


class ChecklistTab(QWidget):
    def __init__(self, host: EditorHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._host = host
        self.errors = FieldErrors()
        self.inputs: dict[int, QLineEdit] = {}
        self._loaded_text: dict[int, str] = {}
        self.buttons: dict[tuple[int, str], QPushButton] = {}

        self.templates = QComboBox()
        self.templates.setObjectName("templates")
        for template in host.context.services.checklist_templates.list():
            safety = tr(", safety") if template.safety else ""
            self.templates.addItem(
                tr("{code} — {name} ({item_count} items{safety})").format(
                    code=template.code,
                    name=template.name,
                    item_count=template.item_count,
                    safety=safety,
                ),
                template.code,
            )
        self.add_button = QPushButton(tr("Add &checklist"))
        self.add_button.setObjectName("add_checklist")
        self.add_button.clicked.connect(self._on_add_clicked)
        self._add_errors = FieldErrors()
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("From template")))
        top.addWidget(self._add_errors.wrap("checklist", self.templates), 1)
        top.addWidget(self.add_button)

        self._rows = QWidget()
        self._grid = QGridLayout(self._rows)
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setWidget(self._rows)
        layout = QVBoxLayout(self)
        layout.addWidget(self._scroll, 1)
        layout.addLayout(top)

    def load(self, detail: WorkOrderDetail, editable: bool) -> None:
        """Rebuild the rows; values typed but not yet recorded are put back."""
        typed = {
            position: edit.text()
            for position, edit in self.inputs.items()
            if edit.text() != self._loaded_text.get(position)
        }
        self._rows = QWidget()
        self._grid = QGridLayout(self._rows)
        self._grid.setColumnStretch(1, 1)
        self.errors = FieldErrors()
        self.inputs.clear()
        self.buttons.clear()
        may_answer = editable and self._host.may(Action.LOG_WORK)
        titles = ("#", tr("Item"), tr("Answer"), tr("Result"), tr("Answered"))
        for column, title in enumerate(titles):
            header = QLabel(tr("<b>{title}</b>").format(title=title))
            self._grid.addWidget(header, 0, column)
        if not detail.checklist:
            self._grid.addWidget(QLabel(tr("No checklist on this work order yet.")), 1, 1)
        for row, item in enumerate(detail.checklist, start=1):
            tags = [
                tr(t)
                for t, on in (
                    (QT_TR_NOOP("safety"), item.safety),
                    (QT_TR_NOOP("required"), item.required),
                )
                if on
            ]
            text = QLabel(
                item.text + (tr("  <i>({value})</i>").format(value=", ".join(tags)) if tags else "")
            )
            text.setWordWrap(True)
            answer = self._answer_widget(item, may_answer)
            result = QLabel(self._result_text(item))
            if item.result is not None:
                result.setStyleSheet(RESULT_STYLE[item.result])
            result.setObjectName(f"result_{item.position}")
            self._grid.addWidget(QLabel(str(item.position)), row, 0)
            self._grid.addWidget(text, row, 1)
            self._grid.addWidget(self.errors.wrap(f"item {item.position}", answer), row, 2)
            self._grid.addWidget(result, row, 3)
            self._grid.addWidget(QLabel(show_time(item.answered_at)), row, 4)
        self._grid.setRowStretch(len(detail.checklist) + 2, 1)
        self._loaded_text = {position: edit.text() for position, edit in self.inputs.items()}
        for position, text in typed.items():
            if position in self.inputs:
                self.inputs[position].setText(text)
        # The scroll area deletes the previous rows widget itself.
        self._scroll.setWidget(self._rows)
        allowed = editable and self._host.may(Action.EDIT_WORK_ORDER)
        self.templates.setEnabled(allowed)
        self.add_button.setEnabled(allowed and self.templates.count() > 0)

    @staticmethod
    def _result_text(item: ChecklistItemView) -> str:
        if item.result is None and item.text_value is None:
            return "—"
        if item.kind is ChecklistItemKind.SIGNATURE:
            return tr("signed by {name}").format(name=item.text_value)
        if item.kind is ChecklistItemKind.TEXT:
            return tr("recorded")
        return word(item.result.value) if item.result else "—"

    def _answer_widget(self, item: ChecklistItemView, enabled: bool) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        position = item.position
        if item.kind is ChecklistItemKind.CHECK:
            for result, text in (
                (CheckResult.PASS, "Pass"),
                (CheckResult.FAIL, "Fail"),
                (CheckResult.NOT_APPLICABLE, "N/A"),
            ):
                button = self._button(position, text, lambda r=result: self._answer(position, r))
                button.setCheckable(True)
                button.setChecked(item.result is result)
                row.addWidget(button)
        elif item.kind is ChecklistItemKind.MEASUREMENT:
            value = QLineEdit("" if item.value is None else f"{item.value:g}")
            value.setValidator(QDoubleValidator())
            value.setMaximumWidth(90)
            value.setPlaceholderText(tr("value"))
            self.inputs[position] = value
            self._colour_measurement(item, value)
            value.textChanged.connect(lambda _t, i=item, v=value: self._colour_measurement(i, v))
            value.returnPressed.connect(lambda: self._record_measurement(position))
            row.addWidget(value)
            row.addWidget(QLabel(limits_text(item)))
            row.addWidget(
                self._button(position, "Record", lambda: self._record_measurement(position))
            )
            row.addWidget(
                self._button(
                    position,
                    "N/A",
                    lambda: self._answer(position, CheckResult.NOT_APPLICABLE),
                )
            )
        elif item.kind is ChecklistItemKind.TEXT:
            text = QLineEdit(item.text_value or "")
            text.setPlaceholderText(tr("what you found"))
            self.inputs[position] = text
            text.returnPressed.connect(lambda: self._record_text(position))
            row.addWidget(text, 1)
            row.addWidget(self._button(position, "Record", lambda: self._record_text(position)))
        else:
            row.addWidget(self._button(position, "Sign", lambda: self._answer(position, None)))
        row.addStretch(1)
        box.setEnabled(enabled)
        return box

    def _button(self, position: int, text: str, on_click: Callable[[], None]) -> QPushButton:
        """`text` is the English of the button (its key here); the button shows it translated."""
        button = QPushButton(_answer_text(text))
        button.setAutoDefault(False)
        button.setObjectName(f"item_{position}_{text.lower().replace('/', '')}")
        button.clicked.connect(lambda _checked=False: on_click())
        self.buttons[(position, text)] = button
        return button

    @staticmethod
    def _colour_measurement(item: ChecklistItemView, edit: QLineEdit) -> None:
        """Red while the typed value is outside the item's limits (it will be marked failed)."""
        try:
            value = float(edit.text().replace(",", "."))
        except ValueError:
            edit.setStyleSheet("")
            return
        edit.setStyleSheet("" if within_limits(item, value) else ERROR_STYLE + "font-weight: bold;")

    def _record_measurement(self, position: int) -> None:
        text = self.inputs[position].text().replace(",", ".").strip()
        self._answer(position, None, value=float(text) if text else None)

    def _record_text(self, position: int) -> None:
        self._answer(position, None, text=self.inputs[position].text())

    def _answer(
        self,
        position: int,
        result: CheckResult | None,
        value: float | None = None,
        text: str | None = None,
    ) -> None:
        host = self._host
        done = host.run(
            lambda: host.service.answer_checklist_item(
                host.actor, host.number, position, result=result, value=value, text=text
            ),
            self.errors,
        )
        if done is not None:
            host.after_action(versioned=False)

    def _on_add_clicked(self) -> None:
        host = self._host
        code = self.templates.currentData()
        self._add_errors.clear()
        done = host.run(
            lambda: host.service.add_checklist(host.actor, host.number, code) or True,
            self._add_errors,
        )
        if done is not None:
            host.after_action(versioned=False)
