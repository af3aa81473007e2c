"""Inventory rules that need no database: movement kinds, purchase states, costing, reorder."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from desktop.domain.errors import WrenchbookError
from desktop.domain.phrases import Amount, Phrase

if TYPE_CHECKING:
    from collections.abc import Iterable

QTY_DIGITS = 6
"""Quantities are rounded to this many decimals so float sums stay equal to the ledger sum."""


class MovementKind(StrEnum):
    """A ledger row's kind; its quantity is signed (+ into the bin, − out of it)."""

    RECEIPT = "receipt"
    ISSUE = "issue"
    RETURN = "return"
    ADJUSTMENT = "adjustment"
    TRANSFER = "transfer"


USE_KINDS = (MovementKind.ISSUE, MovementKind.RETURN)
"""The ledger rows that count as a work order's use of parts (issued − returned)."""


class RequisitionStatus(StrEnum):
    OPEN = "open"
    ORDERED = "ordered"
    CLOSED = "closed"
    CANCELLED = "cancelled"

    @property
    def is_open(self) -> bool:
        """Open or ordered and not yet received: a second one for the part is not raised."""
        return self in (RequisitionStatus.OPEN, RequisitionStatus.ORDERED)


class PoStatus(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    PARTLY_RECEIVED = "partly_received"
    RECEIVED = "received"
    CLOSED = "closed"
    CANCELLED = "cancelled"


PO_MOVES: dict[PoStatus, frozenset[PoStatus]] = {
    PoStatus.DRAFT: frozenset({PoStatus.SENT, PoStatus.CANCELLED}),
    PoStatus.SENT: frozenset({PoStatus.CANCELLED}),
    PoStatus.PARTLY_RECEIVED: frozenset({PoStatus.CLOSED}),
    PoStatus.RECEIVED: frozenset({PoStatus.CLOSED}),
    PoStatus.CLOSED: frozenset(),
    PoStatus.CANCELLED: frozenset(),
}
"""Moves a person makes; partly received and received follow from receipts by themselves.

Closing a partly received order gives up on the rest (the vendor will not deliver it).
"""


class InsufficientStock(WrenchbookError):
    """A movement that would take a bin below zero or into stock reserved for other work."""

    def __init__(self, verb: str, part: str, wanted: float, available: float, bin_code: str):
        self.part = part
        self.wanted = wanted
        self.available = available
        self.bin_code = bin_code
        super().__init__(
            Phrase(
                "cannot {verb} {part}: only {available} of {wanted} available in bin {bin_code}",
                verb=Phrase(verb),
                part=part,
                available=Amount(qty(available), None),
                wanted=Amount(qty(wanted), None),
                bin_code=bin_code,
            )
        )


def qty(value: float) -> float:
    """A quantity as stored: rounded, and never -0.0."""
    return round(float(value), QTY_DIGITS) + 0.0


def orders_short_of_parts(
    need: Iterable[tuple[int, int, float]],
    reserved: Iterable[tuple[int, int, float]],
    used: Iterable[tuple[int, int, float]],
) -> set[int]:
    """The orders (ids) whose planned parts are not all there: each (order, part) planned
    quantity less what is reserved for it and what it already drew (issued − returned).

    Every row is (work order id, part id, quantity); callers pass the rows of scheduled or
    running orders only (`lifecycle.COMMITTED_STATUSES`), the only ones that wait for parts.
    The service and the board's first page read both apply this one rule.
    """
    missing = {(wo_id, part_id): quantity for wo_id, part_id, quantity in need}
    for rows in (reserved, used):
        for wo_id, part_id, quantity in rows:
            if (wo_id, part_id) in missing:
                missing[wo_id, part_id] -= quantity
    return {wo_id for (wo_id, _), left in missing.items() if qty(left) > 0}


def qty_text(value: float) -> str:
    """3 rather than 3.0; 2.5 stays 2.5."""
    return f"{qty(value):g}"


def moving_average(on_hand: float, average: float, added: float, cost: float) -> float:
    """Weighted average cost after `added` units at `cost` join `on_hand` units at `average`.

    Stock at or below zero carries no value of its own, so the new units set the cost.
    """
    if on_hand <= 0:
        return cost
    return (on_hand * average + added * cost) / (on_hand + added)


def reorder_quantity(
    available: float, shortage: float, minimum: float, maximum: float, reorder_qty: float
) -> float:
    """How much to requisition, or 0 when stock is above its minimum.

    The position is what is available less what waiting work still needs. At or below the
    minimum the order refills to the maximum when one is set, else it is the reorder
    quantity; it always covers at least the shortage.
    """
    position = available - shortage
    if position > minimum:
        return 0.0
    wanted = maximum - position if maximum > 0 else reorder_qty
    return qty(max(wanted, shortage, reorder_qty if maximum <= 0 else 0.0))
