"""Inventory use cases: parts, vendors and bins; issue, return, receive, adjust, transfer.

Each public method is one unit of work with its audit entry. The locking rules are in
`desktop.services.stock.stock_engine`.
"""

from __future__ import annotations

from dataclasses import asdict
from math import isfinite
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from desktop.domain.enums import Status
from desktop.domain.errors import ConflictError, NotFound, ReadOnlyRecord, ValidationFailed
from desktop.domain.inventory import (
    QTY_DIGITS,
    InsufficientStock,
    MovementKind,
    PoStatus,
    RequisitionStatus,
    moving_average,
    orders_short_of_parts,
    qty,
)
from desktop.domain.lifecycle import COMMITTED_STATUSES, PARTS_ISSUE_STATUSES
from desktop.domain.permissions import Action, Actor, require
from desktop.domain.phrases import Amount, Phrase
from desktop.services.shared import audit
from desktop.services.shared.clock import Clock, utc_now
from desktop.services.stock import reservations
from desktop.services.stock.inventory_records import (
    MovementView,
    NewPart,
    NewVendor,
    PartRow,
    StockRow,
    VendorView,
    WorkOrderParts,
    WorkOrderPartView,
)
from desktop.services.stock.stock_engine import (
    check_reorder,
    ensure_level,
    find_bin,
    issued_to,
    level_of,
    lock_part,
    part_on_hand,
    parts_used,
    post,
)
from desktop.store.inventory_models import (
    Bin,
    Part,
    PlannedPart,
    PurchaseOrder,
    PurchaseOrderLine,
    RequisitionLine,
    Reservation,
    StockLevel,
    StockLocation,
    StockMovement,
    Vendor,
)
from desktop.store.models import User, WorkOrder

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sqlalchemy.orm import Session

    from desktop.store.database import Database

CODE_MAX = 32
SMALLEST = f"{10.0**-QTY_DIGITS:.{QTY_DIGITS}f}"
"""The smallest quantity the ledger stores; less rounds to nothing."""


def _code_problem(code: str, limit: int = CODE_MAX) -> str | None:
    if not code.strip() or len(code) > limit or any(c.isspace() for c in code):
        return Phrase("1-{limit} characters without spaces", limit=limit)
    return None


def _positive(problems: dict[str, str], name: str, value: float) -> None:
    if not value > 0:
        problems[name] = "must be more than 0"


class InventoryService:
    def __init__(self, db: Database, clock: Clock = utc_now) -> None:
        self._db = db
        self._clock = clock

    # -- master data ---------------------------------------------------------------------

    def create_vendor(self, actor: Actor, new: NewVendor) -> VendorView:
        require(actor, Action.MANAGE_PARTS)
        with self._db.unit_of_work() as session:
            return self.insert_vendor(session, actor, new)

    def insert_vendor(self, session: Session, actor: Actor, new: NewVendor) -> VendorView:
        """Validate and add one vendor in the caller's unit of work (imports add many)."""
        problems = vendor_problems(new)
        if "code" not in problems and _exists(session, Vendor.code, new.code):
            problems["code"] = Phrase("{code} exists already", code=new.code)
        if problems:
            raise ValidationFailed(problems)
        session.add(Vendor(**asdict(new)))
        view = VendorView(new.code, new.name, new.lead_time_days, new.contact, new.email, new.phone)
        audit.record(session, actor, "create", "vendor", new.code, None, asdict(new), self._clock())
        return view

    def create_part(self, actor: Actor, new: NewPart) -> None:
        require(actor, Action.MANAGE_PARTS)
        with self._db.unit_of_work() as session:
            self.insert_part(session, actor, new)

    def insert_part(self, session: Session, actor: Actor, new: NewPart) -> None:
        """Validate and add one part in the caller's unit of work; its average starts at cost."""
        problems = part_problems(new)
        if "number" not in problems and _exists(session, Part.number, new.number):
            problems["number"] = Phrase("{number} exists already", number=new.number)
        vendor_id = None
        if new.vendor_code:
            vendor_id = session.execute(
                select(Vendor.id).where(Vendor.code == new.vendor_code)
            ).scalar_one_or_none()
            if vendor_id is None:
                problems["vendor"] = Phrase("no vendor {vendor_code}", vendor_code=new.vendor_code)
        if problems:
            raise ValidationFailed(problems)
        session.add(
            Part(
                number=new.number,
                description=new.description.strip(),
                unit=new.unit,
                category=new.category,
                default_vendor_id=vendor_id,
                unit_cost=new.unit_cost,
                average_cost=new.unit_cost,
            )
        )
        audit.record(session, actor, "create", "part", new.number, None, asdict(new), self._clock())

    def create_bin(self, actor: Actor, code: str, location: str, location_name: str = "") -> None:
        """A bin in a store room; the store room is created with its first bin."""
        require(actor, Action.MANAGE_PARTS)
        with self._db.unit_of_work() as session:
            self.insert_bin(session, actor, code, location, location_name)

    def insert_bin(
        self, session: Session, actor: Actor, code: str, location: str, location_name: str = ""
    ) -> None:
        problems = {}
        for name, value in (("bin", code), ("location", location)):
            problem = _code_problem(value)
            if problem:
                problems[name] = problem
        if "bin" not in problems and _exists(session, Bin.code, code):
            problems["bin"] = Phrase("{code} exists already", code=code)
        if problems:
            raise ValidationFailed(problems)
        store = session.execute(
            select(StockLocation).where(StockLocation.code == location)
        ).scalar_one_or_none()
        if store is None:
            store = StockLocation(code=location, name=location_name or location)
            session.add(store)
            session.flush()
        session.add(Bin(code=code, location_id=store.id))
        after = {"bin": code, "location": location}
        audit.record(session, actor, "create", "bin", code, None, after, self._clock())

    def set_levels(
        self,
        actor: Actor,
        part_number: str,
        bin_code: str,
        *,
        min_qty: float,
        max_qty: float = 0.0,
        reorder_qty: float = 0.0,
        expected_version: int | None = None,
    ) -> StockRow:
        """Set a bin's reorder settings; a stale form (`expected_version`) is refused."""
        require(actor, Action.MANAGE_PARTS)
        problems = level_problems(min_qty, max_qty, reorder_qty)
        if problems:
            raise ValidationFailed(problems)
        now = self._clock()
        with self._db.unit_of_work() as session:
            part = lock_part(session, part_number)
            bin_ = find_bin(session, bin_code)
            level = ensure_level(session, actor, part, bin_, now)
            if expected_version is not None and level.version != expected_version:
                who = session.get(User, level.updated_by_id)
                raise ConflictError(
                    Phrase(
                        "stock of {part_number} in {bin_code}",
                        part_number=part_number,
                        bin_code=bin_code,
                    ),
                    who.username if who else "?",
                    level.updated_at,
                    level.version,
                )
            before = _limits(level)
            level.min_qty, level.max_qty, level.reorder_qty = min_qty, max_qty, reorder_qty
            level.updated_at = now
            level.updated_by_id = actor.user_id
            session.flush()
            entity = f"{part_number}@{bin_code}"
            audit.record(session, actor, "set levels", "stock", entity, before, _limits(level), now)
            check_reorder(session, actor, part, now)
            return _stock_row(level, part, bin_)

    # -- movements -----------------------------------------------------------------------

    def issue(
        self, actor: Actor, part_number: str, quantity: float, bin_code: str, work_order: str
    ) -> MovementView:
        """Take parts out of a bin for a work order, charged at the moving-average cost.

        The order's own reservation in that bin counts as available to it; stock held for
        other work does not.
        """
        require(actor, Action.ISSUE_PARTS)
        quantity = _quantity(quantity)
        now = self._clock()
        with self._db.unit_of_work() as session:
            part = lock_part(session, part_number)
            wo = _work_order_for_use(session, work_order)
            bin_, level, reservation, planned = _issue_context(session, part, wo, bin_code)
            held = reservation.quantity if reservation else 0.0
            available = qty(level.on_hand - level.reserved + held) if level else 0.0
            if level is None or quantity > available:
                raise InsufficientStock("issue", part.number, quantity, available, bin_.code)
            if reservation is not None:
                reservations.unhold(session, reservation, min(held, quantity))
            movement = post(
                session,
                actor,
                now,
                part,
                level,
                bin_.code,
                MovementKind.ISSUE,
                -quantity,
                part.average_cost,
                work_order_id=wo.id,
            )
            if planned is not None:
                reservations.trim(session, wo, part, planned)
            check_reorder(session, actor, part, now)
            return self.posted(session, actor, movement, part, bin_, wo.number)

    def return_(
        self,
        actor: Actor,
        part_number: str,
        quantity: float,
        bin_code: str,
        work_order: str,
        reason: str = "",
    ) -> MovementView:
        """Put unused parts back, at the cost they were issued at, so the order's cost nets."""
        require(actor, Action.ISSUE_PARTS)
        quantity = _quantity(quantity)
        now = self._clock()
        with self._db.unit_of_work() as session:
            part = lock_part(session, part_number)
            bin_ = find_bin(session, bin_code)
            wo = _work_order_for_use(session, work_order)
            used, value = issued_to(session, wo.id, part.id)
            if quantity > used:
                raise ValidationFailed(
                    {
                        "quantity": Phrase(
                            "only {used} of {part_number} were issued to {wo_number}; "
                            "cannot return {quantity}",
                            used=Amount(qty(used), None),
                            part_number=part.number,
                            wo_number=wo.number,
                            quantity=Amount(qty(quantity), None),
                        )
                    }
                )
            movement = _book_in(
                session,
                actor,
                now,
                part,
                bin_,
                MovementKind.RETURN,
                quantity,
                value / used,
                work_order_id=wo.id,
                reason=reason,
            )
            reservations.fill_waiting(session, actor, part, now)
            return self.posted(session, actor, movement, part, bin_, wo.number)

    def receive(
        self,
        actor: Actor,
        part_number: str,
        quantity: float,
        bin_code: str,
        *,
        unit_cost: float | None = None,
        po_number: str | None = None,
        line_no: int | None = None,
        reason: str = "",
    ) -> MovementView:
        """Book goods into a bin, against a purchase-order line or at a given cost.

        The receipt updates the part's moving average, closes what it completes on the order
        and its requisition, and holds the new stock for scheduled work waiting for it.
        """
        require(actor, Action.MOVE_STOCK)
        quantity = _quantity(quantity)
        if po_number is None and unit_cost is None:
            raise ValidationFailed({"unit_cost": "give the unit cost, or the purchase order"})
        if unit_cost is not None and not (isfinite(unit_cost) and unit_cost >= 0):
            raise ValidationFailed({"unit_cost": "must be a number, not negative"})
        now = self._clock()
        with self._db.unit_of_work() as session:
            part = lock_part(session, part_number)
            bin_ = find_bin(session, bin_code)
            line = None
            if po_number is not None:
                line = _receivable_line(session, po_number, line_no, part, quantity)
                unit_cost = line.unit_price if unit_cost is None else unit_cost
            assert unit_cost is not None
            movement = _book_in(
                session,
                actor,
                now,
                part,
                bin_,
                MovementKind.RECEIPT,
                quantity,
                unit_cost,
                po_line_id=line.id if line else None,
                reason=reason,
            )
            if line is not None:
                _book_on_order(session, line, quantity, now)
            reservations.fill_waiting(session, actor, part, now)
            check_reorder(session, actor, part, now)
            return self.posted(session, actor, movement, part, bin_, None)

    def adjust(
        self, actor: Actor, part_number: str, bin_code: str, change: float, reason: str
    ) -> MovementView:
        """Correct a bin's balance after a count (signed change); the reason is required."""
        require(actor, Action.MOVE_STOCK)
        problems = {}
        if not reason.strip():
            problems["reason"] = "required (e.g. stock count, damaged, found)"
        if not isfinite(change) or qty(change) == 0:
            problems["quantity"] = Phrase(
                "must be a number, at least {smallest} up or down", smallest=SMALLEST
            )
        if problems:
            raise ValidationFailed(problems)
        change = qty(change)
        now = self._clock()
        with self._db.unit_of_work() as session:
            part = lock_part(session, part_number)
            bin_ = find_bin(session, bin_code)
            level = ensure_level(session, actor, part, bin_, now)
            available = qty(level.on_hand - level.reserved)
            if -change > available:
                raise InsufficientStock("adjust", part.number, -change, available, bin_.code)
            movement = post(
                session,
                actor,
                now,
                part,
                level,
                bin_.code,
                MovementKind.ADJUSTMENT,
                change,
                part.average_cost,
                reason=reason.strip(),
            )
            if change > 0:
                reservations.fill_waiting(session, actor, part, now)
            check_reorder(session, actor, part, now)
            return self.posted(session, actor, movement, part, bin_, None)

    def transfer(
        self, actor: Actor, part_number: str, quantity: float, from_bin: str, to_bin: str
    ) -> tuple[MovementView, MovementView]:
        """Move stock between bins: two ledger rows, out and in, at the same cost."""
        require(actor, Action.MOVE_STOCK)
        quantity = _quantity(quantity)
        if from_bin == to_bin:
            raise ValidationFailed({"to_bin": "must differ from the bin moved out of"})
        now = self._clock()
        with self._db.unit_of_work() as session:
            part = lock_part(session, part_number)
            source, target = find_bin(session, from_bin), find_bin(session, to_bin)
            out_level = level_of(session, part, source)
            available = qty(out_level.on_hand - out_level.reserved) if out_level else 0.0
            if out_level is None or quantity > available:
                raise InsufficientStock("transfer", part.number, quantity, available, from_bin)
            in_level = ensure_level(session, actor, part, target, now)
            reason = f"{from_bin} → {to_bin}"
            out = post(
                session,
                actor,
                now,
                part,
                out_level,
                from_bin,
                MovementKind.TRANSFER,
                -quantity,
                part.average_cost,
                reason=reason,
            )
            into = post(
                session,
                actor,
                now,
                part,
                in_level,
                to_bin,
                MovementKind.TRANSFER,
                quantity,
                part.average_cost,
                reason=reason,
            )
            return (
                self.posted(session, actor, out, part, source, None),
                self.posted(session, actor, into, part, target, None),
            )

    def posted(
        self,
        session: Session,
        actor: Actor,
        movement: StockMovement,
        part: Part,
        bin_: Bin,
        work_order: str | None,
    ) -> MovementView:
        """Audit a movement just posted in `session` and return its view (imports use it)."""
        session.flush()
        location = session.get(StockLocation, bin_.location_id)
        view = MovementView(
            movement.id,
            movement.at,
            movement.kind,
            part.number,
            location.code if location else "",
            bin_.code,
            movement.quantity,
            movement.unit_cost,
            work_order,
            actor.username,
            movement.reason,
        )
        after = {
            "part": part.number,
            "bin": bin_.code,
            "quantity": movement.quantity,
            "unit_cost": movement.unit_cost,
            "work_order": work_order,
            "reason": movement.reason,
        }
        audit.record(
            session, actor, movement.kind.value, "stock_movement", movement.id, None, after, view.at
        )
        return view

    # -- parts on work orders ------------------------------------------------------------

    def plan_part(
        self, actor: Actor, work_order: str, part_number: str, quantity: float
    ) -> WorkOrderParts:
        """Set how many of a part the order is planned to use (0 removes the line).

        On scheduled work the reservation follows the plan at once.
        """
        require(actor, Action.EDIT_WORK_ORDER)
        if not (isfinite(quantity) and quantity >= 0):
            raise ValidationFailed({"quantity": "must be a number, not negative"})
        now = self._clock()
        with self._db.unit_of_work() as session:
            part = lock_part(session, part_number)
            wo = _load_work_order(session, work_order)
            if not wo.status.is_open:
                raise ReadOnlyRecord(
                    Phrase(
                        "{number} is {status}: its parts list is final",
                        number=wo.number,
                        status=wo.status,
                    )
                )
            line = session.execute(
                select(PlannedPart).where(
                    PlannedPart.work_order_id == wo.id, PlannedPart.part_id == part.id
                )
            ).scalar_one_or_none()
            before = line.quantity if line else 0.0
            if quantity == 0:
                if line is not None:
                    session.delete(line)
            elif line is None:
                session.add(PlannedPart(work_order_id=wo.id, part_id=part.id, quantity=quantity))
            else:
                line.quantity = qty(quantity)
            session.flush()
            if wo.status in COMMITTED_STATUSES:
                reservations.trim(session, wo, part, quantity)
                if quantity:
                    reservations.top_up(session, wo, part, quantity)
                check_reorder(session, actor, part, now)
            audit.record(
                session,
                actor,
                "plan parts",
                "work_order",
                wo.number,
                {part.number: before},
                {part.number: quantity},
                now,
            )
            return self._work_order_parts(session, wo)

    def work_order_parts(self, work_order: str) -> WorkOrderParts:
        """Planned, reserved and used parts of one order, with lead-time warnings."""
        with self._db.unit_of_work(write=False) as session:
            return self._work_order_parts(session, _load_work_order(session, work_order))

    def _work_order_parts(self, session: Session, wo: WorkOrder) -> WorkOrderParts:
        planned = dict(
            session.execute(
                select(PlannedPart.part_id, PlannedPart.quantity).where(
                    PlannedPart.work_order_id == wo.id
                )
            ).all()
        )
        held = dict(
            session.execute(
                select(Reservation.part_id, func.sum(Reservation.quantity))
                .where(Reservation.work_order_id == wo.id)
                .group_by(Reservation.part_id)
            ).all()
        )
        used: dict[int, tuple[float, float]] = {
            row.part_id: (qty(row.quantity), float(row.cost))
            for row in session.execute(
                parts_used(StockMovement.part_id).where(StockMovement.work_order_id == wo.id)
            ).all()
        }
        ids = set(planned) | set(held) | set(used)
        parts = {p.id: p for p in session.execute(select(Part).where(Part.id.in_(ids))).scalars()}
        lines = tuple(
            WorkOrderPartView(
                part.number,
                part.description,
                part.unit,
                planned.get(part.id, 0.0),
                qty(held.get(part.id, 0.0)),
                used.get(part.id, (0.0, 0.0))[0],
                round(used.get(part.id, (0.0, 0.0))[1], 2),
            )
            for part in sorted(parts.values(), key=lambda p: p.number)
        )
        warnings = self._lead_time_warnings(session, wo, lines, parts)
        return WorkOrderParts(wo.number, wo.status, lines, tuple(warnings))

    def _lead_time_warnings(
        self,
        session: Session,
        wo: WorkOrder,
        lines: Iterable[WorkOrderPartView],
        parts: dict[int, Part],
    ) -> list[str]:
        """Missing parts whose vendor cannot deliver before the scheduled start."""
        if wo.scheduled_start is None or wo.status not in (Status.APPROVED, *COMMITTED_STATUSES):
            return []
        by_number = {p.number: p for p in parts.values()}
        now = self._clock()
        warnings: list[str] = []
        for line in lines:
            if line.missing <= 0:
                continue
            part = by_number[line.part]
            vendor = session.get(Vendor, part.default_vendor_id) if part.default_vendor_id else None
            if vendor is None:
                warnings.append(
                    Phrase(
                        "{part}: {missing} missing and no vendor set",
                        part=line.part,
                        missing=Amount(qty(line.missing), None),
                    )
                )
                continue
            days_left = (wo.scheduled_start - now).total_seconds() / 86400
            if days_left < vendor.lead_time_days:
                if days_left < 0:
                    when = Phrase("was to start on {day}", day=wo.scheduled_start.date())
                elif days_left < 1:
                    when = Phrase("starts within a day")
                else:
                    when = Phrase("starts in {days} days", days=Amount(days_left, 0, grouped=False))
                warnings.append(
                    Phrase(
                        "{part}: {missing} missing; {name} needs {lead_time_days} days but "
                        "{number} {when}",
                        part=line.part,
                        missing=Amount(qty(line.missing), None),
                        name=vendor.name,
                        lead_time_days=vendor.lead_time_days,
                        number=wo.number,
                        when=when,
                    )
                )
        return warnings

    def waiting_for_parts(self, numbers: Iterable[str]) -> set[str]:
        """Which of these work orders are scheduled or under way with planned parts missing.

        Three grouped queries over the given orders only, cheap enough for every board refresh.
        """
        wanted = list(dict.fromkeys(numbers))
        if not wanted:
            return set()
        found: set[str] = set()
        with self._db.unit_of_work(write=False) as session:
            for start in range(0, len(wanted), 1000):
                found |= waiting_numbers(session, wanted[start : start + 1000])
        return found

    def parts_costs(self, numbers: Iterable[str]) -> dict[str, float]:
        """Parts cost per work order: issued less returned, at the ledger's unit costs.

        KPIS.md, maintenance cost per asset: "parts issued − parts returned".
        """
        wanted = list(dict.fromkeys(numbers))
        costs: dict[str, float] = dict.fromkeys(wanted, 0.0)
        with self._db.unit_of_work(write=False) as session:
            for start in range(0, len(wanted), 1000):
                rows = session.execute(
                    parts_used(WorkOrder.number)
                    .join(WorkOrder, WorkOrder.id == StockMovement.work_order_id)
                    .where(WorkOrder.number.in_(wanted[start : start + 1000]))
                )
                for row in rows:
                    costs[row.number] = round(float(row.cost), 2) + 0.0
        return costs

    def parts_cost(self, number: str) -> float:
        return self.parts_costs([number])[number]

    # -- reading -------------------------------------------------------------------------

    def parts(self, text: str = "", below_min_only: bool = False) -> list[PartRow]:
        """Every part with its stock over all bins, by number; filtered in SQL by `text`."""
        query = (
            select(
                Part.number,
                Part.description,
                Part.unit,
                Part.category,
                Vendor.code,
                Part.unit_cost,
                Part.average_cost,
                func.coalesce(func.sum(StockLevel.on_hand), 0.0),
                func.coalesce(func.sum(StockLevel.reserved), 0.0),
                func.coalesce(func.sum(StockLevel.min_qty), 0.0),
                func.coalesce(func.sum(StockLevel.max_qty), 0.0),
                func.coalesce(func.sum(StockLevel.reorder_qty), 0.0),
                Part.id,
            )
            .outerjoin(Vendor, Vendor.id == Part.default_vendor_id)
            .outerjoin(StockLevel, StockLevel.part_id == Part.id)
            .group_by(Part.id, Vendor.code)
            .order_by(Part.number)
        )
        if text.strip():
            pattern = f"%{_escape(text.strip())}%"
            query = query.where(
                Part.number.ilike(pattern, escape="\\")
                | Part.description.ilike(pattern, escape="\\")
                | Part.category.ilike(pattern, escape="\\")
            )
        with self._db.unit_of_work(write=False) as session:
            rows = session.execute(query).all()
            bins: dict[int, list[str]] = {}
            for part_id, code in session.execute(
                select(StockLevel.part_id, Bin.code)
                .join(Bin, Bin.id == StockLevel.bin_id)
                .order_by(Bin.code)
            ):
                bins.setdefault(part_id, []).append(code)
        result = [
            PartRow(*r[:7], *(qty(v) for v in r[7:12]), bins=tuple(bins.get(r[12], ())))
            for r in rows
        ]
        return [r for r in result if r.below_min] if below_min_only else result

    def low_stock_count(self) -> int:
        """Parts at or below their minimum, for the badge on the navigation."""
        return len(self.parts(below_min_only=True))

    def stock(self, part: str | None = None, bin_code: str | None = None) -> list[StockRow]:
        """Stock per part and bin, by part number then bin."""
        query = (
            select(StockLevel, Part, Bin)
            .join(Part, Part.id == StockLevel.part_id)
            .join(Bin, Bin.id == StockLevel.bin_id)
            .order_by(Part.number, Bin.code)
        )
        if part:
            query = query.where(Part.number == part)
        if bin_code:
            query = query.where(Bin.code == bin_code)
        with self._db.unit_of_work(write=False) as session:
            return [_stock_row(level, p, b) for level, p, b in session.execute(query).all()]

    def ledger(
        self,
        part: str | None = None,
        *,
        work_order: str | None = None,
        limit: int = 500,
    ) -> list[MovementView]:
        """Ledger rows, newest first; for one part each row carries the balance after it."""
        user = aliased(User)
        query = (
            select(
                StockMovement.id,
                StockMovement.at,
                StockMovement.kind,
                Part.number,
                StockLocation.code,
                Bin.code,
                StockMovement.quantity,
                StockMovement.unit_cost,
                WorkOrder.number,
                user.username,
                StockMovement.reason,
            )
            .join(Part, Part.id == StockMovement.part_id)
            .join(StockLevel, StockLevel.id == StockMovement.stock_level_id)
            .join(Bin, Bin.id == StockLevel.bin_id)
            .join(StockLocation, StockLocation.id == Bin.location_id)
            .join(user, user.id == StockMovement.user_id)
            .outerjoin(WorkOrder, WorkOrder.id == StockMovement.work_order_id)
            .order_by(StockMovement.id.desc())
            .limit(limit)
        )
        if part:
            query = query.where(Part.number == part)
        if work_order:
            query = query.where(WorkOrder.number == work_order)
        with self._db.unit_of_work(write=False) as session:
            rows = session.execute(query).all()
            if not part or work_order:
                # A running balance needs every movement of the part, newest first.
                return [MovementView(*row) for row in rows]
            part_row = session.execute(select(Part).where(Part.number == part)).scalar_one_or_none()
            if part_row is None:
                raise NotFound(Phrase("no part {part}", part=part))
            balance = part_on_hand(session, part_row.id)
        views = []
        for row in rows:
            views.append(MovementView(*row, balance=qty(balance)))
            balance -= row[6]
        return views

    def vendors(self) -> list[VendorView]:
        with self._db.unit_of_work(write=False) as session:
            return [
                VendorView(v.code, v.name, v.lead_time_days, v.contact, v.email, v.phone)
                for v in session.execute(select(Vendor).order_by(Vendor.code)).scalars()
            ]

    def bins(self) -> list[tuple[str, str]]:
        """(bin, store room) pairs, by bin code."""
        with self._db.unit_of_work(write=False) as session:
            return [
                (b, loc)
                for b, loc in session.execute(
                    select(Bin.code, StockLocation.code)
                    .join(StockLocation, StockLocation.id == Bin.location_id)
                    .order_by(Bin.code)
                ).all()
            ]


# -- helpers ------------------------------------------------------------------------------


def vendor_problems(new: NewVendor) -> dict[str, str]:
    problems: dict[str, str] = {}
    problem = _code_problem(new.code)
    if problem:
        problems["code"] = problem
    if not new.name.strip():
        problems["name"] = "required"
    if not 0 <= new.lead_time_days <= 365:
        problems["lead_time_days"] = "0 to 365 days"
    return problems


def part_problems(new: NewPart) -> dict[str, str]:
    problems: dict[str, str] = {}
    problem = _code_problem(new.number, 64)
    if problem:
        problems["number"] = problem
    if not new.description.strip():
        problems["description"] = "required"
    if not new.unit.strip() or len(new.unit) > 16:
        problems["unit"] = "required, at most 16 characters (e.g. each, m, l, kg)"
    if not isfinite(new.unit_cost):
        problems["unit_cost"] = "must be a number"
    elif new.unit_cost < 0:
        problems["unit_cost"] = "must not be negative"
    return problems


def level_problems(min_qty: float, max_qty: float, reorder_qty: float) -> dict[str, str]:
    problems: dict[str, str] = {}
    for name, value in (("min", min_qty), ("max", max_qty), ("reorder_qty", reorder_qty)):
        if not isfinite(value):
            problems[name] = "must be a number"
        elif value < 0:
            problems[name] = "must not be negative"
    if max_qty and max_qty < min_qty:
        problems["max"] = "must be at least the minimum (or 0 to use the reorder quantity)"
    return problems


def _quantity(value: float) -> float:
    # NaN fails `> 0` by itself; infinity would pass it, and the command line accepts "inf".
    # Checked after rounding: a quantity too small to store would be stored as 0.
    quantity = qty(value) if isfinite(value) else 0.0
    if not quantity > 0:
        raise ValidationFailed(
            {"quantity": Phrase("must be a number, at least {smallest}", smallest=SMALLEST)}
        )
    return quantity


def _exists(session: Session, column: Any, value: str) -> bool:
    return session.execute(select(column).where(column == value)).first() is not None


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _limits(level: StockLevel) -> dict[str, float]:
    return {"min": level.min_qty, "max": level.max_qty, "reorder_qty": level.reorder_qty}


def _stock_row(level: StockLevel, part: Part, bin_: Bin) -> StockRow:
    return StockRow(
        part.number,
        part.description,
        part.unit,
        bin_.location.code,
        bin_.code,
        level.on_hand,
        level.reserved,
        level.min_qty,
        level.max_qty,
        level.reorder_qty,
        level.version,
    )


def _load_work_order(session: Session, number: str) -> WorkOrder:
    wo = session.execute(select(WorkOrder).where(WorkOrder.number == number)).scalar_one_or_none()
    if wo is None:
        raise NotFound(Phrase("no work order {number}", number=number))
    return wo


def _work_order_for_use(session: Session, number: str) -> WorkOrder:
    wo = _load_work_order(session, number)
    if wo.status not in PARTS_ISSUE_STATUSES:
        if wo.status is Status.REQUESTED:
            raise ValidationFailed(
                {"work_order": Phrase("{number} is not approved yet", number=number)}
            )
        raise ReadOnlyRecord(
            Phrase(
                "{number} is {status}: no more parts can be booked on it",
                number=number,
                status=wo.status,
            )
        )
    return wo


def _issue_context(
    session: Session, part: Part, wo: WorkOrder, bin_code: str
) -> tuple[Bin, StockLevel | None, Reservation | None, float | None]:
    """The bin, the part's level in it, the order's reservation there and its planned quantity.

    One statement instead of four: issuing is the busiest movement (see bench_inventory).
    """
    row = session.execute(
        select(Bin, StockLocation, StockLevel, Reservation, PlannedPart.quantity)
        .join(StockLocation, StockLocation.id == Bin.location_id)
        .outerjoin(StockLevel, (StockLevel.bin_id == Bin.id) & (StockLevel.part_id == part.id))
        .outerjoin(
            Reservation,
            (Reservation.stock_level_id == StockLevel.id) & (Reservation.work_order_id == wo.id),
        )
        .outerjoin(
            PlannedPart, (PlannedPart.work_order_id == wo.id) & (PlannedPart.part_id == part.id)
        )
        .where(Bin.code == bin_code)
    ).one_or_none()
    if row is None:
        raise NotFound(Phrase("no bin {bin_code}", bin_code=bin_code))
    bin_, _location, level, reservation, planned = row
    return bin_, level, reservation, planned


def waiting_numbers(session: Session, numbers: list[str]) -> set[str]:
    """Of `numbers`, the scheduled or running orders whose planned parts are not all there."""
    orders = dict(
        session.execute(
            select(WorkOrder.id, WorkOrder.number).where(
                WorkOrder.number.in_(numbers), WorkOrder.status.in_(COMMITTED_STATUSES)
            )
        ).all()
    )
    if not orders:
        return set()
    ids = list(orders)
    need = session.execute(
        select(PlannedPart.work_order_id, PlannedPart.part_id, PlannedPart.quantity).where(
            PlannedPart.work_order_id.in_(ids)
        )
    ).all()
    reserved = session.execute(
        select(Reservation.work_order_id, Reservation.part_id, func.sum(Reservation.quantity))
        .where(Reservation.work_order_id.in_(ids))
        .group_by(Reservation.work_order_id, Reservation.part_id)
    ).all()
    used = session.execute(
        parts_used(StockMovement.work_order_id, StockMovement.part_id).where(
            StockMovement.work_order_id.in_(ids)
        )
    ).all()
    short = orders_short_of_parts(
        need, reserved, ((r.work_order_id, r.part_id, r.quantity) for r in used)
    )
    return {orders[wo_id] for wo_id in short}


def _receivable_line(
    session: Session, po_number: str, line_no: int | None, part: Part, quantity: float
) -> PurchaseOrderLine:
    """The order line a receipt is booked against, locked with its order."""
    po = session.execute(
        select(PurchaseOrder).where(PurchaseOrder.number == po_number).with_for_update()
    ).scalar_one_or_none()
    if po is None:
        raise NotFound(Phrase("no purchase order {po_number}", po_number=po_number))
    if po.status not in (PoStatus.SENT, PoStatus.PARTLY_RECEIVED):
        raise ValidationFailed(
            {
                "purchase_order": Phrase(
                    "{po_number} is {status}; only sent orders are received",
                    po_number=po_number,
                    status=po.status,
                )
            }
        )
    candidates = [
        line
        for line in po.lines
        if line.part_id == part.id and (line_no is None or line.line_no == line_no)
    ]
    if line_no is not None and not any(line.line_no == line_no for line in po.lines):
        raise NotFound(
            Phrase("{po_number} has no line {line_no}", po_number=po_number, line_no=line_no)
        )
    if not candidates:
        where = f"line {line_no}" if line_no is not None else "any line"
        raise ValidationFailed(
            {
                "part": Phrase(
                    "{number} is not on {where} of {po_number}",
                    number=part.number,
                    where=where,
                    po_number=po_number,
                )
            }
        )
    line = next((c for c in candidates if c.received < c.quantity), candidates[0])
    outstanding = qty(line.quantity - line.received)
    if quantity > outstanding:
        raise ValidationFailed(
            {
                "quantity": Phrase(
                    "only {outstanding} of {quantity} still to receive on {po_number} line "
                    "{line_no}",
                    outstanding=Amount(qty(outstanding), None),
                    quantity=Amount(qty(line.quantity), None),
                    po_number=po_number,
                    line_no=line.line_no,
                )
            }
        )
    return line


def _book_on_order(session: Session, line: PurchaseOrderLine, quantity: float, now: Any) -> None:
    """Count the receipt on its line; the order and the line's requisition follow."""
    line.received = qty(line.received + quantity)
    po = session.get(PurchaseOrder, line.purchase_order_id)
    assert po is not None
    done = all(qty(item.received) >= qty(item.quantity) for item in po.lines)
    po.status = PoStatus.RECEIVED if done else PoStatus.PARTLY_RECEIVED
    if line.received >= line.quantity:
        for requisition in session.execute(
            select(RequisitionLine).where(RequisitionLine.po_line_id == line.id)
        ).scalars():
            requisition.status = RequisitionStatus.CLOSED
    session.flush()


def _book_in(
    session: Session,
    actor: Actor,
    now: Any,
    part: Part,
    bin_: Bin,
    kind: MovementKind,
    quantity: float,
    unit_cost: float,
    *,
    work_order_id: int | None = None,
    po_line_id: int | None = None,
    reason: str = "",
) -> StockMovement:
    """Stock coming in (a receipt or a return) moves the part's average cost before it is posted,
    so receipts and returns value the shelf the same way."""
    part.average_cost = moving_average(
        part_on_hand(session, part.id), part.average_cost, quantity, unit_cost
    )
    level = ensure_level(session, actor, part, bin_, now)
    return post(
        session,
        actor,
        now,
        part,
        level,
        bin_.code,
        kind,
        quantity,
        unit_cost,
        work_order_id=work_order_id,
        po_line_id=po_line_id,
        reason=reason,
    )
