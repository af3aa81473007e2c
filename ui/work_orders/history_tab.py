"""The History & audit tab: every status change and every audited change of the order."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QLabel, QSplitter, QVBoxLayout, QWidget

from desktop.services.shared import audit
from ui.i18n import show_date, show_number, tr
from ui.words import move_verb, word
from ui.work_orders.editor_host import fill_table, read_only_table
from ui.work_orders.form_widgets import show_time

if TYPE_CHECKING:
    from desktop.services.orders.work_order_records import WorkOrderDetail
    from ui.work_orders.editor_host import EditorHost

MAX_VALUE_TEXT = 60


ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
WORD_FIELDS = frozenset({"status", "type", "origin", "hold_reason"})
"""Fields that store an enum value: shown as the word for it."""


def field_label(name: str) -> str:
    """An audited field (the stored column's name) as the editor labels it."""
    labels = {
        "title": tr("Title"),
        "priority": tr("Priority"),
        "due_at": tr("Due"),
        "estimate_hours": tr("Estimate"),
        "scheduled_start": tr("Planned start"),
        "scheduled_end": tr("Planned end"),
        "asset_down": tr("Asset down"),
        "asset_id": tr("Asset"),
        "description": tr("Description"),
        "resolution": tr("Resolution"),
        "status": tr("Status"),
        "type": tr("Type"),
        "origin": tr("Origin"),
        "number": tr("Number"),
        "requester_id": tr("Requested by"),
        "requested_at": tr("Requested"),
        "approved_at": tr("Approved"),
        "scheduled_at": tr("Scheduled"),
        "started_at": tr("Started"),
        "completed_at": tr("Completed"),
        "closed_at": tr("Closed"),
        "cancelled_at": tr("Cancelled"),
        "hold_reason": tr("Hold reason"),
        "cancel_reason": tr("Cancel reason"),
        "is_failure": tr("Counts as a failure"),
        "hours": tr("Hours"),
        "technician": tr("Technician"),
        "work_date": tr("Date"),
        "note": tr("Note"),
    }
    return labels.get(name, name.replace("_", " "))


def action_text(action: str) -> str:
    """An audit entry's action: a lifecycle move by its button's verb, the others named."""
    texts = {
        "create": tr("created"),
        "update": tr("changed"),
        "assign": tr("assigned"),
        "attach": tr("file attached"),
        "addendum": tr("addendum"),
        "add checklist": tr("checklist added"),
        "answer checklist": tr("checklist answered"),
        "add downtime": tr("downtime added"),
        "end downtime": tr("downtime ended"),
        "log labour": tr("labour booked"),
        "apply lock": tr("lock applied"),
        "remove lock": tr("lock removed"),
        "verify isolation": tr("isolation verified"),
        "reserve parts": tr("parts reserved"),
        "release parts": tr("parts released"),
    }
    return texts.get(action) or move_verb(action)


def _short(name: str, value: Any) -> str:
    """A stored value as a person reads it: times in the site's zone, words translated."""
    if value in (None, ""):
        return "—"
    if isinstance(value, bool):
        return tr("yes") if value else tr("no")
    if isinstance(value, float):
        return show_number(value, 2)
    if isinstance(value, str) and ISO_TIME.match(value):
        return show_time(datetime.fromisoformat(value))
    if isinstance(value, str) and ISO_DATE.match(value):
        return show_date(date.fromisoformat(value))
    text = word(value) if name in WORD_FIELDS and isinstance(value, str) else str(value)
    return text if len(text) <= MAX_VALUE_TEXT else text[: MAX_VALUE_TEXT - 1] + "…"


def describe_changes(changes: dict[str, tuple[Any, Any]]) -> str:
    """ "field: old → new" per changed field; a creation lists only the new values."""
    parts = []
    for name, (old, new) in changes.items():
        label = field_label(name)
        if old is None:
            parts.append(f"{label}: {_short(name, new)}")
        else:
            parts.append(f"{label}: {_short(name, old)} → {_short(name, new)}")
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
                [
                    str(e.seq),
                    show_time(e.at),
                    e.username,
                    action_text(e.action),
                    describe_changes(e.changes),
                ]
                for e in reversed(entries)
            ],
        )
        self.audit_count.setText(
            tr("{value} audited changes").format(value=len(entries))
            if entries
            else tr("No audited changes: this record was loaded in bulk and not changed since.")
        )
