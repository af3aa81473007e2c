"""The Attachments & addenda tab: files kept with the order, and notes added after closing."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.permissions import Action
from desktop.services.shared.attachments import MAX_ATTACHMENT_BYTES
from ui.i18n import show_number, tr
from ui.work_orders.editor_host import fill_table, read_only_table
from ui.work_orders.form_widgets import FieldErrors, show_time

if TYPE_CHECKING:
    from desktop.services.orders.work_order_records import WorkOrderDetail
    from ui.work_orders.editor_host import EditorHost


def show_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{show_number(size / 1024, 1)} KiB"
    return f"{show_number(size / (1024 * 1024), 1)} MiB"


class AttachmentsTab(QWidget):
    def __init__(self, host: EditorHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._host = host
        self.errors = FieldErrors()
        self.attachment_table = read_only_table(
            [tr("File"), tr("Size"), tr("SHA-256"), tr("Added")], stretch=2
        )
        self.attachment_table.setObjectName("attachment_table")
        self.attach_button = QPushButton(tr("Add &file…"))
        self.attach_button.setObjectName("attach")
        self.attach_button.clicked.connect(self._on_attach_clicked)
        files = QGroupBox(tr("Attachments"))
        files_layout = QVBoxLayout(files)
        files_layout.addWidget(self.attachment_table, 1)
        row = QHBoxLayout()
        # desktop.services.shared.attachments.ACCEPTED in the user's language
        limit = tr(
            "PDF, PNG, JPEG, GIF, WEBP, text/CSV or Excel/Word (.xlsx, .docx) files, "
            "up to {size} MiB"
        ).format(size=MAX_ATTACHMENT_BYTES // (1024 * 1024))
        row.addWidget(self.errors.wrap("file", QLabel(limit)), 1)
        row.addWidget(self.attach_button)
        files_layout.addLayout(row)

        self.addenda_table = read_only_table([tr("When"), tr("Who"), tr("Text")], stretch=2)
        self.addenda_table.setObjectName("addenda_table")
        self.addendum = QPlainTextEdit()
        self.addendum.setObjectName("addendum")
        self.addendum.setTabChangesFocus(True)
        self.addendum.setPlaceholderText(
            tr("A note added to the record; the only change a closed order accepts")
        )
        self.addendum.setMaximumHeight(70)
        self.addendum_button = QPushButton(tr("Add a&ddendum"))
        self.addendum_button.setObjectName("add_addendum")
        self.addendum_button.clicked.connect(self._on_addendum_clicked)
        notes = QGroupBox(tr("Addenda"))
        notes_layout = QVBoxLayout(notes)
        notes_layout.addWidget(self.addenda_table, 1)
        note_row = QHBoxLayout()
        note_row.addWidget(self.errors.wrap("text", self.addendum), 1)
        note_row.addWidget(self.addendum_button)
        notes_layout.addLayout(note_row)

        layout = QVBoxLayout(self)
        layout.addWidget(files, 1)
        layout.addWidget(notes, 1)

    def load(self, detail: WorkOrderDetail, editable: bool) -> None:
        fill_table(
            self.attachment_table,
            [
                [a.filename, show_size(a.size), a.sha256, show_time(a.created_at)]
                for a in detail.attachments
            ],
        )
        fill_table(
            self.addenda_table,
            [[show_time(a.at), a.username, a.text] for a in detail.addenda],
        )
        self.attach_button.setEnabled(editable and self._host.may(Action.LOG_WORK))
        may_note = self._host.may(Action.ADD_ADDENDUM)
        self.addendum.setEnabled(may_note)
        self.addendum_button.setEnabled(may_note)

    def attach_file(self, path: Path) -> None:
        """Store the file's bytes with the order (the file dialog ends here too); the service
        refuses it by size and type before reading it whole, and says what to attach instead."""
        host = self._host
        self.errors.clear()
        done = host.run(
            lambda: host.service.attach_file(host.actor, host.number, path), self.errors
        )
        if done is not None:
            host.after_action(versioned=False)

    def _on_attach_clicked(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, tr("Attach a file"))
        if name:
            self.attach_file(Path(name))

    def _on_addendum_clicked(self) -> None:
        host = self._host
        text = self.addendum.toPlainText()
        self.errors.clear()
        done = host.run(
            lambda: host.service.add_addendum(host.actor, host.number, text), self.errors
        )
        if done is not None:
            self.addendum.clear()
            host.after_action(versioned=False)
