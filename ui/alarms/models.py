"""Table models over AlarmService and PlantTagService rows; UI thread only."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TR_NOOP, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from desktop.domain.condition import RuleKind
from ui.inventory.models import Column, RowTableModel

if TYPE_CHECKING:
    from datetime import datetime

    from desktop.services.condition.alarms import AlarmView
    from desktop.services.condition.plant_tags import RuleView

UNACKNOWLEDGED_BRUSH = QBrush(QColor("#fdebd0"))
"""Colour only where it means something (DESIGN.md): an alarm nobody has acknowledged yet."""
_BOLD = QFont()
_BOLD.setBold(True)


def _when(at: datetime | None) -> str:
    return at.strftime("%Y-%m-%d %H:%M:%S") if at is not None else ""


def _state(alarm: AlarmView) -> str:
    return "cleared" if alarm.cleared_at is not None else "active"


def _work_order(alarm: AlarmView) -> str:
    if alarm.work_order_number is None:
        return ""
    status = alarm.work_order_status.value.replace("_", " ") if alarm.work_order_status else ""
    return f"{alarm.work_order_number} ({status})"


ALARM_COLUMNS: tuple[Column[AlarmView], ...] = (
    Column(QT_TR_NOOP("Raised"), lambda a: _when(a.raised_at)),
    Column(QT_TR_NOOP("Asset"), lambda a: a.asset_code),
    Column(QT_TR_NOOP("Rule"), lambda a: a.rule_name),
    Column(QT_TR_NOOP("Value"), lambda a: f"{a.measure:.3g}", True),
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
            return f"{row.message} (not acknowledged yet)" if waiting else row.message
        if not waiting:
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return UNACKNOWLEDGED_BRUSH
        if role == Qt.ItemDataRole.FontRole:
            return _BOLD
        return None


def _seconds(value: float) -> str:
    return f"{value:g} s"


def _limits(rule: RuleView) -> str:
    spec = rule.spec
    unit = f" {rule.unit}" if rule.unit else ""
    if spec.kind is RuleKind.RATE_OF_CHANGE:
        text = (
            f"slope {spec.direction.value} {spec.limit:g}{unit}/min over {_seconds(spec.window_s)}"
        )
    elif spec.kind is RuleKind.FORECAST:
        text = (
            f"{spec.direction.value} {spec.limit:g}{unit} within {spec.horizon_s / 3600:g} h "
            f"(fit over {_seconds(spec.window_s)})"
        )
    else:
        text = f"{spec.direction.value} {spec.limit:g}{unit}"
    return text


RULE_COLUMNS: tuple[Column[RuleView], ...] = (
    Column(QT_TR_NOOP("Rule"), lambda r: r.name),
    Column(QT_TR_NOOP("Kind"), lambda r: r.spec.kind.value.replace("_", " ")),
    Column(QT_TR_NOOP("Limits"), _limits),
    Column(QT_TR_NOOP("Hysteresis"), lambda r: f"{r.spec.hysteresis:g}", True),
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
