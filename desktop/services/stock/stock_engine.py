"""Session-level stock rules shared by every inventory use case: locks, postings, reorder.

How concurrent writers are kept apart, and why row locks rather than optimistic retries:
every movement of a part starts by locking that part's row (`SELECT … FOR UPDATE` on
PostgreSQL; SQLite writers are already serialised by `BEGIN IMMEDIATE`). A stock movement is
not an edit of something the user saw: "issue 2 from A-12" is as valid after another process
issued 1 as before, so waiting for the other writer and then checking the fresh balance is the
right outcome, where an optimistic version check would refuse or retry work that was never in
conflict. One lock per part also covers what a bin-level lock would miss: the part's moving
average cost and the "never a second open requisition" rule span all of its bins. Several
parts are always locked in id order, and before the audit chain's head, so writers cannot
deadlock. The version column on stock levels stays for what DESIGN.md means it for: a person
editing a bin's min/max/reorder settings from a form is refused, with who changed it and when,
when someone saved in between (`InventoryService.set_levels`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, func, select

from desktop.domain.errors import NotFound
from desktop.domain.inventory import (
    USE_KINDS,
    InsufficientStock,
    MovementKind,
    RequisitionStatus,
    qty,
    qty_text,
    reorder_quantity,
)
from desktop.domain.lifecycle import COMMITTED_STATUSES
from desktop.domain.phrases import Phrase
from desktop.services.shared import audit
from desktop.store.inventory_models import (
    Bin,
    Part,
    PlannedPart,
    RequisitionLine,
    Reservation,
    StockLevel,
    StockMovement,
)
from desktop.store.models import WorkOrder

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime

    from sqlalchemy.orm import Session

    from desktop.domain.permissions import Actor


def parts_used(*keys: Any) -> Select[Any]:
    """Net parts use per `keys` (issued − returned): columns quantity and cost.

    KPIS.md, maintenance cost: parts issued − parts returned, at the ledger's unit costs. The
    ledger signs issues negative (stock leaves the store), hence the minus on both sums. Every
    parts-cost figure (KPIs, asset history, a work order's parts, issuing) reads this one
    query; callers add their joins and filters. Without keys it is one row over everything.
    """
    return (
        select(
            *keys,
            (-func.coalesce(func.sum(StockMovement.quantity), 0.0)).label("quantity"),
            (-func.coalesce(func.sum(StockMovement.quantity * StockMovement.unit_cost), 0.0)).label(
                "cost"
            ),
        )
        .select_from(StockMovement)
        .where(StockMovement.kind.in_(USE_KINDS))
        .group_by(*keys)
    )


def lock_part(session: Session, number: str) -> Part:
    part = session.execute(
        select(Part).where(Part.number == number).with_for_update()
    ).scalar_one_or_none()
    if part is None:
        raise NotFound(Phrase("no part {number}", number=number))
    return part


def lock_parts(session: Session, part_ids: Iterable[int]) -> dict[int, Part]:
    """Lock several parts in id order (one order everywhere, so no deadlock)."""
    wanted = sorted(set(part_ids))
    if not wanted:
        return {}
    rows = session.execute(
        select(Part).where(Part.id.in_(wanted)).order_by(Part.id).with_for_update()
    ).scalars()
    return {part.id: part for part in rows}


def find_bin(session: Session, code: str) -> Bin:
    found = session.execute(select(Bin).where(Bin.code == code)).scalar_one_or_none()
    if found is None:
        raise NotFound(Phrase("no bin {code}", code=code))
    return found


def level_of(session: Session, part: Part, bin_: Bin) -> StockLevel | None:
    return session.execute(
        select(StockLevel).where(StockLevel.part_id == part.id, StockLevel.bin_id == bin_.id)
    ).scalar_one_or_none()


def ensure_level(
    session: Session, actor: Actor, part: Part, bin_: Bin, now: datetime
) -> StockLevel:
    """The part's level in the bin, created empty on first use (under the part's lock)."""
    level = level_of(session, part, bin_)
    if level is None:
        level = StockLevel(
            part_id=part.id,
            bin_id=bin_.id,
            on_hand=0.0,
            reserved=0.0,
            min_qty=0.0,
            max_qty=0.0,
            reorder_qty=0.0,
            updated_at=now,
            updated_by_id=actor.user_id,
        )
        session.add(level)
        session.flush()
    return level


def post(
    session: Session,
    actor: Actor,
    now: datetime,
    part: Part,
    level: StockLevel,
    bin_code: str,
    kind: MovementKind,
    quantity: float,
    unit_cost: float,
    *,
    work_order_id: int | None = None,
    po_line_id: int | None = None,
    reason: str = "",
) -> StockMovement:
    """Append one ledger row and move the level's balance by the same signed quantity.

    The last line of defence for "never negative": callers check availability with a
    better message first.
    """
    new_on_hand = qty(level.on_hand + quantity)
    if new_on_hand < 0:
        raise InsufficientStock(kind.value, part.number, -quantity, level.on_hand, bin_code)
    level.on_hand = new_on_hand
    level.updated_at = now
    level.updated_by_id = actor.user_id
    movement = StockMovement(
        at=now,
        kind=kind,
        part_id=part.id,
        stock_level_id=level.id,
        quantity=qty(quantity),
        unit_cost=round(unit_cost, 6),
        work_order_id=work_order_id,
        po_line_id=po_line_id,
        reason=reason,
        user_id=actor.user_id,
    )
    session.add(movement)
    return movement


def part_on_hand(session: Session, part_id: int) -> float:
    return float(
        session.execute(
            select(func.coalesce(func.sum(StockLevel.on_hand), 0.0)).where(
                StockLevel.part_id == part_id
            )
        ).scalar_one()
    )


def issued_to(session: Session, work_order_id: int, part_id: int) -> tuple[float, float]:
    """Net quantity and net cost of a part issued to a work order (issues less returns)."""
    used = session.execute(
        parts_used().where(
            StockMovement.work_order_id == work_order_id, StockMovement.part_id == part_id
        )
    ).one()
    return qty(used.quantity), float(used.cost)


def shortage(session: Session, part_id: int) -> float:
    """What scheduled work still needs of the part beyond what it holds or was given."""
    planned = session.execute(
        select(PlannedPart.work_order_id, PlannedPart.quantity)
        .join(WorkOrder, WorkOrder.id == PlannedPart.work_order_id)
        .where(PlannedPart.part_id == part_id, WorkOrder.status.in_(COMMITTED_STATUSES))
    ).all()
    missing = 0.0
    for work_order_id, quantity in planned:
        held = session.execute(
            select(func.coalesce(func.sum(Reservation.quantity), 0.0)).where(
                Reservation.work_order_id == work_order_id, Reservation.part_id == part_id
            )
        ).scalar_one()
        used, _ = issued_to(session, work_order_id, part_id)
        missing += max(quantity - held - used, 0.0)
    return qty(missing)


def check_reorder(
    session: Session, actor: Actor | None, part: Part, now: datetime, owed: float = 0.0
) -> RequisitionLine | None:
    """Raise one requisition line when available stock is at or below the minimum.

    `owed` is what an order entering the schedule in this unit of work still misses (its
    status changes after the reservation). Runs under the part's lock, so two writers cannot
    both find no open line and raise two.
    """
    on_hand, reserved, minimum, maximum, reorder = session.execute(
        select(
            func.coalesce(func.sum(StockLevel.on_hand), 0.0),
            func.coalesce(func.sum(StockLevel.reserved), 0.0),
            func.coalesce(func.sum(StockLevel.min_qty), 0.0),
            func.coalesce(func.sum(StockLevel.max_qty), 0.0),
            func.coalesce(func.sum(StockLevel.reorder_qty), 0.0),
        ).where(StockLevel.part_id == part.id)
    ).one()
    missing = qty(shortage(session, part.id) + owed)
    if minimum <= 0 and maximum <= 0 and reorder <= 0 and missing <= 0:
        return None  # not a stocked part and nothing owed: nothing to reorder
    available = qty(on_hand - reserved)
    quantity = reorder_quantity(available, missing, minimum, maximum, reorder)
    if quantity <= 0:
        return None
    open_line = session.execute(
        select(RequisitionLine.id).where(
            RequisitionLine.part_id == part.id,
            RequisitionLine.status.in_([s for s in RequisitionStatus if s.is_open]),
        )
    ).first()
    if open_line is not None:
        return None
    reason = f"available {qty_text(available)} at or below minimum {qty_text(minimum)}" + (
        f", {qty_text(missing)} owed to scheduled work" if missing > 0 else ""
    )
    line = RequisitionLine(
        part_id=part.id,
        vendor_id=part.default_vendor_id,
        quantity=quantity,
        status=RequisitionStatus.OPEN,
        raised_at=now,
        reason=reason,
    )
    session.add(line)
    session.flush()
    after = {"part": part.number, "quantity": quantity, "reason": reason}
    audit.record(session, actor, "raise requisition", "requisition", line.id, None, after, now)
    return line
