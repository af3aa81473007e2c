"""Plain, frozen views of work orders that leave the engine (for the UI, CLI and reports)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from desktop.domain.enums import (
    ChecklistItemKind,
    CheckResult,
    HoldReason,
    Origin,
    Priority,
    Status,
    WorkOrderType,
)
from desktop.domain.phrases import Phrase

if TYPE_CHECKING:
    from datetime import date, datetime

    from desktop.services.shared.attachments import AttachmentView


@dataclass(frozen=True)
class WorkOrderDraft:
    """What a person fills in to raise a work order."""

    title: str
    asset_code: str
    type: WorkOrderType = WorkOrderType.CORRECTIVE
    priority: Priority = Priority.MEDIUM
    description: str = ""
    due_at: datetime | None = None
    estimate_hours: float | None = None
    asset_down: bool = False
    is_failure: bool | None = None
    origin: Origin = Origin.REQUEST
    checklist_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class WorkOrderRow:
    """One line of a work-order list."""

    id: int
    number: str
    title: str
    type: WorkOrderType
    priority: Priority
    status: Status
    asset_code: str
    asset_name: str
    requested_at: datetime
    due_at: datetime | None
    scheduled_start: datetime | None
    completed_at: datetime | None
    version: int

    def is_overdue(self, now: datetime) -> bool:
        return self.status.is_open and self.due_at is not None and self.due_at < now


@dataclass(frozen=True)
class DuplicateHint:
    number: str
    title: str
    status: Status


@dataclass(frozen=True)
class CreateResult:
    work_order: WorkOrderRow
    duplicates: tuple[DuplicateHint, ...] = ()

    @property
    def warnings(self) -> list[str]:
        wo = self.work_order
        return [
            Phrase(
                'possible duplicate: open {type} work order {number} "{title}" '
                "({status}) on {asset_code}",
                type=wo.type,
                number=d.number,
                title=d.title,
                status=d.status,
                asset_code=wo.asset_code,
            )
            for d in self.duplicates
        ]


@dataclass(frozen=True)
class AssigneeView:
    username: str
    full_name: str
    is_lead: bool


@dataclass(frozen=True)
class HistoryView:
    from_status: Status | None
    to_status: Status
    at: datetime
    username: str
    note: str


@dataclass(frozen=True)
class LabourView:
    id: int
    technician: str
    work_date: date
    hours: float
    rate: float
    note: str


@dataclass(frozen=True)
class DowntimeView:
    id: int
    start: datetime
    end: datetime | None
    planned: bool
    reason_code: str


@dataclass(frozen=True)
class ChecklistItemView:
    position: int
    kind: ChecklistItemKind
    text: str
    unit: str | None
    low: float | None
    high: float | None
    required: bool
    safety: bool
    result: CheckResult | None
    value: float | None
    text_value: str | None
    answered_at: datetime | None
    # The corrective order a failed answer raised (issue 5), on the answer's return value.
    corrective_order: str | None = None

    @property
    def answered(self) -> bool:
        return self.answered_at is not None


@dataclass(frozen=True)
class AddendumView:
    at: datetime
    username: str
    text: str


@dataclass(frozen=True)
class WorkOrderDetail:
    """Everything recorded on one work order."""

    row: WorkOrderRow
    description: str
    origin: Origin
    requester: str
    approved_at: datetime | None
    scheduled_at: datetime | None
    started_at: datetime | None
    closed_at: datetime | None
    cancelled_at: datetime | None
    scheduled_end: datetime | None
    estimate_hours: float | None
    asset_down: bool
    is_failure: bool
    failure_codes: dict[str, str | None]
    resolution: str
    hold_reason: HoldReason | None
    cancel_reason: str | None
    updated_at: datetime
    updated_by: str
    assignees: tuple[AssigneeView, ...] = ()
    history: tuple[HistoryView, ...] = ()
    labour: tuple[LabourView, ...] = ()
    downtime: tuple[DowntimeView, ...] = ()
    checklist: tuple[ChecklistItemView, ...] = ()
    attachments: tuple[AttachmentView, ...] = ()
    addenda: tuple[AddendumView, ...] = field(default=())

    @property
    def labour_hours(self) -> float:
        return sum(entry.hours for entry in self.labour)
