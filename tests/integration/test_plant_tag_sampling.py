"""Issue 22: a sampling interval per tag, kept in the database and asked of the server, and a
warning when a server delivers far fewer values than a tag asks for (real simulator, loopback).
"""

from __future__ import annotations

import re

import pytest

from desktop.cli import main
from desktop.domain.errors import ValidationFailed
from desktop.plant.client import LinkState, OpcUaClientThread, TagNode
from desktop.plant.connection import Connection
from desktop.plant.runtime import MonitoringRuntime
from desktop.plant.simulator import NAMESPACE_URI as SIM_NAMESPACE
from desktop.services.condition.plant_tags import PlantTagService, TagDraft, read_mapping_csv
from desktop.services.shared.audit import entries_for
from tests.conftest import PASSWORD
from tests.integration.refusing_server import NAMESPACE as REFUSING_NS
from tests.integration.refusing_server import RefusingServer
from tests.integration.simulator_process import SimulatorProcess, wait_for
from ui.plant_link import status_text

PUMP = "BOT-SYR-SUG-P1"
HEADER = "name,asset,namespace_uri,node_id,unit,kind"


def _csv(*rows: str, header: str = HEADER + ",sampling_ms") -> str:
    return "\n".join((header, *rows)) + "\n"


@pytest.mark.both_engines
def test_a_tag_keeps_its_own_interval_from_the_import_file_and_the_cli(
    db, db_url, actors, capsys, monkeypatch
):
    monkeypatch.setenv("WRENCHBOOK_PASSWORD", PASSWORD)
    service = PlantTagService(db)
    drafts = read_mapping_csv(
        _csv(
            f"P1.Speed,P-101,{SIM_NAMESPACE},s={PUMP}.Speed,rpm,analog,250",
            f"P1.Vibration,P-101,{SIM_NAMESPACE},s={PUMP}.Vibration,mm/s,analog,",
        )
    )
    service.import_tags(actors["paula"], drafts)
    assert {t.name: t.sampling_ms for t in service.tags()} == {
        "P1.Speed": 250,
        "P1.Vibration": None,  # empty: its class's default (100 ms for vibration)
    }
    # A file of an older version, without the column, still imports: class defaults.
    old = read_mapping_csv(f"{HEADER}\nP1.Flow,P-101,{SIM_NAMESPACE},s={PUMP}.Flow,m3/h,analog\n")
    assert old[0].sampling_ms is None

    code = main(["plant", "sampling", "P1.Vibration", "50", "--db", db_url, "--user", "paula"])
    assert code == 0
    assert capsys.readouterr().out == (
        "P1.Vibration asks for sampling every 50 ms (its own) from the next connection\n"
    )
    main(["plant", "tags", "--db", db_url, "--format", "csv"])
    listed = capsys.readouterr().out.splitlines()
    assert listed[0].endswith(",sampling_ms")
    assert [line.rsplit(",", 1)[1] for line in listed[1:]] == ["250", "50"]
    (entry,) = [
        e for e in entries_for(db, "plant_tag", "P1.Vibration") if e.action == "set sampling"
    ]
    assert (entry.username, entry.changes["sampling_ms"]) == ("paula", (None, 50))

    service.set_sampling(actors["paula"], "P1.Vibration", None)
    assert main(["plant", "tags", "--db", db_url, "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[2].endswith(",100 (default)")


@pytest.mark.both_engines
def test_an_interval_of_zero_or_not_a_number_is_refused_with_its_row(db, actors):
    with pytest.raises(ValidationFailed) as refused:
        read_mapping_csv(_csv(f"P1.Speed,P-101,{SIM_NAMESPACE},s={PUMP}.Speed,rpm,analog,fast"))
    assert "row 2 sampling_ms" in refused.value.problems
    service = PlantTagService(db)
    zero = TagDraft("P1.Speed", "P-101", SIM_NAMESPACE, f"s={PUMP}.Speed", sampling_ms=0)
    with pytest.raises(ValidationFailed) as refused:
        service.import_tags(actors["paula"], [zero])
    assert refused.value.problems == {
        "row 2 sampling_ms": "a whole number of milliseconds from 10 to 3600000, or empty for "
        "the tag class's default"
    }
    assert service.tags() == []


def test_the_client_asks_each_tag_its_own_interval_and_records_the_grant(db, actors):
    PlantTagService(db).import_tags(
        actors["paula"],
        [
            TagDraft(
                "P1.Current", "P-101", SIM_NAMESPACE, f"s={PUMP}.MotorCurrent", "A", sampling_ms=250
            ),
            TagDraft("P1.Vibration", "P-101", SIM_NAMESPACE, f"s={PUMP}.Vibration"),
        ],
    )
    sim = SimulatorProcess("--tags", "3").start()
    runtime = MonitoringRuntime(db, actors["tom"], Connection(sim.endpoint)).start()
    try:
        client = runtime.client
        wait_for(lambda: client.status.state is LinkState.CONNECTED, what="the connection")
        granted = {
            g.name: (g.asked_ms, g.revised_ms, g.revised_queue) for g in client.grants.values()
        }
        assert granted == {"P1.Current": (250, 250, 20), "P1.Vibration": (100, 100, 20)}
        assert client.status.sampling == (
            "server sampling: 1 tag every 100 ms (queue 20), 1 tag every 250 ms (queue 20)",
        )
    finally:
        runtime.stop()
        sim.stop()


def _watched(server: RefusingServer) -> OpcUaClientThread:
    """Pump.Speed asked every 100 ms, weighed over 3 s windows (30 values implied each)."""
    tags = [TagNode(1, REFUSING_NS, "s=Pump.Speed", 100, "Pump.Speed", steady=True)]
    return OpcUaClientThread(Connection(server.endpoint), tags, [], delivery_window_s=3.0)


def test_a_server_withholding_changes_is_warned_about():
    """As node-opcua-samples 2.14 did: one value per connection while the value moves on."""
    server = RefusingServer(withhold_changes=True).start()
    client = _watched(server).start()
    try:
        wait_for(lambda: client.status.delivery != (), 60, "the delivery warning")
        status = client.status
    finally:
        client.stop()
        server.stop()
    (short,) = status.delivery
    assert short.name == "Pump.Speed"
    # Windows end on the client's once-a-second check: 3 s or a little longer.
    assert re.fullmatch(
        r"Pump\.Speed: 1 values in the last \d+ s, where every 100 ms implies about \d+, "
        r"and it reads \d+ now against \d+ last sent: the server sends fewer values than asked "
        r"\(changes only\?\)",
        short.text,
    )
    assert status_text(status) == (
        "OPC UA: connected · ⚠ fewer values than asked from Pump.Speed (Trends: the tag list "
        "says what the server granted)"
    )


def test_a_value_standing_still_is_no_shortfall():
    """A constant value is sent once and rightly so: a Read finds it unchanged."""
    server = RefusingServer().start()
    client = _watched(server).start()
    try:
        wait_for(lambda: client.counters.delivery_checks >= 2, 60, "two weighed windows")
        status = client.status
    finally:
        client.stop()
        server.stop()
    assert client.counters.notifications == 1
    assert status.state is LinkState.CONNECTED
    assert status.delivery == ()
