"""The Failure codes tab: ISO 14224-style codes of what failed, how, why, and what was done."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TR_NOOP
from PySide6.QtWidgets import QCheckBox, QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from desktop.domain.failure_codes import FIELD_LISTS
from desktop.domain.lifecycle import REQUIRED_FAILURE_CODES
from ui.i18n import tr
from ui.work_orders.code_picker import CodePicker
from ui.work_orders.field_set import Field, FieldSet

if TYPE_CHECKING:
    from ui.work_orders.form_widgets import FieldErrors

FIELD_TITLES = {
    "failure_impact": QT_TR_NOOP("&Impact"),
    "failure_mode": QT_TR_NOOP("Failure &mode"),
    "failure_mechanism": QT_TR_NOOP("Me&chanism"),
    "failure_cause": QT_TR_NOOP("C&ause"),
    "detection_method": QT_TR_NOOP("&Detection method"),
    "activity": QT_TR_NOOP("Maintenance ac&tivity"),
}


class FailureCodesTab(QWidget):
    def __init__(
        self, fields: FieldSet, errors: FieldErrors, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.pickers: dict[str, CodePicker] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name in FIELD_LISTS:
            picker = CodePicker(name)
            self.pickers[name] = picker
            fields.add(Field(name, picker, picker.value, picker.set_value))
            title = tr(FIELD_TITLES[name]) + (" *" if name in REQUIRED_FAILURE_CODES else "")
            form.addRow(title, errors.wrap(name, picker))
        codes = QGroupBox(tr("Failure codes"))
        codes.setLayout(form)

        self.is_failure = QCheckBox(tr("Counts as a failure (used for MTBF)"))
        fields.add(
            Field(
                "is_failure",
                self.is_failure,
                self.is_failure.isChecked,
                lambda v: self.is_failure.setChecked(bool(v)),
            )
        )
        note = QLabel(
            tr(
                "* needed before corrective, emergency and predictive work can be completed. "
                "Type any part of a code or its name to find it."
            )
        )
        note.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(codes)
        layout.addWidget(errors.wrap("is_failure", self.is_failure))
        layout.addWidget(note)
        layout.addStretch(1)
