"""A record's fields in a form layout, each with its error beside it, over a FieldSet."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ui.work_orders.field_set import Field, FieldSet
from ui.work_orders.form_widgets import FieldErrors

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ui.forms.fields import FormField


def _changed_signal(widget: QWidget) -> Any:
    """The signal a widget sends when the person changes its value."""
    if isinstance(widget, QComboBox):
        return widget.currentIndexChanged if not widget.isEditable() else widget.currentTextChanged
    if isinstance(widget, QLineEdit):
        return widget.textChanged
    if isinstance(widget, QPlainTextEdit):
        return widget.textChanged
    if isinstance(widget, QDateEdit):
        return widget.dateChanged
    if isinstance(widget, QSpinBox | QDoubleSpinBox):
        return widget.valueChanged
    if isinstance(widget, QCheckBox):
        return widget.toggled
    return getattr(widget, "sig_changed", None)


class RecordForm(QWidget):
    """Builds the inputs of `fields`; knows what was loaded and what the person changed.

    The service is the one validator: its `ValidationFailed` problems come back through
    `show_problems` and appear under the field they name (the work-order editor does the same).
    """

    sig_changed = Signal()  # any input changed (typed, picked, loaded)

    def __init__(self, fields: Sequence[FormField], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.specs = {spec.name: spec for spec in fields}
        self.inputs: dict[str, QWidget] = {}
        self.fields = FieldSet()
        self.errors = FieldErrors()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.layout_ = QFormLayout()
        self.layout_.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        outer.addLayout(self.layout_)
        outer.addStretch(1)
        for spec in fields:
            widget = spec.make()
            widget.setObjectName(spec.name)
            if spec.hint:
                widget.setToolTip(spec.hint)
            self.inputs[spec.name] = widget
            self.fields.add(
                Field(
                    spec.name,
                    widget,
                    lambda s=spec, w=widget: s.get(w),
                    lambda value, s=spec, w=widget: s.set(w, value),
                )
            )
            changed = _changed_signal(widget)
            if changed is not None:
                changed.connect(self.sig_changed)
            caption = QLabel(spec.label)
            caption.setBuddy(widget)
            self.layout_.addRow(caption, self._field_box(spec.name, widget))
        self._new = True

    def _field_box(self, name: str, widget: QWidget) -> QWidget:
        """The input with its error underneath, the error as wide as the form: a German
        message under a narrow picker would otherwise wrap into the next row. The input keeps
        its own width (a picker stays narrow, a text field grows)."""
        box = self.errors.wrap(name, widget)
        box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        grows = widget.sizePolicy().horizontalPolicy() in {
            QSizePolicy.Policy.Expanding,
            QSizePolicy.Policy.MinimumExpanding,
            QSizePolicy.Policy.Ignored,
        }
        layout = box.layout()
        if not grows and layout is not None:
            layout.setAlignment(widget, Qt.AlignmentFlag.AlignLeft)
        return box

    def load(self, values: dict[str, Any], *, new: bool, editable: bool = True) -> None:
        """Show a record (or a blank one with `new`); typed values are forgotten."""
        self._new = new
        self.fields.load(values)
        allowed = {
            name
            for name, spec in self.specs.items()
            if editable and (new or not spec.new_only) and not spec.read_only
        }
        self.fields.set_editable(allowed)
        self.errors.clear()

    def values(self) -> dict[str, Any]:
        return {name: spec.get(self.inputs[name]) for name, spec in self.specs.items()}

    def changes(self) -> dict[str, Any]:
        return self.fields.changes()

    def apply(self, values: dict[str, Any]) -> None:
        """Put typed values back on top of a reloaded record (they stay counted as edits)."""
        self.fields.apply(values)

    def show_problems(self, problems: dict[str, str]) -> dict[str, str]:
        """Each problem under its field; returns those no field of this form shows."""
        rest = self.errors.show(problems)
        first = next((name for name in problems if name in self.inputs), None)
        if first is not None:
            self.inputs[first].setFocus()
        return rest

    def refill(self) -> None:
        """Bring pickers' choices up to date (another page or workstation added records)."""
        for name, spec in self.specs.items():
            if spec.refill is not None:
                spec.refill(self.inputs[name])

    def is_new(self) -> bool:
        return self._new
