"""Issuing stock through InventoryService against bare ledger inserts, 10k movements each."""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert, update

from desktop.domain.enums import AssetLevel, Criticality, Status
from desktop.domain.inventory import MovementKind
from desktop.services.admin.users import UserService
from desktop.services.assets.assets import AssetService, NewAsset
from desktop.services.orders.work_order_records import WorkOrderDraft
from desktop.services.orders.work_orders import WorkOrderService
from desktop.services.stock.inventory import InventoryService
from desktop.services.stock.inventory_records import NewPart
from desktop.store.database import Database
from desktop.store.inventory_models import StockLevel, StockMovement
from desktop.store.migrate import upgrade
from tests.bench import Figure

BENCH = "inventory"
MOVEMENTS = 10_000
TARGET_RATIO = 15.0
"""One issue through the service runs about 11 statements (part lock, work order, bin with
level, reservation and plan, ledger row, balance, reorder sums and demand, audit head, audit
link and head update) where the bare path runs 2: parity per statement is 5.5x, the ORM's
per-statement cost about doubles that, and the rest is headroom for a busy machine."""


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="wb-bench-inv-") as folder:
        db = Database(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        try:
            upgrade(db)
            number, actor_id = _setup(db)
            service_s = _through_service(db, number)
            bare_s = _bare(db, actor_id)
        finally:
            db.dispose()
    return [
        Figure(
            BENCH,
            f"issue: {MOVEMENTS:,} movements through InventoryService.issue",
            MOVEMENTS / service_s,
            "movements/s",
            baseline=MOVEMENTS / bare_s,
            target="report",
        ),
        Figure(
            BENCH,
            "issue: mean time per movement (one unit of work each)",
            service_s / MOVEMENTS * 1000,
            "ms",
            baseline=bare_s / MOVEMENTS * 1000,
            target=f"<= {TARGET_RATIO:g}x bare ledger insert + balance update",
            limit_ratio=TARGET_RATIO,
        ),
    ]


def _setup(db: Database) -> tuple[str, int]:
    users = UserService(db)
    users.create_first_admin("admin", "Bench Admin", "bench-password-1")
    admin = users.actor_for("admin")
    assets = AssetService(db)
    assets.ensure_site(admin, "BEN", "Bench plant", "UTC")
    assets.create(admin, NewAsset("AREA", "Area", AssetLevel.AREA, "area", Criticality.A))
    inventory = InventoryService(db)
    inventory.create_bin(admin, "A-12", "MAIN")
    inventory.create_part(admin, NewPart("P-1001", "Bench bearing", unit_cost=10.0))
    inventory.receive(admin, "P-1001", 2 * MOVEMENTS, "A-12", unit_cost=10.0)
    orders = WorkOrderService(db)
    number = orders.create(admin, WorkOrderDraft("Bench job", "AREA")).work_order.number
    orders.transition(admin, number, Status.APPROVED)
    return number, admin.user_id


def _through_service(db: Database, number: str) -> float:
    service = InventoryService(db)
    actor = UserService(db).actor_for("admin")
    began = time.perf_counter()
    for _ in range(MOVEMENTS):
        service.issue(actor, "P-1001", 1, "A-12", number)
    seconds = time.perf_counter() - began
    on_hand = service.stock("P-1001")[0].on_hand
    if on_hand != MOVEMENTS:
        raise AssertionError(f"expected {MOVEMENTS} left after the service run, found {on_hand}")
    return seconds


def _bare(db: Database, user_id: int) -> float:
    """The same ledger row and balance change per transaction, in bare SQLAlchemy Core."""
    movements, levels = StockMovement.__table__, StockLevel.__table__
    with db.engine.connect() as conn:
        level_id, part_id = conn.exec_driver_sql("SELECT id, part_id FROM stock_levels").one()
    began = time.perf_counter()
    for _ in range(MOVEMENTS):
        with db.engine.begin() as conn:
            conn.execute(
                insert(movements),
                {
                    "at": datetime.now(UTC),
                    "kind": MovementKind.ISSUE.value,
                    "part_id": part_id,
                    "stock_level_id": level_id,
                    "quantity": -1.0,
                    "unit_cost": 10.0,
                    "work_order_id": None,
                    "po_line_id": None,
                    "reason": "",
                    "user_id": user_id,
                },
            )
            conn.execute(
                update(levels)
                .where(levels.c.id == level_id)
                .values(on_hand=levels.c.on_hand - 1, version=levels.c.version + 1)
            )
    return time.perf_counter() - began
