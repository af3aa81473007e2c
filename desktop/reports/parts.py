"""Parts planned for and issued to work orders, as the reports print them.

`InventoryParts` reads them from the stock records; tests may hand in any other `PartsSource`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import select

from desktop.services.stock.stock_engine import parts_used
from desktop.store.inventory_models import (
    Bin,
    Part,
    PlannedPart,
    Reservation,
    StockLevel,
    StockMovement,
)
from desktop.store.models import WorkOrder

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.orm import Session

    from desktop.store.database import Database


@dataclass(frozen=True)
class PartLine:
    """One part on one work order: what to draw from which bin, and what was issued."""

    part_number: str
    description: str
    quantity: float
    unit: str
    bin: str
    issued: float = 0.0
    unit_cost: float | None = None


class PartsSource(Protocol):
    def parts_for(self, numbers: Sequence[str]) -> dict[str, list[PartLine]]:
        """Part lines per work-order number; orders without parts may be left out."""
        ...


class InventoryParts:
    """The stock records' view: planned parts, what was issued, and the bin to draw from.

    The bin is the one holding the order's reservation, else the one with most on hand. A few
    grouped queries per 500 orders, so a 1,000-order pack does not query per order.
    """

    def __init__(self, db: Database) -> None:
        self._db = db

    def parts_for(self, numbers: Sequence[str]) -> dict[str, list[PartLine]]:
        found: dict[str, list[PartLine]] = {}
        wanted = list(dict.fromkeys(numbers))
        with self._db.unit_of_work(write=False) as session:
            for start in range(0, len(wanted), 500):
                found |= _lines(session, wanted[start : start + 500])
        return found


def _lines(session: Session, numbers: list[str]) -> dict[str, list[PartLine]]:
    query = select(WorkOrder.id, WorkOrder.number).where(WorkOrder.number.in_(numbers))
    orders: dict[int, str] = dict(session.execute(query).all())  # type: ignore[arg-type]
    if not orders:
        return {}
    ids = list(orders)
    planned = {
        (wo, part): quantity
        for wo, part, quantity in session.execute(
            select(PlannedPart.work_order_id, PlannedPart.part_id, PlannedPart.quantity).where(
                PlannedPart.work_order_id.in_(ids)
            )
        )
    }
    issued = {
        (row.work_order_id, row.part_id): float(row.quantity)
        for row in session.execute(
            parts_used(StockMovement.work_order_id, StockMovement.part_id).where(
                StockMovement.work_order_id.in_(ids)
            )
        )
    }
    keys = sorted(planned.keys() | issued.keys())
    if not keys:
        return {}
    part_ids = {part for _wo, part in keys}
    reserved_bin = {
        (wo, part): code
        for wo, part, code in session.execute(
            select(Reservation.work_order_id, Reservation.part_id, Bin.code)
            .join(StockLevel, StockLevel.id == Reservation.stock_level_id)
            .join(Bin, Bin.id == StockLevel.bin_id)
            .where(Reservation.work_order_id.in_(ids))
            .order_by(Reservation.quantity)
        )
    }
    fullest_bin = dict(
        session.execute(
            select(StockLevel.part_id, Bin.code)
            .join(Bin, Bin.id == StockLevel.bin_id)
            .where(StockLevel.part_id.in_(part_ids))
            .order_by(StockLevel.on_hand)
        ).all()
    )
    parts = {
        row.id: row
        for row in session.execute(
            select(Part.id, Part.number, Part.description, Part.unit, Part.average_cost).where(
                Part.id.in_(part_ids)
            )
        )
    }
    found: dict[str, list[PartLine]] = {}
    for wo, part_id in keys:
        part = parts[part_id]
        used = issued.get((wo, part_id), 0.0)
        found.setdefault(orders[wo], []).append(
            PartLine(
                part_number=part.number,
                description=part.description,
                quantity=planned.get((wo, part_id), used),
                unit=part.unit,
                bin=reserved_bin.get((wo, part_id)) or fullest_bin.get(part_id, ""),
                issued=used,
                unit_cost=part.average_cost,
            )
        )
    for lines in found.values():
        lines.sort(key=lambda line: line.part_number)
    return found
