"""Issue 22 against real servers on loopback: every refusal one `error:` line with the fix,
retries, gaps per server, browsing another vendor's layout, sampling grants, units.

The servers are the simulator or a small asyncua server configured to refuse (security mode,
logins, our certificate); a closed port stands for a server that is down. No mocked client.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest
from asyncua import ua

from desktop.cli import main
from desktop.domain.condition import Direction, Quality, RuleKind, RuleSpec, Sample
from desktop.plant.buffer import SampleBuffer
from desktop.plant.client import LinkState, OpcUaClientThread, TagNode
from desktop.plant.configured import check_server
from desktop.plant.connection import Connection, Security
from desktop.plant.pki import Pki
from desktop.plant.simulator import NAMESPACE_URI as SIM_NAMESPACE
from desktop.services.admin.workstation_settings import PlantChoice, PlantMode
from desktop.services.condition.plant_tags import PlantTagService, RuleDraft, TagDraft
from tests.conftest import PASSWORD
from tests.integration.refusing_server import NAMESPACE, RefusingServer
from tests.integration.simulator_process import ROOT, SimulatorProcess, free_port, wait_for

PUMP = "BOT-SYR-SUG-P1"
SECURE_ONLY = [ua.SecurityPolicyType.Basic256Sha256_SignAndEncrypt]
BOTH = [ua.SecurityPolicyType.NoSecurity, *SECURE_ONLY]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def browse(capsys, tmp_path, endpoint: str, *extra: str) -> tuple[int, str, str]:
    return run(
        capsys, "plant", "browse", "--data-dir", str(tmp_path), "--endpoint", endpoint, *extra
    )


def test_browse_of_a_closed_port_says_no_server_listens(capsys, tmp_path):
    endpoint = f"opc.tcp://127.0.0.1:{free_port()}/x"
    assert browse(capsys, tmp_path, endpoint) == (
        1,
        "",
        f"error: cannot connect to {endpoint}: connection refused, no OPC UA server listens "
        "there; start the server or correct the endpoint\n",
    )


def test_browse_without_security_of_a_secure_only_server_names_the_setting(capsys, tmp_path):
    server = RefusingServer(SECURE_ONLY, pki_dir=tmp_path / "server").start()
    try:
        code, out, err = browse(capsys, tmp_path, server.endpoint)
    finally:
        server.stop()
    assert (code, out) == (1, "")
    assert err == (
        f"error: {server.endpoint} offers no endpoint with OPC UA security none; choose a "
        "security the server offers (Settings › Plant, or --security / --opc-user)\n"
    )


def test_discover_as_anonymous_where_only_logins_are_accepted_asks_for_a_login(
    capsys, tmp_path, db_url
):
    server = RefusingServer(tokens=[ua.UserNameIdentityToken]).start()
    try:
        code, out, err = run(
            capsys,
            "plant",
            "discover",
            "--db",
            db_url,
            "--data-dir",
            str(tmp_path),
            "--endpoint",
            server.endpoint,
            "--under",
            "AREA",
        )
    finally:
        server.stop()
    assert (code, out) == (1, "")
    assert err == (
        f"error: {server.endpoint} refused anonymous logins (BadIdentityTokenRejected); give "
        "an OPC UA user name and password (Settings › Plant, or --security / --opc-user)\n"
    )


def test_browse_with_a_wrong_login_first_asks_to_trust_the_server_then_names_the_login(
    capsys, tmp_path, monkeypatch
):
    monkeypatch.setenv("WRENCHBOOK_OPC_PASSWORD", "wrong")
    server = RefusingServer(
        BOTH, [ua.UserNameIdentityToken], refuse_logins=True, pki_dir=tmp_path / "server"
    ).start()
    secure = ("--security", "sign_and_encrypt", "--opc-user", "op", "--pki", str(tmp_path / "c"))
    try:
        first = browse(capsys, tmp_path, server.endpoint, *secure)
        (thumbprint,) = Pki(tmp_path / "c").rejected_thumbprints()
        assert run(capsys, "plant", "trust", thumbprint, "--pki", str(tmp_path / "c"))[0] == 0
        second = browse(capsys, tmp_path, server.endpoint, *secure)
    finally:
        server.stop()
    assert first[0] == 1
    assert first[2].startswith(f"error: the server certificate {thumbprint} is not trusted")
    assert first[2].count("\n") == 1
    assert second == (
        1,
        "",
        f"error: {server.endpoint} refused the login op (BadUserAccessDenied); check the OPC UA "
        "user name and password (Settings › Plant, or --security / --opc-user)\n",
    )


def test_settings_test_button_reports_the_same_sentence(tmp_path):
    endpoint = f"opc.tcp://127.0.0.1:{free_port()}/x"
    result = check_server(PlantChoice(PlantMode.SERVER, endpoint), tmp_path / "pki")
    assert not result.ok
    assert result.message == (
        f"Cannot connect to {endpoint}: connection refused, no OPC UA server listens there; "
        "start the server or correct the endpoint."
    )


def test_a_refused_client_certificate_is_reported_and_retried_until_the_server_trusts_it(
    tmp_path,
):
    server = RefusingServer(
        SECURE_ONLY, refuse_client_certificates=True, pki_dir=tmp_path / "server"
    ).start()
    client_pki = tmp_path / "client"
    conn = Connection(server.endpoint, Security.SIGN_AND_ENCRYPT, pki_dir=client_pki)
    client = OpcUaClientThread(conn, [TagNode(1, NAMESPACE, "s=Pump.Speed")], []).start()
    try:
        # Our side first: the server's certificate is unknown; trusted as `plant trust` would,
        # from outside the client, and picked up on the next try without a restart.
        wait_for(lambda: client.status.state is LinkState.UNTRUSTED, what="untrusted server")
        assert client.status.retry_in_s is not None
        Pki(client_pki).trust(client.status.untrusted_thumbprint or "")
        wait_for(
            lambda: "refused this workstation's certificate" in client.status.message,
            what="the server refusing our certificate",
        )
        assert client.status.state is LinkState.RECONNECTING
        assert client.status.message == (
            f"{server.endpoint} refused this workstation's certificate "
            f"(BadCertificateUntrusted); trust {client_pki / 'own' / 'client_cert.der'} on the "
            "server, then connect again"
        )
        server.accept_clients()
        wait_for(lambda: client.status.state is LinkState.CONNECTED, what="the connection")
    finally:
        client.stop()
        server.stop()


@pytest.fixture
def one_tag(db, actors):
    PlantTagService(db).import_tags(
        actors["paula"],
        [TagDraft("P1.Vibration", "P-101", SIM_NAMESPACE, f"s={PUMP}.Vibration", "mm/s")],
    )


def monitor(data_dir, db_url: str, endpoint: str, *extra: str) -> subprocess.Popen[str]:
    env = dict(
        os.environ,
        PYTHONUNBUFFERED="1",
        WRENCHBOOK_USER="tom",
        WRENCHBOOK_PASSWORD=PASSWORD,
    )
    command = ["main.py", "monitor", "--db", db_url, "--data-dir", str(data_dir)]
    return subprocess.Popen(
        [sys.executable, *command, "--endpoint", endpoint, *extra],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_a_monitor_that_never_connects_exits_with_the_reason(db_url, one_tag, tmp_path):
    endpoint = f"opc.tcp://127.0.0.1:{free_port()}/x"
    process = monitor(tmp_path, db_url, endpoint, "--attempts", "3")
    out, err = process.communicate(timeout=120)
    assert process.returncode == 1
    assert out.count("[waiting to reconnect] cannot connect to") == 3
    assert err == (
        f"error: gave up after 3 attempts: cannot connect to {endpoint}: connection refused, "
        "no OPC UA server listens there; start the server or correct the endpoint\n"
    )


def test_a_monitor_started_before_its_server_connects_once_it_is_up_and_prints_no_traceback(
    db_url, one_tag, tmp_path
):
    port = free_port()
    endpoint = f"opc.tcp://127.0.0.1:{port}/wrenchbook/plant"
    process = monitor(tmp_path, db_url, endpoint, "--attempts", "1000")
    sim = None
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        while "[waiting to reconnect]" not in line:
            line = process.stdout.readline()
        sim = SimulatorProcess("--tags", "3", port=port).start()
        while not line.startswith("[connected]"):
            line = process.stdout.readline()
            assert line, "the monitor ended"
        # Vibration asks 100 ms (its class); the server's grant is shown.
        assert process.stdout.readline() == "server sampling: 1 tag every 100 ms (queue 20)\n"
        sim.stop()
        sim = None
        while "[waiting to reconnect]" not in line:
            line = process.stdout.readline()
            assert line, "the monitor ended"
    finally:
        if sim is not None:
            sim.stop()
        process.terminate()
        out, err = process.communicate(timeout=60)
    assert "Traceback" not in out + err
    assert "Publish iteration crashed" not in out + err


def test_a_lost_server_leaves_gaps_only_in_the_tags_it_served():
    sim = SimulatorProcess("--tags", "3").start()
    buffer = SampleBuffer()
    tags = [
        TagNode(1, SIM_NAMESPACE, f"s={PUMP}.Vibration"),
        TagNode(2, "urn:another:server", "s=Line2.Speed"),
    ]
    client = OpcUaClientThread(Connection(sim.endpoint), tags, [buffer]).start()
    samples: list[Sample] = []
    try:
        wait_for(lambda: client.status.state is LinkState.CONNECTED, what="the connection")
        sim.stop()

        def gap_seen() -> bool:
            samples.extend(buffer.drain())
            return any(s.quality is Quality.CONNECTION_LOST for s in samples)

        wait_for(gap_seen, what="the gap")
    finally:
        client.stop()
        sim.stop()
    assert {s.tag_id for s in samples if s.quality is Quality.CONNECTION_LOST} == {1}


def test_browse_marks_arrays_and_structures_and_proposes_by_structure(capsys, tmp_path, db_url):
    server = RefusingServer().start()
    out_file = tmp_path / "mapping.csv"
    try:
        listed = browse(capsys, tmp_path, server.endpoint)
        proposed = browse(capsys, tmp_path, server.endpoint, "--db", db_url, "--out", str(out_file))
    finally:
        server.stop()
    assert listed[0] == 0
    mappable = {line.split()[0]: line for line in listed[1].splitlines()[2:]}
    assert "yes" in mappable["Pump/Speed"]
    assert "no: array" in mappable["Pump/Spectrum"]
    assert "no: structure" in mappable["Pump/Build"]
    assert proposed[0] == 0
    assert proposed[1].splitlines() == [
        f"1 of 3 variables proposed in {out_file}: review, then `plant import-tags` it",
        "1 assets proposed by the server's structure do not exist yet (Pump): change the asset "
        "column to yours, or create them first (`plant discover`, `plant apply`)",
    ]
    assert out_file.read_text(encoding="utf-8").splitlines()[1] == (
        f"Pump.Speed,Pump,{NAMESPACE},s=Pump.Speed,,analog,"
    )


def test_each_tag_asks_its_class_interval_and_the_servers_grant_is_recorded():
    # asyncua's server sends every write whatever the interval, so the rate itself is not
    # checked here: what was asked and granted is.
    sim = SimulatorProcess("--tags", "3", "--rate", "10").start()
    tags = [
        TagNode(1, SIM_NAMESPACE, f"s={PUMP}.Vibration", 100),
        TagNode(2, SIM_NAMESPACE, f"s={PUMP}.BearingTemperature", 1000),
    ]
    client = OpcUaClientThread(Connection(sim.endpoint), tags, []).start()
    try:
        wait_for(lambda: client.status.state is LinkState.CONNECTED, what="the connection")
        assert client.status.sampling == (
            "server sampling: 1 tag every 100 ms (queue 20), 1 tag every 1000 ms (queue 20)",
        )
        assert {g.tag_id: g.revised_ms for g in client.grants.values()} == {1: 100, 2: 1000}
    finally:
        client.stop()
        sim.stop()


def test_browse_of_a_server_that_never_answers_says_so_within_the_timeout(capsys, tmp_path):
    # A socket that accepts and then stays silent, as a hung server or a wrong service does.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        endpoint = f"opc.tcp://127.0.0.1:{silent.getsockname()[1]}/x"
        assert browse(capsys, tmp_path, endpoint) == (
            1,
            "",
            f"error: no answer from {endpoint} within 4 s; check that the server runs and that "
            "no firewall blocks the port\n",
        )


def test_browse_refused_by_the_server_for_our_certificate_names_the_file_to_trust(capsys, tmp_path):
    server = RefusingServer(
        SECURE_ONLY, refuse_client_certificates=True, pki_dir=tmp_path / "server"
    ).start()
    client_pki = tmp_path / "c"
    secure = ("--security", "sign_and_encrypt", "--pki", str(client_pki))
    try:
        browse(capsys, tmp_path, server.endpoint, *secure)  # our side: trust the server first
        (thumbprint,) = Pki(client_pki).rejected_thumbprints()
        Pki(client_pki).trust(thumbprint)
        refused = browse(capsys, tmp_path, server.endpoint, *secure)
    finally:
        server.stop()
    assert refused == (
        1,
        "",
        f"error: {server.endpoint} refused this workstation's certificate "
        f"(BadCertificateUntrusted); trust {client_pki / 'own' / 'client_cert.der'} on the "
        "server, then connect again\n",
    )


def test_rules_list_limits_with_the_tags_unit(capsys, db, db_url, actors):
    tags = PlantTagService(db)
    tags.import_tags(
        actors["paula"], [TagDraft("P1.Speed", "P-101", SIM_NAMESPACE, "s=P1.Speed", "rpm")]
    )
    spec = RuleSpec(RuleKind.THRESHOLD, 1040.0, Direction.ABOVE)
    tags.add_rule(actors["paula"], RuleDraft("P1 overspeed", "P1.Speed", spec))
    code, out, _ = run(capsys, "plant", "rules", "--db", db_url)
    assert code == 0
    assert "1040 rpm" in out
    assert "e+03" not in out
