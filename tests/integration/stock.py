"""A small store room for the inventory tests, set up through the real services."""

from __future__ import annotations

from sqlalchemy import func, select

from desktop.domain.permissions import Actor
from desktop.services.stock.inventory import InventoryService
from desktop.services.stock.inventory_records import NewPart, NewVendor
from desktop.store.database import Database
from desktop.store.inventory_models import Part, StockLevel, StockMovement


def stock_room(service: InventoryService, admin: Actor) -> None:
    """Vendors ACME (14 days) and FAST (2 days); bins A-12, A-13 (MAIN) and B-01 (WEST).

    P-1001 bearing: 5 in A-12 at 10.00, min 2, max 10. P-1002 seal: 20 in A-13 at 4.00.
    P-1003 belt: none in stock, ordered from FAST.
    """
    service.create_vendor(admin, NewVendor("ACME", "Acme Bearings", 14, "Ann", "a@acme.test"))
    service.create_vendor(admin, NewVendor("FAST", "Fast Parts", 2))
    service.create_bin(admin, "A-12", "MAIN", "Main store")
    service.create_bin(admin, "A-13", "MAIN")
    service.create_bin(admin, "B-01", "WEST", "West store")
    service.create_part(admin, NewPart("P-1001", "Bearing 6205", "each", "bearings", "ACME", 10))
    service.create_part(admin, NewPart("P-1002", "Seal 40x62", "each", "seals", "ACME", 4))
    service.create_part(admin, NewPart("P-1003", "V-belt SPZ", "each", "belts", "FAST", 7.5))
    service.receive(admin, "P-1001", 5, "A-12", unit_cost=10.0, reason="opening stock")
    service.receive(admin, "P-1002", 20, "A-13", unit_cost=4.0, reason="opening stock")
    service.set_levels(admin, "P-1001", "A-12", min_qty=2, max_qty=10)


def ledger_matches(db: Database) -> list[str]:
    """Every level whose on hand differs from its ledger sum, or is negative or over-reserved."""
    problems = []
    with db.unit_of_work(write=False) as session:
        sums = dict(
            session.execute(
                select(StockMovement.stock_level_id, func.sum(StockMovement.quantity)).group_by(
                    StockMovement.stock_level_id
                )
            ).all()
        )
        for level, number in session.execute(
            select(StockLevel, Part.number).join(Part, Part.id == StockLevel.part_id)
        ).all():
            total = round(sums.get(level.id, 0.0), 6)
            if abs(total - level.on_hand) > 1e-9:
                problems.append(f"{number}: on hand {level.on_hand} but ledger {total}")
            if level.on_hand < 0 or level.reserved < 0 or level.reserved > level.on_hand + 1e-9:
                problems.append(f"{number}: on hand {level.on_hand}, reserved {level.reserved}")
    return problems
