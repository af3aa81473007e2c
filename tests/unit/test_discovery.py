"""Building a discovery proposal from a browse result, without a server."""

from __future__ import annotations

import pytest

from desktop.domain.condition import DataKind
from desktop.domain.discovery import (
    ExistingRegister,
    Nameplate,
    proposal_from_json,
    proposal_to_json,
)
from desktop.domain.enums import AssetLevel
from desktop.domain.errors import ValidationFailed
from desktop.plant.browse import BrowsedVariable
from desktop.plant.discovery import build_proposal, nameplate_owner

NS = "urn:vendor:line"


def var(*path: str, data_type: str = "Double", unit: str = "") -> BrowsedVariable:
    numeric = data_type not in ("String", "LocalizedText")
    return BrowsedVariable(path, NS, f"s={'.'.join(path)}", data_type, numeric, unit)


def register(**levels: str) -> ExistingRegister:
    return ExistingRegister(
        {code: AssetLevel(level) for code, level in levels.items()}, frozenset(), frozenset()
    )


BROWSED = [
    var("Site", "Filling", "Filler 1", "Speed", unit="bpm"),
    var("Site", "Filling", "Filler 1", "Running", data_type="Boolean"),
    var("Site", "Filling", "Filler 1", "OperatingHours", data_type="UInt32"),
    var("Site", "Filling", "Filler 1", "Drive", "Current", data_type="Float", unit="A"),
    var("Site", "Filling", "Filler 1", "Manufacturer", data_type="LocalizedText"),
    var("Site", "Filling", "Filler 1", "Recipe", data_type="String"),
    var("Site", "Packing", "Wrapper", "Identification", "Manufacturer", data_type="String"),
    var("Site", "Packing", "Wrapper", "Temperature", unit="°C"),
]
PLATES = {
    ("Site", "Filling", "Filler 1"): Nameplate("Krones", "Modulfill", "K-123"),
    ("Site", "Packing", "Wrapper"): Nameplate(maker="Kisters"),
}


def test_objects_become_a_branch_under_the_chosen_area_with_their_nameplates():
    proposal = build_proposal("opc.tcp://x", "AREA", BROWSED, PLATES, register(AREA="area"))
    assets = {a.code: a for a in proposal.assets}
    # The shared "Site" folder is dropped; folders become systems, signal holders equipment,
    # and a signal holder inside another one a component.
    assert {c: (a.parent_code, a.level) for c, a in assets.items()} == {
        "Filling": ("AREA", AssetLevel.SYSTEM),
        "Filler-1": ("Filling", AssetLevel.EQUIPMENT),
        "Drive": ("Filler-1", AssetLevel.COMPONENT),
        "Packing": ("AREA", AssetLevel.SYSTEM),
        "Wrapper": ("Packing", AssetLevel.EQUIPMENT),
    }
    filler = assets["Filler-1"]
    assert (filler.name, filler.maker, filler.model, filler.serial) == (
        "Filler 1",
        "Krones",
        "Modulfill",
        "K-123",
    )
    assert assets["Wrapper"].maker == "Kisters"
    tags = {t.name: (t.asset_code, t.kind, t.unit) for t in proposal.tags}
    assert tags == {
        "Filler-1.Speed": ("Filler-1", DataKind.ANALOG, "bpm"),
        "Filler-1.Running": ("Filler-1", DataKind.STATE, ""),
        "Filler-1.OperatingHours": ("Filler-1", DataKind.COUNTER, ""),
        "Drive.Current": ("Drive", DataKind.ANALOG, "A"),
        "Wrapper.Temperature": ("Wrapper", DataKind.ANALOG, "°C"),
    }


def test_under_a_system_folders_fold_into_their_parent():
    proposal = build_proposal("opc.tcp://x", "LINE", BROWSED, PLATES, register(LINE="system"))
    levels = {a.code: (a.parent_code, a.level) for a in proposal.assets}
    assert levels == {
        "Filler-1": ("LINE", AssetLevel.EQUIPMENT),
        "Drive": ("Filler-1", AssetLevel.COMPONENT),
        "Wrapper": ("LINE", AssetLevel.EQUIPMENT),
    }


def test_what_exists_is_skipped_and_existing_assets_still_get_their_tags():
    existing = ExistingRegister(
        {"AREA": AssetLevel.AREA, "Wrapper": AssetLevel.EQUIPMENT},
        frozenset({"Filler-1.Speed"}),
        frozenset({(NS, "s=Site.Filling.Filler 1.Running")}),
    )
    proposal = build_proposal("opc.tcp://x", "AREA", BROWSED, PLATES, existing)
    assert "Wrapper" not in {a.code for a in proposal.assets}
    names = {t.name for t in proposal.tags}
    assert "Wrapper.Temperature" in names
    assert not names & {"Filler-1.Speed", "Filler-1.Running"}
    assert {(s.kind, s.key) for s in proposal.skipped} == {
        ("asset", "Wrapper"),
        ("tag", "Filler-1.Speed"),
        ("tag", "Filler-1.Running"),
    }


def test_two_objects_of_the_same_name_get_codes_qualified_by_their_parent():
    browsed = [var("L1", "Pump", "Flow"), var("L2", "Pump", "Flow")]
    proposal = build_proposal("opc.tcp://x", "AREA", browsed, {}, register(AREA="area"))
    assert sorted(a.code for a in proposal.assets) == ["L1", "L2", "L2-Pump", "Pump"]
    assert sorted(t.name for t in proposal.tags) == ["L2-Pump.Flow", "Pump.Flow"]


def test_an_unknown_parent_is_named():
    with pytest.raises(ValidationFailed) as err:
        build_proposal("opc.tcp://x", "NOPE", BROWSED, PLATES, register(AREA="area"))
    assert err.value.problems == {"under": "no asset NOPE"}


def test_nameplate_in_a_di_identification_group_belongs_to_the_device():
    assert nameplate_owner(("Dev", "Identification", "SerialNumber")) == ("Dev",)
    assert nameplate_owner(("Dev", "Model")) == ("Dev",)


def test_the_proposal_survives_its_json_file_and_a_bad_file_is_named():
    proposal = build_proposal("opc.tcp://x", "AREA", BROWSED, PLATES, register(AREA="area"))
    assert proposal_from_json(proposal_to_json(proposal)) == proposal
    with pytest.raises(ValidationFailed) as err:
        proposal_from_json('{"endpoint": "x"}')
    assert "proposal" in err.value.problems
