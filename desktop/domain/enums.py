"""Enumerations shared by storage, services and the UI."""

from __future__ import annotations

from datetime import timedelta
from enum import IntEnum, StrEnum


class Role(StrEnum):
    """A user's role; each grants everything the ones before it can do, plus its own."""

    VIEWER = "viewer"
    TECHNICIAN = "technician"
    PLANNER = "planner"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class AssetLevel(StrEnum):
    """Levels below the site after ISO 14224: area/unit › system › equipment › component."""

    AREA = "area"
    SYSTEM = "system"
    EQUIPMENT = "equipment"
    COMPONENT = "component"


class Criticality(StrEnum):
    A = "A"
    B = "B"
    C = "C"


class AssetStatus(StrEnum):
    IN_SERVICE = "in_service"
    STANDBY = "standby"
    OUT_OF_SERVICE = "out_of_service"
    DECOMMISSIONED = "decommissioned"


class WorkOrderType(StrEnum):
    PREVENTIVE = "preventive"
    CORRECTIVE = "corrective"
    EMERGENCY = "emergency"
    PREDICTIVE = "predictive"
    INSPECTION = "inspection"


class Priority(IntEnum):
    """1 is the most urgent; each priority has a default time until due."""

    EMERGENCY = 1
    HIGH = 2
    MEDIUM = 3
    LOW = 4

    @property
    def default_due_in(self) -> timedelta:
        return _DEFAULT_DUE_IN[self]


_DEFAULT_DUE_IN = {
    Priority.EMERGENCY: timedelta(hours=4),
    Priority.HIGH: timedelta(days=2),
    Priority.MEDIUM: timedelta(days=7),
    Priority.LOW: timedelta(days=30),
}


class Status(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    ON_HOLD = "on_hold"
    COMPLETED = "completed"
    CLOSED = "closed"
    CANCELLED = "cancelled"

    @property
    def is_open(self) -> bool:
        return self not in (Status.COMPLETED, Status.CLOSED, Status.CANCELLED)


class Stage(IntEnum):
    """The six stages of the lifecycle board; on_hold shows in the execute stage."""

    REQUEST = 1
    APPROVAL = 2
    SCHEDULE = 3
    EXECUTE = 4
    COMPLETE = 5
    REVIEW = 6


STAGE_OF_STATUS: dict[Status, Stage] = {
    Status.REQUESTED: Stage.REQUEST,
    Status.APPROVED: Stage.APPROVAL,
    Status.SCHEDULED: Stage.SCHEDULE,
    Status.IN_PROGRESS: Stage.EXECUTE,
    Status.ON_HOLD: Stage.EXECUTE,
    Status.COMPLETED: Stage.COMPLETE,
    Status.CLOSED: Stage.REVIEW,
}


class HoldReason(StrEnum):
    PARTS = "parts"
    ACCESS = "access"
    SHUTDOWN = "shutdown"
    OTHER = "other"


class Origin(StrEnum):
    """What raised a work order, set by whoever creates it (KPIS.md, proactive work).

    SMRP 5.4.2 counts work from PM schedules, condition rules and inspection findings as
    proactive; an order's type alone cannot tell a finding's repair from a reported fault.
    """

    REQUEST = "request"
    BREAKDOWN_REPORT = "breakdown_report"
    PM_SCHEDULE = "pm_schedule"
    CONDITION_RULE = "condition_rule"
    INSPECTION_FINDING = "inspection_finding"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class ChecklistItemKind(StrEnum):
    CHECK = "check"
    MEASUREMENT = "measurement"
    TEXT = "text"
    SIGNATURE = "signature"


class CheckResult(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    NOT_APPLICABLE = "n/a"
