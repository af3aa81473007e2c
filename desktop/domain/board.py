"""What the lifecycle board shows and how it picks it: the one definition of a board card.

Two readers fill the board: `desktop.services.orders.board.BoardService` (SQLAlchemy, every
filter, both engines) and `desktop.store.board_page` (the bare DBAPI, the first page only, read
before the database layer is imported at start). Both fetch raw rows and leave everything else
to this module: which statuses each column holds, which cards are the most urgent, the crew's
initials, when an order waits for parts, and how a card is built from its row. So the two can
only differ in how they fetch, and a test holds their pages equal on both engines.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from desktop.domain.enums import STAGE_OF_STATUS, HoldReason, Priority, Stage, Status, WorkOrderType
from desktop.domain.lifecycle import READ_ONLY_STATUSES
from desktop.domain.search import SearchFilter

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

CARDS_PER_STAGE = 150
"""More cards than a planner can scan in one column; the column header shows the full count."""

FIRST_CARDS = 30
"""The cards per column the start reads before the services load: more than a column shows at
once (74 px a card, 28 on a 2160-px screen); the services' read adds the rest below them a
moment later. Reading 150 cost the 100k-order start about 8 ms more."""

FIRST_PAGE = SearchFilter(
    statuses=tuple(s for s in Status if s not in READ_ONLY_STATUSES), include_closed=False
)
"""The board's filter as it opens (the filter row untouched): open work, closed hidden."""


@dataclass(frozen=True)
class BoardCard:
    """What one card on the board shows."""

    number: str
    title: str
    asset_code: str
    type: WorkOrderType
    priority: Priority
    status: Status
    due_at: datetime | None
    assignee_initials: tuple[str, ...]
    waiting_for_parts: bool
    version: int

    def is_overdue(self, now: datetime) -> bool:
        return self.status.is_open and self.due_at is not None and self.due_at < now


@dataclass(frozen=True)
class BoardColumn:
    stage: Stage
    total: int
    cards: tuple[BoardCard, ...]


@dataclass(frozen=True)
class CardRow:
    """One card's raw columns as either reader fetches them (enum values as stored)."""

    id: int
    number: str
    title: str
    asset_code: str
    type: str
    priority: int
    status: str
    due_at: datetime | str | None
    hold_reason: str | None
    version: int


def initials(full_name: str) -> str:
    """'Marek Kowalski' -> 'MK'; a single name gives its first two letters."""
    parts = full_name.split()
    if len(parts) >= 2:
        return (parts[0][0] + parts[-1][0]).upper()
    return full_name[:2].upper()


def stages_shown(criteria: SearchFilter) -> dict[Stage, tuple[Status, ...]]:
    """The statuses each column holds; closed work only when the filter asks for it."""
    shown: dict[Stage, list[Status]] = {stage: [] for stage in Stage}
    for status, stage in STAGE_OF_STATUS.items():
        if status is Status.CLOSED and not criteria.include_closed:
            continue
        if criteria.statuses and status not in criteria.statuses:
            continue
        shown[stage].append(status)
    return {stage: tuple(statuses) for stage, statuses in shown.items()}


def statuses_read(criteria: SearchFilter) -> tuple[Status, ...]:
    """The statuses the board asks the database for (a cancelled-only read when none is shown:
    no column holds cancelled work, so every column comes back empty)."""
    shown = stages_shown(criteria)
    return tuple(s for statuses in shown.values() for s in statuses) or (Status.CANCELLED,)


def most_urgent(
    keys: Iterable[tuple[int, str, int, Any]], criteria: SearchFilter, per_stage: int
) -> tuple[dict[Stage, int], dict[Stage, list[int]]]:
    """Each column's total and the ids of its `per_stage` most urgent orders, from the sort
    keys (id, status as stored, priority, due time as stored) of every matching order.

    Raw values: converting 16k timestamps and enums per keystroke cost more than the query.
    Within one engine raw due times order like the times (ISO text on SQLite).
    """
    shown = stages_shown(criteria).items()
    stage_of_raw = {status.value: stage for stage, statuses in shown for status in statuses}
    grouped: dict[Stage, list[tuple[int, bool, Any, int]]] = {stage: [] for stage in Stage}
    for row_id, status, priority, due_at in keys:
        # Urgency: priority first, then the nearest due time; orders without one last, the
        # older order first among equals. Compared as plain tuples, no key function per row.
        undated = due_at is None
        grouped[stage_of_raw[status]].append((priority, undated, "" if undated else due_at, row_id))
    chosen = {
        stage: [key[3] for key in heapq.nsmallest(per_stage, rows)]
        for stage, rows in grouped.items()
    }
    return {stage: len(rows) for stage, rows in grouped.items()}, chosen


def utc_time(value: datetime | str | None) -> datetime | None:
    """A stored time as an aware UTC datetime: SQLite keeps the ISO text of UTC, PostgreSQL
    hands back an aware datetime."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value + "+00:00")
        except ValueError:  # text written with an offset by something other than us
            return datetime.fromisoformat(value).astimezone(UTC)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


# Stored values to members by dict: calling the enums cost 4 ms of the 20 ms first page.
_TYPES = {member.value: member for member in WorkOrderType}
_PRIORITIES = {member.value: member for member in Priority}
_STATUSES = {member.value: member for member in Status}


def card(row: CardRow, crew: Mapping[int, list[str]], waiting: set[int]) -> BoardCard:
    """The card of one order: its row, its crew's full names (lead first), and `waiting`, the
    ids of orders short of parts (`inventory.orders_short_of_parts`)."""
    return BoardCard(
        number=row.number,
        title=row.title,
        asset_code=row.asset_code,
        type=_TYPES[row.type],
        priority=_PRIORITIES[row.priority],
        status=_STATUSES[row.status],
        due_at=utc_time(row.due_at),
        assignee_initials=tuple(initials(name) for name in crew.get(row.id, ())),
        waiting_for_parts=row.id in waiting or row.hold_reason == HoldReason.PARTS.value,
        version=row.version,
    )


def columns(
    totals: Mapping[Stage, int], chosen: Mapping[Stage, list[int]], cards: Mapping[int, BoardCard]
) -> list[BoardColumn]:
    """The six columns in lifecycle order, each with its total and its cards most urgent first."""
    return [
        BoardColumn(stage, totals[stage], tuple(cards[i] for i in chosen[stage])) for stage in Stage
    ]
