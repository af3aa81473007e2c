"""The Alarms page: alarms newest first with acknowledge, and the condition rules with replay."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import WrenchbookError
from ui import messages
from ui.alarms.models import MESSAGE_COLUMN, AlarmTableModel, RuleTableModel
from ui.alarms.replay_job import REPLAY_DAYS, ReplayRunner
from ui.i18n import show_number, show_time, tr
from ui.widgets.read_only_table import read_only_table

if TYPE_CHECKING:
    from desktop.plant.replay import ReplayResult
    from desktop.services.condition.alarms import AlarmView
    from desktop.services.condition.plant_tags import RuleView
    from ui.background import Pool
    from ui.context import AppContext

ALARM_ROWS = 500
MESSAGE_WIDTH = 260


def _stamp(ts: float) -> str:
    return show_time(datetime.fromtimestamp(ts, UTC), seconds=True)


def _stamp_after(ts: float, since: float) -> str:
    """A clear time on the raise's day shows only the time, so a line fits the list."""
    day, clock = _stamp(ts).rsplit(" ", 1)
    return clock if day == _stamp(since).rsplit(" ", 1)[0] else _stamp(ts)


class AlarmsPanel(QWidget):
    """Alarms and rules on two tabs; every change goes through the services (roles there)."""

    sig_work_order_opened = Signal(str)
    sig_alarms_changed = Signal()  # acknowledged: the navigation's count is out of date

    def __init__(
        self, context: AppContext, parent: QWidget | None = None, pool: Pool | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.alarm_service = context.services.alarms
        self.tag_service = context.services.plant_tags
        self.replay_runner = ReplayRunner(context.db, pool, self)
        self.replay_runner.sig_finished.connect(self._on_replay_finished)
        self.replay_runner.sig_failed.connect(self._on_replay_failed)

        self.alarm_model = AlarmTableModel(self)
        self.alarm_view = read_only_table(self.alarm_model, multi_select=True)
        message = self.alarm_view.horizontalHeader()
        message.setSectionResizeMode(MESSAGE_COLUMN, QHeaderView.ResizeMode.Interactive)
        message.resizeSection(MESSAGE_COLUMN, MESSAGE_WIDTH)
        self.alarm_view.setObjectName("alarmTable")
        self.alarm_view.activated.connect(self._on_alarm_activated)
        self.alarm_view.selectionModel().selectionChanged.connect(self._update_alarm_buttons)
        self.unacknowledged_only = QCheckBox(tr("Unacknowledged only"))
        self.unacknowledged_only.toggled.connect(self.refresh)
        self.acknowledge_button = QPushButton(tr("Acknowledge"))
        self.acknowledge_button.setToolTip(tr("Acknowledge the selected alarms"))
        self.acknowledge_button.clicked.connect(self.acknowledge_selected)
        self.open_button = QPushButton(tr("Open work order"))
        self.open_button.setToolTip(tr("Open the predictive work order the alarm raised (Enter)"))
        self.open_button.clicked.connect(self._on_open_pressed)
        self.alarm_count = QLabel()
        alarm_bar = QHBoxLayout()
        alarm_bar.addWidget(self.unacknowledged_only)
        alarm_bar.addStretch(1)
        alarm_bar.addWidget(self.alarm_count)
        alarm_bar.addWidget(self.open_button)
        alarm_bar.addWidget(self.acknowledge_button)
        alarms_tab = QWidget()
        alarms_layout = QVBoxLayout(alarms_tab)
        alarms_layout.addLayout(alarm_bar)
        alarms_layout.addWidget(self.alarm_view, 1)

        self.rule_model = RuleTableModel(self)
        self.rule_view = read_only_table(self.rule_model, multi_select=True)
        self.rule_view.setObjectName("ruleTable")
        self.rule_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.rule_view.selectionModel().selectionChanged.connect(self._update_rule_buttons)
        self.enable_button = QPushButton(tr("Enable"))
        self.enable_button.clicked.connect(lambda: self._set_enabled(True))
        self.disable_button = QPushButton(tr("Disable"))
        self.disable_button.clicked.connect(lambda: self._set_enabled(False))
        self.replay_button = QPushButton(
            tr("Replay {REPLAY_DAYS} days").format(REPLAY_DAYS=REPLAY_DAYS)
        )
        self.replay_button.setToolTip(
            tr(
                "Run the rule over the stored history: how many alarms and work orders it would "
                "have raised in the last {REPLAY_DAYS} days"
            ).format(REPLAY_DAYS=REPLAY_DAYS)
        )
        self.replay_button.clicked.connect(self.replay_selected)
        rule_bar = QHBoxLayout()
        rule_bar.addStretch(1)
        rule_bar.addWidget(self.replay_button)
        rule_bar.addWidget(self.disable_button)
        rule_bar.addWidget(self.enable_button)
        self.replay_summary = QLabel(tr("Select a rule and replay it to see what it would raise."))
        self.replay_summary.setObjectName("replaySummary")
        self.replay_summary.setWordWrap(True)
        self.replay_times = QListWidget()
        self.replay_times.setObjectName("replayTimes")
        self.replay_times.setToolTip(
            tr("Each alarm the rule would have raised  →  when it cleared")
        )
        replay_box = QWidget()
        replay_layout = QVBoxLayout(replay_box)
        replay_layout.setContentsMargins(0, 0, 0, 0)
        replay_layout.addWidget(self.replay_summary)
        replay_layout.addWidget(self.replay_times, 1)
        splitter = QSplitter()
        splitter.addWidget(self.rule_view)
        splitter.addWidget(replay_box)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([820, 420])
        rules_tab = QWidget()
        rules_layout = QVBoxLayout(rules_tab)
        rules_layout.addLayout(rule_bar)
        rules_layout.addWidget(splitter, 1)

        self.tabs = QTabWidget()
        self.tabs.addTab(alarms_tab, tr("Alarms"))
        self.tabs.addTab(rules_tab, tr("Condition rules"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.tabs)
        self._replaying: int | None = None
        self.refresh()

    # -- data ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload both lists, keeping the selected alarms and rule selected."""
        chosen = {a.id for a in self.selected_alarms()}
        rows = self.alarm_service.alarms(self.unacknowledged_only.isChecked(), ALARM_ROWS)
        self.alarm_model.set_rows(rows)
        self._select(self.alarm_view, [i for i, a in enumerate(rows) if a.id in chosen])
        waiting = sum(1 for a in rows if a.acknowledged_at is None)
        counted = (
            tr("{value} alarm, {waiting} unacknowledged")
            if len(rows) == 1
            else tr("{value} alarms, {waiting} unacknowledged")
        )
        self.alarm_count.setText(counted.format(value=len(rows), waiting=waiting))
        rule = self.selected_rule()
        rules = self.tag_service.rules()
        self.rule_model.set_rows(rules)
        if rule is not None:
            self._select(self.rule_view, [i for i, r in enumerate(rules) if r.id == rule.id])
        self._update_alarm_buttons()
        self._update_rule_buttons()

    @staticmethod
    def _select(view: QTableView, rows: list[int]) -> None:
        selection = view.selectionModel()
        model = view.model()
        for row in rows:
            selection.select(
                model.index(row, 0),
                selection.SelectionFlag.Select | selection.SelectionFlag.Rows,
            )

    def selected_alarms(self) -> list[AlarmView]:
        rows = sorted(i.row() for i in self.alarm_view.selectionModel().selectedRows())
        return [self.alarm_model.row_at(r) for r in rows]

    def selected_rule(self) -> RuleView | None:
        rows = self.rule_view.selectionModel().selectedRows()
        return self.rule_model.row_at(rows[0].row()) if rows else None

    # -- alarms --------------------------------------------------------------------------

    def acknowledge_selected(self) -> None:
        pending = [a for a in self.selected_alarms() if a.acknowledged_at is None]
        done = 0
        try:
            for alarm in pending:
                self.alarm_service.acknowledge(self.context.actor, alarm.id)
                done += 1
        except WrenchbookError as error:
            messages.show(self, tr("Acknowledge alarms"), messages.explain(error))
        if done:
            self.refresh()
            self.sig_alarms_changed.emit()

    def _on_alarm_activated(self, index: QModelIndex) -> None:
        self._open(self.alarm_model.row_at(index.row()).work_order_number)

    def _on_open_pressed(self) -> None:
        chosen = self.selected_alarms()
        if chosen:
            self._open(chosen[0].work_order_number)

    def _open(self, number: str | None) -> None:
        if number:
            self.sig_work_order_opened.emit(number)

    def _update_alarm_buttons(self) -> None:
        chosen = self.selected_alarms()
        self.acknowledge_button.setEnabled(any(a.acknowledged_at is None for a in chosen))
        self.open_button.setEnabled(any(a.work_order_number for a in chosen[:1]))

    # -- rules ---------------------------------------------------------------------------

    def _set_enabled(self, enabled: bool) -> None:
        rule = self.selected_rule()
        if rule is None:
            return
        try:
            self.tag_service.set_rule_enabled(self.context.actor, rule.id, enabled)
        except WrenchbookError as error:
            verb = "Enable" if enabled else "Disable"
            messages.show(self, tr("{verb} rule").format(verb=verb), messages.explain(error))
            return
        self.refresh()

    def replay_selected(self) -> None:
        rule = self.selected_rule()
        if rule is None:
            return
        self._replaying = rule.id
        self.replay_summary.setText(
            tr("Replaying {name} over the last {REPLAY_DAYS} days…").format(
                name=rule.name, REPLAY_DAYS=REPLAY_DAYS
            )
        )
        self.replay_times.clear()
        self._update_rule_buttons()
        self.replay_runner.start(rule, self.context.clock().timestamp())

    def _on_replay_finished(self, rule: RuleView, result: ReplayResult) -> None:
        self._replaying = None
        self._update_rule_buttons()
        self.replay_summary.setText(
            tr(
                "{name}: over the last {REPLAY_DAYS} days ({samples} samples) it would have "
                "raised {alarms} alarms and up to {work_orders} work orders. Raised → cleared:"
            ).format(
                name=rule.name,
                REPLAY_DAYS=REPLAY_DAYS,
                samples=show_number(result.samples, 0),
                alarms=result.alarms,
                work_orders=result.work_orders,
            )
        )
        self.replay_times.clear()
        cleared = list(result.cleared_at)
        for raised in result.raised_at:
            after = next((c for c in cleared if c >= raised), None)
            end = _stamp_after(after, raised) if after is not None else tr("still active")
            self.replay_times.addItem(f"{_stamp(raised)}  →  {end}")

    def _on_replay_failed(self, rule: RuleView, message: str) -> None:
        self._replaying = None
        self._update_rule_buttons()
        self.replay_summary.setText(tr("Replay of {name} failed.").format(name=rule.name))
        messages.show(
            self,
            tr("Replay"),
            tr("Replay of {name} failed: {error}").format(name=rule.name, error=message),
        )

    def _update_rule_buttons(self) -> None:
        rule = self.selected_rule()
        self.enable_button.setEnabled(rule is not None and not rule.enabled)
        self.disable_button.setEnabled(rule is not None and rule.enabled)
        self.replay_button.setEnabled(rule is not None and self._replaying is None)
