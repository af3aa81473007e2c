"""Purchasing: requisition lines raised by low stock or by hand, and purchase orders.

An order moves draft → sent → partly received → received → closed; receipts (booked through
InventoryService.receive, line by line) move it along, a person sends, closes or cancels it.
"""

from __future__ import annotations

from math import isfinite
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from desktop.domain.errors import NotFound, ValidationFailed
from desktop.domain.inventory import PO_MOVES, PoStatus, RequisitionStatus, qty
from desktop.domain.permissions import Action, Actor, require
from desktop.domain.phrases import Listing, Phrase
from desktop.services.shared import audit
from desktop.services.shared.clock import Clock, utc_now
from desktop.services.shared.numbering import next_number
from desktop.services.stock.inventory_records import PoLineView, PurchaseOrderView, RequisitionView
from desktop.services.stock.stock_engine import check_reorder, lock_part, lock_parts
from desktop.store.inventory_models import (
    Part,
    PurchaseOrder,
    PurchaseOrderLine,
    RequisitionLine,
    Vendor,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.orm import Session

    from desktop.store.database import Database


class PurchasingService:
    def __init__(self, db: Database, clock: Clock = utc_now) -> None:
        self._db = db
        self._clock = clock

    # -- requisitions --------------------------------------------------------------------

    def requisitions(self, statuses: Sequence[RequisitionStatus] = ()) -> list[RequisitionView]:
        """Requisition lines, newest first; all statuses unless narrowed."""
        query = (
            select(RequisitionLine, Part, Vendor, PurchaseOrder.number)
            .join(Part, Part.id == RequisitionLine.part_id)
            .outerjoin(Vendor, Vendor.id == RequisitionLine.vendor_id)
            .outerjoin(PurchaseOrderLine, PurchaseOrderLine.id == RequisitionLine.po_line_id)
            .outerjoin(PurchaseOrder, PurchaseOrder.id == PurchaseOrderLine.purchase_order_id)
            .order_by(RequisitionLine.id.desc())
        )
        if statuses:
            query = query.where(RequisitionLine.status.in_(statuses))
        with self._db.unit_of_work(write=False) as session:
            return [
                RequisitionView(
                    line.id,
                    part.number,
                    part.description,
                    vendor.code if vendor else None,
                    line.quantity,
                    line.status,
                    line.raised_at,
                    line.reason,
                    po,
                )
                for line, part, vendor, po in session.execute(query).all()
            ]

    def raise_requisition(
        self, actor: Actor, part_number: str, quantity: float, reason: str
    ) -> int:
        """A requisition by hand; refused while the part has one open."""
        require(actor, Action.PURCHASE)
        if not (isfinite(quantity) and quantity > 0):
            raise ValidationFailed({"quantity": "must be a number more than 0"})
        now = self._clock()
        with self._db.unit_of_work() as session:
            part = lock_part(session, part_number)
            open_line = session.execute(
                select(RequisitionLine.id).where(
                    RequisitionLine.part_id == part.id,
                    RequisitionLine.status.in_([s for s in RequisitionStatus if s.is_open]),
                )
            ).scalar()
            if open_line is not None:
                raise ValidationFailed(
                    {
                        "part": Phrase(
                            "{part_number} already has open requisition {open_line}",
                            part_number=part_number,
                            open_line=open_line,
                        )
                    }
                )
            line = RequisitionLine(
                part_id=part.id,
                vendor_id=part.default_vendor_id,
                quantity=qty(quantity),
                status=RequisitionStatus.OPEN,
                raised_at=now,
                reason=reason.strip() or "by hand",
            )
            session.add(line)
            session.flush()
            after = {"part": part_number, "quantity": line.quantity, "reason": line.reason}
            audit.record(
                session, actor, "raise requisition", "requisition", line.id, None, after, now
            )
            return line.id

    def cancel_requisition(self, actor: Actor, requisition_id: int, reason: str) -> None:
        require(actor, Action.PURCHASE)
        if not reason.strip():
            raise ValidationFailed({"reason": "required"})
        now = self._clock()
        with self._db.unit_of_work() as session:
            line = session.get(RequisitionLine, requisition_id)
            if line is None:
                raise NotFound(
                    Phrase("no requisition {requisition_id}", requisition_id=requisition_id)
                )
            lock_parts(session, [line.part_id])
            if line.status is not RequisitionStatus.OPEN:
                raise ValidationFailed(
                    {
                        "requisition": Phrase(
                            "{requisition_id} is {status}; only open ones",
                            requisition_id=requisition_id,
                            status=line.status,
                        )
                    }
                )
            line.status = RequisitionStatus.CANCELLED
            audit.record(
                session,
                actor,
                "cancel requisition",
                "requisition",
                line.id,
                {"status": "open"},
                {"status": "cancelled", "reason": reason.strip()},
                now,
            )

    # -- purchase orders -----------------------------------------------------------------

    def create_order(
        self, actor: Actor, vendor_code: str, requisition_ids: Sequence[int] | None = None
    ) -> PurchaseOrderView:
        """A draft order to the vendor from its open requisitions (all, or the ones given)."""
        require(actor, Action.PURCHASE)
        with self._db.unit_of_work() as session:
            number = self.insert_order(session, actor, vendor_code, requisition_ids)
            return self._view(session, number)

    def insert_order(
        self,
        session: Session,
        actor: Actor,
        vendor_code: str,
        requisition_ids: Sequence[int] | None = None,
    ) -> str:
        """Create the draft order in the caller's unit of work; returns its number."""
        now = self._clock()
        vendor = session.execute(
            select(Vendor).where(Vendor.code == vendor_code)
        ).scalar_one_or_none()
        if vendor is None:
            raise NotFound(Phrase("no vendor {vendor_code}", vendor_code=vendor_code))
        query = select(RequisitionLine).where(
            RequisitionLine.vendor_id == vendor.id,
            RequisitionLine.status == RequisitionStatus.OPEN,
        )
        if requisition_ids is not None:
            query = query.where(RequisitionLine.id.in_(requisition_ids))
        lines = list(session.execute(query.order_by(RequisitionLine.id)).scalars())
        if requisition_ids is not None and len(lines) != len(set(requisition_ids)):
            found = {line.id for line in lines}
            missing = ", ".join(str(i) for i in requisition_ids if i not in found)
            raise ValidationFailed(
                {
                    "requisitions": Phrase(
                        "not open for {vendor_code}: {missing}",
                        vendor_code=vendor_code,
                        missing=missing,
                    )
                }
            )
        parts = lock_parts(session, [line.part_id for line in lines])
        po = PurchaseOrder(
            number=next_number(session, "PO", now.year),
            vendor_id=vendor.id,
            status=PoStatus.DRAFT,
            created_at=now,
            created_by_id=actor.user_id,
        )
        session.add(po)
        session.flush()
        for line_no, requisition in enumerate(lines, start=1):
            part = parts[requisition.part_id]
            po_line = PurchaseOrderLine(
                purchase_order_id=po.id,
                line_no=line_no,
                part_id=part.id,
                quantity=requisition.quantity,
                unit_price=part.unit_cost,
                received=0.0,
            )
            session.add(po_line)
            session.flush()
            requisition.status = RequisitionStatus.ORDERED
            requisition.po_line_id = po_line.id
        session.flush()
        after = {"vendor": vendor_code, "requisitions": [line.id for line in lines]}
        audit.record(session, actor, "create", "purchase_order", po.number, None, after, now)
        return po.number

    def add_line(
        self,
        actor: Actor,
        po_number: str,
        part_number: str,
        quantity: float,
        unit_price: float | None = None,
    ) -> PurchaseOrderView:
        """Another line on a draft order; the price defaults to the part's unit cost."""
        require(actor, Action.PURCHASE)
        problems = {}
        if not (isfinite(quantity) and quantity > 0):
            problems["quantity"] = "must be a number more than 0"
        if unit_price is not None and not (isfinite(unit_price) and unit_price >= 0):
            problems["unit_price"] = "must be a number, not negative"
        if problems:
            raise ValidationFailed(problems)
        now = self._clock()
        with self._db.unit_of_work() as session:
            part = lock_part(session, part_number)
            po = self._lock(session, po_number)
            if po.status is not PoStatus.DRAFT:
                raise ValidationFailed(
                    {
                        "purchase_order": Phrase(
                            "{po_number} is {status}; only drafts change",
                            po_number=po_number,
                            status=po.status,
                        )
                    }
                )
            line_no = max((line.line_no for line in po.lines), default=0) + 1
            price = part.unit_cost if unit_price is None else unit_price
            session.add(
                PurchaseOrderLine(
                    purchase_order_id=po.id,
                    line_no=line_no,
                    part_id=part.id,
                    quantity=qty(quantity),
                    unit_price=price,
                    received=0.0,
                )
            )
            session.flush()
            after = {"line": line_no, "part": part_number, "quantity": quantity, "price": price}
            audit.record(session, actor, "add line", "purchase_order", po_number, None, after, now)
            session.expire(po, ["lines"])
            return self._view(session, po_number)

    def send(self, actor: Actor, po_number: str) -> PurchaseOrderView:
        return self._move(actor, po_number, PoStatus.SENT, "")

    def close(self, actor: Actor, po_number: str, note: str = "") -> PurchaseOrderView:
        """Close a (partly) received order: nothing more is expected on it."""
        return self._move(actor, po_number, PoStatus.CLOSED, note)

    def cancel(self, actor: Actor, po_number: str, reason: str) -> PurchaseOrderView:
        """Cancel an order not yet received; its requisitions are open again."""
        if not reason.strip():
            raise ValidationFailed({"reason": "required"})
        return self._move(actor, po_number, PoStatus.CANCELLED, reason)

    def _move(self, actor: Actor, po_number: str, target: PoStatus, note: str) -> PurchaseOrderView:
        require(actor, Action.PURCHASE)
        now = self._clock()
        with self._db.unit_of_work() as session:
            # Parts first, then the order: the lock order receipts use too.
            part_ids = session.execute(
                select(PurchaseOrderLine.part_id)
                .join(PurchaseOrder, PurchaseOrder.id == PurchaseOrderLine.purchase_order_id)
                .where(PurchaseOrder.number == po_number)
            ).scalars()
            parts = lock_parts(session, part_ids)
            po = self._lock(session, po_number)
            if target not in PO_MOVES[po.status]:
                allowed = Listing(tuple(PO_MOVES[po.status])) or Phrase("nothing")
                raise ValidationFailed(
                    {
                        "status": Phrase(
                            "{po_number} is {status}, which can move to {allowed}",
                            po_number=po_number,
                            status=po.status,
                            allowed=allowed,
                        )
                    }
                )
            if target is PoStatus.SENT and not po.lines:
                raise ValidationFailed(
                    {"lines": Phrase("{po_number} has no lines to send", po_number=po_number)}
                )
            before = {"status": po.status.value}
            po.status = target
            if target is PoStatus.SENT:
                po.sent_at = now
            else:
                po.closed_at = now
                po.note = note.strip()
                self._settle_requisitions(session, po, target)
            session.flush()
            if target is not PoStatus.SENT:
                for part in parts.values():
                    check_reorder(session, actor, part, now)
            after = {"status": target.value, "note": note.strip()}
            audit.record(
                session, actor, target.value, "purchase_order", po_number, before, after, now
            )
            return self._view(session, po_number)

    @staticmethod
    def _settle_requisitions(session: Session, po: PurchaseOrder, target: PoStatus) -> None:
        """Cancelled: its requisitions are open again. Closed: nothing more comes of them."""
        line_ids = [line.id for line in po.lines]
        for requisition in session.execute(
            select(RequisitionLine).where(RequisitionLine.po_line_id.in_(line_ids))
        ).scalars():
            if target is PoStatus.CANCELLED:
                requisition.status = RequisitionStatus.OPEN
                requisition.po_line_id = None
            else:
                requisition.status = RequisitionStatus.CLOSED

    def orders(self, statuses: Sequence[PoStatus] = ()) -> list[PurchaseOrderView]:
        query = (
            select(PurchaseOrder)
            .options(
                selectinload(PurchaseOrder.lines).selectinload(PurchaseOrderLine.part),
                selectinload(PurchaseOrder.vendor),
            )
            .order_by(PurchaseOrder.id.desc())
        )
        if statuses:
            query = query.where(PurchaseOrder.status.in_(statuses))
        with self._db.unit_of_work(write=False) as session:
            return [_po_view(po) for po in session.execute(query).scalars()]

    def order(self, po_number: str) -> PurchaseOrderView:
        with self._db.unit_of_work(write=False) as session:
            return self._view(session, po_number)

    @staticmethod
    def _lock(session: Session, po_number: str) -> PurchaseOrder:
        po = session.execute(
            select(PurchaseOrder).where(PurchaseOrder.number == po_number).with_for_update()
        ).scalar_one_or_none()
        if po is None:
            raise NotFound(Phrase("no purchase order {po_number}", po_number=po_number))
        return po

    @staticmethod
    def _view(session: Session, po_number: str) -> PurchaseOrderView:
        po = session.execute(
            select(PurchaseOrder)
            .where(PurchaseOrder.number == po_number)
            .options(selectinload(PurchaseOrder.lines).selectinload(PurchaseOrderLine.part))
        ).scalar_one_or_none()
        if po is None:
            raise NotFound(Phrase("no purchase order {po_number}", po_number=po_number))
        return _po_view(po)


def _po_view(po: PurchaseOrder) -> PurchaseOrderView:
    return PurchaseOrderView(
        po.number,
        po.vendor.code,
        po.status,
        po.created_at,
        po.sent_at,
        po.closed_at,
        tuple(
            PoLineView(
                line.line_no,
                line.part.number,
                line.part.description,
                line.quantity,
                line.unit_price,
                line.received,
            )
            for line in po.lines
        ),
    )
