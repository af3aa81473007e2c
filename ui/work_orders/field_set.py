"""The editable fields of one record: what was loaded, what the person changed since."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

READ_ONLY_STYLE = "background: palette(window);"

if TYPE_CHECKING:
    from collections.abc import Callable


@dataclass(frozen=True)
class Field:
    name: str
    widget: QWidget
    get: Callable[[], Any]
    set: Callable[[Any], None]


class FieldSet:
    """Edits are the fields whose widget value differs from the value last loaded into it."""

    def __init__(self) -> None:
        self._fields: dict[str, Field] = {}
        self._baseline: dict[str, Any] = {}

    def add(self, field: Field) -> None:
        self._fields[field.name] = field

    def __contains__(self, name: str) -> bool:
        return name in self._fields

    def widget(self, name: str) -> QWidget:
        return self._fields[name].widget

    def load(self, values: dict[str, Any]) -> None:
        """Show stored values; the widgets' own reading of them becomes the baseline."""
        for name, field in self._fields.items():
            field.set(values.get(name))
            self._baseline[name] = field.get()

    def changes(self) -> dict[str, Any]:
        return {
            name: field.get()
            for name, field in self._fields.items()
            if field.get() != self._baseline.get(name)
        }

    def apply(self, values: dict[str, Any]) -> None:
        """Put typed values back on top of freshly loaded ones (they stay counted as edits)."""
        for name, value in values.items():
            if name in self._fields:
                self._fields[name].set(value)

    def set_editable(self, allowed: set[str] | frozenset[str]) -> None:
        """Text stays selectable when read-only; other inputs are disabled."""
        for name, field in self._fields.items():
            editable = name in allowed
            widget = field.widget
            if isinstance(widget, QLineEdit | QPlainTextEdit):
                widget.setReadOnly(not editable)
                # Read-only text sits on the window colour so it does not look typeable.
                widget.setStyleSheet("" if editable else READ_ONLY_STYLE)
            else:
                widget.setEnabled(editable)
