"""The live trends panel: several OPC UA tags on one time axis, scrolling, with history on zoom.

Live data comes from a `SampleBridge` (attach it with `attach()`) into a ring per shown tag;
history, rule limits and alarms come from the historian and the services. Each tick a live
curve gets one `setData` with only the points of the visible window, peak-decimated to the
plot's width (`ui.trends.ring.visible`), so scrolling asks pyqtgraph for no re-clipping and
the cost of a tick does not grow with the points kept (PITFALLS.md).
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TR_NOOP, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.condition import RuleKind
from desktop.plant.historian import Historian
from desktop.plant.sampling import sampling_ms
from ui.i18n import say, show_amount, tr
from ui.plant_link import LINK_STATES
from ui.trends.ring import Ring, visible
from ui.widgets.elided_label import ElidedLabel

if TYPE_CHECKING:
    from desktop.plant.buffer import SampleBlock
    from desktop.plant.client import ClientStatus
    from desktop.plant.sampling import SamplingGrant
    from desktop.services.condition.plant_tags import RuleView, TagView
    from ui.context import AppContext
    from ui.trends.bridge import SampleBridge

WINDOWS = (
    (QT_TR_NOOP("5 min"), 300),
    (QT_TR_NOOP("1 hour"), 3600),
    (QT_TR_NOOP("8 hours"), 8 * 3600),
    (QT_TR_NOOP("24 hours"), 86400),
)
# Live points kept per shown tag: a day at 10 Hz; older data comes from the historian.
RING_CAPACITY = 1_000_000
TagIdRole = Qt.ItemDataRole.UserRole + 1
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2")

# Points a curve draws per pixel of the plot's width at most (a low and a high per pixel).
POINTS_PER_PIXEL = 2
# The value axis shrinks to fit only when the drawn values use less than this share of it.
Y_SHRINK_SHARE = 0.5
Y_MARGIN_SHARE = 0.05


class TrendsPanel(QWidget):
    """UI thread only."""

    sig_mapping_requested = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._tags_service = context.services.plant_tags
        self._alarms = context.services.alarms
        self._historian = Historian(context.db)
        self._tags: dict[int, TagView] = {}
        self._rules: list[RuleView] = []
        self._rings: dict[int, Ring] = {}
        self._curves: dict[int, pg.PlotDataItem] = {}
        self._history_curves: dict[int, pg.PlotDataItem] = {}
        # The values each live and history curve draws now, and the value range set for them.
        self._drawn: dict[int, np.ndarray] = {}
        self._history_drawn: dict[int, np.ndarray] = {}
        self._y_fit: tuple[float, float] | None = None
        # Pausing by zooming or panning leaves the value axis where the user put it.
        self._paused_by_hand = False
        self._decorations: list[pg.InfiniteLine] = []
        self._bridge: SampleBridge | None = None
        self._scrolling = False
        # What the server granted per tag id, and the tags short of values (issue 22).
        self._grants: dict[int, SamplingGrant] = {}
        self._short_texts: list[tuple[str, str]] = []

        # A long failure or shortfall ends in "…" (whole in the tooltip), not a wider window.
        self._status = ElidedLabel(tr("not connected"), "trendStatus")
        self.window_box = QComboBox()
        for label, seconds in WINDOWS:
            self.window_box.addItem(tr(label), seconds)
        self.map_button = QPushButton(tr("Map tags…"))
        self.map_button.setToolTip(tr("Browse the OPC UA server and map its variables to assets"))
        self.pause_button = QPushButton(tr("Pause"))
        self.pause_button.setCheckable(True)
        self.pause_button.setShortcut("Space")
        self._filter = QLineEdit()
        self._filter.setPlaceholderText(tr("Filter tags"))
        self._tag_list = QListWidget()

        axis = pg.DateAxisItem(orientation="bottom", utcOffset=-time.localtime().tm_gmtoff)
        self.plot = pg.PlotWidget(axisItems={"bottom": axis}, background="w")
        # No grid: in software rendering its blended lines cost 13 ms a paint (measured in the
        # OPC UA bench), more than the curves themselves.
        # On a light ground, so a curve passing behind a name does not hide it.
        self.plot.addLegend(
            offset=(-10, 10), brush=pg.mkBrush(255, 255, 255, 210), labelTextColor="#333333"
        )
        self._view = self.plot.getPlotItem().getViewBox()
        # The time axis follows the clock or the user, never the data's extent.
        self._view.enableAutoRange(x=False)

        bar = QHBoxLayout()
        bar.addWidget(self._status, 1)
        bar.addWidget(QLabel(tr("Window")))
        bar.addWidget(self.window_box)
        bar.addWidget(self.pause_button)
        bar.addWidget(self.map_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self._filter)
        left_layout.addWidget(self._tag_list)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.plot)
        split.setStretchFactor(1, 4)
        # Room for a tag name with its unit and sampling interval ("… [°C] · 1000 ms").
        split.setSizes([340, 1000])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(split, 1)

        self._history_timer = QTimer(self)
        self._history_timer.setSingleShot(True)
        self._history_timer.setInterval(300)
        self._history_timer.timeout.connect(self._on_history_timer_timeout)
        self._filter.textChanged.connect(self._on_filter_text_changed)
        self._tag_list.itemChanged.connect(self._on_tag_list_item_changed)
        self.pause_button.toggled.connect(self._on_pause_toggled)
        self.map_button.clicked.connect(self.sig_mapping_requested)
        self.window_box.currentIndexChanged.connect(self._on_window_changed)
        self._view.sigRangeChangedManually.connect(self._on_view_range_changed_manually)
        self._view.sigXRangeChanged.connect(self._on_view_x_range_changed)
        self.refresh()

    # -- public ---------------------------------------------------------------------------

    def attach(self, bridge: SampleBridge) -> None:
        self._bridge = bridge
        bridge.sig_samples_arrived.connect(self._on_bridge_samples_arrived)
        bridge.sig_status_changed.connect(self._on_bridge_status_changed)

    def refresh(self) -> None:
        """Reload the tags, rule limits and alarm markers."""
        shown = set(self.shown_tags())
        self._tags = {t.id: t for t in self._tags_service.tags()}
        self._rules = self._tags_service.rules()
        self._tag_list.blockSignals(True)
        self._tag_list.clear()
        for tag in self._tags.values():
            item = QListWidgetItem()
            item.setData(TagIdRole, tag.id)
            self._label(item, tag)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if tag.id in shown else Qt.CheckState.Unchecked
            )
            self._tag_list.addItem(item)
        self._tag_list.blockSignals(False)
        self._decorate()

    def _label(self, item: QListWidgetItem, tag: TagView) -> None:
        """The tag, its unit and the interval the server samples it at; a warning sign and
        the reason in the tooltip where it sends fewer values than asked."""
        asked = sampling_ms(tag.kind, tag.name, tag.sampling_ms)
        grant = self._grants.get(tag.id)
        warning = [say(grant.warning)] if grant is not None and grant.warning else []
        warning += [say(text) for name, text in self._short_texts if name == tag.name]
        if grant is None:
            every = f"{asked} ms"
        else:
            every = tr("changes only") if grant.revised_ms <= 0 else f"{grant.revised_ms:g} ms"
        name = f"{tag.name} [{tag.unit}]" if tag.unit else tag.name
        item.setText(("⚠ " if warning else "") + f"{name} · {every}")
        whose = tr("its own") if tag.sampling_ms is not None else tr("its class's default")
        lines = [tr("Asks for sampling every {0} ms ({1}).").format(asked, whose)]
        if grant is not None:
            lines.append(tr("The server granted {0}.").format(say(grant.granted)))
        item.setToolTip("\n".join(lines + warning))

    def show_tags(self, tag_ids: list[int]) -> None:
        for row in range(self._tag_list.count()):
            item = self._tag_list.item(row)
            if item.data(TagIdRole) in tag_ids:
                item.setCheckState(Qt.CheckState.Checked)

    def shown_tags(self) -> list[int]:
        return list(self._curves)

    @property
    def paused(self) -> bool:
        return self.pause_button.isChecked()

    def drawn_points(self, tag_id: int) -> int:
        """Points the live curve shows (less than it holds while paused)."""
        xs = self._curves[tag_id].getData()[0]
        return 0 if xs is None else len(xs)

    def history_points(self, tag_id: int) -> int:
        xs = self._history_curves[tag_id].getData()[0]
        return 0 if xs is None else len(xs)

    def decoration_labels(self) -> list[str]:
        """Texts of the limit lines and alarm markers drawn."""
        return [line.label.format for line in self._decorations]

    def curve_data(self, tag_id: int) -> tuple[np.ndarray, np.ndarray]:
        ring = self._rings[tag_id]
        return ring.ts, ring.values

    # -- slots ----------------------------------------------------------------------------

    def _on_bridge_samples_arrived(self, block: SampleBlock) -> None:
        """Every tick: the shown tags' samples into their rings; unless paused, one scroll and
        one `setData` per curve."""
        for tag_id, ring in self._rings.items():
            ts, values = block.series(tag_id)
            if len(ts):
                ring.extend(ts, values)
        if self.paused:
            return
        self._scroll()
        self._draw_live()

    def _on_bridge_status_changed(self, status: ClientStatus) -> None:
        from desktop.plant.sampling import short_of_values

        state = LINK_STATES.get(status.state.value, status.state.value)
        text = tr(state)
        if status.message:
            text += f": {say(status.message)}"
        if status.retry_in_s:
            seconds = show_amount(status.retry_in_s)
            text += tr(" (next try in {seconds} s)").format(seconds=seconds)
        short = short_of_values(status.grants, status.delivery)
        if short:
            text += f" · ⚠ {say(short)}"
        self._status.setText(text)
        self._status.setToolTip(text)
        self._grants = {grant.tag_id: grant for grant in status.grants}
        self._short_texts = [(d.name, d.text) for d in status.delivery]
        self._tag_list.blockSignals(True)
        for row in range(self._tag_list.count()):
            item = self._tag_list.item(row)
            tag = self._tags.get(int(item.data(TagIdRole)))
            if tag is not None:
                self._label(item, tag)
        self._tag_list.blockSignals(False)
        self._on_filter_text_changed(self._filter.text())

    def _on_tag_list_item_changed(self, item: QListWidgetItem) -> None:
        tag_id = int(item.data(TagIdRole))
        if item.checkState() == Qt.CheckState.Checked:
            self._add_curve(tag_id)
        else:
            self._remove_curve(tag_id)
        self._decorate()
        self._load_history()

    def _on_filter_text_changed(self, text: str) -> None:
        needle = text.strip().lower()
        for row in range(self._tag_list.count()):
            item = self._tag_list.item(row)
            item.setHidden(bool(needle) and needle not in item.text().lower())

    def _on_pause_toggled(self, paused: bool) -> None:
        self.pause_button.setText(tr("Resume") if paused else tr("Pause"))
        if paused:
            # Paused by the button: the value axis fits whatever the user scrolls to (history
            # included), as pyqtgraph fits it; paused by zooming: it stays as zoomed.
            if not self._paused_by_hand:
                self._view.enableAutoRange(y=True)
            self._paused_by_hand = False
            return
        self._y_fit = None
        self._scroll()
        self._draw_live()

    def _on_window_changed(self, _index: int) -> None:
        self._scroll()
        self._draw_live()
        self._load_history()

    def _on_view_range_changed_manually(self, *_args: object) -> None:
        # Zooming or panning by hand stops the live scrolling, so the view stays put.
        if not self.paused:
            self._paused_by_hand = True
            self.pause_button.setChecked(True)

    def _on_view_x_range_changed(self, *_args: object) -> None:
        # Live scrolling keeps to the loaded range; only a paused view (zoomed or panned by
        # the user) may reach back for stored history.
        if self.paused and not self._scrolling:
            self._history_timer.start()

    def _on_history_timer_timeout(self) -> None:
        self._draw_live()
        self._load_history()

    # -- drawing --------------------------------------------------------------------------

    def _add_curve(self, tag_id: int) -> None:
        if tag_id in self._curves:
            return
        tag = self._tags[tag_id]
        colour = COLOURS[len(self._curves) % len(COLOURS)]
        # No clip-to-view or auto-downsampling here: `_draw_live` hands over only the visible,
        # decimated points, so a scroll makes pyqtgraph recompute nothing for live curves.
        curve = self.plot.plot(name=tag.name, pen=pg.mkPen(colour, width=1.5))
        # History continues the live curve in the same colour: one signal, one line.
        history = self.plot.plot(pen=pg.mkPen(colour, width=1.5))
        history.setDownsampling(auto=True, method="peak")
        history.setClipToView(True)
        self._curves[tag_id] = curve
        self._history_curves[tag_id] = history
        self._rings.setdefault(tag_id, Ring(RING_CAPACITY))

    def _remove_curve(self, tag_id: int) -> None:
        for curves in (self._curves, self._history_curves):
            curve = curves.pop(tag_id, None)
            if curve is not None:
                self.plot.removeItem(curve)
        self._rings.pop(tag_id, None)
        self._drawn.pop(tag_id, None)
        self._history_drawn.pop(tag_id, None)

    def _scroll(self) -> None:
        if self.paused:
            return
        span = float(self.window_box.currentData())
        now = time.time()
        self._scrolling = True
        try:
            self.plot.setXRange(now - span, now, padding=0)
        finally:
            self._scrolling = False

    def _draw_live(self) -> None:
        """Each live curve's points in the visible window (paused: a window either side as
        well, so a pan shows them at once), at most two a pixel; then the value axis."""
        (start, end), _ = self._view.viewRange()
        if self.paused:
            start, end = start - (end - start), end + (end - start)
        most = POINTS_PER_PIXEL * max(int(self._view.width()), 100)
        for tag_id, curve in self._curves.items():
            ring = self._rings[tag_id]
            xs, ys = visible(ring.ts, ring.values, start, end, most)
            curve.setData(xs, ys, connect="finite")
            self._drawn[tag_id] = ys
        if not self.paused:
            self._fit_y()

    def _fit_y(self) -> None:
        """Live, the value axis spans the drawn values: widened at once when a value leaves
        it, narrowed only when they use less than half of it, so its labels do not shift every
        tick. (pyqtgraph's auto-range asked every curve for its bounds at each paint.)"""
        lows, highs = [], []
        for ys in (*self._drawn.values(), *self._history_drawn.values()):
            if len(ys):
                lows.append(np.fmin.reduce(ys))
                highs.append(np.fmax.reduce(ys))
        low, high = np.fmin.reduce(lows, initial=np.nan), np.fmax.reduce(highs, initial=np.nan)
        if not (math.isfinite(low) and math.isfinite(high)):
            return
        margin = (high - low) * Y_MARGIN_SHARE or max(abs(high) * Y_MARGIN_SHARE, 0.5)
        low, high = float(low - margin), float(high + margin)
        fit = self._y_fit
        inside = fit is not None and fit[0] <= low and high <= fit[1]
        if inside and fit is not None and high - low >= Y_SHRINK_SHARE * (fit[1] - fit[0]):
            return
        self._y_fit = (low, high)
        self._view.setYRange(low, high, padding=0)

    def _load_history(self) -> None:
        """Stored samples for the part of the view older than the live points."""
        (start, end), _ = self._view.viewRange()
        for tag_id, history in self._history_curves.items():
            ring = self._rings[tag_id]
            live_from = float(ring.ts[0]) if len(ring) else end
            if start >= live_from:
                history.setData([], [])
                self._history_drawn.pop(tag_id, None)
                continue
            series = self._historian.query(tag_id, start, min(end, live_from))
            history.setData(series.ts, series.avg, connect="finite")
            self._history_drawn[tag_id] = series.avg
        if not self.paused:
            self._fit_y()

    def _decorate(self) -> None:
        """Limit lines of the shown tags' rules, and markers where their alarms were raised."""
        for line in self._decorations:
            self.plot.removeItem(line)
        self._decorations = []
        shown = set(self._curves)
        rules = [r for r in self._rules if r.tag_id in shown]
        # One line per limit: a threshold and a forecast on the same value share it, and
        # their names, instead of printing two labels over each other.
        names_by_limit: dict[float, list[str]] = {}
        for rule in rules:
            if rule.spec.kind is not RuleKind.RATE_OF_CHANGE:
                names_by_limit.setdefault(rule.spec.limit, []).append(rule.name)
        for limit, names in names_by_limit.items():
            line = pg.InfiniteLine(
                pos=limit,
                angle=0,
                pen=pg.mkPen("#c0392b", width=1, style=Qt.PenStyle.DashLine),
                label=f"{' / '.join(names)} {show_amount(limit)}",
                labelOpts={"position": 0.12, "color": "#c0392b", "anchors": [(0, 0), (0, 0)]},
            )
            self.plot.addItem(line, ignoreBounds=True)
            self._decorations.append(line)
        rule_ids = {r.id for r in rules}
        for alarm in self._alarms.alarms(limit=200):
            if alarm.rule_id not in rule_ids:
                continue
            marker = pg.InfiniteLine(
                pos=alarm.raised_at.timestamp(),
                angle=90,
                pen=pg.mkPen("#e67e22", width=2),
                label=alarm.work_order_number or "alarm",
                labelOpts={"position": 0.9, "color": "#e67e22"},
            )
            self.plot.addItem(marker, ignoreBounds=True)
            self._decorations.append(marker)
