"""The row of figures over the history table: labour, cost, downtime, MTBF, MTTR, failures."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TR_NOOP, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from ui.assets import formatting
from ui.i18n import tr

if TYPE_CHECKING:
    from desktop.services.analytics.asset_history import AssetHistory

# What each tile shows and how it is computed (shown as the tile's tooltip: engineers trust a
# figure they can recompute, shared/KPIS.md).
TILES: tuple[tuple[str, str, str], ...] = (
    (
        "labour_hours",
        QT_TR_NOOP("Labour hours"),
        QT_TR_NOOP("Sum of the hours booked on these work orders."),
    ),
    (
        "labour_cost",
        QT_TR_NOOP("Labour cost"),
        QT_TR_NOOP("Σ hours × the rate kept with each labour entry."),
    ),
    (
        "parts_cost",
        QT_TR_NOOP("Parts cost"),
        QT_TR_NOOP("Parts issued to these work orders, less returns."),
    ),
    (
        "downtime_hours",
        QT_TR_NOOP("Downtime hours"),
        QT_TR_NOOP(
            "Sum of the downtime periods (planned and unplanned); open periods count until now."
        ),
    ),
    (
        "mtbf",
        QT_TR_NOOP("MTBF"),
        QT_TR_NOOP(
            "SMRP 3.5.1: operating hours ÷ failure work orders completed in the period. Operating "
            "hours: period hours × assets − downtime hours."
        ),
    ),
    (
        "mttr",
        QT_TR_NOOP("MTTR"),
        QT_TR_NOOP(
            "SMRP 3.5.2 (2009): mean of restored − failed over the failure work orders completed, "
            "from the earliest unplanned downtime start (else requested) to the latest unplanned "
            "downtime end (else completed)."
        ),
    ),
    (
        "failures",
        QT_TR_NOOP("Failures"),
        QT_TR_NOOP("Failure work orders completed in the period."),
    ),
)


class KpiTile(QFrame):
    """A caption, a large value and a small note under it."""

    def __init__(self, caption: str, tooltip: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kpiTile")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setToolTip(tooltip)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.caption = QLabel(caption)
        self.value = QLabel("–")
        self.note = QLabel("")
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.value.setFont(font)
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for label in (self.caption, self.note):
            label.setStyleSheet("color: palette(placeholder-text);")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(1)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)
        layout.addWidget(self.note)

    def show_value(self, value: str, note: str = "") -> None:
        self.value.setText(value)
        self.note.setText(note)


class KpiTiles(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.tiles: dict[str, KpiTile] = {}
        for key, caption, tooltip in TILES:
            self.tiles[key] = tile = KpiTile(tr(caption), tr(tooltip), self)
            layout.addWidget(tile)

    def show_history(self, history: AssetHistory) -> None:
        span = _span(history)
        self.tiles["labour_hours"].show_value(f"{formatting.hours(history.labour_hours)} h")
        self.tiles["labour_cost"].show_value(formatting.money(history.labour_cost))
        self.tiles["parts_cost"].show_value(formatting.money(history.parts_cost))
        self.tiles["downtime_hours"].show_value(
            f"{formatting.hours(history.downtime_hours)} h", tr("planned + unplanned")
        )
        operating = formatting.hours(history.operating_hours)
        if history.period_start is None:
            self.tiles["mtbf"].show_value(tr("no failures"), tr("nothing recorded yet"))
        elif history.mtbf_hours is None:
            self.tiles["mtbf"].show_value(
                tr("no failures"), tr("in {hours} op. h").format(hours=operating)
            )
        else:
            self.tiles["mtbf"].show_value(
                f"{formatting.hours(history.mtbf_hours)} h",
                tr("over {hours} op. h").format(hours=operating),
            )
        if history.mttr_hours is None:
            self.tiles["mttr"].show_value("–", tr("no repairs"))
        else:
            self.tiles["mttr"].show_value(
                f"{formatting.hours(history.mttr_hours)} h", tr("failed → restored")
            )
        self.tiles["failures"].show_value(formatting.count(history.failures), span)

    def clear(self) -> None:
        for tile in self.tiles.values():
            tile.show_value("–")


def _span(history: AssetHistory) -> str:
    if history.period_start is None:
        return tr("nothing recorded")
    return tr("since {day}").format(day=formatting.local_date(history.period_start))
