"""The display's rotating pages: board summary, KPI tiles and the overdue and emergency list.

Every page is read-only: labels and painted tiles, no field a passer-by could edit. Each
redraws from a `Snapshot` (`show_snapshot`) and says what it shows as plain data (`describe`)
for the snapshot file that tests and monitoring read.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TR_NOOP, Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.enums import Priority, Stage
from ui.display.style import PRIORITY_COLOURS, PRIORITY_NAMES
from ui.i18n import say, show_clock, show_day_and_time, show_number, site_local, tr
from ui.widgets.elided_label import ElidedLabel
from ui.words import word

if TYPE_CHECKING:
    from desktop.services.analytics.control_room import KpiTileView, Snapshot, WorkItem

STAGE_TITLES = {
    Stage.REQUEST: QT_TR_NOOP("Requested"),
    Stage.APPROVAL: QT_TR_NOOP("Approved"),
    Stage.SCHEDULE: QT_TR_NOOP("Scheduled"),
    Stage.EXECUTE: QT_TR_NOOP("In progress"),
    Stage.COMPLETE: QT_TR_NOOP("Completed"),
    Stage.REVIEW: QT_TR_NOOP("Closed"),
}
KPI_TEXTS = (
    QT_TR_NOOP("Availability"),
    QT_TR_NOOP("Backlog"),
    QT_TR_NOOP("Overdue"),
    QT_TR_NOOP("PM compliance"),
    QT_TR_NOOP("Schedule compliance"),
    QT_TR_NOOP("Emergency share"),
    QT_TR_NOOP("weeks"),
    QT_TR_NOOP("derived"),
)
"""The engine's words on the KPI tiles (desktop/domain's KPI definitions), for translation;
MTTR, MTBF, units like h and % and the SMRP numbers read the same in every language."""
WORK_ROWS = 9
"""Rows of the work list that fit a screen at the display's type size."""


def clear(layout: QLayout, keep: QWidget | None = None) -> None:
    """Empty a layout that is rebuilt on refresh; hidden at once, deleted by the event loop."""
    while layout.count():
        widget = layout.takeAt(0).widget()
        if widget is not None:
            widget.hide()
            if widget is not keep:
                widget.deleteLater()


def label(text: str, name: str, parent: QWidget | None = None) -> QLabel:
    widget = QLabel(text, parent)
    widget.setObjectName(name)
    return widget


def short_tag(name: str, asset_code: str) -> str:
    """A tag or rule name without the asset code it starts with ("P1.Vibration" and
    "P1 vibration high" on asset P1 read "Vibration" and "vibration high"): the asset code
    is shown beside it anyway."""
    for prefix in (f"{asset_code}.", f"{asset_code} "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def local_stamp(at: datetime) -> str:
    """Today's times as HH:MM, older ones with the day."""
    if site_local(at).date() == site_local(datetime.now(UTC)).date():
        return show_clock(at)
    return show_day_and_time(at)


def chip(priority: Priority, text: str) -> QLabel:
    widget = label(text, "chip")
    widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
    widget.setStyleSheet(f"background: {PRIORITY_COLOURS[priority].name()};")
    return widget


class DisplayPage(QWidget):
    page_id = ""
    title = ""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("displayPage")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        raise NotImplementedError

    def describe(self) -> dict[str, Any]:
        raise NotImplementedError


class BoardPage(DisplayPage):
    """Six stage tiles: the count of each, and how many of each priority."""

    page_id = "board"
    title = QT_TR_NOOP("Work order board")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._counts: dict[Stage, dict[Priority, int]] = {}
        self._totals: dict[Stage, QLabel] = {}
        self._chips: dict[tuple[Stage, Priority], QLabel] = {}
        self._notes: dict[Stage, QLabel] = {}
        grid = QGridLayout(self)
        for index, stage in enumerate(Stage):
            tile = QFrame()
            tile.setObjectName("tile")
            box = QVBoxLayout(tile)
            box.addWidget(label(tr(STAGE_TITLES[stage]), "tileLabel"))
            total = label("–", "tileValue")
            box.addWidget(total, 1)
            chips = QGridLayout()
            for p_index, priority in enumerate(Priority):
                chip_label = chip(priority, "")
                chips.addWidget(chip_label, p_index // 2, p_index % 2)
                self._chips[stage, priority] = chip_label
            box.addLayout(chips)
            note = label("", "tileNote")
            box.addWidget(note)
            self._totals[stage] = total
            self._notes[stage] = note
            grid.addWidget(tile, index // 3, index % 3)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        self._counts = {}
        for count in snapshot.stages:
            self._counts[count.stage] = dict(count.by_priority)
            self._totals[count.stage].setText(show_number(count.total, 0))
            for priority in Priority:
                self._chips[count.stage, priority].setText(
                    f"{tr(PRIORITY_NAMES[priority])}  {show_number(count.count(priority), 0)}"
                )
        self._notes[Stage.EXECUTE].setText(tr("in progress and on hold"))
        self._notes[Stage.REVIEW].setText(
            tr("completed in the last {days} days").format(days=snapshot.closed_days)
        )

    def describe(self) -> dict[str, Any]:
        return {
            stage.name.lower(): {str(int(p)): n for p, n in counts.items()}
            for stage, counts in self._counts.items()
        }


class KpiPage(DisplayPage):
    """Eight KPI tiles over the last 30 days, with the change against the 30 before."""

    page_id = "kpis"
    title = QT_TR_NOOP("Key figures, last 30 days")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tiles: tuple[KpiTileView, ...] = ()
        self._grid = QGridLayout(self)
        self._waiting = label(tr("Computing the key figures…"), "empty")
        self._waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._grid.addWidget(self._waiting, 0, 0)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """The KPI tiles arrive on their own, less often (`show_kpis`)."""

    def show_kpis(self, tiles: tuple[KpiTileView, ...]) -> None:
        self._tiles = tiles
        clear(self._grid)
        for index, tile in enumerate(tiles):
            frame = QFrame()
            frame.setObjectName("tile")
            box = QVBoxLayout(frame)
            box.addWidget(label(tr(tile.label), "tileLabel"))
            # The engine's figure is a Phrase: `say` gives it in the language's words and
            # number format ("0,6 Wochen"), then the number is split from its unit.
            number, unit = split_unit(say(tile.text), tr(tile.unit))
            value = QHBoxLayout()
            value.addWidget(label(number, "tileValue"), 0, Qt.AlignmentFlag.AlignBaseline)
            value.addWidget(label(unit, "tileUnit"), 0, Qt.AlignmentFlag.AlignBaseline)
            value.addStretch(1)
            box.addStretch(1)
            box.addLayout(value)
            box.addStretch(1)
            change, colour = _change(tile)
            note = label(change, "tileNote")
            note.setStyleSheet(f"color: {colour};")
            box.addWidget(note)
            box.addWidget(label(tr(tile.source), "tileNote"))
            self._grid.addWidget(frame, index // 4, index % 4)
        for column in range(4):
            self._grid.setColumnStretch(column, 1)

    def describe(self) -> dict[str, Any]:
        return {tile.key: tile.text for tile in self._tiles}


def split_unit(text: str, unit: str) -> tuple[str, str]:
    """ "11,443.4 h" -> ("11,443.4", "h"): the number large, the unit beside it smaller."""
    suffix = f" {unit}"
    if unit and text.endswith(suffix):
        return text[: -len(suffix)], unit
    return text, ""


def _change(tile: KpiTileView) -> tuple[str, str]:
    """The change against the previous 30 days, green when better and red when worse."""
    if tile.change is None:
        return tr("no previous figure"), "#b8c4cf"
    if abs(tile.change) < 1e-9:
        return tr("same as the 30 days before"), "#b8c4cf"
    arrow = "▲" if tile.change > 0 else "▼"
    text = f"{arrow} " + tr("{change} vs the 30 days before").format(
        change=show_number(abs(tile.change), 1)
    )
    if tile.higher_is_better is None:
        return text, "#b8c4cf"
    better = (tile.change > 0) == tile.higher_is_better
    return text, "#7ee081" if better else "#ff6b5e"


class WorkListPage(DisplayPage):
    """Open orders that are overdue or of emergency priority, most urgent first."""

    page_id = "work"
    title = QT_TR_NOOP("Overdue and emergency work")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: tuple[WorkItem, ...] = ()
        self._summary = label("", "tileLabel")
        self._rows = QVBoxLayout()
        self._more = label("", "muted")
        layout = QVBoxLayout(self)
        layout.addWidget(self._summary)
        layout.addLayout(self._rows)
        layout.addStretch(1)
        layout.addWidget(self._more)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        self._items = snapshot.work_list
        self._summary.setText(
            tr("{overdue} overdue  ·  {emergency} emergency  (open orders)").format(
                overdue=show_number(snapshot.overdue_count, 0),
                emergency=show_number(snapshot.emergency_count, 0),
            )
        )
        clear(self._rows)
        if not self._items:
            empty = label(tr("Nothing overdue, no open emergency work."), "empty")
            empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self._rows.addWidget(empty)
        for item in self._items[:WORK_ROWS]:
            self._rows.addWidget(self._row(item, snapshot.taken_at))
        hidden = snapshot.urgent_count - min(WORK_ROWS, len(self._items))
        self._more.setText(
            tr("{count} more not shown").format(count=show_number(hidden, 0)) if hidden > 0 else ""
        )

    @staticmethod
    def _row(item: WorkItem, now: datetime) -> QFrame:
        frame = QFrame()
        frame.setObjectName("rowLine")
        row = QHBoxLayout(frame)
        row.addWidget(chip(item.priority, tr(PRIORITY_NAMES[item.priority])), 0)
        row.addWidget(label(item.number, "rowNumber"), 0)
        row.addWidget(label(item.asset_code, "rowAsset"), 0)
        row.addWidget(ElidedLabel(item.title, "rowCell"), 1)
        row.addWidget(label(word(item.status.value), "rowCell"), 0)
        if item.overdue and item.due_at is not None:
            late = label(
                tr("overdue {duration}").format(duration=_duration(now - item.due_at)), "overdue"
            )
        else:
            due = tr("due {at}").format(at=local_stamp(item.due_at)) if item.due_at else ""
            late = label(due, "rowCell")
        row.addWidget(late, 0)
        return frame

    def describe(self) -> dict[str, Any]:
        return {
            "rows": [
                {
                    "number": i.number,
                    "status": i.status.value,
                    "priority": int(i.priority),
                    "overdue": i.overdue,
                }
                for i in self._items
            ]
        }


def _duration(delta: Any) -> str:
    hours = delta.total_seconds() / 3600
    if hours < 1:
        return tr("{minutes} min").format(minutes=max(1, round(hours * 60)))
    if hours < 48:
        return tr("{hours} h").format(hours=f"{hours:.0f}")
    return tr("{days} days").format(days=f"{hours / 24:.0f}")
