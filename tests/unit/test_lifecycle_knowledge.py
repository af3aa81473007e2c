"""Lifecycle knowledge lives in desktop/domain/lifecycle.py; the services and the UI ask it.

The board, the table's move menu, the editor and the services used to keep their own copies of
which moves need a reason, which statuses are read-only and which fields a role may edit; the
copies drifted. These tests pin the answers to the transition table and fail when a module
spells out a set of statuses of its own again.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from desktop.domain.enums import STAGE_OF_STATUS, Role, Stage, Status
from desktop.domain.lifecycle import (
    COMMITTED_STATUSES,
    CREW_FIELDS,
    EDITABLE_FIELDS,
    OPEN_STATUSES,
    READ_ONLY_STATUSES,
    STAGE_ENTRY,
    TRANSITIONS,
    editable_fields,
    find_transition,
    leaves_commitment,
    move_targets,
    needs_hold_reason,
    needs_note,
)

ROOT = Path(__file__).resolve().parents[2]
# The lifecycle itself, the enum it is written over, and the demo generator, which writes three
# years of history in given statuses rather than deciding anything about them.
OWNERS = {
    Path("desktop/domain/lifecycle.py"),
    Path("desktop/domain/enums.py"),
    Path("desktop/demo/plant.py"),
    Path("desktop/demo/inventory.py"),
}


def _status_members(node: ast.AST) -> int:
    elements = node.elts if isinstance(node, ast.Tuple | ast.List | ast.Set) else []
    return sum(
        isinstance(e, ast.Attribute) and isinstance(e.value, ast.Name) and e.value.id == "Status"
        for e in elements
    )


def _status_sets(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}"
        for node in ast.walk(tree)
        if _status_members(node) >= 2
    ]


def test_no_module_outside_the_lifecycle_spells_out_a_set_of_statuses():
    found = [
        hit
        for folder in ("desktop", "ui")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path.relative_to(ROOT) not in OWNERS
        for hit in _status_sets(path)
    ]
    assert found == [], "ask desktop.domain.lifecycle instead:\n" + "\n".join(found)


def test_the_guard_finds_a_copied_status_set(tmp_path):
    copy = tmp_path / "copy.py"
    copy.write_text("FINAL = (Status.CLOSED, Status.CANCELLED)\n", encoding="utf-8")
    tree = ast.parse(copy.read_text(encoding="utf-8"))
    assert [n for n in ast.walk(tree) if _status_members(n) >= 2]


def test_reasons_are_asked_exactly_for_cancel_and_reopen():
    asking = {(t.source, t.target) for t in TRANSITIONS if needs_note(t.source, t.target)}
    assert asking == {(t.source, t.target) for t in TRANSITIONS if t.verb in {"cancel", "reopen"}}
    assert not needs_note(Status.REQUESTED, Status.CLOSED)  # no such move


def test_only_putting_on_hold_asks_for_a_hold_reason():
    assert [s for s in Status if needs_hold_reason(s)] == [Status.ON_HOLD]


def test_move_targets_are_every_reachable_status_and_nothing_else():
    assert move_targets() == [
        s for s in Status if any(find_transition(source, s) for source in Status)
    ]
    assert Status.REQUESTED not in move_targets()


def test_read_only_and_open_statuses_split_the_lifecycle():
    assert {Status.CLOSED, Status.CANCELLED} == READ_ONLY_STATUSES
    assert not any(t.source in READ_ONLY_STATUSES for t in TRANSITIONS)
    assert set(OPEN_STATUSES) | {Status.COMPLETED} | READ_ONLY_STATUSES == set(Status)
    assert set(COMMITTED_STATUSES) <= set(OPEN_STATUSES)


@pytest.mark.parametrize("target", list(Status))
def test_commitment_ends_on_unschedule_complete_and_cancel(target):
    assert leaves_commitment(target) == (
        target in {Status.APPROVED, Status.COMPLETED, Status.CANCELLED}
    )


@pytest.mark.parametrize("stage", list(Stage))
def test_a_card_dropped_on_a_stage_moves_to_a_status_shown_in_that_stage(stage):
    assert STAGE_OF_STATUS[STAGE_ENTRY[stage]] is stage


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.VIEWER, frozenset()),
        (Role.TECHNICIAN, CREW_FIELDS),
        (Role.PLANNER, EDITABLE_FIELDS),
        (Role.SUPERVISOR, EDITABLE_FIELDS),
        (Role.ADMIN, EDITABLE_FIELDS),
    ],
)
def test_editable_fields_by_role(role, expected):
    assert editable_fields(role) == expected
