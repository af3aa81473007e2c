"""The lifecycle board's data: per stage, how many orders match and the most urgent of them.

The board must stay smooth with a hundred thousand orders in the database, so it never loads
them all: one grouped count gives each column's total and each column loads only its first
cards, most urgent first, all filtered in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from desktop.domain.enums import STAGE_OF_STATUS, HoldReason, Priority, Stage, Status, WorkOrderType
from desktop.services.work_orders import SearchFilter, filter_query
from desktop.store.models import Asset, Assignment, User, WorkOrder

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.orm import Session

    from desktop.store.database import Database

CARDS_PER_STAGE = 150
"""More cards than a planner can scan in one column; the column header shows the full count."""


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


class BoardService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def columns(
        self, criteria: SearchFilter | None = None, per_stage: int = CARDS_PER_STAGE
    ) -> list[BoardColumn]:
        """All six columns with their totals and their most urgent cards."""
        criteria = criteria or SearchFilter()
        by_stage = stages_shown(criteria)
        wanted = [s for statuses in by_stage.values() for s in statuses]
        # The stage filter replaces the caller's statuses; include_closed is already applied.
        base = replace(criteria, statuses=tuple(wanted) or (Status.CANCELLED,))
        with self._db.unit_of_work(write=False) as session:
            counts = self._counts(session, base)
            columns = []
            for stage, statuses in by_stage.items():
                total = sum(counts.get(s, 0) for s in statuses)
                cards = (
                    self._cards(session, replace(base, statuses=statuses), per_stage)
                    if total
                    else ()
                )
                columns.append(BoardColumn(stage, total, cards))
            return columns

    @staticmethod
    def _counts(session: Session, criteria: SearchFilter) -> dict[Status, int]:
        query = filter_query(
            select(WorkOrder.status, func.count(WorkOrder.id))
            .join(Asset, Asset.id == WorkOrder.asset_id)
            .group_by(WorkOrder.status),
            criteria,
        )
        return {Status(status): count for status, count in session.execute(query)}

    @staticmethod
    def _cards(session: Session, criteria: SearchFilter, limit: int) -> tuple[BoardCard, ...]:
        query = filter_query(
            select(
                WorkOrder.id,
                WorkOrder.number,
                WorkOrder.title,
                Asset.code,
                WorkOrder.type,
                WorkOrder.priority,
                WorkOrder.status,
                WorkOrder.due_at,
                WorkOrder.hold_reason,
                WorkOrder.version,
            ).join(Asset, Asset.id == WorkOrder.asset_id),
            criteria,
        )
        # Most urgent first: priority, then the nearest due time (orders without one last).
        query = query.order_by(
            WorkOrder.priority, WorkOrder.due_at.is_(None), WorkOrder.due_at, WorkOrder.id
        ).limit(limit)
        rows = session.execute(query).all()
        crew: dict[int, list[str]] = {}
        if rows:
            assigned = session.execute(
                select(Assignment.work_order_id, User.full_name)
                .join(User, User.id == Assignment.user_id)
                .where(Assignment.work_order_id.in_([r.id for r in rows]))
                .order_by(Assignment.work_order_id, Assignment.is_lead.desc(), User.full_name)
            )
            for work_order_id, full_name in assigned:
                crew.setdefault(work_order_id, []).append(initials(full_name))
        return tuple(
            BoardCard(
                number=r.number,
                title=r.title,
                asset_code=r.code,
                type=r.type,
                priority=Priority(r.priority),
                status=r.status,
                due_at=r.due_at,
                assignee_initials=tuple(crew.get(r.id, ())),
                waiting_for_parts=r.hold_reason is HoldReason.PARTS,
                version=r.version,
            )
            for r in rows
        )
