"""Backup and restore from the app: a consistent copy made while others keep working, and a
backup put back (administrators only), both run off the UI thread."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.domain.errors import ValidationFailed
from desktop.domain.permissions import ALLOWED_ROLES, Action
from desktop.services.admin.backup import backup
from desktop.services.admin.restore import restore
from ui.background import Background
from ui.forms import fields as f
from ui.forms.form_dialog import FormDialog
from ui.i18n import show_number, tr
from ui.work_orders.form_widgets import Banner

if TYPE_CHECKING:
    from collections.abc import Callable

    from ui.background import Pool
    from ui.context import AppContext

CONFIRM_WORD = "RESTORE"


class BackupPanel(QWidget):
    """UI thread only; the copy and the restore run on `pool`."""

    sig_saved = Signal(str)  # after a restore: every page shows other data now

    def __init__(
        self, context: AppContext, parent: QWidget | None = None, *, pool: Pool | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("backup_panel")
        self._context = context
        self._background = Background(self, pool)
        self._restoring = False
        self.dialog: FormDialog | None = None
        heading = QLabel(tr("Backup and restore"))
        heading.setObjectName("heading")
        heading.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.banner = Banner()
        self.banner.setObjectName("banner")
        self.backup_button = QPushButton(tr("Make a &backup now…"))
        self.backup_button.setObjectName("make_backup")
        self.restore_button = QPushButton(tr("&Restore from a backup…"))
        self.restore_button.setObjectName("restore")
        self.restore_button.setEnabled(context.actor.role in ALLOWED_ROLES[Action.RESTORE_BACKUP])
        about = QLabel(
            tr(
                "A backup is one file holding every record, made while others keep working "
                "(SQLite's online copy, or one snapshot of the PostgreSQL server). Keep it off "
                "this "
                "computer.\n\nRestoring puts a backup back: the file is checked first (integrity, "
                "audit chain, schema), then every table is replaced in one transaction, so a bad "
                "file changes nothing. What was entered after the backup is lost. Administrators "
                "only."
            )
        )
        about.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(about)
        layout.addWidget(self.banner)
        layout.addWidget(self.backup_button)
        layout.addWidget(self.restore_button)
        layout.addStretch(1)
        self.backup_button.clicked.connect(self._on_backup_button_clicked)
        self.restore_button.clicked.connect(self._on_restore_button_clicked)

    def make_backup(self, target: Path) -> None:
        """Copy the database to `target` in the background; the banner says when it is done."""
        db = self._context.db
        self.backup_button.setEnabled(False)
        self.banner.say(tr("Making a backup to {target}…").format(target=target), "info")

        def work() -> str:
            written = backup(db, target)
            size = written.stat().st_size / (1024 * 1024)
            return tr("Backup written: {path} ({size} MiB).").format(
                path=written, size=show_number(size, 1)
            )

        self._start(work)

    def start_restore(self, source: Path) -> FormDialog:
        """Ask for the confirmation word; OK starts the restore in the background."""

        def submit(values: dict[str, Any]) -> str:
            if values["confirm"].strip() != CONFIRM_WORD:
                raise ValidationFailed(
                    {"confirm": tr("type {word} to replace everything").format(word=CONFIRM_WORD)}
                )
            self._run_restore(source)
            return ""

        dialog = FormDialog(
            tr("Restore from a backup"),
            (f.text("confirm", tr("&Confirm"), placeholder=CONFIRM_WORD),),
            submit,
            question=tr(
                "Every record in this database will be replaced by the backup {source}. What was "
                "entered since that backup is lost for everybody. Type {CONFIRM_WORD} to go on."
            ).format(source=source, CONFIRM_WORD=CONFIRM_WORD),
            ok_text=tr("Restore"),
            parent=self,
        )
        self.dialog = dialog
        dialog.open()
        return dialog

    def _run_restore(self, source: Path) -> None:
        context = self._context
        self._restoring = True
        self.restore_button.setEnabled(False)
        self.banner.say(tr("Checking and restoring {source}…").format(source=source), "info")

        def work() -> str:
            result = restore(context.db, source, context.actor, context.clock)
            return tr(
                "Restored {rows} records from {name} (schema {revision}); every page shows the "
                "restored data now."
            ).format(
                rows=show_number(result.total_rows, 0), name=source.name, revision=result.revision
            )

        self._start(work)

    def _start(self, work: Callable[[], str]) -> None:
        self._background.run(
            work,
            lambda message: self._on_job_done(str(message), "info"),
            lambda failure: self._on_job_done(failure.message, "error"),
        )

    def _on_job_done(self, message: str, kind: str) -> None:
        self.banner.say(message, kind)
        self.backup_button.setEnabled(True)
        self.restore_button.setEnabled(
            self._context.actor.role in ALLOWED_ROLES[Action.RESTORE_BACKUP]
        )
        if self._restoring and kind == "info":
            self.sig_saved.emit("restore")
        self._restoring = False

    def _on_backup_button_clicked(self) -> None:
        folder = self._context.data_dir / "backups"
        folder.mkdir(parents=True, exist_ok=True)
        stamp = self._context.clock().strftime("%Y-%m-%d-%H%M")
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            tr("Make a backup"),
            str(folder / f"wrenchbook-{stamp}.wbk"),
            tr("Wrenchbook backups (*.wbk);;All files (*)"),
        )
        if chosen:
            self.make_backup(Path(chosen))

    def _on_restore_button_clicked(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self,
            tr("Restore from a backup"),
            str(self._context.data_dir / "backups"),
            tr("Wrenchbook backups (*.wbk);;All files (*)"),
        )
        if chosen:
            self.start_restore(Path(chosen))
