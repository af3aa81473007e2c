"""Printing work-order sheets from a selection on the board or the table."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from desktop.domain.errors import WrenchbookError
from desktop.reports.sheet import print_sheets as write_sheets
from ui.i18n import print_wording, say_error, tr

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ui.context import AppContext


def local_paper() -> str:
    """Letter where the locale measures in US units (US, Canada's English locales), else A4."""
    imperial = QLocale().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem
    return "letter" if imperial else "a4"


def print_sheets(
    context: AppContext,
    numbers: Sequence[str],
    parent: QWidget | None = None,
    *,
    out: Path | None = None,
    open_viewer: bool = True,
) -> Path | None:
    """Write one sheet per selected order and open the file to print; None if nothing written.

    Asks where to save unless `out` is given. UI thread; a selection of a few dozen orders
    takes a second or two, so it runs in place rather than as a background job.
    """
    if not numbers:
        return None
    if out is None:
        folder = context.data_dir / "reports"
        folder.mkdir(parents=True, exist_ok=True)
        name = f"sheets-{numbers[0]}.pdf" if len(numbers) == 1 else "work-order-sheets.pdf"
        chosen, _ = QFileDialog.getSaveFileName(
            parent, tr("Save work-order sheets"), str(folder / name), tr("PDF files (*.pdf)")
        )
        if not chosen:
            return None
        out = Path(chosen)
    try:
        write_sheets(
            context.db,
            numbers,
            out,
            paper=local_paper(),
            clock=context.clock,
            wording=print_wording(),
        )
    except (WrenchbookError, OSError) as exc:
        QMessageBox.warning(
            parent,
            tr("Print work-order sheets"),
            tr("Not printed: {exc}").format(exc=say_error(exc)),
        )
        return None
    if open_viewer:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(out)))
    return out
