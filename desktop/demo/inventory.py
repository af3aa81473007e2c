"""Demo inventory: vendors, store rooms, 80 parts with stock, parts used on past work orders.

Loaded inside the demo plant's unit of work. Vendors, bins and parts go through the
inventory service (validation, audit entries); the ledger history is bulk-inserted like the
work-order history, opening receipts first, so every bin's balance equals its ledger sum.
A few parts end at or below their minimum and a few scheduled orders plan parts, so the
requisitions, a purchase order and "waiting for parts" all show from the start.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert, select

from desktop.domain.enums import Role, Status
from desktop.domain.failure_codes import RESOURCES_DIR
from desktop.domain.inventory import MovementKind, RequisitionStatus
from desktop.services.stock import reservations
from desktop.services.stock.inventory import InventoryService
from desktop.services.stock.inventory_records import NewPart, NewVendor
from desktop.services.stock.purchasing import PurchasingService
from desktop.services.stock.stock_engine import check_reorder
from desktop.store.inventory_models import (
    Bin,
    Part,
    PlannedPart,
    RequisitionLine,
    StockLevel,
    StockMovement,
    Vendor,
)
from desktop.store.models import User, WorkOrder

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.orm import Session

    from desktop.domain.permissions import Actor
    from desktop.services.shared.clock import Clock
    from desktop.store.database import Database

CATALOGUE_FILE = RESOURCES_DIR / "demo_inventory.json"
USED_ORDERS = 300
"""Past orders that get parts issued: enough for a parts-cost figure, cheap at any scale."""
BELOW_MIN_SHARE = 0.1
PLANNED_ORDERS = 8


@dataclass(frozen=True)
class _Stocked:
    part: Part
    level: StockLevel
    cost: float


def load(
    session: Session, db: Database, clock: Clock, admin: Actor, seed: int, now: datetime
) -> dict[str, int]:
    """Add the demo inventory in `session`; returns the rows it wrote per table."""
    rng = random.Random(f"inventory-{seed}")
    plant = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))
    service = InventoryService(db, clock)
    for vendor in plant["vendors"]:
        service.insert_vendor(session, admin, NewVendor(**vendor))
    bins: list[str] = []
    for location in plant["locations"]:
        for code in location["bins"]:
            service.insert_bin(session, admin, code, location["code"], location["name"])
            bins.append(code)
    session.flush()
    stocked = _parts(session, service, admin, plant, bins, rng, now)
    issues = _history(session, stocked, rng, now)
    _planned(session, stocked, rng)
    for item in stocked:
        check_reorder(session, admin, item.part, now)
    busiest = session.execute(
        select(Vendor.code, func.count())
        .join(RequisitionLine, RequisitionLine.vendor_id == Vendor.id)
        .where(RequisitionLine.status == RequisitionStatus.OPEN)
        .group_by(Vendor.code)
        .order_by(func.count().desc(), Vendor.code)
    ).first()
    if busiest is not None:
        PurchasingService(db, clock).insert_order(session, admin, busiest[0])
    return {"parts": len(stocked), "stock_movements": issues + len(stocked)}


def _parts(
    session: Session,
    service: InventoryService,
    admin: Actor,
    plant: dict[str, Any],
    bins: list[str],
    rng: random.Random,
    now: datetime,
) -> list[_Stocked]:
    stocked: list[_Stocked] = []
    bin_ids = dict(session.execute(select(Bin.code, Bin.id)).all())
    for group in plant["catalogue"]:
        low, high = group["cost"]
        least, most = group["stock"]
        for index, variant in enumerate(group["variants"], start=1):
            number = f"{group['prefix']}-{100 + index}"
            cost = round(rng.uniform(low, high), 2)
            service.insert_part(
                session,
                admin,
                NewPart(
                    number,
                    group["description"].format(v=variant),
                    group["unit"],
                    group["category"],
                    group["vendor"],
                    cost,
                ),
            )
            session.flush()
            part = session.execute(select(Part).where(Part.number == number)).scalar_one()
            minimum = float(least)
            level = StockLevel(
                part_id=part.id,
                bin_id=bin_ids[bins[len(stocked) % len(bins)]],
                on_hand=0.0,
                reserved=0.0,
                min_qty=minimum,
                max_qty=float(most),
                reorder_qty=0.0,
                updated_at=now,
                updated_by_id=admin.user_id,
            )
            session.add(level)
            stocked.append(_Stocked(part, level, cost))
    session.flush()
    return stocked


def _history(session: Session, stocked: list[_Stocked], rng: random.Random, now: datetime) -> int:
    """Opening receipts, then 1-3 parts issued to each of some completed orders."""
    done = session.execute(
        select(WorkOrder.id, WorkOrder.completed_at, WorkOrder.requested_at)
        .where(WorkOrder.status.in_([Status.CLOSED, Status.COMPLETED]))
        .order_by(WorkOrder.id.desc())
        .limit(USED_ORDERS * 5)
    ).all()
    technicians = list(
        session.execute(select(User.id).where(User.role == Role.TECHNICIAN).order_by(User.id))
        .scalars()
        .all()
    )
    used = sorted(rng.sample(done, min(USED_ORDERS, len(done))), key=lambda row: row[1])
    issued: dict[int, float] = {}
    rows: list[dict[str, Any]] = []
    for wo_id, completed_at, _ in used:
        for item in rng.sample(stocked, rng.randint(1, 3)):
            quantity = float(rng.randint(1, 2))
            issued[item.part.id] = issued.get(item.part.id, 0.0) + quantity
            rows.append(_movement(item, MovementKind.ISSUE, -quantity, completed_at, wo_id))
            rows[-1]["user_id"] = (
                rng.choice(technicians) if technicians else item.level.updated_by_id
            )
    opened = min((row[2] for row in done), default=now) - timedelta(days=1)
    openings = []
    for item in stocked:
        level = item.level
        if rng.random() < BELOW_MIN_SHARE:
            final = float(rng.randint(0, int(level.min_qty)))
        else:
            final = float(rng.randint(int(level.min_qty) + 1, int(level.max_qty)))
        level.on_hand = final
        openings.append(
            _movement(item, MovementKind.RECEIPT, final + issued.get(item.part.id, 0.0), opened)
        )
        openings[-1]["reason"] = "opening stock"
    session.flush()
    session.execute(insert(StockMovement), openings + rows)
    return len(rows)


def _movement(
    item: _Stocked,
    kind: MovementKind,
    quantity: float,
    at: datetime,
    work_order_id: int | None = None,
) -> dict[str, Any]:
    return {
        "at": at,
        "kind": kind,
        "part_id": item.part.id,
        "stock_level_id": item.level.id,
        "quantity": quantity,
        "unit_cost": item.cost,
        "work_order_id": work_order_id,
        "po_line_id": None,
        "reason": "",
        "user_id": item.level.updated_by_id,
    }


def _planned(session: Session, stocked: list[_Stocked], rng: random.Random) -> None:
    """Parts lists on the next scheduled orders, reserved as scheduling would have."""
    scheduled = session.execute(
        select(WorkOrder)
        .where(WorkOrder.status == Status.SCHEDULED)
        .order_by(WorkOrder.scheduled_start, WorkOrder.id)
        .limit(PLANNED_ORDERS)
    ).scalars()
    scarce = sorted(stocked, key=lambda item: item.level.on_hand)[:3]
    for index, wo in enumerate(scheduled):
        picks = rng.sample(stocked, 2) + (
            [scarce[index // 3 % len(scarce)]] if index % 3 == 0 else []
        )
        for item in {pick.part.id: pick for pick in picks}.values():
            quantity = item.level.min_qty + 2 if item in scarce else 1.0
            session.add(PlannedPart(work_order_id=wo.id, part_id=item.part.id, quantity=quantity))
            session.flush()
            reservations.top_up(session, wo, item.part, quantity)
    session.flush()
