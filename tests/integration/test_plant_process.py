"""The plant pipeline in its own process (desktop.plant.pipeline_process), against the real
simulator over loopback: what crosses the boundary, the child's database writes beside the
parent's, and that the child never outlives its parent."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from desktop.domain.enums import WorkOrderType
from desktop.plant.buffer import SampleBlock
from desktop.plant.client import ClientStatus, LinkState
from desktop.plant.connection import Connection
from desktop.plant.historian import Historian
from desktop.plant.pipeline_process import PipelineProcess, PipelineSpec, Ready, Status
from desktop.plant.simulator import NAMESPACE_URI, SimulatorOptions
from desktop.services.condition.plant_tags import TagDraft
from desktop.services.orders.work_orders import SearchFilter, WorkOrderService
from tests.integration.pump_watch import PUMP, watch_pump_vibration
from tests.integration.simulator_process import free_port, process_gone, wait_for
from tests.integration.workflow import raise_order

ROOT = Path(__file__).resolve().parents[2]


# On PostgreSQL this once met a deadlock in the row-audit trigger (the number counter and the
# audit head locked in opposite orders); writers now take the audit chain first (0021).
@pytest.mark.both_engines
def test_the_child_streams_shown_tags_raises_the_order_and_writes_beside_the_parent(
    db, actors, tmp_path
):
    temperature_draft = TagDraft(
        "P1.Temperature", "P-101", NAMESPACE_URI, f"s={PUMP}.BearingTemperature"
    )
    tags = watch_pump_vibration(db, actors["paula"], temperature_draft)
    vibration, temperature = (t.id for t in tags.tags())
    # At 3000x the bearing passes 7.1 mm/s a few seconds after the server starts; the
    # simulator runs in the child, as the demo's does.
    options = SimulatorOptions(
        port=free_port(), speed=3000, rate_hz=5, max_tags=10, pki_dir=tmp_path / "pki-sim"
    )
    spec = PipelineSpec(db.url, actors["tom"], Connection(options.endpoint), options)
    process = PipelineProcess(spec)
    process.show(frozenset({vibration}))
    process.start()
    messages: list[object] = []
    work_orders = WorkOrderService(db)
    predictive = SearchFilter(types=(WorkOrderType.PREDICTIVE,))
    raised_here = 0

    def take() -> list[object]:
        messages.extend(process.receive())
        return messages

    def statuses() -> list[ClientStatus]:
        return [m.status for m in take() if isinstance(m, Status)]

    try:
        wait_for(lambda: any(isinstance(m, Ready) for m in take()), what="the pipeline")
        wait_for(lambda: any(s.state is LinkState.CONNECTED for s in statuses()), what="connection")

        def order_raised_while_the_parent_writes() -> bool:
            nonlocal raised_here
            # The UI process writes too (a planner raising work) while the child writes
            # history, samples and the alarm's order: neither locks the other out.
            raise_order(work_orders, actors["paula"], "C-201")
            raised_here += 1
            return work_orders.count(predictive) == 1

        wait_for(order_raised_while_the_parent_writes, what="the alarm's predictive order")
        wait_for(lambda: sum(isinstance(m, SampleBlock) for m in take()) >= 5, what="live blocks")
    finally:
        process.stop()
    # Stopped when asked, it drained its writers and said what reached the historian: all.
    assert process.finished is not None
    assert process.finished.delivered > 0
    assert process.finished.historian_received == process.finished.delivered
    assert process.finished.historian_dropped == 0
    connected = next(s for s in statuses() if s.state is LinkState.CONNECTED)
    # The status crosses whole: what the server granted, per tag, for the tag list.
    assert {g.tag_id for g in connected.grants} == {vibration, temperature}
    assert connected.sampling
    blocks = [m for m in messages if isinstance(m, SampleBlock)]
    assert {int(t) for b in blocks for t in b.tag_ids} == {vibration}
    last_shown = max(float(b.ts.max()) for b in blocks)
    historian = Historian(db)
    # Drained at stop: the history reaches the last sample the UI was shown.
    latest = historian.latest(vibration)
    assert latest is not None
    assert latest[0] >= last_shown
    assert historian.count(temperature) > 0
    assert raised_here >= 1
    assert work_orders.count(predictive) == 1


def test_a_failure_to_build_the_pipeline_is_sent_as_text_and_the_child_exits(db, actors, tmp_path):
    spec = PipelineSpec(
        f"sqlite:///{tmp_path / 'empty.sqlite3'}",  # no schema: the tag list cannot be read
        actors["tom"],
        Connection("opc.tcp://127.0.0.1:1/nothing"),
    )
    process = PipelineProcess(spec).start()
    messages: list[object] = []
    try:
        wait_for(lambda: messages.extend(process.receive()) or not process.running, what="exit")
        messages.extend(process.receive())
    finally:
        process.stop()
    failed = [m for m in messages if type(m).__name__ == "Failed"]
    assert len(failed) == 1
    assert "no such table" in failed[0].message


def test_the_child_stops_by_itself_when_its_parent_dies(db, actors):
    """The app killed (or crashed) without stop(): no orphan keeps the server busy."""
    script = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from desktop.domain.enums import Role
        from desktop.domain.permissions import Actor
        from desktop.plant.connection import Connection
        from desktop.plant.pipeline_process import PipelineProcess, PipelineSpec, Status

        if __name__ == "__main__":
            actor = Actor({actors["tom"].user_id}, "tom", Role({actors["tom"].role.value!r}))
            spec = PipelineSpec({db.url!r}, actor, Connection("opc.tcp://127.0.0.1:1/x"))
            process = PipelineProcess(spec).start()
            while not any(isinstance(m, Status) for m in process.receive()):
                time.sleep(0.1)
            print(process.pid, flush=True)
            time.sleep(600)
        """
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    try:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        assert not process_gone(child)
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        wait_for(lambda: process_gone(child), what="the orphaned child to stop")
    finally:
        parent.kill()
        parent.wait(10)
