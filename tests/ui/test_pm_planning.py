"""The PM planning calendar as a planner uses it: week and month views, load, drag to reschedule."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import Qt

from desktop.domain.pm_rules import Blackout, IntervalUnit, OnOpen
from desktop.services.assets.site_calendar import CalendarSettings, SiteCalendarService
from desktop.services.orders.work_orders import WorkOrderService
from desktop.services.pm.pm_generator import PMGenerator
from desktop.services.pm.pm_schedules import NewSchedule, PMScheduleService
from ui.pm.planning_panel import PlanningPanel


@pytest.fixture
def panel(qtbot, app_context, actors, clock):
    db = app_context.db
    app_context.clock = clock
    SiteCalendarService(db, clock).configure(
        actors["paula"], CalendarSettings("mon-fri", "06:00-14:00", "DE", "BY")
    )
    PMScheduleService(db, clock).create(
        actors["paula"],
        NewSchedule(
            "PM-W", "P-101", "Weekly round", date(2026, 3, 4), 1, IntervalUnit.WEEKS,
            estimate_hours=20.0, craft="mechanical", on_open=OnOpen.STACK,
            blackouts=(Blackout(date(2026, 3, 5), date(2026, 3, 5), "line trial"),),
        ),
    )  # fmt: skip
    PMGenerator(db, clock).run(actors["paula"])
    widget = PlanningPanel(app_context)
    qtbot.addWidget(widget)
    widget.resize(1100, 600)
    return widget


def _cell(panel, group: str, day: date) -> str:
    model = panel.load_model
    row = next(r for r in range(model.rowCount()) if model.headerData(r, Qt.Vertical) == group)
    column = panel.days().index(day)
    return model.data(model.index(row, column))


def test_week_view_shows_the_load_against_capacity_and_marks_overload(panel, qtmodeltester):
    qtmodeltester.check(panel.load_model)
    qtmodeltester.check(panel.work_model)
    assert panel.days()[0] == date(2026, 3, 2)
    assert len(panel.days()) == 7
    # 20 h of PM on Wednesday against 2 mechanical technicians × 8 h.
    assert _cell(panel, "mechanical", date(2026, 3, 4)) == "20 / 16 h"
    model = panel.load_model
    index = model.index(0, 2)
    assert model.data(index, Qt.BackgroundRole) is not None
    assert "Weekly round" in model.data(index, Qt.ToolTipRole)


def test_month_view_and_paging(panel, qtbot, app_context):
    panel.span_box.setCurrentText("Month")
    days = panel.days()
    assert (days[0], days[-1]) == (date(2026, 3, 1), date(2026, 3, 31))
    forecast = [panel.work_model.item(r) for r in range(panel.work_model.rowCount())]
    assert [p.day for p in forecast] == [date(2026, 3, d) for d in (4, 11, 18, 25)]
    assert [p.is_forecast for p in forecast] == [False, True, True, True]
    qtbot.mouseClick(panel.next_button, Qt.LeftButton)
    assert panel.days()[0] == date(2026, 4, 1)
    panel.grab().save(str(app_context.data_dir / "pm_month.png"))


def test_technician_view_lists_each_technician(panel):
    panel.grouping_box.setCurrentText("By technician")
    groups = {
        panel.load_model.headerData(r, Qt.Vertical) for r in range(panel.load_model.rowCount())
    }
    assert {"tom", "tina", "mechanical (unassigned)"} <= groups


def test_dragging_an_order_to_another_day_reschedules_it(panel, qtbot, app_context):
    work = panel.work_model
    row = next(r for r in range(work.rowCount()) if not work.item(r).is_forecast)
    number = work.item(row).work_order
    mime = work.mimeData([work.index(row, 0)])
    # The blackout day is refused, with the reason shown, and nothing moves.
    thursday = panel.load_model.index(0, 3)
    assert not panel.load_model.dropMimeData(mime, Qt.MoveAction, -1, -1, thursday)
    assert "line trial" in panel.message()
    with qtbot.waitSignal(panel.sig_rescheduled):
        friday = panel.load_model.index(0, 4)
        assert panel.load_model.dropMimeData(mime, Qt.MoveAction, -1, -1, friday)
    assert panel.message() == ""
    moved = WorkOrderService(app_context.db).get(number).row
    assert moved.scheduled_start == datetime(2026, 3, 6, 5, 0, tzinfo=UTC)
    assert _cell(panel, "mechanical", date(2026, 3, 6)) == "20 / 16 h"
    panel.grab().save(str(app_context.data_dir / "pm_week.png"))
