"""The KPI dashboard panel on the hand-worked plant of tests/integration/test_kpi.py."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt, QThreadPool

from tests.integration.test_kpi import NOW, _plant
from ui.background import SynchronousPool
from ui.dashboard.panel import DashboardPanel
from ui.dashboard.tiles import NEUTRAL, WORSE, change_text


@pytest.fixture
def panel(qtbot, app_context):
    _plant(app_context.db)
    app_context.clock = lambda: NOW
    widget = DashboardPanel(app_context, pool=SynchronousPool())
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    return widget


def test_refresh_fills_every_tile_and_the_charts(panel, qtbot):
    with qtbot.waitSignal(panel.sig_dashboard_shown):
        panel.refresh()
    # Period: the 90 days up to 20 March; both failures (8 h and 26 h) are in it.
    assert panel.tiles["mttr"].value.text() == "17.0 h"
    assert panel.tiles["backlog"].value.text() == "0.2 weeks"
    assert panel.tiles["pm_compliance"].value.text() == "n/a"  # no preventive work was due
    assert panel.board.query.end == datetime(2026, 3, 21, tzinfo=UTC)
    assert "calendar hours" in panel.status.text()
    assert set(panel._charts.plots) == {"backlog", "stages", "pm", "mtbf", "mttr", "cost"}


def test_clicking_a_tile_lists_the_work_orders_behind_it(panel, qtbot):
    panel.refresh()
    with qtbot.waitSignal(panel.sig_work_orders_requested) as blocker:
        qtbot.mouseClick(panel.tiles["mttr"], Qt.MouseButton.LeftButton)
    assert blocker.args == [["WO-1", "WO-2"]]


def test_area_filter_recomputes(panel, qtbot):
    panel.refresh()
    with qtbot.waitSignal(panel.sig_dashboard_shown):
        panel.area.setCurrentIndex(panel.area.findData("AREA"))
    assert panel.board.query.area == "AREA"


def test_computes_off_the_ui_thread(qtbot, app_context):
    _plant(app_context.db)
    app_context.clock = lambda: NOW
    widget = DashboardPanel(app_context, pool=QThreadPool())
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.sig_dashboard_shown, timeout=60_000):
        widget.refresh()
    assert widget.tiles["cost"].value.text() == "710"


def test_change_is_coloured_by_whether_it_is_better(panel):
    panel.refresh()
    mttr = panel.board.figure("mttr")
    assert change_text(mttr) == ("no previous figure", NEUTRAL)
    # Downtime in March after none in the 90 days before: availability fell, which is worse.
    text, colour = change_text(panel.board.figure("availability"))
    assert text.startswith("▼")
    assert colour == WORSE
