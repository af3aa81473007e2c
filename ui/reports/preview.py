"""A page-by-page preview of a PDF, rendered with PDFium (QtPdf is not in pyside6-essentials)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pypdfium2 as pdfium
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ui.i18n import tr

if TYPE_CHECKING:
    from pathlib import Path

# 96 dpi on screen against PDF points (72 per inch).
SCREEN_SCALE = 96 / 72


class PdfPreview(QWidget):
    """Shows one page at a time with previous/next and a page number box. UI thread only."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document: pdfium.PdfDocument | None = None
        self._page = QLabel(tr("No report yet: choose a period and press Generate."))
        self._page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # A grey desk around a white page shows where the paper ends.
        self._page.setStyleSheet("background: #9a9a9a; color: #202020;")
        self._scroll = QScrollArea()
        self._scroll.setWidget(self._page)
        self._scroll.setWidgetResizable(True)
        self._previous = QPushButton(tr("◀ Previous"))
        self._next = QPushButton(tr("Next ▶"))
        self._number = QSpinBox()
        self._number.setMinimum(1)
        self._count = QLabel("")
        bar = QHBoxLayout()
        for widget in (self._previous, self._number, self._count, self._next):
            bar.addWidget(widget)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self._scroll, 1)
        self._previous.clicked.connect(lambda: self._number.setValue(self._number.value() - 1))
        self._next.clicked.connect(lambda: self._number.setValue(self._number.value() + 1))
        self._number.valueChanged.connect(self._on_number_changed)
        self._enable()

    @property
    def page_count(self) -> int:
        return len(self._document) if self._document is not None else 0

    @property
    def current_page(self) -> int:
        return self._number.value()

    def load(self, path: Path) -> None:
        self.clear()
        self._document = pdfium.PdfDocument(str(path))
        self._number.setMaximum(self.page_count)
        self._count.setText(tr("of {page_count}").format(page_count=self.page_count))
        self._number.setValue(1)
        self._show(1)
        self._enable()

    def clear(self) -> None:
        if self._document is not None:
            self._document.close()
            self._document = None
        self._page.setPixmap(QPixmap())
        self._count.setText("")
        self._enable()

    def show_page(self, number: int) -> None:
        self._number.setValue(number)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Render again at the new width, so the page keeps filling the view."""
        super().resizeEvent(event)
        if self._document is not None and event.size().width() != event.oldSize().width():
            self._show(self._number.value())

    def _on_number_changed(self, number: int) -> None:
        if self._document is not None:
            self._show(number)
        self._enable()

    def _show(self, number: int) -> None:
        assert self._document is not None
        page = self._document[number - 1]
        # Fit the page to the width of the view, never smaller than half or larger than twice
        # the screen size, so table text stays readable.
        room = self._scroll.viewport().width() - 24
        scale = min(max(room / page.get_width(), SCREEN_SCALE / 2), SCREEN_SCALE * 2)
        image = page.render(scale=scale).to_pil().convert("RGB")
        data = image.tobytes()
        qimage = QImage(
            data, image.width, image.height, 3 * image.width, QImage.Format.Format_RGB888
        )
        # copy(): the QImage must not outlive the bytes it was made over.
        self._page.setPixmap(QPixmap.fromImage(qimage.copy()))

    def _enable(self) -> None:
        loaded = self._document is not None
        self._number.setEnabled(loaded)
        self._previous.setEnabled(loaded and self._number.value() > 1)
        self._next.setEnabled(loaded and self._number.value() < self.page_count)
