"""The store's master data kept up: vendors, parts, store rooms and bins changed and retired."""

from __future__ import annotations

import pytest

from desktop.domain.errors import ConflictError, PermissionDenied, ValidationFailed
from desktop.services.assets.asset_parts import AssetPartsService
from desktop.services.stock.inventory import InventoryService
from desktop.services.stock.inventory_master import MasterDataService
from desktop.services.stock.inventory_records import NewPart, NewVendor
from tests.integration.stock import stock_room

pytestmark = pytest.mark.both_engines


@pytest.fixture
def master(db, clock, actors):
    stock_room(InventoryService(db, clock), actors["admin"])
    return MasterDataService(db, clock)


def _by(records, key, value):
    return next(r for r in records if getattr(r, key) == value)


def test_vendor_changes_and_deactivation(master, actors):
    acme = _by(master.vendor_records(), "code", "ACME")
    master.update_vendor(
        actors["paula"], "ACME", acme.revision, NewVendor("ACME", "Acme Bearings GmbH", 10)
    )
    changed = _by(master.vendor_records(), "code", "ACME")
    assert (changed.name, changed.lead_time_days, changed.contact) == ("Acme Bearings GmbH", 10, "")
    with pytest.raises(ConflictError):
        master.update_vendor(actors["paula"], "ACME", acme.revision, NewVendor("ACME", "x", 1))
    with pytest.raises(ValidationFailed) as bad:
        master.update_vendor(actors["paula"], "ACME", changed.revision, NewVendor("ACME", "", 999))
    assert set(bad.value.problems) == {"name", "lead_time_days"}
    master.set_vendor_active(actors["paula"], "ACME", changed.revision, False)
    assert not _by(master.vendor_records(), "code", "ACME").active


def test_part_changes_where_used_and_discontinuing(master, db, clock, actors):
    AssetPartsService(db, clock).set_part(actors["paula"], "P-101", "P-1003", 2)
    belt = _by(master.part_records(), "number", "P-1003")
    assert belt.used_on == ("P-101",)

    master.update_part(
        actors["paula"],
        "P-1003",
        belt.revision,
        NewPart("P-1003", "V-belt SPZ 1250", "each", "belts", "ACME", 8.2),
    )
    changed = _by(master.part_records(), "number", "P-1003")
    assert (changed.description, changed.vendor_code, changed.unit_cost) == (
        "V-belt SPZ 1250",
        "ACME",
        8.2,
    )
    with pytest.raises(ValidationFailed, match="no vendor NOPE"):
        master.update_part(
            actors["paula"], "P-1003", changed.revision, NewPart("P-1003", "x", vendor_code="NOPE")
        )
    bearing = _by(master.part_records(), "number", "P-1001")
    with pytest.raises(ValidationFailed, match="5 each still on hand"):
        master.set_part_active(actors["paula"], "P-1001", bearing.revision, False)
    master.set_part_active(actors["paula"], "P-1003", changed.revision, False)
    assert not _by(master.part_records(), "number", "P-1003").active
    with pytest.raises(PermissionDenied):
        master.set_part_active(actors["tom"], "P-1002", 0, False)


def test_store_rooms_and_bins(master, actors):
    master.create_store_room(actors["paula"], "EAST", "East store")
    with pytest.raises(ValidationFailed, match="exists already"):
        master.create_store_room(actors["paula"], "EAST", "again")
    room = _by(master.store_rooms(), "code", "EAST")
    master.rename_store_room(actors["paula"], "EAST", room.revision, "East store (hall 3)")
    assert _by(master.store_rooms(), "code", "EAST").name == "East store (hall 3)"

    bin_ = _by(master.bin_records(), "code", "A-12")
    assert (bin_.store_room, bin_.parts, bin_.on_hand) == ("MAIN", 1, 5)
    master.move_bin(actors["paula"], "A-12", bin_.revision, "EAST")
    assert _by(master.bin_records(), "code", "A-12").store_room == "EAST"
    assert _by(master.store_rooms(), "code", "EAST").bins == ("A-12",)
    with pytest.raises(ConflictError):
        master.move_bin(actors["paula"], "A-12", bin_.revision, "MAIN")
