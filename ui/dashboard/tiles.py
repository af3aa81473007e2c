"""A KPI tile: the figure, its change against the previous period and a painted sparkline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout, QWidget

from ui.i18n import say, show_number, tr

if TYPE_CHECKING:
    from PySide6.QtGui import QMouseEvent, QPaintEvent

    from desktop.services.analytics.kpi_records import KpiFigure

BETTER = "#2e7d32"
WORSE = "#c62828"
NEUTRAL = "#5f6368"
LINE = "#1565c0"


def change_text(figure: KpiFigure) -> tuple[str, str]:
    """The change against the previous period in words, and the colour that means."""
    change = figure.change
    if change is None:
        return tr("no previous figure"), NEUTRAL
    if abs(change) < 1e-9:
        return tr("= previous period"), NEUTRAL
    arrow = "▲" if change > 0 else "▼"
    units = {"%": tr(" pts"), "h": tr(" h"), "weeks": tr(" wk")}
    decimals = 0 if figure.unit in ("orders", "cost") else 1
    amount = show_number(abs(change), decimals) + units.get(figure.unit, "")
    if figure.higher_is_better is None:
        colour = NEUTRAL
    else:
        colour = BETTER if (change > 0) == figure.higher_is_better else WORSE
    return tr("{arrow} {amount} vs previous").format(arrow=arrow, amount=amount), colour


TILE_MIN_WIDTH = 136
"""Seven tiles a row fit the dashboard of a 1280 px window (150 left the seventh cut by a
horizontal scroll bar)."""


class Sparkline(QWidget):
    """The figure per bucket of the period as a thin line; gaps where a bucket has none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._values: tuple[float | None, ...] = ()
        self.setMinimumHeight(26)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_values(self, values: tuple[float | None, ...]) -> None:
        self._values = values
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        known = [v for v in self._values if v is not None]
        if len(self._values) < 2 or not known:
            return
        low, high = min(known), max(known)
        span = (high - low) or 1.0
        width, height, margin = self.width(), self.height(), 3
        step = (width - 2 * margin) / (len(self._values) - 1)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(LINE), 1.6))
        path = QPainterPath()
        drawing = False
        last = QPointF()
        for i, value in enumerate(self._values):
            if value is None:
                drawing = False
                continue
            y = height - margin - (value - low) / span * (height - 2 * margin)
            last = QPointF(margin + i * step, y)
            if drawing:
                path.lineTo(last)
            else:
                path.moveTo(last)
                drawing = True
        painter.drawPath(path)
        painter.setBrush(QColor(LINE))
        painter.drawEllipse(last, 2.2, 2.2)
        painter.end()


class KpiTile(QFrame):
    """One clickable tile; a click asks for the work orders behind the figure."""

    sig_clicked = Signal(str)

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName("kpiTile")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setStyleSheet(
            "#kpiTile { background: white; border: 1px solid #d0d4da; border-radius: 6px; }"
            "#kpiTile:hover { border-color: #1565c0; }"
        )
        self.title = QLabel()
        self.title.setStyleSheet("color: #3c4043; font-weight: 600;")
        self.source = QLabel()
        self.source.setStyleSheet("color: #80868b; font-size: 8pt;")
        self.value = QLabel("…")
        self.value.setWordWrap(True)
        self.change = QLabel()
        self.sparkline = Sparkline()
        self.note = QLabel()
        self.note.setStyleSheet("color: #80868b; font-size: 8pt;")
        self.note.setWordWrap(True)
        # German and Polish run longer than English: the texts wrap rather than clip.
        for label in (self.title, self.source, self.change):
            label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(2)
        for widget in (
            self.title, self.source, self.value, self.change, self.sparkline, self.note
        ):  # fmt: skip
            layout.addWidget(widget)
        layout.addStretch(1)
        self.setMinimumWidth(TILE_MIN_WIDTH)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def show_figure(self, figure: KpiFigure) -> None:
        self.title.setText(tr(figure.label))
        self.source.setText(tr(figure.source))
        # A sentence ("no failures in 2,160 operating hours") gets a smaller font than a number.
        text = say(figure.text)
        size = 17 if len(text) <= 14 else 10
        self.value.setStyleSheet(f"font-size: {size}pt; font-weight: 600; color: #202124;")
        self.value.setText(text)
        text, colour = change_text(figure)
        self.change.setText(text)
        self.change.setStyleSheet(f"color: {colour};")
        self.sparkline.set_values(figure.trend)
        self.note.setText(say(figure.note))
        count = len(figure.order_ids)
        self.setToolTip(
            tr("{formula}\n\nClick to list the {count} work orders behind it.").format(
                formula=tr(figure.formula), count=show_number(count, 0)
            )
        )

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.sig_clicked.emit(self.key)
        super().mouseReleaseEvent(event)
