"""Table models over AlarmService and PlantTagService rows; UI thread only."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TR_NOOP, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from desktop.domain.condition import RuleKind
from ui.i18n import show_amount, show_time, tr
from ui.inventory.models import Column, RowTableModel
from ui.words import word

if TYPE_CHECKING:
    from datetime import datetime

    from desktop.services.condition.alarms import AlarmView
    from desktop.services.condition.plant_tags import RuleView

UNACKNOWLEDGED_BRUSH = QBrush(QColor("#fdebd0"))
"""Colour only where it means something (DESIGN.md): an alarm nobody has acknowledged yet."""
_BOLD = QFont()
_BOLD.setBold(True)


def _when(at: datetime | None) -> str:
    return show_time(at, seconds=True) if at is not None else ""


def _state(alarm: AlarmView) -> str:
    return tr("cleared") if alarm.cleared_at is not None else tr("active")


def _work_order(alarm: AlarmView) -> str:
    if alarm.work_order_number is None:
        return ""
    status = word(alarm.work_order_status.value) if alarm.work_order_status else ""
    return f"{alarm.work_order_number} ({status})"


ALARM_COLUMNS: tuple[Column[AlarmView], ...] = (
    Column(QT_TR_NOOP("Raised"), lambda a: _when(a.raised_at)),
    Column(QT_TR_NOOP("Asset"), lambda a: a.asset_code),
    Column(QT_TR_NOOP("Rule"), lambda a: a.rule_name),
    Column(QT_TR_NOOP("Value"), lambda a: show_amount(float(f"{a.measure:.3g}")), True),
    Column(QT_TR_NOOP("Message"), lambda a: a.message),
    Column(QT_TR_NOOP("Work order"), _work_order),
    Column(QT_TR_NOOP("State"), _state),
    Column(QT_TR_NOOP("Acknowledged by"), lambda a: a.acknowledged_by or ""),
    Column(QT_TR_NOOP("Acknowledged"), lambda a: _when(a.acknowledged_at)),
    Column(QT_TR_NOOP("Cleared"), lambda a: _when(a.cleared_at)),
    Column(QT_TR_NOOP("Tag"), lambda a: a.tag_name),
)
MESSAGE_COLUMN = 4


class AlarmTableModel(RowTableModel["AlarmView"]):
    """Alarms newest first (the service's order); unacknowledged rows tinted and bold."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(ALARM_COLUMNS, parent)

    def _extra(self, row: AlarmView, role: int) -> object:
        waiting = row.acknowledged_at is None
        if role == Qt.ItemDataRole.ToolTipRole:
            # The message column is narrow; the whole message is one hover away.
            return (
                tr("{message} (not acknowledged yet)").format(message=row.message)
                if waiting
                else row.message
            )
        if not waiting:
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return UNACKNOWLEDGED_BRUSH
        if role == Qt.ItemDataRole.FontRole:
            return _BOLD
        return None


def _seconds(value: float) -> str:
    return f"{show_amount(value)} s"


def _limits(rule: RuleView) -> str:
    spec = rule.spec
    unit = f" {rule.unit}" if rule.unit else ""
    limit = f"{word(spec.direction.value)} {show_amount(spec.limit)}{unit}"
    if spec.kind is RuleKind.RATE_OF_CHANGE:
        return tr("slope {limit}/min over {window}").format(
            limit=limit, window=_seconds(spec.window_s)
        )
    if spec.kind is RuleKind.FORECAST:
        return tr("{limit} within {hours} h (fit over {window})").format(
            limit=limit, hours=show_amount(spec.horizon_s / 3600), window=_seconds(spec.window_s)
        )
    return limit


RULE_COLUMNS: tuple[Column[RuleView], ...] = (
    Column(QT_TR_NOOP("Rule"), lambda r: r.name),
    Column(QT_TR_NOOP("Kind"), lambda r: word(r.spec.kind.value)),
    Column(QT_TR_NOOP("Limits"), _limits),
    Column(QT_TR_NOOP("Hysteresis"), lambda r: f"{show_amount(r.spec.hysteresis)}", True),
    Column(QT_TR_NOOP("On-delay"), lambda r: _seconds(r.spec.on_delay_s), True),
    Column(QT_TR_NOOP("Enabled"), lambda r: "yes" if r.enabled else "no"),
    Column(QT_TR_NOOP("Priority"), lambda r: r.priority.name.lower()),
    Column(QT_TR_NOOP("Tag"), lambda r: r.tag_name),
)


class RuleTableModel(RowTableModel["RuleView"]):
    """Condition rules; disabled ones are greyed so the live set stands out."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(RULE_COLUMNS, parent)

    def _extra(self, row: RuleView, role: int) -> object:
        if role == Qt.ItemDataRole.ForegroundRole and not row.enabled:
            return QBrush(QColor("#7f8c8d"))
        return None
