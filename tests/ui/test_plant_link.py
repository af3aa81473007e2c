"""The desktop's plant link against the real built-in simulator over loopback."""

from __future__ import annotations

import os
import signal

from desktop.plant.pipeline_process import CHILD_NICE
from desktop.services.condition.plant_tags import PlantTagService
from tests.integration.simulator_process import process_gone
from ui.plant_link import PlantLink, free_port
from ui.trends.panel import TrendsPanel


def _started(qtbot, link: PlantLink) -> list[str]:
    """The link started (its pipeline process spawned); what its status shows from now on."""
    states: list[str] = []
    link.sig_status_changed.connect(states.append)
    with qtbot.waitSignal(link.sig_ready, timeout=60_000):
        link.start()
    return states


def test_demo_link_starts_the_simulator_and_feeds_the_trends(qtbot, app_context):
    # The seeded plant has no mapped tags: the link still connects and says so.
    link = PlantLink(app_context, None, simulate=True)
    states = _started(qtbot, link)
    try:
        qtbot.waitUntil(lambda: "OPC UA: connected" in states, timeout=30_000)
        panel = TrendsPanel(app_context)
        qtbot.addWidget(panel)
        link.attach(panel)
        assert link.pid is not None
        assert link.endpoint.startswith("opc.tcp://127.0.0.1:")
        assert PlantTagService(app_context.db).tags() == []
    finally:
        link.stop()


def test_unreachable_server_is_reported_not_raised(qtbot, app_context):
    link = PlantLink(app_context, "opc.tcp://127.0.0.1:1/nothing", simulate=False)
    states = _started(qtbot, link)
    try:
        qtbot.waitUntil(lambda: any("reconnect" in s for s in states), timeout=30_000)
    finally:
        link.stop()


def test_the_status_bar_names_the_failure_and_its_fix_and_the_next_try(qtbot, app_context):
    endpoint = f"opc.tcp://127.0.0.1:{free_port()}/nothing"
    link = PlantLink(app_context, endpoint, simulate=False)
    states = _started(qtbot, link)
    expected = (
        f"OPC UA: waiting to reconnect: cannot connect to {endpoint}: connection refused, no "
        "OPC UA server listens there; start the server or correct the endpoint (next try in 0.5 s)"
    )
    try:
        qtbot.waitUntil(lambda: expected in states, timeout=30_000)
    finally:
        link.stop()


def test_a_dead_pipeline_process_is_reported_and_started_again(qtbot, app_context):
    link = PlantLink(app_context, None, simulate=True)
    states = _started(qtbot, link)
    try:
        qtbot.waitUntil(lambda: "OPC UA: connected" in states, timeout=30_000)
        first = link.pid
        assert first is not None
        states.clear()
        os.kill(first, signal.SIGKILL)
        qtbot.waitUntil(lambda: bool(states), timeout=30_000)
        assert states[0] == (
            "OPC UA: waiting to reconnect: the monitoring process ended unexpectedly "
            f"(exit code {-signal.SIGKILL}) (next try in 1 s)"
        )
        qtbot.waitUntil(lambda: "OPC UA: connected" in states, timeout=60_000)
        assert link.pid not in (None, first)
    finally:
        link.stop()


def test_stopping_the_link_ends_the_pipeline_process(qtbot, app_context):
    """What closing the window does (MainWindow.closeEvent stops the link): no orphan."""
    link = PlantLink(app_context, None, simulate=True)
    _started(qtbot, link)
    pid = link.pid
    assert pid is not None
    # Below the UI's priority, so a busy machine runs the Qt thread first.
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    assert os.getpriority(os.PRIO_PROCESS, pid) == min(ours + CHILD_NICE, 19)
    link.stop()
    assert process_gone(pid)
