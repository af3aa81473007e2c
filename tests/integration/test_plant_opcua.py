"""The OPC UA client against the real simulator over loopback: no mocked client anywhere."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from desktop.domain.condition import Quality
from desktop.domain.enums import WorkOrderType
from desktop.plant.browse import browse, propose_mapping
from desktop.plant.buffer import SampleBuffer
from desktop.plant.client import LinkState, OpcUaClientThread, TagNode
from desktop.plant.connection import Connection, Security
from desktop.plant.historian import Historian
from desktop.plant.runtime import MonitoringRuntime
from desktop.plant.simulator import NAMESPACE_URI, SimulatorOptions, SimulatorThread
from desktop.services.orders.work_orders import SearchFilter, WorkOrderService
from tests.integration.pump_watch import PUMP, watch_pump_vibration
from tests.integration.simulator_process import SimulatorProcess, free_port, wait_for

SENSOR = "BOT-SYR-SUG-HX1-TT1"


def node(tag_id: int, name: str) -> TagNode:
    return TagNode(tag_id, NAMESPACE_URI, f"s={name}")


@pytest.fixture
def simulator():
    sim = SimulatorProcess("--rate", "10", "--tags", "20").start()
    yield sim
    sim.stop()


def test_subscribes_and_receives_batches_of_every_numeric_width(simulator):
    buffer = SampleBuffer()
    tags = [
        node(1, f"{PUMP}.Vibration"),  # Double
        node(2, f"{PUMP}.BearingTemperature"),  # Float
        node(3, f"{PUMP}.Running"),  # Boolean
        node(4, f"{PUMP}.Starts"),  # UInt32
        node(5, "no-such-node"),
        TagNode(6, "urn:nobody", "s=x"),
    ]
    client = OpcUaClientThread(Connection(simulator.endpoint), tags, [buffer]).start()
    try:
        wait_for(lambda: client.status.state is LinkState.CONNECTED, what="connection")
        assert sorted(client.status.unresolved_tags) == [5, 6]
        seen: Counter[int] = Counter()

        def enough() -> bool:
            seen.update(s.tag_id for s in buffer.drain() if s.quality is Quality.GOOD)
            return seen[1] >= 20 and seen[2] >= 20 and seen[3] and seen[4]

        wait_for(enough, what="20 samples of the analog tags")
    finally:
        client.stop()
    assert client.counters.batches < client.counters.notifications
    assert buffer.dropped == 0


def test_bad_uncertain_and_non_numeric_values_become_gaps(simulator):
    buffer = SampleBuffer()
    tags = [node(1, f"{SENSOR}.Temperature"), node(2, f"{SENSOR}.DeviceStatus")]
    client = OpcUaClientThread(Connection(simulator.endpoint), tags, [buffer]).start()
    qualities: Counter[tuple[int, Quality]] = Counter()

    def all_kinds_seen() -> bool:
        for sample in buffer.drain():
            qualities[(sample.tag_id, sample.quality)] += 1
            assert (sample.value is None) == (sample.quality is not Quality.GOOD)
        return all(
            qualities[k]
            for k in (
                (1, Quality.GOOD),
                (1, Quality.UNCERTAIN),
                (1, Quality.BAD),
                (1, Quality.NOT_NUMERIC),  # NaN
                (2, Quality.NOT_NUMERIC),  # a string
            )
        )

    try:
        wait_for(all_kinds_seen, what="good, uncertain, bad and non-numeric samples")
        assert client.status.state is LinkState.CONNECTED
    finally:
        client.stop()


def test_browsing_proposes_a_mapping_to_the_assets_by_namespace_uri(simulator):
    variables = asyncio.run(browse(Connection(simulator.endpoint)))
    vibration = next(v for v in variables if v.path[-1] == "Vibration" and v.parent == PUMP)
    assert vibration.path[0] == "Plant"
    assert (vibration.namespace_uri, vibration.node_id) == (NAMESPACE_URI, f"s={PUMP}.Vibration")
    assert vibration.unit == "mm/s"
    drafts = {d.name: d for d in propose_mapping(variables, {PUMP})}
    assert drafts[f"{PUMP}.Vibration"].asset_code == PUMP
    assert drafts[f"{PUMP}.RuntimeHours"].kind.value == "counter"
    assert drafts[f"{PUMP}.Running"].kind.value == "state"
    assert not any(name.startswith(SENSOR) for name in drafts)


def test_secure_connection_refuses_an_unknown_server_until_it_is_trusted(tmp_path):
    server_pki, client_pki = tmp_path / "server", tmp_path / "client"
    sim = SimulatorProcess(
        "--tags", "5", "--pki", str(server_pki), "--login", "op:s3cret", "--no-anonymous"
    ).start()
    buffer = SampleBuffer()
    conn = Connection(sim.endpoint, Security.SIGN_AND_ENCRYPT, "op", "s3cret", client_pki)
    client = OpcUaClientThread(conn, [node(1, f"{PUMP}.Vibration")], [buffer]).start()
    try:
        wait_for(lambda: client.status.state is LinkState.UNTRUSTED, what="refusal")
        thumbprint = client.status.untrusted_thumbprint
        assert (client_pki / "rejected" / f"{thumbprint}.der").is_file()
        assert buffer.received == 0
        client.trust_server(thumbprint)
        wait_for(lambda: client.status.state is LinkState.CONNECTED, what="secure connection")
        wait_for(lambda: buffer.received >= 2, what="samples over the encrypted channel")
    finally:
        client.stop()
        sim.stop()


def test_a_wrong_password_is_reported_and_retried_not_crashed(tmp_path):
    sim = SimulatorProcess("--tags", "5", "--login", "op:s3cret", "--no-anonymous").start()
    conn = Connection(sim.endpoint, Security.NONE, "op", "wrong")
    client = OpcUaClientThread(conn, [node(1, f"{PUMP}.Vibration")], []).start()
    try:
        wait_for(lambda: client.status.attempt >= 2, what="a second attempt")
        assert client.status.state in (LinkState.RECONNECTING, LinkState.CONNECTING)
        assert client.counters.connects == 0
    finally:
        client.stop()
        sim.stop()


def test_server_restart_reconnects_records_the_gap_and_raises_no_second_order(db, actors):
    tags = watch_pump_vibration(db, actors["paula"])
    # At 3000x the bearing passes 7.1 mm/s a few seconds after the server starts.
    sim = SimulatorProcess("--rate", "5", "--tags", "10", "--speed", "3000").start()
    runtime = MonitoringRuntime(db, actors["tom"], Connection(sim.endpoint)).start()
    work_orders = WorkOrderService(db)
    predictive = SearchFilter(types=(WorkOrderType.PREDICTIVE,))
    try:
        wait_for(lambda: work_orders.count(predictive) == 1, what="the first alarm's order")
        sim.stop()
        wait_for(lambda: runtime.client.status.state is not LinkState.CONNECTED, what="loss")
        # Slower this time: the bearing should still look healthy when the client is back
        # (after up to ~8 s of backoff), so the rule clears before it fires again.
        sim = SimulatorProcess("--rate", "5", "--tags", "10", "--speed", "500", port=sim.port)
        sim.start()
        wait_for(lambda: runtime.client.counters.connects == 2, what="the reconnection")
        # The restarted plant starts healthy and wears again: the rule clears and fires again.
        wait_for(
            lambda: (
                [e.event.change.value for e in runtime.monitor.recent_events()]
                == ["raised", "cleared", "raised"]
            ),
            what="the rule to clear and fire again",
        )
    finally:
        runtime.stop()
        sim.stop()
    assert work_orders.count(predictive) == 1
    tag_id = tags.tags()[0].id
    gaps = Historian(db).gaps(tag_id, 0, 2e10)
    assert Quality.CONNECTION_LOST in {q for _, q in gaps}


def test_the_app_can_run_the_simulator_on_a_thread_of_its_own():
    sim = SimulatorThread(SimulatorOptions(port=free_port(), max_tags=3)).start()
    buffer = SampleBuffer()
    client = OpcUaClientThread(Connection(sim.endpoint), [node(1, f"{PUMP}.Vibration")], [buffer])
    client.start()
    try:
        wait_for(lambda: buffer.received >= 2, what="samples from the in-process simulator")
    finally:
        client.stop()
        sim.stop()
