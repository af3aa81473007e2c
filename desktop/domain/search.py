"""What a list of work orders is narrowed to: one filter for the table, the board and the CLI.

Plain data (no SQLAlchemy), so the board's filter row and its first page can be built before
the database layer is imported; `desktop.services.orders.work_orders.filter_query` turns it
into SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime

    from desktop.domain.enums import Priority, Status, WorkOrderType


@dataclass(frozen=True)
class SearchFilter:
    """What a list of work orders is narrowed to; every part is optional."""

    statuses: tuple[Status, ...] = ()
    text: str = ""
    types: tuple[WorkOrderType, ...] = ()
    priorities: tuple[Priority, ...] = ()
    asset_ids: tuple[int, ...] = ()
    assignee: str | None = None
    overdue_at: datetime | None = None
    include_closed: bool = True
    numbers: tuple[str, ...] = ()
    """Only these work orders (the ones behind a dashboard figure, say)."""
