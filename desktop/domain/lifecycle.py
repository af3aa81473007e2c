"""The work-order lifecycle: one transition table that the board, the services and the tests read.

Each row says which roles may move a work order from one status to another and which guards
must hold. Guards look only at `TransitionFacts`, a snapshot the service gathers, so the rules
stay pure and are testable without a database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop.domain.enums import HoldReason, Role, Stage, Status, WorkOrderType
from desktop.domain.failure_codes import FIELD_LISTS
from desktop.domain.permissions import ALLOWED_ROLES, Action
from desktop.domain.phrases import Phrase

if TYPE_CHECKING:
    from desktop.domain.verified_close import SignalCheck

OPEN_STATUSES: tuple[Status, ...] = tuple(s for s in Status if s.is_open)
"""Work still to do: the backlog, what alarms and notifications look at, what stock is held for."""
READ_ONLY_STATUSES = frozenset({Status.CLOSED, Status.CANCELLED})
"""Records, no longer work: only an addendum changes them (the service and the database both
refuse the rest)."""
FINISHED_STATUSES = frozenset(s for s in Status if not s.is_open)
"""The work is over (completed, closed or cancelled): a lock-out no longer applies."""

COMMITTED_STATUSES = (Status.SCHEDULED, Status.IN_PROGRESS, Status.ON_HOLD)
"""Scheduled work not yet finished: its crew is booked for its window, its planned parts are
held for it or still owed to it."""
PARTS_ISSUE_STATUSES = (Status.APPROVED, *COMMITTED_STATUSES, Status.COMPLETED)
"""Orders the store may issue parts to (and take returns from): approved up to completed, so a
part fetched before scheduling or booked just after completion is still counted."""

STAGE_ENTRY: dict[Stage, Status] = {
    Stage.REQUEST: Status.REQUESTED,
    Stage.APPROVAL: Status.APPROVED,
    Stage.SCHEDULE: Status.SCHEDULED,
    Stage.EXECUTE: Status.IN_PROGRESS,
    Stage.COMPLETE: Status.COMPLETED,
    Stage.REVIEW: Status.CLOSED,
}
"""The status a card dropped on a board stage moves to (on hold is reached from its menu)."""

CREW_FIELDS = frozenset({*FIELD_LISTS, "resolution", "asset_down"})
"""Fields of an open order the people doing the work may change."""
EDITABLE_FIELDS = frozenset(
    {
        *CREW_FIELDS,
        "title",
        "description",
        "priority",
        "due_at",
        "estimate_hours",
        "scheduled_start",
        "scheduled_end",
        "is_failure",
    }
)
"""Every field of an open order that can be edited; planners and above may change them all."""

REQUIRED_FAILURE_CODES = ("failure_mode", "failure_mechanism", "failure_cause", "activity")
"""Failure-code fields a corrective, emergency or predictive order needs before completion."""

TYPES_NEEDING_FAILURE_CODES = frozenset(
    {WorkOrderType.CORRECTIVE, WorkOrderType.EMERGENCY, WorkOrderType.PREDICTIVE}
)


@dataclass(frozen=True)
class TransitionFacts:
    """What the guards need to know about one work order at the moment of a transition."""

    number: str
    type: WorkOrderType
    assignee_count: int = 0
    has_scheduled_start: bool = False
    has_estimate: bool = False
    labour_hours: float = 0.0
    unanswered_items: tuple[tuple[int, str], ...] = ()
    failure_codes: dict[str, str | None] | None = None
    asset_down: bool = False
    downtime_periods: int = 0
    open_downtime_periods: int = 0
    note: str | None = None
    hold_reason: HoldReason | None = None
    # Lock-out/tag-out (issue 16): what stops starting work, and locks still on at completion.
    isolation_problems: tuple[str, ...] = ()
    release_problems: tuple[str, ...] = ()
    # Verified close: set only when completing an order raised by a condition rule's alarm.
    signal_check: SignalCheck | None = None


Guard = Callable[[TransitionFacts], list[str]]


def _needs_assignee(facts: TransitionFacts) -> list[str]:
    return [] if facts.assignee_count else ["no technician assigned"]


def _needs_plan(facts: TransitionFacts) -> list[str]:
    missing = []
    if not facts.has_scheduled_start:
        missing.append("no scheduled start")
    if not facts.has_estimate:
        missing.append("no estimate hours")
    return missing


def _needs_emergency(facts: TransitionFacts) -> list[str]:
    if facts.type is WorkOrderType.EMERGENCY:
        return []
    return [
        Phrase(
            "only emergency work may skip approval and scheduling (this is {type})", type=facts.type
        )
    ]


def _needs_hold_reason(facts: TransitionFacts) -> list[str]:
    return [] if facts.hold_reason else ["no hold reason (parts, access, shutdown or other)"]


def _needs_note(facts: TransitionFacts) -> list[str]:
    return [] if facts.note and facts.note.strip() else ["no reason given"]


def _needs_labour(facts: TransitionFacts) -> list[str]:
    return [] if facts.labour_hours > 0 else ["no labour logged"]


def _needs_checklist(facts: TransitionFacts) -> list[str]:
    return [
        Phrase('checklist item {pos} "{text}" unanswered', pos=pos, text=text)
        for pos, text in facts.unanswered_items
    ]


def _needs_isolation(facts: TransitionFacts) -> list[str]:
    return list(facts.isolation_problems)


def _needs_release(facts: TransitionFacts) -> list[str]:
    return list(facts.release_problems)


def _needs_failure_codes(facts: TransitionFacts) -> list[str]:
    if facts.type not in TYPES_NEEDING_FAILURE_CODES:
        return []
    codes = facts.failure_codes or {}
    return [
        Phrase("no {name} code", name=_CODE_NAMES[name])
        for name in REQUIRED_FAILURE_CODES
        if not codes.get(name)
    ]


_CODE_NAMES = {
    "failure_mode": Phrase("failure mode"),
    "failure_mechanism": Phrase("failure mechanism"),
    "failure_cause": Phrase("failure cause"),
    "activity": Phrase("activity"),
}
"""The failure-code fields in words, for the guard's message."""


def _needs_downtime(facts: TransitionFacts) -> list[str]:
    # An open period refuses completion whatever the asset-down flag says: clearing the flag
    # must not leave a repair whose downtime (and MTTR) grows with the clock (KPIS.md).
    if facts.open_downtime_periods:
        return [
            Phrase(
                "{open_downtime_periods} downtime period(s) without an end time",
                open_downtime_periods=facts.open_downtime_periods,
            )
        ]
    if facts.asset_down and facts.downtime_periods == 0:
        return ["asset was down but no downtime recorded"]
    return []


def _needs_signal_in_band(facts: TransitionFacts) -> list[str]:
    return facts.signal_check.problems() if facts.signal_check else []


@dataclass(frozen=True)
class Transition:
    """One row of the lifecycle table."""

    source: Status
    target: Status
    verb: str
    roles: frozenset[Role]
    guards: tuple[Guard, ...] = ()

    def problems(self, facts: TransitionFacts) -> list[str]:
        """Everything that stops this transition, in the order the guards are listed."""
        return [problem for guard in self.guards for problem in guard(facts)]


_PLANNERS = frozenset({Role.PLANNER, Role.SUPERVISOR, Role.ADMIN})
_CREW = frozenset({Role.TECHNICIAN, Role.PLANNER, Role.SUPERVISOR, Role.ADMIN})
_REVIEWERS = frozenset({Role.SUPERVISOR, Role.ADMIN})

TRANSITIONS: tuple[Transition, ...] = (
    Transition(Status.REQUESTED, Status.APPROVED, "approve", _PLANNERS),
    Transition(
        Status.APPROVED, Status.SCHEDULED, "schedule", _PLANNERS, (_needs_assignee, _needs_plan)
    ),
    Transition(Status.SCHEDULED, Status.APPROVED, "unschedule", _PLANNERS),
    Transition(
        Status.SCHEDULED,
        Status.IN_PROGRESS,
        "start",
        _CREW,
        (_needs_assignee, _needs_isolation),
    ),
    # Emergency fast path (DESIGN.md): a breakdown is worked first and documented after, but
    # never without its isolation.
    Transition(
        Status.REQUESTED,
        Status.IN_PROGRESS,
        "start",
        _CREW,
        (_needs_emergency, _needs_isolation),
    ),
    Transition(Status.IN_PROGRESS, Status.ON_HOLD, "put on hold", _CREW, (_needs_hold_reason,)),
    Transition(Status.ON_HOLD, Status.IN_PROGRESS, "resume", _CREW, (_needs_isolation,)),
    Transition(
        Status.IN_PROGRESS,
        Status.COMPLETED,
        "complete",
        _CREW,
        (
            _needs_labour,
            _needs_release,
            _needs_checklist,
            _needs_failure_codes,
            _needs_downtime,
            _needs_signal_in_band,
        ),
    ),
    Transition(Status.COMPLETED, Status.CLOSED, "close", _REVIEWERS),
    Transition(Status.COMPLETED, Status.IN_PROGRESS, "reopen", _REVIEWERS, (_needs_note,)),
    *(
        Transition(source, Status.CANCELLED, "cancel", _PLANNERS, (_needs_note,))
        for source in (
            Status.REQUESTED,
            Status.APPROVED,
            Status.SCHEDULED,
            Status.IN_PROGRESS,
            Status.ON_HOLD,
        )
    ),
)

_BY_PAIR = {(t.source, t.target): t for t in TRANSITIONS}


def find_transition(source: Status, target: Status) -> Transition | None:
    """The table row from `source` to `target`, or None when the lifecycle has no such move."""
    return _BY_PAIR.get((source, target))


def targets_from(source: Status) -> list[Status]:
    """Statuses reachable from `source` in one step, in table order."""
    return [t.target for t in TRANSITIONS if t.source is source]


def needs_note(source: Status, target: Status) -> bool:
    """Whether the move from `source` to `target` asks for a reason in words (cancel, reopen)."""
    move = find_transition(source, target)
    return move is not None and _needs_note in move.guards


def needs_hold_reason(target: Status) -> bool:
    """Whether moving to `target` asks which hold reason applies (putting work on hold)."""
    return any(_needs_hold_reason in t.guards for t in TRANSITIONS if t.target is target)


def move_targets() -> list[Status]:
    """Every status some move leads to, in the lifecycle's order (a list's "Move to" menu)."""
    targets = {t.target for t in TRANSITIONS}
    return [s for s in Status if s in targets]


def editable_fields(role: Role) -> frozenset[str]:
    """The fields of an open order `role` may change; the service refuses the rest on save."""
    if role in ALLOWED_ROLES[Action.EDIT_WORK_ORDER]:
        fields = set(EDITABLE_FIELDS)
    elif role in ALLOWED_ROLES[Action.LOG_WORK]:
        fields = set(CREW_FIELDS)
    else:
        return frozenset()
    if role not in ALLOWED_ROLES[Action.SET_FAILURE_FLAG]:
        fields.discard("is_failure")
    return frozenset(fields)


def leaves_commitment(target: Status) -> bool:
    """Whether some move from committed work to `target` ends the commitment (unscheduling,
    completing, cancelling), so what was held and not used is released."""
    return any(
        t.source in COMMITTED_STATUSES and t.target is target and target not in COMMITTED_STATUSES
        for t in TRANSITIONS
    )
