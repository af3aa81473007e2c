"""The Alarms page as a user works it: list, acknowledge, open the order, rules and replay."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from PySide6.QtCore import QItemSelectionModel, QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from desktop.domain.condition import Direction, Quality, RuleKind, RuleSpec, Sample
from desktop.plant.historian import write_samples
from desktop.services.condition.alarms import AlarmService, Evidence
from desktop.services.condition.plant_tags import PlantTagService, RuleDraft, TagDraft
from ui.alarms.models import UNACKNOWLEDGED_BRUSH
from ui.alarms.panel import AlarmsPanel
from ui.background import SynchronousPool
from ui.main_window import MainWindow

NS = "urn:example:plant"


@pytest.fixture
def rules(db, actors):
    tags = PlantTagService(db)
    tags.import_tags(
        actors["paula"],
        [
            TagDraft("P-101.Vibration", "P-101", NS, "s=P-101.Vibration", "mm/s"),
            TagDraft("P-101.Temperature", "P-101", NS, "s=P-101.Temperature", "°C"),
        ],
    )
    spec = RuleSpec(RuleKind.THRESHOLD, 7.1, Direction.ABOVE, hysteresis=0.5, on_delay_s=5)
    hot = RuleSpec(RuleKind.THRESHOLD, 80.0, Direction.ABOVE, hysteresis=2.0)
    return [
        tags.add_rule(actors["paula"], RuleDraft("P-101 vibration high", "P-101.Vibration", spec)),
        tags.add_rule(
            actors["paula"],
            RuleDraft("P-101 bearing hot", "P-101.Temperature", hot, enabled=False),
        ),
    ]


@pytest.fixture
def raised(db, actors, rules, clock):
    """Two alarms, the vibration one older; each opened its predictive work order."""
    alarms = AlarmService(db, clock)
    at = clock() - timedelta(hours=2)
    first = alarms.raise_alarm(actors["tom"], rules[0].id, at, 7.4, "7.4 above 7.1", Evidence(b"c"))
    second = alarms.raise_alarm(
        actors["tom"], rules[1].id, at + timedelta(hours=1), 83.0, "83 above 80", Evidence(b"c")
    )
    return [first, second]


def make_panel(qtbot, context) -> AlarmsPanel:
    panel = AlarmsPanel(context, pool=SynchronousPool())
    qtbot.addWidget(panel)
    panel.resize(1300, 600)
    panel.show()
    return panel


def select_row(view, row: int, extend: bool = False) -> None:
    flags = QItemSelectionModel.SelectionFlag.Rows | (
        QItemSelectionModel.SelectionFlag.Select
        if extend
        else QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    view.selectionModel().setCurrentIndex(view.model().index(row, 0), flags)


def cell(model, row: int, title: str) -> str:
    column = next(
        c
        for c in range(model.columnCount())
        if model.headerData(c, Qt.Orientation.Horizontal) == title
    )
    return model.index(row, column).data()


def test_models_pass_the_model_tester(qtmodeltester, qtbot, app_context, raised):
    panel = make_panel(qtbot, app_context)
    qtmodeltester.check(panel.alarm_model)
    qtmodeltester.check(panel.rule_model)


def test_alarms_are_listed_newest_first_with_their_work_orders(qtbot, app_context, raised):
    panel = make_panel(qtbot, app_context)
    model = panel.alarm_model
    assert model.rowCount() == 2
    assert cell(model, 0, "Rule") == "P-101 bearing hot"
    assert cell(model, 1, "Rule") == "P-101 vibration high"
    assert cell(model, 1, "Tag") == "P-101.Vibration"
    assert cell(model, 1, "Asset") == "P-101"
    assert cell(model, 1, "Message") == "7.4 above 7.1"
    assert cell(model, 1, "Work order").startswith(raised[0].work_order_number)
    assert cell(model, 1, "State") == "active"
    background = model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole)
    assert background == UNACKNOWLEDGED_BRUSH
    assert panel.alarm_count.text() == "2 alarms, 2 unacknowledged"


def test_acknowledging_the_selected_alarms_records_who(qtbot, app_context, raised):
    panel = make_panel(qtbot, app_context)
    assert not panel.acknowledge_button.isEnabled()
    select_row(panel.alarm_view, 0)
    select_row(panel.alarm_view, 1, extend=True)
    with qtbot.waitSignal(panel.sig_alarms_changed):
        qtbot.mouseClick(panel.acknowledge_button, Qt.MouseButton.LeftButton)
    model = panel.alarm_model
    for row in range(2):
        assert cell(model, row, "Acknowledged by") == "paula"
        assert cell(model, row, "State") == "active"
        assert model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    assert AlarmService(app_context.db).alarms(unacknowledged_only=True) == []
    assert not panel.acknowledge_button.isEnabled()
    panel.unacknowledged_only.setChecked(True)
    assert model.rowCount() == 0


def test_a_viewer_is_refused_and_told_why(qtbot, app_context, actors, raised):
    context = replace(app_context, actor=actors["vic"])
    panel = make_panel(qtbot, context)
    select_row(panel.alarm_view, 0)
    qtbot.mouseClick(panel.acknowledge_button, Qt.MouseButton.LeftButton)
    box = panel.findChild(QMessageBox, "messageBox")
    assert box is not None
    assert box.isVisible()
    assert "acknowledge alarms" in box.text()
    assert len(AlarmService(app_context.db).alarms(unacknowledged_only=True)) == 2
    assert cell(panel.alarm_model, 0, "Acknowledged by") == ""


def test_enter_and_double_click_open_the_alarms_work_order(qtbot, app_context, raised):
    panel = make_panel(qtbot, app_context)
    select_row(panel.alarm_view, 1)
    panel.alarm_view.setFocus()
    with qtbot.waitSignal(panel.sig_work_order_opened) as opened:
        qtbot.keyClick(panel.alarm_view.viewport(), Qt.Key.Key_Return)
    assert opened.args == [raised[0].work_order_number]
    rect = panel.alarm_view.visualRect(panel.alarm_model.index(0, 1))
    # A real double-click starts with a press; QTest's double-click event alone has none.
    qtbot.mouseClick(panel.alarm_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(panel.sig_work_order_opened) as opened:
        qtbot.mouseDClick(panel.alarm_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [raised[1].work_order_number]


def test_rules_are_listed_and_can_be_enabled(qtbot, app_context, rules):
    panel = make_panel(qtbot, app_context)
    model = panel.rule_model
    assert cell(model, 0, "Kind") == "threshold"
    assert cell(model, 0, "Limits") == "above 7.1 mm/s"
    assert cell(model, 0, "Hysteresis") == "0.5"
    assert cell(model, 0, "On-delay") == "5 s"
    assert cell(model, 1, "Enabled") == "no"
    select_row(panel.rule_view, 1)
    assert panel.enable_button.isEnabled()
    assert not panel.disable_button.isEnabled()
    qtbot.mouseClick(panel.enable_button, Qt.MouseButton.LeftButton)
    assert cell(model, 1, "Enabled") == "yes"
    assert PlantTagService(app_context.db).rule(rules[1].id).enabled
    assert panel.disable_button.isEnabled()
    assert not panel.enable_button.isEnabled()


def test_replay_shows_what_the_rule_would_have_raised(qtbot, app_context, rules, clock):
    rule = rules[0]
    start = (clock() - timedelta(days=2)).timestamp()
    values = [6.0] * 60 + [8.0] * 20 + [6.0] * 30
    write_samples(
        app_context.db,
        [Sample(rule.tag_id, start + i, v, Quality.GOOD) for i, v in enumerate(values)],
    )
    panel = make_panel(qtbot, app_context)
    panel.tabs.setCurrentIndex(1)
    assert not panel.replay_button.isEnabled()
    select_row(panel.rule_view, 0)
    with qtbot.waitSignal(panel.replay_runner.sig_finished):
        qtbot.mouseClick(panel.replay_button, Qt.MouseButton.LeftButton)
    summary = panel.replay_summary.text()
    assert "would have raised 1 alarms and up to 1 work orders" in summary
    assert "110 samples" in summary
    assert panel.replay_times.count() == 1
    # Above the limit from sample 60, held by the 5 s on-delay; back below at sample 80.
    assert panel.replay_times.item(0).text() == "2026-02-28 08:01:05  →  08:01:20"


def test_the_navigation_counts_unacknowledged_alarms(qtbot, app_context, raised, tmp_path):
    settings = QSettings(str(tmp_path / "workstation.ini"), QSettings.Format.IniFormat)
    window = MainWindow(app_context, settings, "SQLite: test", watch=False)
    qtbot.addWidget(window)
    row = next(
        i for i in range(window.navigation.count()) if "Alarms" in window.navigation.item(i).text()
    )
    assert window.navigation.item(row).text() == "Alarms  (2)"
    panel = window.show_page("alarms")
    assert isinstance(panel, AlarmsPanel)
    select_row(panel.alarm_view, 0)
    qtbot.mouseClick(panel.acknowledge_button, Qt.MouseButton.LeftButton)
    assert window.navigation.item(row).text() == "Alarms  (1)"
