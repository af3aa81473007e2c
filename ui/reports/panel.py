"""The Reports page: choose a period, an area and types, build the audit pack off the UI
thread with a progress bar that can cancel it, preview the pages and save the file."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.enums import WorkOrderType
from desktop.reports.audit_pack import build_audit_pack
from desktop.reports.pack_scope import PackRequest, site_day_request
from ui import i18n
from ui.background import Background, Failure, Job
from ui.i18n import print_wording, show_number, tr
from ui.reports.preview import PdfPreview
from ui.words import word

if TYPE_CHECKING:
    from datetime import date

    from desktop.reports.audit_pack import PackResult
    from ui.background import Pool
    from ui.context import AppContext

WHOLE_SITE = ""
PROGRESS_STEPS = 1000


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


class ReportsPanel(QWidget):
    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None = None,
        pool: Pool | None = None,
    ) -> None:
        """`pool` runs the pack builds (default: Qt's global thread pool)."""
        super().__init__(parent)
        self._context = context
        self._background = Background(self, pool)
        self._job: Job | None = None
        self._result: PackResult | None = None
        self._folder = context.data_dir / "reports"

        today = context.clock().date()
        first_of_month = today.replace(day=1)
        last_month_end = first_of_month - timedelta(days=1)
        self.from_date = QDateEdit(_qdate(last_month_end.replace(day=1)))
        self.to_date = QDateEdit(_qdate(last_month_end))
        for edit in (self.from_date, self.to_date):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(i18n.date_format())
        self.area = QComboBox()
        self.types = QListWidget()
        for wo_type in WorkOrderType:
            item = QListWidgetItem(word(wo_type.value))
            item.setData(Qt.ItemDataRole.UserRole, wo_type.value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.types.addItem(item)
        self.types.setMaximumHeight(self.types.sizeHintForRow(0) * (len(WorkOrderType) + 1))
        self.generate = QPushButton(tr("Generate"))
        self.cancel = QPushButton(tr("Cancel"))
        self.save = QPushButton(tr("Save as…"))
        self.progress = QProgressBar()
        self.progress.setRange(0, PROGRESS_STEPS)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.preview = PdfPreview()

        form = QFormLayout()
        form.addRow(tr("From"), self.from_date)
        form.addRow(tr("To (included)"), self.to_date)
        form.addRow(tr("Assets"), self.area)
        form.addRow(tr("Types"), self.types)
        buttons = QHBoxLayout()
        buttons.addWidget(self.generate)
        buttons.addWidget(self.cancel)
        side = QVBoxLayout()
        side.addWidget(QLabel(tr("<b>Compliance audit pack</b>")))
        side.addLayout(form)
        side.addLayout(buttons)
        side.addWidget(self.progress)
        side.addWidget(self.status)
        side.addWidget(self.save)
        side.addStretch(1)
        holder = QWidget()
        holder.setLayout(side)
        holder.setFixedWidth(300)
        layout = QHBoxLayout(self)
        layout.addWidget(holder)
        layout.addWidget(self.preview, 1)

        self.generate.clicked.connect(self._on_generate_clicked)
        self.cancel.clicked.connect(self._on_cancel_clicked)
        self.save.clicked.connect(self._on_save_clicked)
        self.refresh()
        self._set_running(False)

    def refresh(self) -> None:
        """Reload the asset choices, keeping the one selected."""
        current = self.area.currentData()
        self.area.clear()
        self.area.addItem(tr("Whole site"), WHOLE_SITE)
        for asset in self._context.services.assets.list():
            self.area.addItem(f"{asset.code} — {asset.name}", asset.code)
        index = self.area.findData(current)
        self.area.setCurrentIndex(max(index, 0))

    def request(self) -> PackRequest:
        """The pack the form describes; the end day is included, as the label says."""
        start = self.from_date.date().toPython()
        last = self.to_date.date().toPython()
        chosen = [
            WorkOrderType(self.types.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.types.count())
            if self.types.item(i).checkState() == Qt.CheckState.Checked
        ]
        # Days on the site's clock, as the CLI reads them (issue 16: site time everywhere).
        return site_day_request(
            self._context.db,
            start,
            last,
            area=self.area.currentData() or None,
            types=() if len(chosen) == len(WorkOrderType) else tuple(chosen),
        )

    def save_to(self, path: Path) -> None:
        """Copy the generated pack to `path` (the Save button asks for it)."""
        assert self._result is not None
        shutil.copyfile(self._result.path, path)
        self.status.setText(tr("Saved to {path}").format(path=path))

    # -- slots ---------------------------------------------------------------------------

    def _on_generate_clicked(self) -> None:
        request = self.request()
        if not request.types and self._none_checked():
            self.status.setText(tr("Choose at least one work-order type."))
            return
        self._folder.mkdir(parents=True, exist_ok=True)
        out = self._folder / "audit-pack-preview.pdf"
        self.preview.clear()
        self._result = None
        context = self._context
        self.progress.setValue(0)
        self.status.setText(tr("Reading the work orders…"))
        self._set_running(True)
        # Taken here, on the UI thread: the worker reads no Qt locale of its own.
        language = print_wording()
        self._job = self._background.run_with_progress(
            lambda progress: build_audit_pack(
                context.db,
                context.actor,
                request,
                out,
                clock=context.clock,
                progress=progress,
                wording=language,
            ),
            self._on_job_finished,
            self._on_job_failed,
            self._on_job_progressed,
            self._on_job_cancelled,
        )

    def _on_cancel_clicked(self) -> None:
        if self._job is not None:
            self._job.cancel()
            self.status.setText(tr("Cancelling…"))

    def _on_save_clicked(self) -> None:
        if self._result is None:
            return
        first = self.from_date.date().toPython()
        last = self.to_date.date().toPython()
        suggested = f"audit-pack-{first:%Y-%m-%d}-{last:%Y-%m-%d}.pdf"
        path, _ = QFileDialog.getSaveFileName(
            self, tr("Save audit pack"), str(self._folder / suggested), tr("PDF files (*.pdf)")
        )
        if path:
            try:
                self.save_to(Path(path))
            except OSError as exc:
                QMessageBox.warning(
                    self, tr("Save audit pack"), tr("Could not save: {exc}").format(exc=exc)
                )

    def _on_job_progressed(self, fraction: float) -> None:
        self.progress.setValue(round(fraction * PROGRESS_STEPS))
        if fraction > 0.3:
            self.status.setText(tr("Laying out the pages…"))

    def _on_job_finished(self, result: PackResult) -> None:
        self._job = None
        self._result = result
        self._set_running(False)
        self.progress.setValue(PROGRESS_STEPS)
        chain = tr("intact") if result.chain_ok else tr("BROKEN — see the audit-trail section")
        self.status.setText(
            tr("{orders} work orders on {pages} pages. Audit chain {chain}.").format(
                orders=show_number(result.orders, 0),
                pages=show_number(result.pages, 0),
                chain=chain,
            )
        )
        self.preview.load(result.path)

    def _on_job_failed(self, failure: Failure) -> None:
        self._job = None
        self._set_running(False)
        self.progress.setValue(0)
        self.status.setText(tr("Not generated: {message}").format(message=failure.message))

    def _on_job_cancelled(self) -> None:
        self._job = None
        self._set_running(False)
        self.progress.setValue(0)
        self.status.setText(tr("Cancelled; nothing was written."))

    def _none_checked(self) -> bool:
        return all(
            self.types.item(i).checkState() != Qt.CheckState.Checked
            for i in range(self.types.count())
        )

    def _set_running(self, running: bool) -> None:
        self.generate.setEnabled(not running)
        self.cancel.setEnabled(running)
        self.save.setEnabled(not running and self._result is not None)
