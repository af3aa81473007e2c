"""The demo plant's inventory: consistent stock, low-stock reorders, parts on past work."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from desktop.demo.plant import DemoPlantService
from desktop.domain.enums import Status
from desktop.domain.inventory import PoStatus, RequisitionStatus
from desktop.services.shared import audit
from desktop.services.stock.inventory import InventoryService
from desktop.services.stock.purchasing import PurchasingService
from desktop.store.models import WorkOrder
from tests.integration.stock import ledger_matches
from tests.integration.test_demo_plant import empty_database  # noqa: F401  (fixture)


def test_demo_inventory_is_consistent_and_shows_every_state(empty_database):  # noqa: F811
    db = empty_database()
    clock = lambda: datetime(2026, 6, 1, 8, 0, tzinfo=UTC)  # noqa: E731
    DemoPlantService(db, clock).build(seed=2, scale=600, years=2)
    inventory = InventoryService(db, clock)
    parts = inventory.parts()
    assert len(parts) == 80
    assert all(part.bins for part in parts)
    assert 0 < inventory.low_stock_count() < 30
    assert ledger_matches(db) == []
    purchasing = PurchasingService(db, clock)
    assert purchasing.requisitions([RequisitionStatus.OPEN])
    assert [po.status for po in purchasing.orders()] == [PoStatus.DRAFT]
    with db.unit_of_work(write=False) as session:
        done = (
            session.execute(select(WorkOrder.number).where(WorkOrder.status == Status.CLOSED))
            .scalars()
            .all()
        )
        scheduled = (
            session.execute(select(WorkOrder.number).where(WorkOrder.status == Status.SCHEDULED))
            .scalars()
            .all()
        )
    assert sum(1 for cost in inventory.parts_costs(done).values() if cost > 0) > 50
    assert any(inventory.work_order_parts(number).lines for number in scheduled)
    assert audit.verify(db).ok
