"""Plain, frozen views of parts, stock and purchasing that leave the engine."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime

    from desktop.domain.enums import Status
    from desktop.domain.inventory import MovementKind, PoStatus, RequisitionStatus


@dataclass(frozen=True)
class NewVendor:
    code: str
    name: str
    lead_time_days: int = 7
    contact: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class NewPart:
    number: str
    description: str
    unit: str = "each"
    category: str = ""
    vendor_code: str | None = None
    unit_cost: float = 0.0


@dataclass(frozen=True)
class PartRow:
    """One part with its stock summed over all bins; `below_min` drives the highlighting."""

    number: str
    description: str
    unit: str
    category: str
    vendor: str | None
    unit_cost: float
    average_cost: float
    on_hand: float
    reserved: float
    min_qty: float
    max_qty: float
    reorder_qty: float
    bins: tuple[str, ...]

    @property
    def available(self) -> float:
        return round(self.on_hand - self.reserved, 6)

    @property
    def below_min(self) -> bool:
        """At or below the minimum: the reorder point (a part without one never is)."""
        return (self.min_qty > 0 or self.max_qty > 0) and self.available <= self.min_qty


@dataclass(frozen=True)
class StockRow:
    """One part in one bin."""

    part: str
    description: str
    unit: str
    location: str
    bin: str
    on_hand: float
    reserved: float
    min_qty: float
    max_qty: float
    reorder_qty: float
    version: int

    @property
    def available(self) -> float:
        return round(self.on_hand - self.reserved, 6)


@dataclass(frozen=True)
class MovementView:
    """One ledger row; `balance` is the part's on hand after it (all bins), when listed by part."""

    id: int
    at: datetime
    kind: MovementKind
    part: str
    location: str
    bin: str
    quantity: float
    unit_cost: float
    work_order: str | None
    user: str
    reason: str
    balance: float | None = None

    @property
    def value(self) -> float:
        return round(self.quantity * self.unit_cost, 4)


@dataclass(frozen=True)
class WorkOrderPartView:
    """A part on a work order: planned, held for it, used on it, and what is still missing."""

    part: str
    description: str
    unit: str
    planned: float
    reserved: float
    issued: float
    cost: float

    @property
    def missing(self) -> float:
        return max(round(self.planned - self.issued - self.reserved, 6), 0.0)


@dataclass(frozen=True)
class WorkOrderParts:
    number: str
    status: Status
    lines: tuple[WorkOrderPartView, ...]
    warnings: tuple[str, ...]

    @property
    def cost(self) -> float:
        return round(sum(line.cost for line in self.lines), 2)

    @property
    def waiting_for_parts(self) -> bool:
        return any(line.missing > 0 for line in self.lines)


@dataclass(frozen=True)
class VendorView:
    code: str
    name: str
    lead_time_days: int
    contact: str
    email: str
    phone: str


@dataclass(frozen=True)
class RequisitionView:
    id: int
    part: str
    description: str
    vendor: str | None
    quantity: float
    status: RequisitionStatus
    raised_at: datetime
    reason: str
    purchase_order: str | None


@dataclass(frozen=True)
class PoLineView:
    line_no: int
    part: str
    description: str
    quantity: float
    unit_price: float
    received: float

    @property
    def outstanding(self) -> float:
        return max(round(self.quantity - self.received, 6), 0.0)


@dataclass(frozen=True)
class PurchaseOrderView:
    number: str
    vendor: str
    status: PoStatus
    created_at: datetime
    sent_at: datetime | None
    closed_at: datetime | None
    lines: tuple[PoLineView, ...]

    @property
    def total(self) -> float:
        return round(sum(line.quantity * line.unit_price for line in self.lines), 2)
