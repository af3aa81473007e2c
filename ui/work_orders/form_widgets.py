"""Small form pieces the work-order editor shares: field error labels, optional dates, banners."""

from __future__ import annotations

from datetime import UTC, date, datetime

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ui import i18n
from ui.i18n import say, tr

ERROR_STYLE = "color: #b00020;"
_BANNER_STYLES = {
    "warning": "background: #fff4ce; border: 1px solid #e0b400; padding: 6px; color: #4d3b00;",
    "error": "background: #fde7e9; border: 1px solid #b00020; padding: 6px; color: #6b0010;",
    "info": "background: #e6f2fb; border: 1px solid #5b9bd5; padding: 6px; color: #0b3a5e;",
}


def show_time(value: datetime | None) -> str:
    """A stored UTC instant in the site's zone and the language's format, to the minute."""
    return i18n.show_time(value)


def show_date(value: date | None) -> str:
    return i18n.show_date(value)


def to_qdatetime(value: datetime) -> QDateTime:
    return QDateTime.fromMSecsSinceEpoch(int(value.timestamp() * 1000))


def from_qdatetime(value: QDateTime) -> datetime:
    return datetime.fromtimestamp(value.toMSecsSinceEpoch() / 1000, UTC)


class FieldErrors:
    """One red label per field, shown next to it while the service says what is wrong."""

    def __init__(self) -> None:
        self._labels: dict[str, QLabel] = {}
        self._shown: dict[str, str] = {}

    def label_for(self, name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(f"error_{name}")
        label.setStyleSheet(ERROR_STYLE)
        label.setWordWrap(True)
        label.hide()
        self._labels[name] = label
        return label

    def wrap(self, name: str, widget: QWidget) -> QWidget:
        """The field with its error label underneath, for one row of a form."""
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        layout.addWidget(self.label_for(name))
        return box

    def show(self, problems: dict[str, str]) -> dict[str, str]:
        """Show each problem beside its field; returns those that have no field here."""
        self.clear()
        rest: dict[str, str] = {}
        for name, text in problems.items():
            label = self._labels.get(name)
            if label is None:
                rest[name] = text
            else:
                said = say(text)
                label.setText(said)
                label.show()
                self._shown[name] = said
        return rest

    def clear(self) -> None:
        for label in self._labels.values():
            label.clear()
            label.hide()
        self._shown.clear()

    def names(self) -> list[str]:
        """The fields with a problem shown, in the order the service listed them."""
        return list(self._shown)

    def text(self, name: str) -> str:
        """The problem shown beside the field, or "" when there is none."""
        return self._shown.get(name, "")


class OptionalDateTime(QWidget):
    """A date and time that may be left empty (a check box switches it on)."""

    def __init__(self, label: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.enabled_box = QCheckBox(label or tr("set"))
        self.edit = QDateTimeEdit()
        self.edit.setDisplayFormat(i18n.date_time_format())
        self.edit.setCalendarPopup(True)
        self.edit.setEnabled(False)
        # Ticking the box starts from now rather than from the year 2000.
        self.edit.setDateTime(QDateTime.currentDateTime())
        self.enabled_box.toggled.connect(self.edit.setEnabled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.enabled_box)
        layout.addWidget(self.edit, 1)

    def value(self) -> datetime | None:
        if not self.enabled_box.isChecked():
            return None
        # Minutes precision: what the person sees is what is stored.
        return from_qdatetime(self.edit.dateTime()).replace(second=0, microsecond=0)

    def set_value(self, value: datetime | None) -> None:
        self.enabled_box.setChecked(value is not None)
        if value is not None:
            self.edit.setDateTime(to_qdatetime(value))


class Banner(QLabel):
    """A coloured message strip above a form; hidden while it has nothing to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.hide()

    def say(self, text: str, kind: str = "warning") -> None:
        if not text:
            self.clear()
            self.hide()
            return
        self.setStyleSheet(_BANNER_STYLES[kind])
        self.setText(text)
        self.show()
