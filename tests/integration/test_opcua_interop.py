"""The OPC UA client against node-opcua, a server not written here (issue 22 item 4): browse,
sampling at the asked rate, certificates refused then trusted on both sides, a wrong password,
and a server killed and restarted. Our simulator is asyncua, like our client, so it cannot show
where another vendor's server behaves differently."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from desktop.domain.condition import Quality
from desktop.plant.browse import browse, propose_mapping
from desktop.plant.buffer import SampleBuffer
from desktop.plant.client import LinkState, OpcUaClientThread, TagNode
from desktop.plant.connection import Connection, Security
from desktop.plant.pki import Pki
from tests.integration.node_opcua_process import NAMESPACE, NodeOpcUaServer
from tests.integration.simulator_process import wait_for

SPEED = TagNode(1, NAMESPACE, "s=FeedPump.Speed", 100)
TEMPERATURE = TagNode(2, NAMESPACE, "s=FeedPump.Temperature", 1000)


@pytest.fixture
def server(tmp_path):
    node = NodeOpcUaServer(tmp_path / "server-pki").start()
    yield node
    node.stop()


def test_browse_lists_the_pump_with_units_and_marks_the_array(server):
    variables = {v.path: v for v in asyncio.run(browse(Connection(server.endpoint)))}
    speed = variables[("Line1", "FeedPump", "Speed")]
    assert (speed.namespace_uri, speed.node_id, speed.unit) == (
        NAMESPACE,
        "s=FeedPump.Speed",
        "r/min",
    )
    assert variables[("Line1", "FeedPump", "Temperature")].unit == "°C"
    spectrum = variables[("Line1", "FeedPump", "Spectrum")]
    assert (spectrum.numeric, spectrum.not_mappable) == (False, "array")
    # No asset here is called FeedPump: the proposal goes by structure, one asset per object.
    drafts = {d.node_id: d for d in propose_mapping(list(variables.values()), set())}
    assert {"s=FeedPump.Speed", "s=FeedPump.Temperature", "s=FeedPump.Running"} <= set(drafts)
    assert "s=FeedPump.Spectrum" not in drafts
    assert len({d.asset_code for d in drafts.values() if "FeedPump" in d.node_id}) == 1


def test_each_tag_is_sampled_at_the_rate_it_asked(server):
    buffer = SampleBuffer()
    client = OpcUaClientThread(Connection(server.endpoint), [SPEED, TEMPERATURE], [buffer])
    client.start()
    seen: Counter[int] = Counter()
    try:
        wait_for(lambda: client.status.state is LinkState.CONNECTED, what="the connection")
        assert {g.tag_id: g.revised_ms for g in client.grants.values()} == {1: 100, 2: 1000}

        def three_seconds_of_speed() -> bool:
            seen.update(s.tag_id for s in buffer.drain() if s.quality is Quality.GOOD)
            return seen[1] >= 30

        # A value that changes all the time, sampled every 100 ms: ~10 values a second, not
        # one per connection (what a sampling interval of 0 gave on some servers).
        wait_for(three_seconds_of_speed, timeout_s=30, what="30 samples of Speed")
    finally:
        client.stop()
    assert seen[2] < seen[1] / 3  # the 1000 ms tag is sampled ten times less often
    assert not any("fewer" in line or "changes only" in line for line in client.status.sampling)


def test_certificates_are_refused_then_trusted_on_both_sides(tmp_path):
    server = NodeOpcUaServer(tmp_path / "server-pki", "--secure-only").start()
    client_pki = tmp_path / "client-pki"
    buffer = SampleBuffer()
    conn = Connection(server.endpoint, Security.SIGN_AND_ENCRYPT, pki_dir=client_pki)
    client = OpcUaClientThread(conn, [SPEED], [buffer]).start()
    try:
        wait_for(lambda: client.status.state is LinkState.UNTRUSTED, what="our refusal")
        assert buffer.received == 0
        Pki(client_pki).trust(client.status.untrusted_thumbprint or "")
        wait_for(
            lambda: "refused this workstation's certificate" in client.status.message,
            what="node-opcua refusing our certificate",
        )
        assert server.trust_rejected_clients() == 1
        wait_for(lambda: client.status.state is LinkState.CONNECTED, what="the secure link")
        wait_for(lambda: buffer.received >= 3, what="samples over the encrypted channel")
    finally:
        client.stop()
        server.stop()


def test_a_wrong_password_is_named_and_retried(tmp_path):
    # Passwords travel encrypted only (our client refuses to send one over security None).
    server = NodeOpcUaServer(
        tmp_path / "server-pki", "--secure-only", "--accept-clients", "--login", "op:s3cret"
    ).start()
    client_pki = tmp_path / "client-pki"

    def client(password: str) -> OpcUaClientThread:
        conn = Connection(server.endpoint, Security.SIGN_AND_ENCRYPT, "op", password, client_pki)
        return OpcUaClientThread(conn, [SPEED], []).start()

    wrong = client("wrong")
    try:
        wait_for(lambda: wrong.status.state is LinkState.UNTRUSTED, what="our refusal")
        Pki(client_pki).trust(wrong.status.untrusted_thumbprint or "")
        refusals: list[tuple[int, str]] = []

        def refused(times: int) -> bool:
            status = wrong.status
            if "refused the login op" in status.message:
                refusals.append((status.attempt, status.message))
            return len({attempt for attempt, _ in refusals}) >= times

        wait_for(lambda: refused(2), what="the login refused, then refused again on a retry")
        assert wrong.counters.connects == 0
        assert "check the OPC UA user name and password" in refusals[0][1]
    finally:
        wrong.stop()
    right = client("s3cret")
    try:
        wait_for(lambda: right.status.state is LinkState.CONNECTED, what="the right login")
    finally:
        right.stop()
        server.stop()


def test_a_killed_server_leaves_a_gap_and_the_client_reconnects_when_it_is_back(tmp_path):
    server = NodeOpcUaServer(tmp_path / "server-pki").start()
    buffer = SampleBuffer()
    client = OpcUaClientThread(Connection(server.endpoint), [SPEED], [buffer]).start()
    qualities: Counter[Quality] = Counter()

    def drained() -> Counter[Quality]:
        qualities.update(s.quality for s in buffer.drain())
        return qualities

    try:
        wait_for(lambda: drained()[Quality.GOOD] >= 5, what="samples before the kill")
        server.kill()
        wait_for(lambda: client.status.state is not LinkState.CONNECTED, what="the loss")
        wait_for(lambda: drained()[Quality.CONNECTION_LOST] >= 1, what="the gap")
        good_before = qualities[Quality.GOOD]
        server.start()  # same port, same certificate
        wait_for(lambda: client.status.state is LinkState.CONNECTED, what="the reconnect")
        wait_for(lambda: drained()[Quality.GOOD] >= good_before + 5, what="samples again")
        assert client.counters.connects >= 2
    finally:
        client.stop()
        server.stop()
