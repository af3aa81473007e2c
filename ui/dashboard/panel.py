"""The KPI dashboard panel: tiles over charts, computed off the UI thread."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TR_NOOP, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.enums import AssetLevel
from desktop.domain.kpis import DEFINITIONS
from desktop.services.analytics.kpi import utc_day
from desktop.services.analytics.kpi_records import KpiQuery
from ui.background import Background, Failure
from ui.dashboard.tiles import KpiTile
from ui.i18n import say, show_date, show_number, tr

if TYPE_CHECKING:
    from desktop.services.analytics.kpi_records import Dashboard
    from ui.background import Pool
    from ui.context import AppContext
    from ui.dashboard.charts import ChartGrid

PERIODS = (
    (QT_TR_NOOP("Last 30 days"), 30),
    (QT_TR_NOOP("Last 90 days"), 90),
    (QT_TR_NOOP("Last 12 months"), 365),
)
DEFAULT_PERIOD = 1
TILES_PER_ROW = 7


class DashboardPanel(QWidget):
    """KPI tiles with sparklines and change, and the charts; a tile click lists its orders."""

    sig_work_orders_requested = Signal(list)
    """The numbers of the work orders behind a clicked tile, for the main window to list."""
    sig_dashboard_shown = Signal()
    """A computation finished and its figures are on screen (tests and the status bar)."""

    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None = None,
        pool: Pool | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._service = context.services.kpi
        self._background = Background(self, pool)
        self.board: Dashboard | None = None
        self._charts: ChartGrid | None = None

        self.period = QComboBox()
        for label, days in PERIODS:
            self.period.addItem(tr(label), days)
        self.period.setCurrentIndex(DEFAULT_PERIOD)
        self.area = QComboBox()
        self.refresh_button = QPushButton(tr("Refresh"))
        self.status = QLabel()
        self.status.setStyleSheet("color: #5f6368;")
        self.status.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("Period")))
        bar.addWidget(self.period)
        bar.addWidget(QLabel(tr("Area")))
        bar.addWidget(self.area)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.status, 1)

        self.tiles: dict[str, KpiTile] = {}
        tiles = QGridLayout()
        tiles.setSpacing(6)
        for index, definition in enumerate(DEFINITIONS):
            tile = KpiTile(definition.key)
            tile.sig_clicked.connect(self._on_tile_clicked)
            self.tiles[definition.key] = tile
            tiles.addWidget(tile, index // TILES_PER_ROW, index % TILES_PER_ROW)
        for column in range(TILES_PER_ROW):
            tiles.setColumnStretch(column, 1)

        self._body = QVBoxLayout()
        self._body.addLayout(tiles)
        content = QWidget()
        content.setLayout(self._body)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(scroll, 1)

        self._load_areas()
        self.period.currentIndexChanged.connect(self.refresh)
        self.area.currentIndexChanged.connect(self.refresh)
        self.refresh_button.clicked.connect(self.refresh)

    def query(self) -> KpiQuery:
        """The period up to the end of today (UTC) and the chosen area."""
        today = self._context.clock().date()
        end = utc_day(today + timedelta(days=1))
        days = int(self.period.currentData())
        return KpiQuery(start=end - timedelta(days=days), end=end, area=self.area.currentData())

    def refresh(self) -> None:
        """Recompute in the background; a newer refresh makes older results be dropped."""
        self.status.setText(tr("computing…"))
        query = self.query()

        def compute() -> tuple[Dashboard, float]:
            began = time.perf_counter()
            return self._service.dashboard(query), time.perf_counter() - began

        self._background.run(compute, self._on_computed, self._on_failed, key="dashboard")

    def _load_areas(self) -> None:
        self.area.blockSignals(True)
        self.area.clear()
        self.area.addItem(tr("All areas"), None)
        for asset in self._context.services.assets.list():
            if asset.level is AssetLevel.AREA:
                self.area.addItem(f"{asset.code} {asset.name}", asset.code)
        self.area.blockSignals(False)

    def _on_computed(self, answer: tuple[Dashboard, float]) -> None:
        board, seconds = answer
        self.board = board
        for figure in board.figures:
            self.tiles[figure.key].show_figure(figure)
        if self._charts is None:
            from ui.dashboard.charts import ChartGrid

            self._charts = ChartGrid()
            self._body.addWidget(self._charts, 1)
        self._charts.show_dashboard(board)
        start = board.query.start.date()
        last = (board.query.end - timedelta(days=1)).date()
        self.status.setText(
            tr(
                "{start} to {last}, against the {value} days before · MTBF on {mtbf_basis} · "
                "computed in {seconds} s"
            ).format(
                start=show_date(start),
                last=show_date(last),
                value=(last - start).days + 1,
                mtbf_basis=say(board.mtbf_basis),
                seconds=show_number(seconds, 1),
            )
        )
        self.sig_dashboard_shown.emit()

    def _on_failed(self, failure: Failure) -> None:
        self.status.setText(tr("could not compute: {message}").format(message=failure.message))

    def _on_tile_clicked(self, key: str) -> None:
        if self.board is None:
            return
        ids = self.board.figure(key).work_order_ids
        self._background.run(
            lambda: self._service.work_order_numbers(ids),
            self.sig_work_orders_requested.emit,
            self._on_failed,
        )
