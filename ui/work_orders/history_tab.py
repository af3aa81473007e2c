"""The History & audit tab: every status change and every audited change of the order."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QLabel, QSplitter, QVBoxLayout, QWidget

from desktop.services.shared import audit
from ui.i18n import tr
from ui.words import word
from ui.work_orders.editor_host import fill_table, read_only_table
from ui.work_orders.form_widgets import show_time

if TYPE_CHECKING:
    from desktop.services.orders.work_order_records import WorkOrderDetail
    from ui.work_orders.editor_host import EditorHost

MAX_VALUE_TEXT = 60


def _short(value: Any) -> str:
    text = "—" if value in (None, "") else str(value)
    return text if len(text) <= MAX_VALUE_TEXT else text[: MAX_VALUE_TEXT - 1] + "…"


def describe_changes(changes: dict[str, tuple[Any, Any]]) -> str:
    """ "field: old → new" per changed field; a creation lists only the new values."""
    parts = []
    for name, (old, new) in changes.items():
        if old is None:
            parts.append(f"{name}: {_short(new)}")
        else:
            parts.append(f"{name}: {_short(old)} → {_short(new)}")
    return "; ".join(parts)


def _titled(title: str, *widgets: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    for widget in widgets:
        layout.addWidget(widget)
    return box


class HistoryTab(QWidget):
    def __init__(self, host: EditorHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._host = host
        self.history_table = read_only_table(
            [tr("From"), tr("To"), tr("Who"), tr("When"), tr("Note")], stretch=4
        )
        self.history_table.setObjectName("history_table")
        self.audit_table = read_only_table(
            [tr("Seq"), tr("When"), tr("Who"), tr("Action"), tr("Changes")], stretch=4
        )
        self.audit_table.setObjectName("audit_table")
        self.audit_count = QLabel()
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(_titled(tr("Status history"), self.history_table))
        splitter.addWidget(
            _titled(tr("Audit trail (newest first)"), self.audit_table, self.audit_count)
        )
        splitter.setSizes([200, 300])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def load(self, detail: WorkOrderDetail) -> None:
        fill_table(
            self.history_table,
            [
                [
                    word(h.from_status.value) if h.from_status else "—",
                    word(h.to_status.value),
                    h.username,
                    show_time(h.at),
                    h.note,
                ]
                for h in detail.history
            ],
        )
        entries = audit.entries_for(self._host.context.db, "work_order", detail.row.number)
        fill_table(
            self.audit_table,
            [
                [str(e.seq), show_time(e.at), e.username, e.action, describe_changes(e.changes)]
                for e in reversed(entries)
            ],
        )
        self.audit_count.setText(
            tr("{value} audited changes").format(value=len(entries))
            if entries
            else tr("No audited changes: this record was loaded in bulk and not changed since.")
        )
