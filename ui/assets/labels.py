"""Printing a sheet of asset QR labels from the Assets page."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QWidget

from desktop.domain.errors import WrenchbookError
from ui import messages
from ui.i18n import print_wording, say_error, tr
from ui.reports.sheets import local_paper

if TYPE_CHECKING:
    from ui.context import AppContext


def print_labels(
    context: AppContext,
    under: str,
    parent: QWidget | None = None,
    *,
    out: Path | None = None,
    open_viewer: bool = True,
) -> Path | None:
    """Labels for `under` and everything below it; asks where to save unless `out` is given."""
    from desktop.reports.asset_labels import print_asset_labels

    if out is None:
        folder = context.data_dir / "reports"
        folder.mkdir(parents=True, exist_ok=True)
        chosen, _ = QFileDialog.getSaveFileName(
            parent,
            tr("Save asset labels"),
            str(folder / f"labels-{under}.pdf"),
            tr("PDF files (*.pdf)"),
        )
        if not chosen:
            return None
        out = Path(chosen)
    try:
        print_asset_labels(
            context.db, out, under=under, paper=local_paper(), wording=print_wording()
        )
    except (WrenchbookError, OSError) as exc:
        messages.show(
            parent, tr("Print asset labels"), tr("Not printed: {exc}").format(exc=say_error(exc))
        )
        return None
    if open_viewer:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(out)))
    return out
