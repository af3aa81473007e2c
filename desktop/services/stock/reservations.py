"""Parts held for scheduled work: reserved on scheduling, released when no longer needed.

`on_transition` is called by WorkOrderService.transition inside its unit of work, so a move
and its reservations are saved together or not at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from desktop.domain.enums import Status
from desktop.domain.inventory import qty
from desktop.domain.lifecycle import COMMITTED_STATUSES, leaves_commitment
from desktop.services.shared import audit
from desktop.services.stock.stock_engine import (
    check_reorder,
    issued_to,
    lock_parts,
)
from desktop.store.inventory_models import Part, PlannedPart, Reservation, StockLevel
from desktop.store.models import WorkOrder

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime

    from sqlalchemy.orm import Session

    from desktop.domain.permissions import Actor


def on_transition(
    session: Session, actor: Actor, wo: WorkOrder, target: Status, now: datetime
) -> None:
    """Reserve the parts list when `wo` enters scheduled; release it when the work is over.

    The order's row is locked first: the transition saves it later, after these parts and
    the audit head are locked, and a concurrent save of the same order that took the row
    first would otherwise wait on us while we wait on it.
    """
    if target is not Status.SCHEDULED and not leaves_commitment(target):
        return
    session.execute(select(WorkOrder.id).where(WorkOrder.id == wo.id).with_for_update())
    if target is Status.SCHEDULED:
        reserve(session, actor, wo, now)
    else:
        release(session, actor, wo, now)


def reserve(session: Session, actor: Actor, wo: WorkOrder, now: datetime) -> None:
    """Hold what each planned line still needs, from the bins with most available first.

    What cannot be held now leaves the order waiting for parts; the reorder check then raises
    a requisition that covers it.
    """
    lines = session.execute(
        select(PlannedPart).where(PlannedPart.work_order_id == wo.id).order_by(PlannedPart.part_id)
    ).scalars()
    lines = list(lines)
    parts = lock_parts(session, [line.part_id for line in lines])
    held: dict[str, float] = {}
    for line in lines:
        part = parts[line.part_id]
        taken = top_up(session, wo, part, line.quantity)
        if taken:
            held[part.number] = taken
        check_reorder(session, actor, part, now, owed=_missing(session, wo, part, line.quantity))
    if held:
        audit.record(session, actor, "reserve parts", "work_order", wo.number, None, held, now)


def top_up(session: Session, wo: WorkOrder, part: Part, planned: float) -> float:
    """Reserve up to what the order still needs of the part; returns how much was added."""
    reservations = _reservations(session, wo.id, part.id)
    used, _ = issued_to(session, wo.id, part.id)
    need = qty(planned - used - sum(r.quantity for r in reservations))
    if need <= 0:
        return 0.0
    levels = session.execute(select(StockLevel).where(StockLevel.part_id == part.id)).scalars()
    by_level = {r.stock_level_id: r for r in reservations}
    added = 0.0
    for level in sorted(levels, key=lambda lv: (-(lv.on_hand - lv.reserved), lv.id)):
        take = qty(min(need - added, level.on_hand - level.reserved))
        if take <= 0:
            continue
        level.reserved = qty(level.reserved + take)
        reservation = by_level.get(level.id)
        if reservation is None:
            session.add(
                Reservation(
                    work_order_id=wo.id, part_id=part.id, stock_level_id=level.id, quantity=take
                )
            )
        else:
            reservation.quantity = qty(reservation.quantity + take)
        added = qty(added + take)
        if added >= need:
            break
    return added


def trim(session: Session, wo: WorkOrder, part: Part, planned: float) -> None:
    """Give back what is held beyond the plan once parts were issued from elsewhere."""
    reservations = _reservations(session, wo.id, part.id)
    used, _ = issued_to(session, wo.id, part.id)
    excess = qty(used + sum(r.quantity for r in reservations) - max(planned, used))
    for reservation in reservations:
        if excess <= 0:
            break
        give = min(excess, reservation.quantity)
        unhold(session, reservation, give)
        excess = qty(excess - give)


def unhold(session: Session, reservation: Reservation, quantity: float) -> None:
    """Take `quantity` off a reservation and its level; the row goes when nothing is left."""
    level = session.get(StockLevel, reservation.stock_level_id)
    assert level is not None
    level.reserved = qty(level.reserved - quantity)
    reservation.quantity = qty(reservation.quantity - quantity)
    if reservation.quantity <= 0:
        session.delete(reservation)
    session.flush()


def release(session: Session, actor: Actor, wo: WorkOrder, now: datetime) -> None:
    reservations = list(
        session.execute(select(Reservation).where(Reservation.work_order_id == wo.id)).scalars()
    )
    if not reservations:
        return
    parts = lock_parts(session, [r.part_id for r in reservations])
    freed: dict[str, float] = {}
    for reservation in sorted(reservations, key=lambda r: (r.part_id, r.id)):
        number = parts[reservation.part_id].number
        freed[number] = qty(freed.get(number, 0.0) + reservation.quantity)
        unhold(session, reservation, reservation.quantity)
    audit.record(session, actor, "release parts", "work_order", wo.number, freed, None, now)


def fill_waiting(session: Session, actor: Actor, part: Part, now: datetime) -> None:
    """After stock arrives, hold it for scheduled work still missing the part, earliest first."""
    waiting = session.execute(
        select(PlannedPart, WorkOrder)
        .join(WorkOrder, WorkOrder.id == PlannedPart.work_order_id)
        .where(PlannedPart.part_id == part.id, WorkOrder.status.in_(COMMITTED_STATUSES))
        .order_by(WorkOrder.scheduled_start, WorkOrder.id)
    ).all()
    for line, wo in waiting:
        taken = top_up(session, wo, part, line.quantity)
        if taken:
            after = {part.number: taken}
            audit.record(session, actor, "reserve parts", "work_order", wo.number, None, after, now)


def _missing(session: Session, wo: WorkOrder, part: Part, planned: float) -> float:
    used, _ = issued_to(session, wo.id, part.id)
    held = sum(r.quantity for r in _reservations(session, wo.id, part.id))
    return max(qty(planned - used - held), 0.0)


def _reservations(session: Session, work_order_id: int, part_id: int) -> list[Reservation]:
    return list(
        session.execute(
            select(Reservation)
            .where(Reservation.work_order_id == work_order_id, Reservation.part_id == part_id)
            .order_by(Reservation.id)
        ).scalars()
    )


def plan_kit(session: Session, work_order_id: int, kit: Iterable[tuple[str, float]]) -> list[str]:
    """Copy a PM kit into a new order's parts list; returns the part numbers not in stock records.

    The order is reserved like any other when it is scheduled; an unknown number stays in the
    order's description (the PM schedule copies its kit there) for the planner to resolve.
    """
    wanted = dict(kit)
    parts = session.execute(select(Part).where(Part.number.in_(wanted))).scalars().all()
    for part in parts:
        session.add(
            PlannedPart(
                work_order_id=work_order_id, part_id=part.id, quantity=qty(wanted[part.number])
            )
        )
    known = {part.number for part in parts}
    return sorted(set(wanted) - known)
