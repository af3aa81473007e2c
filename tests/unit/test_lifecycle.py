"""The transition table and its guards, without a database."""

from __future__ import annotations

import itertools

import pytest

from desktop.domain.enums import HoldReason, Role, Status, WorkOrderType
from desktop.domain.lifecycle import (
    TRANSITIONS,
    TransitionFacts,
    find_transition,
    targets_from,
)

LEGAL = {
    (Status.REQUESTED, Status.APPROVED),
    (Status.APPROVED, Status.SCHEDULED),
    (Status.SCHEDULED, Status.APPROVED),
    (Status.SCHEDULED, Status.IN_PROGRESS),
    (Status.REQUESTED, Status.IN_PROGRESS),
    (Status.IN_PROGRESS, Status.ON_HOLD),
    (Status.ON_HOLD, Status.IN_PROGRESS),
    (Status.IN_PROGRESS, Status.COMPLETED),
    (Status.COMPLETED, Status.CLOSED),
    (Status.COMPLETED, Status.IN_PROGRESS),
    *((s, Status.CANCELLED) for s in (Status.REQUESTED, Status.APPROVED, Status.SCHEDULED)),
    (Status.IN_PROGRESS, Status.CANCELLED),
    (Status.ON_HOLD, Status.CANCELLED),
}

ALL_PAIRS = [(a, b) for a, b in itertools.product(Status, Status) if a is not b]


def test_table_holds_exactly_the_designed_moves():
    assert {(t.source, t.target) for t in TRANSITIONS} == LEGAL


@pytest.mark.parametrize(("source", "target"), sorted(LEGAL))
def test_every_legal_move_is_found(source, target):
    move = find_transition(source, target)
    assert move is not None
    assert target in targets_from(source)


@pytest.mark.parametrize(("source", "target"), [p for p in ALL_PAIRS if p not in LEGAL])
def test_every_illegal_move_is_absent(source, target):
    assert find_transition(source, target) is None


@pytest.mark.parametrize("final", [Status.CLOSED, Status.CANCELLED])
def test_closed_and_cancelled_are_final(final):
    assert targets_from(final) == []


def test_roles_follow_design():
    approve = find_transition(Status.REQUESTED, Status.APPROVED)
    close = find_transition(Status.COMPLETED, Status.CLOSED)
    start = find_transition(Status.SCHEDULED, Status.IN_PROGRESS)
    assert approve
    assert close
    assert start
    assert Role.TECHNICIAN not in approve.roles
    assert approve.roles == {Role.PLANNER, Role.SUPERVISOR, Role.ADMIN}
    assert close.roles == {Role.SUPERVISOR, Role.ADMIN}
    assert Role.TECHNICIAN in start.roles
    assert all(Role.VIEWER not in t.roles for t in TRANSITIONS)


def _complete_problems(**facts):
    move = find_transition(Status.IN_PROGRESS, Status.COMPLETED)
    assert move is not None
    base = {"number": "WO-2026-000123", "type": WorkOrderType.CORRECTIVE}
    return move.problems(TransitionFacts(**(base | facts)))


def test_completion_names_everything_missing():
    problems = _complete_problems(unanswered_items=((3, "bearing temperature"),), asset_down=True)
    assert problems == [
        "no labour logged",
        'checklist item 3 "bearing temperature" unanswered',
        "no failure mode code",
        "no failure mechanism code",
        "no failure cause code",
        "no activity code",
        "asset was down but no downtime recorded",
    ]


def test_completion_passes_when_documented():
    codes = {
        "failure_mode": "ELP",
        "failure_mechanism": "1.1",
        "failure_cause": "3.2",
        "activity": "2",
    }
    assert (
        _complete_problems(
            labour_hours=1.5, failure_codes=codes, asset_down=True, downtime_periods=1
        )
        == []
    )


def test_open_downtime_blocks_completion():
    problems = _complete_problems(
        labour_hours=1, asset_down=True, downtime_periods=2, open_downtime_periods=1
    )
    assert "1 downtime period(s) without an end time" in problems


@pytest.mark.parametrize("wo_type", [WorkOrderType.PREVENTIVE, WorkOrderType.INSPECTION])
def test_proactive_work_needs_no_failure_codes(wo_type):
    assert _complete_problems(type=wo_type, labour_hours=2) == []


def test_only_emergencies_skip_approval():
    move = find_transition(Status.REQUESTED, Status.IN_PROGRESS)
    assert move is not None
    emergency = TransitionFacts("WO-1", WorkOrderType.EMERGENCY)
    corrective = TransitionFacts("WO-2", WorkOrderType.CORRECTIVE)
    assert move.problems(emergency) == []
    assert move.problems(corrective) == [
        "only emergency work may skip approval and scheduling (this is corrective)"
    ]


def test_schedule_needs_assignee_start_and_estimate():
    move = find_transition(Status.APPROVED, Status.SCHEDULED)
    assert move is not None
    assert move.problems(TransitionFacts("WO-1", WorkOrderType.CORRECTIVE)) == [
        "no technician assigned",
        "no scheduled start",
        "no estimate hours",
    ]
    ready = TransitionFacts(
        "WO-1", WorkOrderType.CORRECTIVE, 1, has_scheduled_start=True, has_estimate=True
    )
    assert move.problems(ready) == []


@pytest.mark.parametrize(
    "source", [Status.REQUESTED, Status.APPROVED, Status.SCHEDULED, Status.IN_PROGRESS]
)
def test_cancel_needs_a_reason(source):
    move = find_transition(source, Status.CANCELLED)
    assert move is not None
    assert move.problems(TransitionFacts("WO-1", WorkOrderType.CORRECTIVE, note="  ")) == [
        "no reason given"
    ]
    assert move.problems(TransitionFacts("WO-1", WorkOrderType.CORRECTIVE, note="dup")) == []


def test_hold_needs_a_reason():
    move = find_transition(Status.IN_PROGRESS, Status.ON_HOLD)
    assert move is not None
    assert move.problems(TransitionFacts("WO-1", WorkOrderType.CORRECTIVE)) != []
    held = TransitionFacts("WO-1", WorkOrderType.CORRECTIVE, hold_reason=HoldReason.PARTS)
    assert move.problems(held) == []
