"""The dashboard's charts with pyqtgraph, imported on first use (it costs ~0.6 s, PITFALLS.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QGridLayout, QWidget

from ui.i18n import show_weekday, tr
from ui.words import word

if TYPE_CHECKING:
    from collections.abc import Sequence

    from desktop.services.analytics.kpi_records import Dashboard

TOP = 10
LABEL_WIDTH = 130
HORIZONTAL = frozenset({"stages", "mtbf", "mttr", "cost"})
"""Charts whose bars lie down, with their category names on the left axis."""
BAR = (21, 101, 192)
SECOND = (239, 108, 0)


class ChartGrid(QWidget):
    """Backlog over time, MTTR stages, MTBF and MTTR by class, cost Pareto, PM compliance."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        import pyqtgraph as pg

        pg.setConfigOptions(antialias=True, background="w", foreground="#3c4043")
        self._pg = pg
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.plots: dict[str, Any] = {}
        names = (
            ("backlog", tr("Backlog over time (crew-weeks)")),
            ("stages", tr("MTTR stages (mean hours)")),
            ("pm", tr("PM compliance by month (%)")),
            ("mtbf", tr("MTBF by asset class (h)")),
            ("mttr", tr("MTTR by asset class (h)")),
            ("cost", tr("Cost Pareto by asset (own orders)")),
        )
        for index, (key, title) in enumerate(names):
            plot = pg.PlotWidget(title=title)
            plot.setMenuEnabled(False)
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            plot.setMinimumHeight(190)
            plot.getAxis("left").setWidth(LABEL_WIDTH if key in HORIZONTAL else 40)
            self.plots[key] = plot
            layout.addWidget(plot, index // 3, index % 3)

    def show_dashboard(self, board: Dashboard) -> None:
        points = board.backlog_over_time
        self._line(
            "backlog",
            [p.weeks for p in points],
            [show_weekday(p.at.date(), "dd MMM") for p in points],
        )
        self._bars(
            "stages",
            [word(s.stage.split(" to ")[-1]) for s in board.mttr_stages],
            [s.hours for s in board.mttr_stages],
        )
        if board.pm_by_month is None:
            self._message("pm", tr("not connected: needs the PM schedules"))
        else:
            self._bars("pm", [m.month for m in board.pm_by_month],
                       [m.percent for m in board.pm_by_month], vertical=True)  # fmt: skip
        failing = [c for c in board.by_class if c.failures][:TOP]
        self._bars("mtbf", [c.asset_class for c in failing], [c.mtbf_hours for c in failing])
        self._bars("mttr", [c.asset_class for c in failing], [c.mttr_hours for c in failing],
                   colour=SECOND)  # fmt: skip
        costly = [c for c in board.cost_by_asset if c.own_cost > 0][:TOP]
        self._bars("cost", [c.code for c in costly], [c.own_cost for c in costly])

    def _reset(self, key: str) -> Any:
        plot = self.plots[key]
        plot.clear()
        return plot

    def _message(self, key: str, text: str) -> None:
        plot = self._reset(key)
        label = self._pg.TextItem(text, color="#80868b", anchor=(0.5, 0.5))
        plot.addItem(label)
        label.setPos(0.5, 0.5)
        plot.setXRange(0, 1)
        plot.setYRange(0, 1)
        plot.getAxis("left").setTicks([[]])
        plot.getAxis("bottom").setTicks([[]])

    def _line(self, key: str, values: Sequence[float | None], labels: Sequence[str]) -> None:
        plot = self._reset(key)
        xs = [i for i, v in enumerate(values) if v is not None]
        ys = [v for v in values if v is not None]
        plot.plot(xs, ys, pen=self._pg.mkPen(BAR, width=2), symbol="o", symbolSize=5,
                  symbolBrush=BAR)  # fmt: skip
        every = max(len(labels) // 6, 1)
        plot.getAxis("bottom").setTicks([[(i, labels[i]) for i in range(0, len(labels), every)]])
        plot.getAxis("left").setTicks(None)

    def _bars(
        self,
        key: str,
        labels: Sequence[str],
        values: Sequence[float | None],
        *,
        vertical: bool = False,
        colour: tuple[int, int, int] = BAR,
    ) -> None:
        """Horizontal bars, largest first at the top; vertical bars for months."""
        plot = self._reset(key)
        if not labels:
            self._message(key, tr("nothing in this period"))
            return
        heights = [v or 0.0 for v in values]
        positions = list(range(len(labels)))
        if vertical:
            item = self._pg.BarGraphItem(x=positions, height=heights, width=0.6, brush=colour)
            plot.getAxis("bottom").setTicks([list(zip(positions, labels, strict=True))])
            plot.getAxis("left").setTicks(None)
        else:
            rows = positions[::-1]
            item = self._pg.BarGraphItem(x0=0, y=rows, width=heights, height=0.6, brush=colour)
            plot.getAxis("left").setTicks([list(zip(rows, labels, strict=True))])
            plot.getAxis("bottom").setTicks(None)
        plot.addItem(item)
        # Explicit ranges: autoRange on a plot that is not laid out yet can clip long bars.
        top = max(max(heights), 1e-9) * 1.05
        span = (-0.5, len(labels) - 0.5)
        if vertical:
            plot.setRange(xRange=span, yRange=(0, top), padding=0)
        else:
            plot.setRange(xRange=(0, top), yRange=span, padding=0)
