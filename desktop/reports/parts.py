"""Parts planned for and issued to work orders, as the reports print them.

Inventory is built in its own branch: until it is merged, `NO_INVENTORY` answers for every
order with no parts. The inventory service plugs in by offering `parts_for(numbers)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Sequence


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


class _NoInventory:
    def parts_for(self, numbers: Sequence[str]) -> dict[str, list[PartLine]]:
        return {}


NO_INVENTORY: PartsSource = _NoInventory()
