"""The failure-mode Pareto as a horizontal pyqtgraph bar chart, largest at the top.

pyqtgraph takes 0.6-0.7 s to import (shared/PITFALLS.md), so it loads the first time the
chart is shown, not when the main window builds the panel.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QShowEvent
from PySide6.QtWidgets import QLabel, QStackedLayout, QWidget

from ui.i18n import code_name, show_number, tr

if TYPE_CHECKING:
    from collections.abc import Sequence

    from desktop.services.analytics.asset_history import FailureModeCount

MAX_BARS = 8
"""Bars beyond these are summed into one "other modes" bar, so every label stays readable."""

_BAR = QColor("#5d6d7e")
_LABEL_CHARS = 40


def bar_labels(bars: Sequence[FailureModeCount]) -> list[tuple[str, int, float]]:
    """(label, count, downtime hours) per bar, the long tail folded into one last bar."""
    uncoded = "?  " + tr("not coded yet")
    shown = [
        (
            f"{b.code}  {code_name('failure_mode', b.code)}" if b.code else uncoded,
            b.count,
            b.downtime_hours,
        )
        for b in bars
    ]
    if len(shown) > MAX_BARS:
        rest = shown[MAX_BARS - 1 :]
        other = (
            tr("{count} other modes").format(count=len(rest)),
            sum(n for _, n, _ in rest),
            sum(h for _, _, h in rest),
        )
        shown = [*shown[: MAX_BARS - 1], other]
    return [
        (label if len(label) <= _LABEL_CHARS else label[: _LABEL_CHARS - 1] + "…", n, h)
        for label, n, h in shown
    ]


def tick_step(largest: int) -> int:
    """A round step (1, 2 or 5 × 10ⁿ) giving about five ticks; whole failures only."""
    rough = max(1.0, largest / 5)
    power = 10 ** math.floor(math.log10(rough))
    return int(next(m * power for m in (1, 2, 5, 10) if m * power >= rough))


class ParetoChart(QWidget):
    """Failure orders per failure mode; the bar's text gives the count and downtime hours."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bars: list[tuple[str, int, float]] = []
        self._plot: Any = None
        self._empty = QLabel(tr("No failure work orders completed in this period."))
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setStyleSheet("color: palette(placeholder-text);")
        self._stack = QStackedLayout(self)
        self._stack.addWidget(self._empty)
        self.setMinimumHeight(160)

    @property
    def plot_built(self) -> bool:
        return self._plot is not None

    def set_bars(self, bars: Sequence[FailureModeCount]) -> None:
        self._bars = bar_labels(bars)
        if self.isVisible():
            self._draw()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._draw()

    def _draw(self) -> None:
        if not self._bars:
            self._stack.setCurrentWidget(self._empty)
            return
        plot = self._ensure_plot()
        plot.clear()
        import pyqtgraph as pg

        count = len(self._bars)
        # Row 0 at the top: y runs downwards in rank order.
        positions = list(range(count))
        heights = [n for _, n, _ in self._bars]
        plot.addItem(
            pg.BarGraphItem(
                x0=0, y=positions, height=0.6, width=heights, brush=_BAR, pen=pg.mkPen(None)
            )
        )
        widest = max(heights)
        for row, (_, n, downtime) in enumerate(self._bars):
            label = tr("{count}  ·  {hours} h down").format(count=n, hours=show_number(downtime, 0))
            text = pg.TextItem(" " + label, color="#2c3e50", anchor=(0, 0.5))
            text.setPos(n, row)
            plot.addItem(text)
        left = plot.getAxis("left")
        left.setTicks([[(row, label) for row, (label, _, _) in enumerate(self._bars)]])
        # pyqtgraph drops a tick label that does not fit the axis, so the axis fits the widest.
        widest_label = max(self.fontMetrics().horizontalAdvance(b[0]) for b in self._bars)
        left.setWidth(widest_label + 16)
        plot.setYRange(-0.6, count - 0.4, padding=0)
        # Room to the right of the longest bar for its count and downtime.
        plot.setXRange(0, widest * 1.8 + 0.5, padding=0)
        step = tick_step(widest)
        plot.getAxis("bottom").setTickSpacing(step, step)
        self._stack.setCurrentWidget(plot)

    def _ensure_plot(self) -> Any:
        if self._plot is None:
            import pyqtgraph as pg

            plot = pg.PlotWidget(background=self.palette().base().color())
            plot.setMenuEnabled(False)
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            plot.getViewBox().invertY(True)
            for name in ("left", "bottom"):
                axis = plot.getAxis(name)
                axis.setStyle(tickFont=self.font())
                axis.setTextPen(self.palette().text().color())
                axis.setPen(self.palette().mid().color())
            size = f"{self.font().pointSizeF():.0f}pt"
            text = self.palette().text().color().name()
            plot.setTitle(tr("Failures by mode (count · downtime)"), size=size, color=text)
            self._stack.addWidget(plot)
            self._plot = plot
        return self._plot
