"""Discovery end to end: a browsed server becomes assets and tags after review, all or nothing."""

from __future__ import annotations

import dataclasses
import json

import pytest

from desktop.cli import main
from desktop.domain.discovery import proposal_from_json
from desktop.domain.errors import PermissionDenied, ValidationFailed
from desktop.plant.browse import BrowsedVariable
from desktop.plant.discovery import build_proposal
from desktop.plant.simulator import NAMESPACE_URI
from desktop.services.assets.assets import AssetService
from desktop.services.condition.plant_discovery import PlantDiscoveryService
from desktop.services.condition.plant_tags import PlantTagService
from desktop.services.shared import audit
from tests.conftest import PASSWORD
from tests.integration.simulator_process import SimulatorProcess

PUMP = "BOT-SYR-SUG-P1"
NS = "urn:vendor:line"


def var(*path: str, data_type: str = "Double") -> BrowsedVariable:
    return BrowsedVariable(path, NS, f"s={'.'.join(path)}", data_type, True, "")


BROWSED = [
    var("Site", "Line 2", "Mixer", "Speed"),
    var("Site", "Line 2", "Mixer", "Running", data_type="Boolean"),
    var("Site", "Line 2", "Dosing", "Flow"),
    var("Site", "Line 3", "Press", "Force"),
]


def test_apply_creates_the_accepted_branch_and_its_tags_with_an_audit_trail(db, actors):
    service = PlantDiscoveryService(db)
    proposal = build_proposal("opc.tcp://x", "AREA", BROWSED, {}, service.existing())
    assert [a.code for a in proposal.assets] == ["Line-2", "Dosing", "Mixer", "Line-3", "Press"]
    applied = service.apply_proposal(
        actors["paula"], proposal, {"Line-2", "Mixer"}, {"Mixer.Speed", "Mixer.Running"}
    )
    assert applied.asset_codes == ("Line-2", "Mixer")
    register = {a.code: a for a in AssetService(db).list()}
    assert register["Mixer"].parent_code == "Line-2"
    assert "Dosing" not in register
    tags = {t.name: t.asset_code for t in PlantTagService(db).tags()}
    assert tags["Mixer.Speed"] == tags["Mixer.Running"] == "Mixer"
    assert [e.action for e in audit.entries_for(db, "asset", "Mixer")] == ["create"]
    assert [e.action for e in audit.entries_for(db, "plant_tag", "Mixer.Speed")] == ["map"]
    # Browsing again proposes only what is still missing.
    again = build_proposal("opc.tcp://x", "AREA", BROWSED, {}, service.existing())
    assert [a.code for a in again.assets] == ["Dosing", "Line-3", "Press"]
    assert [t.name for t in again.tags] == ["Dosing.Flow", "Press.Force"]


def test_a_failing_tag_leaves_no_asset_behind(db, actors):
    service = PlantDiscoveryService(db)
    proposal = build_proposal("opc.tcp://x", "AREA", BROWSED, {}, service.existing())
    broken = dataclasses.replace(proposal.tags[0], node_id="ns=2;s=bad")
    proposal = dataclasses.replace(proposal, tags=(broken, *proposal.tags[1:]))
    everything = {a.code for a in proposal.assets}
    with pytest.raises(ValidationFailed) as err:
        service.apply_proposal(
            actors["paula"], proposal, everything, {t.name for t in proposal.tags}
        )
    assert any("node_id" in key for key in err.value.problems)
    assert not {a.code for a in AssetService(db).list()} & everything
    assert PlantTagService(db).tags() == []


def test_a_child_without_its_parent_and_a_technician_are_refused(db, actors):
    service = PlantDiscoveryService(db)
    proposal = build_proposal("opc.tcp://x", "AREA", BROWSED, {}, service.existing())
    with pytest.raises(ValidationFailed) as err:
        service.apply_proposal(actors["paula"], proposal, {"Mixer"}, {"Dosing.Flow"})
    assert err.value.problems == {
        "asset Mixer": "accept its parent Line-2 too",
        "tag Dosing.Flow": "accept its asset Dosing too",
    }
    with pytest.raises(PermissionDenied):
        service.apply_proposal(actors["tom"], proposal, set(), set())


@pytest.fixture(scope="module")
def simulator():
    sim = SimulatorProcess("--tags", "20").start()
    yield sim
    sim.stop()


@pytest.fixture
def as_paula(monkeypatch):
    monkeypatch.setenv("WRENCHBOOK_USER", "paula")
    monkeypatch.setenv("WRENCHBOOK_PASSWORD", PASSWORD)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_discover_review_and_apply_against_the_simulator(
    db_url, simulator, capsys, as_paula, tmp_path
):
    out_file = tmp_path / "proposal.json"
    code, out, err = run(
        capsys,
        "plant",
        "discover",
        "--db",
        db_url,
        "--endpoint",
        simulator.endpoint,
        "--under",
        "AREA",
        "--out",
        str(out_file),
    )
    assert (code, err) == (0, "")
    assert "Alfa Laval" in out
    proposal = proposal_from_json(out_file.read_text(encoding="utf-8"))
    pump = next(a for a in proposal.assets if a.code == PUMP)
    # The nameplate comes from the DI properties the simulator publishes.
    assert (pump.maker, pump.model, pump.serial) == ("Alfa Laval", "LKH-20", "AL08-932190")
    assert {t.namespace_uri for t in proposal.tags} == {NAMESPACE_URI}
    assert f"{PUMP}.Manufacturer" not in {t.name for t in proposal.tags}

    code, out, err = run(capsys, "plant", "apply", str(out_file), "--db", db_url, "--only", PUMP)
    assert (code, err) == (0, "")
    assert out.startswith("1 assets and 8 tags created")
    code, out, _ = run(capsys, "plant", "tags", "--db", db_url, "--format", "json")
    tags = json.loads(out)
    assert {t["asset"] for t in tags} == {PUMP}
    assert {t["name"]: t["kind"] for t in tags}[f"{PUMP}.Running"] == "state"

    code, out, err = run(capsys, "plant", "apply", str(out_file), "--db", db_url, "--only", "X")
    assert code != 0
    assert "not in the proposal: X" in err
    # The rest of the reviewed file still applies; the pump is refused as existing, so
    # nothing of this second attempt is written.
    code, out, err = run(capsys, "plant", "apply", str(out_file), "--db", db_url)
    assert code != 0
    assert f"asset {PUMP} code: {PUMP} exists already" in err
    code, out, err = run(
        capsys,
        "plant",
        "discover",
        "--db",
        db_url,
        "--endpoint",
        simulator.endpoint,
        "--under",
        "AREA",
    )
    assert (code, err) == (0, "")
    assert "3 assets and 11 tags proposed under AREA, 9 skipped" in out
