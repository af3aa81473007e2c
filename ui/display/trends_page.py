"""The display's live page: the tags that matter most as big trends, and the active alarms.

Tags on an active alarm come first, then tags with a rule limit, then the rest, up to
`PLOTS` of them. Each plot scrolls over the last `WINDOW_S` seconds of the live feed with its
rule limits drawn, and its title shows the newest value large enough to read across the room.
"""

from __future__ import annotations

import math
import time
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TR_NOOP, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from ui.display.pages import DisplayPage, chip, clear, label, local_stamp, short_tag
from ui.display.style import ALARM_COLOUR, CURVE_COLOURS, PRIORITY_NAMES, px
from ui.i18n import show_number, site_local, tr
from ui.widgets.elided_label import ElidedLabel

if TYPE_CHECKING:
    from desktop.plant.buffer import SampleBlock
    from desktop.services.analytics.control_room import ActiveAlarm, Snapshot, TagInfo

PLOTS = 6
WINDOW_S = 300.0
ALARM_ROWS = 3
MAX_POINTS = 6000
"""Per plot: five minutes at 10 Hz and then some; older points fall off."""


class _Plot(QFrame):
    """One tag: a title with the live value, and its trend. UI thread only."""

    def __init__(self, tag: TagInfo, colour: str, height: int) -> None:
        super().__init__()
        self.setObjectName("tile")
        self.tag = tag
        self.value: float | None = None
        self.ts = np.empty(0)
        self.values = np.empty(0)
        self.title = ElidedLabel("", "tileLabel")
        self.asset = ElidedLabel(f"{tag.asset_code}  {tag.asset_name}", "tileNote")
        self.reading = label("–", "plotValue")
        self.reading.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        names = QVBoxLayout()
        names.setSpacing(0)
        names.addWidget(self.title)
        names.addWidget(self.asset)
        head = QHBoxLayout()
        head.addLayout(names, 1)
        head.addWidget(self.reading)
        # The site's clock, as on the rest of the display (the PC may run on UTC).
        offset = site_local(datetime.now(UTC)).utcoffset() or timedelta()
        axis = pg.DateAxisItem(orientation="bottom", utcOffset=-offset.total_seconds())
        self.plot = pg.PlotWidget(background="#17212b", axisItems={"bottom": axis})
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        font = QFont()
        font.setPixelSize(px("small", height))
        for name in ("left", "bottom"):
            axis = self.plot.getAxis(name)
            axis.setStyle(tickFont=font, tickTextOffset=px("pad", height))
            axis.setTextPen("#d6e2ec")
            axis.setPen("#5d6d7e")
        self.plot.getAxis("left").setWidth(px("huge", height))
        self.plot.getAxis("bottom").setHeight(px("title", height))
        self.plot.getPlotItem().getViewBox().enableAutoRange(x=False)
        self.curve = self.plot.plot(pen=pg.mkPen(colour, width=max(2, px("rule", height) * 2)))
        self.curve.setClipToView(True)
        self.curve.setDownsampling(auto=True, method="peak")
        for limit in tag.limits:
            self.plot.addItem(
                pg.InfiniteLine(
                    pos=limit,
                    angle=0,
                    pen=pg.mkPen(ALARM_COLOUR, width=2, style=Qt.PenStyle.DashLine),
                ),
                ignoreBounds=False,
            )
        box = QVBoxLayout(self)
        box.addLayout(head)
        box.addWidget(self.plot, 1)
        self.set_alarm(False)

    def set_alarm(self, alarmed: bool) -> None:
        prefix = "⚠ " if alarmed else ""
        self.title.setText(prefix + short_tag(self.tag.name, self.tag.asset_code))
        self.title.setStyleSheet(f"color: {ALARM_COLOUR};" if alarmed else "")
        self.reading.setStyleSheet(f"color: {ALARM_COLOUR};" if alarmed else "")

    def extend(self, ts: np.ndarray, values: np.ndarray) -> None:
        self.ts = np.concatenate((self.ts, ts))[-MAX_POINTS:]
        self.values = np.concatenate((self.values, values))[-MAX_POINTS:]
        good = values[values == values]
        if len(good):
            self.value = float(good[-1])
            unit = f" {self.tag.unit}" if self.tag.unit else ""
            self.reading.setText(f"{show_number(self.value, _decimals(self.value))}{unit}")
        self.curve.setData(self.ts, self.values, connect="finite")

    def scroll(self, now: float) -> None:
        self.plot.setXRange(now - WINDOW_S, now, padding=0)


def _decimals(value: float) -> int:
    """Four significant digits, as a gauge shows them: 1450, 71.25, 7.125, 0.0712."""
    if value == 0 or not math.isfinite(value):
        return 0
    return max(0, min(4, 3 - math.floor(math.log10(abs(value)))))


class TrendsPage(DisplayPage):
    """Live trends and active alarms. "Report breakdown" on an alarm, or on a shown asset
    without one, emits `sig_breakdown_requested(asset_code, alarm or None)`."""

    page_id = "trends"
    title = QT_TR_NOOP("Live trends and alarms")
    sig_breakdown_requested = Signal(str, object)

    def __init__(self, height: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._height = height
        self._plots: dict[int, _Plot] = {}
        self._shown: tuple[int, ...] = ()
        self._alarms: tuple[ActiveAlarm, ...] = ()
        self.feed_tags: tuple[TagInfo, ...] = ()
        self._grid = QGridLayout()
        self._empty = label(tr("No OPC UA tags are mapped yet."), "empty")
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._alarm_rows = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.addLayout(self._grid, 1)
        layout.addLayout(self._alarm_rows)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        self._alarms = tuple(a for a in snapshot.alarms if not a.cleared)
        alarmed = {a.tag_id for a in self._alarms}
        chosen = sorted(snapshot.tags, key=lambda t: (t.id not in alarmed, not t.limits, t.id))[
            :PLOTS
        ]
        assets = {t.asset_code for t in chosen} | {a.asset_code for a in self._alarms}
        # The live feed carries the plotted assets' tags only: their values pre-fill a
        # breakdown request, and hundreds of subscriptions would slow every reconnect.
        self.feed_tags = tuple(t for t in snapshot.tags if t.asset_code in assets)
        if tuple(t.id for t in chosen) != self._shown or any(
            self._plots[t.id].tag != t for t in chosen
        ):
            self._rebuild(chosen)
        for tag_id, plot in self._plots.items():
            plot.set_alarm(tag_id in alarmed)
        self._show_alarms()

    def _rebuild(self, tags: list[TagInfo]) -> None:
        clear(self._grid, keep=self._empty)
        old = self._plots
        self._plots = {}
        self._shown = tuple(t.id for t in tags)
        if not tags:
            self._grid.addWidget(self._empty, 0, 0)
            self._empty.show()
            return
        columns = 3 if len(tags) > 4 else 2 if len(tags) > 1 else 1
        for index, tag in enumerate(tags):
            plot = _Plot(tag, CURVE_COLOURS[index % len(CURVE_COLOURS)], self._height)
            previous = old.get(tag.id)
            if previous is not None and len(previous.ts):
                plot.extend(previous.ts, previous.values)
            self._plots[tag.id] = plot
            self._grid.addWidget(plot, index // columns, index % columns)

    def _show_alarms(self) -> None:
        clear(self._alarm_rows)
        for alarm in self._alarms[:ALARM_ROWS]:
            frame = QFrame()
            frame.setObjectName("rowLine")
            row = QHBoxLayout(frame)
            row.addWidget(chip(alarm.priority, tr(PRIORITY_NAMES[alarm.priority])))
            row.addWidget(label(local_stamp(alarm.raised_at), "rowStrong"))
            row.addWidget(label(alarm.asset_code, "rowAsset"))
            row.addWidget(
                ElidedLabel(
                    f"{short_tag(alarm.rule_name, alarm.asset_code)}: {alarm.message}", "rowCell"
                ),
                1,
            )
            if alarm.work_order_number:
                row.addWidget(label(alarm.work_order_number, "rowCell"))
            row.addWidget(self._breakdown_button(tr("Report breakdown"), alarm.asset_code, alarm))
            self._alarm_rows.addWidget(frame)
        if len(self._alarms) > ALARM_ROWS:
            self._alarm_rows.addWidget(
                label(
                    tr("{count} more active alarms").format(count=len(self._alarms) - ALARM_ROWS),
                    "muted",
                )
            )
        if len(self._alarms) >= ALARM_ROWS:
            return
        # Assets on screen without an alarm: a breakdown is reported just as fast.
        alarmed = {a.asset_code for a in self._alarms}
        quiet = sorted({p.tag.asset_code for p in self._plots.values()} - alarmed)
        if self._alarms and not quiet:
            return
        frame = QFrame()
        row = QHBoxLayout(frame)
        row.setContentsMargins(0, 0, 0, 0)
        text = tr("No active alarms.") if not self._alarms else tr("No alarm:")
        row.addWidget(label(text, "tileLabel"))
        row.addStretch(1)
        for code in quiet[:3]:
            row.addWidget(
                self._breakdown_button(
                    tr("Report breakdown: {asset}").format(asset=code), code, None
                )
            )
        self._alarm_rows.addWidget(frame)

    def _breakdown_button(
        self, text: str, asset_code: str, alarm: ActiveAlarm | None
    ) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName("breakdownButton")
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(lambda: self.sig_breakdown_requested.emit(asset_code, alarm))
        return button

    def on_samples(self, block: SampleBlock) -> None:
        """A tick of the live feed: one `setData` per shown curve that has new samples."""
        for tag_id, plot in self._plots.items():
            ts, values = block.series(tag_id)
            if len(ts):
                plot.extend(ts, values)
        now = time.time()
        for plot in self._plots.values():
            plot.scroll(now)

    def describe(self) -> dict[str, Any]:
        return {
            "tags": [
                {"tag": p.tag.name, "value": p.value, "points": len(p.ts)}
                for p in self._plots.values()
            ],
            "alarms": [a.id for a in self._alarms],
        }
