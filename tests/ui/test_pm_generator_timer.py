"""The in-app PM generator: runs for planners, reports what it made, leaves others alone."""

from __future__ import annotations

from datetime import date

from desktop.domain.pm_rules import IntervalUnit
from desktop.services.pm.pm_schedules import NewSchedule, PMScheduleService
from ui.pm.generator_timer import GeneratorTimer


class SyncPool:
    """Runs each job at once on the calling thread, so the test is deterministic."""

    def start(self, runnable) -> None:
        runnable.run()


def test_timer_generates_due_orders_for_a_planner(qtbot, app_context, actors, clock):
    app_context.clock = clock
    PMScheduleService(app_context.db, clock).create(
        actors["paula"],
        NewSchedule("PM-W", "P-101", "Weekly round", date(2026, 3, 4), 1, IntervalUnit.WEEKS),
    )
    timer = GeneratorTimer(app_context, pool=SyncPool())
    with qtbot.waitSignal(timer.sig_generated) as blocker:
        timer.start()
    assert blocker.args == [1, 0]
    with qtbot.waitSignal(timer.sig_generated) as again:
        timer.run_now()
    assert again.args == [0, 0]
    timer.stop()


def test_timer_does_nothing_for_a_technician(qtbot, app_context, actors):
    app_context.actor = actors["tom"]
    timer = GeneratorTimer(app_context, pool=SyncPool())
    with qtbot.assertNotEmitted(timer.sig_generated):
        timer.start()
    assert not timer.allowed
