"""Form fields as data: a name the service uses, a label, and how to build, read and fill the
input. Every record form lists its fields with these helpers instead of wiring widgets by hand.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from ui import i18n
from ui.i18n import tr
from ui.work_orders.code_picker import SearchableCombo

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from datetime import date

NO_DATE = QDate(1900, 1, 1)
"""The lowest date of an optional date field; shown as "—" and read as no date."""


@dataclass(frozen=True)
class FormField:
    """`new_only`: editable when creating the record only (codes, user names: labels and log-ins
    print or remember them). `hint` shows as the input's tooltip."""

    name: str
    label: str
    make: Callable[[], QWidget]
    get: Callable[[Any], Any]
    set: Callable[[Any, Any], None]
    new_only: bool = False
    hint: str = ""
    refill: Callable[[Any], None] | None = None
    """Rebuilds a picker's choices from the records as they are now (new vendors, parts...)."""
    read_only: bool = False
    """Shown for reading only: facts kept elsewhere (where a part is used, the next dues)."""


def text(
    name: str, label: str, *, max_length: int = 200, placeholder: str = "", **options: Any
) -> FormField:
    """A one-line text; empty reads as ""."""

    def make() -> QWidget:
        edit = QLineEdit()
        # Longer than allowed, so the service names the limit instead of the input cutting.
        edit.setMaxLength(max_length * 2)
        edit.setPlaceholderText(placeholder)
        return edit

    return FormField(
        name, label, make, lambda w: w.text(), lambda w, v: w.setText(v or ""), **options
    )


def optional_text(name: str, label: str, **options: Any) -> FormField:
    """A one-line text where empty means "none" (None)."""
    field = text(name, label, **options)
    return FormField(
        name,
        label,
        field.make,
        lambda w: w.text().strip() or None,
        field.set,
        field.new_only,
        field.hint,
    )


def password(name: str, label: str, *, placeholder: str = "", **options: Any) -> FormField:
    def make() -> QWidget:
        edit = QLineEdit()
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setPlaceholderText(placeholder)
        return edit

    return FormField(
        name, label, make, lambda w: w.text(), lambda w, v: w.setText(v or ""), **options
    )


def multiline(name: str, label: str, *, height: int = 90, **options: Any) -> FormField:
    def make() -> QWidget:
        edit = QPlainTextEdit()
        edit.setTabChangesFocus(True)
        edit.setMaximumHeight(height)
        return edit

    return FormField(
        name,
        label,
        make,
        lambda w: w.toPlainText(),
        lambda w, v: w.setPlainText(v or ""),
        **options,
    )


def choice(name: str, label: str, options_: Sequence[tuple[Any, str]], **options: Any) -> FormField:
    """A drop-down of (value, text) pairs; reads the chosen value as given (Qt would turn a
    StrEnum member stored as item data into a plain str). The texts are translated here, so
    the option lists stay constants marked with QT_TR_NOOP; a text without a translation (a
    record's name) shows as it is."""
    values = [value for value, _shown in options_]

    def make() -> QWidget:
        combo = QComboBox()
        for _value, shown in options_:
            combo.addItem(tr(shown))
        return combo

    def get_value(widget: QComboBox) -> Any:
        index = widget.currentIndex()
        return values[index] if 0 <= index < len(values) else None

    def set_value(widget: QComboBox, value: Any) -> None:
        widget.setCurrentIndex(values.index(value) if value in values else 0)

    return FormField(name, label, make, get_value, set_value, **options)


def searchable(
    name: str,
    label: str,
    entries: Callable[[], Sequence[tuple[str, str]]],
    *,
    none_text: str | None = "— none —",
    **options: Any,
) -> FormField:
    """Type any part of "CODE — name" to find an entry (assets, parts, vendors, users).

    `entries` is called when the form is built, so the choices are current.
    """

    def make() -> QWidget:
        combo = SearchableCombo(entries(), none_text)
        combo.setMinimumWidth(320)
        return combo

    def refill(widget: SearchableCombo) -> None:
        fresh = list(entries())
        current = [(widget.itemData(i), widget.itemText(i)) for i in range(widget.count())]
        if none_text is not None:
            fresh.insert(0, (None, none_text))  # type: ignore[arg-type]
        if fresh == current:
            return
        value = widget.value()
        blocker = widget.blockSignals(True)
        widget.clear()
        for data, shown in fresh:
            widget.addItem(shown, data)
        widget.set_value(value)
        widget.blockSignals(blocker)

    return FormField(
        name,
        label,
        make,
        lambda w: w.value(),
        lambda w, v: w.set_value(v),
        refill=refill,
        **options,
    )


def number(
    name: str,
    label: str,
    *,
    minimum: float = 0.0,
    maximum: float = 1e9,
    decimals: int = 2,
    suffix: str = "",
    step: float = 1.0,
    **options: Any,
) -> FormField:
    def make() -> QWidget:
        spin = QDoubleSpinBox()
        spin.setRange(minimum, maximum)
        spin.setDecimals(decimals)
        spin.setSingleStep(step)
        spin.setSuffix(suffix)
        spin.setGroupSeparatorShown(True)
        return spin

    def set_value(widget: QDoubleSpinBox, value: Any) -> None:
        widget.setValue(float(value) if value is not None and math.isfinite(value) else 0.0)

    return FormField(name, label, make, lambda w: w.value(), set_value, **options)


def optional_number(
    name: str,
    label: str,
    *,
    minimum: float = -1e9,
    maximum: float = 1e9,
    decimals: int = 3,
    suffix: str = "",
    **options: Any,
) -> FormField:
    """A number that may be left empty: the lowest value shows as "—" and reads as None."""

    def make() -> QWidget:
        spin = QDoubleSpinBox()
        spin.setRange(minimum - 1, maximum)
        spin.setDecimals(decimals)
        spin.setSuffix(suffix)
        spin.setSpecialValueText("—")
        spin.setValue(spin.minimum())
        return spin

    def get_value(widget: QDoubleSpinBox) -> float | None:
        return None if widget.value() == widget.minimum() else widget.value()

    def set_value(widget: QDoubleSpinBox, value: Any) -> None:
        widget.setValue(widget.minimum() if value is None else float(value))

    return FormField(name, label, make, get_value, set_value, **options)


def integer(
    name: str,
    label: str,
    *,
    minimum: int = 0,
    maximum: int = 1_000_000,
    suffix: str = "",
    **options: Any,
) -> FormField:
    def make() -> QWidget:
        spin = QSpinBox()
        spin.setRange(minimum, maximum)
        spin.setSuffix(suffix)
        return spin

    return FormField(
        name, label, make, lambda w: w.value(), lambda w, v: w.setValue(int(v or 0)), **options
    )


def optional_integer(
    name: str, label: str, *, maximum: int = 1_000_000, suffix: str = "", **options: Any
) -> FormField:
    """A whole number of at least 1, or none: 0 shows as "—" and reads as None."""

    def make() -> QWidget:
        spin = QSpinBox()
        spin.setRange(0, maximum)
        spin.setSuffix(suffix)
        spin.setSpecialValueText("—")
        return spin

    return FormField(
        name,
        label,
        make,
        lambda w: w.value() or None,
        lambda w, v: w.setValue(int(v or 0)),
        **options,
    )


def check(name: str, label: str, text_: str, **options: Any) -> FormField:
    def make() -> QWidget:
        return QCheckBox(text_)

    return FormField(
        name, label, make, lambda w: w.isChecked(), lambda w, v: w.setChecked(bool(v)), **options
    )


def day(name: str, label: str, *, optional: bool = True, **options: Any) -> FormField:
    """A calendar date; optional dates show "—" at the lowest date and read as None."""

    def make() -> QWidget:
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat(i18n.date_format())
        if optional:
            edit.setMinimumDate(NO_DATE)
            edit.setSpecialValueText("—")
            edit.setDate(NO_DATE)
        return edit

    def get_value(widget: QDateEdit) -> date | None:
        if optional and widget.date() == NO_DATE:
            return None
        return widget.date().toPython()  # type: ignore[no-any-return]

    def set_value(widget: QDateEdit, value: Any) -> None:
        widget.setDate(NO_DATE if value is None else QDate(value))

    return FormField(name, label, make, get_value, set_value, **options)
