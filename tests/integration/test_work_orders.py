"""Work-order service on SQLite and PostgreSQL: lifecycle, guards, roles, records."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from desktop.domain.enums import (
    CheckResult,
    Priority,
    Status,
    WorkOrderType,
)
from desktop.domain.errors import (
    ConflictError,
    NotFound,
    PermissionDenied,
    ReadOnlyRecord,
    TransitionRefused,
    ValidationFailed,
    WrenchbookError,
)
from desktop.domain.lifecycle import EDITABLE_FIELDS, editable_fields
from desktop.services.orders.work_order_records import WorkOrderDraft
from desktop.services.orders.work_orders import SearchFilter, WorkOrderService
from desktop.services.shared import audit
from desktop.store.database import Database
from desktop.store.models import StatusChange
from tests.integration.workflow import FAILURE_CODES, PATHS, drive_to, prepare, raise_order
from tests.unit.test_lifecycle import ALL_PAIRS, LEGAL


@pytest.fixture
def service(db, clock):
    return WorkOrderService(db, clock)


def _type_for(source, target):
    # Only emergencies may go from requested straight to in_progress.
    if (source, target) == (Status.REQUESTED, Status.IN_PROGRESS):
        return WorkOrderType.EMERGENCY
    return WorkOrderType.CORRECTIVE


@pytest.mark.parametrize(("source", "target"), sorted(LEGAL))
def test_every_legal_transition_through_the_service(service, actors, clock, db, source, target):
    admin = actors["admin"]
    wo = raise_order(service, admin, wo_type=_type_for(source, target))
    drive_to(service, admin, wo.number, source, clock)
    prepare(service, admin, wo.number, target, clock)
    clock.advance(minutes=1)
    note = "reason" if target in (Status.CANCELLED,) or source is Status.COMPLETED else ""
    hold = "parts" if target is Status.ON_HOLD else None
    row = service.transition(admin, wo.number, target, note=note, hold_reason=hold)
    assert row.status is target
    detail = service.get(wo.number)
    last = detail.history[-1]
    assert (last.from_status, last.to_status, last.username) == (source, target, "admin")
    assert last.at == clock.now
    assert audit.verify(db).ok


@pytest.mark.parametrize("source", list(PATHS))
def test_every_illegal_transition_is_refused(service, actors, clock, source):
    admin = actors["admin"]
    wo = raise_order(service, admin, wo_type=WorkOrderType.CORRECTIVE)
    drive_to(service, admin, wo.number, source, clock)
    illegal = [target for s, target in ALL_PAIRS if s is source and (s, target) not in LEGAL]
    assert illegal
    for target in illegal:
        with pytest.raises(TransitionRefused, match=f"it is {source.value}"):
            service.transition(admin, wo.number, target, note="x", hold_reason="parts")
        assert service.get(wo.number).row.status is source


def test_refused_completion_lists_everything_missing(service, actors, clock):
    admin = actors["admin"]
    wo = raise_order(service, admin, checklist_codes=("CL-PUMP",))
    drive_to(service, admin, wo.number, Status.IN_PROGRESS, clock)
    service.answer_checklist_item(admin, wo.number, 1, result=CheckResult.PASS)
    with pytest.raises(TransitionRefused) as refused:
        service.transition(admin, wo.number, Status.COMPLETED)
    message = str(refused.value)
    assert message.startswith(f"cannot complete {wo.number}: no labour logged; ")
    assert 'checklist item 2 "bearing temperature" unanswered' in message
    assert 'checklist item 4 "technician sign-off" unanswered' in message
    assert "no failure mode code" in message
    assert service.get(wo.number).row.status is Status.IN_PROGRESS


def test_work_cannot_start_with_the_lock_out_checklist_unanswered(service, actors, clock):
    """Issue 16: the lock-out checklist was enforced only at completion, after the work."""
    admin = actors["admin"]
    wo = raise_order(service, admin, wo_type=WorkOrderType.PREVENTIVE, checklist_codes=("CL-LOTO",))
    drive_to(service, admin, wo.number, Status.SCHEDULED, clock)
    with pytest.raises(TransitionRefused, match='safety item 1 "isolator locked" unanswered'):
        service.transition(admin, wo.number, Status.IN_PROGRESS)
    service.answer_checklist_item(admin, wo.number, 1, result=CheckResult.PASS)
    assert service.transition(admin, wo.number, Status.IN_PROGRESS).status is Status.IN_PROGRESS


def test_emergency_fast_path_acknowledges_and_assigns_the_starter(service, actors, clock):
    wo = raise_order(service, actors["paula"], wo_type=WorkOrderType.EMERGENCY, asset_down=True)
    clock.advance(minutes=7)
    service.transition(actors["tom"], wo.number, Status.IN_PROGRESS)
    detail = service.get(wo.number)
    assert detail.approved_at == clock.now
    assert detail.started_at == clock.now
    assert [a.username for a in detail.assignees] == ["tom"]
    assert detail.is_failure
    assert detail.downtime[0].end is None


def test_corrective_work_cannot_skip_approval(service, actors):
    wo = raise_order(service, actors["admin"])
    with pytest.raises(TransitionRefused, match="only emergency work may skip approval"):
        service.transition(actors["admin"], wo.number, Status.IN_PROGRESS)


def test_cancel_needs_a_reason_and_makes_the_order_read_only(service, actors, clock):
    admin = actors["admin"]
    wo = raise_order(service, admin)
    with pytest.raises(TransitionRefused, match="no reason given"):
        service.transition(admin, wo.number, Status.CANCELLED)
    service.transition(admin, wo.number, Status.CANCELLED, note="raised twice")
    detail = service.get(wo.number)
    assert detail.cancel_reason == "raised twice"
    with pytest.raises(ReadOnlyRecord):
        service.update(admin, wo.number, detail.row.version, {"title": "changed"})


def test_closed_order_accepts_only_addenda(service, actors, clock, db):
    admin = actors["admin"]
    wo = raise_order(service, admin)
    row = drive_to(service, admin, wo.number, Status.CLOSED, clock)
    with pytest.raises(ReadOnlyRecord, match="read-only; add an addendum"):
        service.update(admin, wo.number, row.version, {"title": "rewritten"})
    with pytest.raises(ReadOnlyRecord):
        service.log_labour(admin, wo.number, "tom", clock().date(), 1)
    with pytest.raises(ReadOnlyRecord):
        service.add_attachment(admin, wo.number, "a.txt", b"x")
    service.add_addendum(actors["tom"], wo.number, "Seal supplier confirmed a bad batch.")
    detail = service.get(wo.number)
    assert detail.row.title == "Seal leaking"
    assert [a.text for a in detail.addenda] == ["Seal supplier confirmed a bad batch."]
    assert audit.verify(db).ok


def test_duplicate_warning_names_the_open_order_of_the_same_type(service, actors, clock):
    admin = actors["admin"]
    first = raise_order(service, admin)
    second = service.create(admin, WorkOrderDraft("Pump noisy", "P-101"))
    assert [d.number for d in second.duplicates] == [first.number]
    assert second.warnings == [
        f'possible duplicate: open corrective work order {first.number} "Seal leaking" '
        f"(requested) on P-101"
    ]
    other_type = raise_order(service, admin, wo_type=WorkOrderType.INSPECTION)
    assert other_type.number != first.number


def test_no_duplicate_warning_once_the_earlier_order_is_done(service, actors, clock):
    admin = actors["admin"]
    first = raise_order(service, admin)
    drive_to(service, admin, first.number, Status.COMPLETED, clock)
    result = service.create(admin, WorkOrderDraft("Again", "P-101"))
    assert result.duplicates == ()


@pytest.mark.both_engines
def test_numbers_follow_the_year_and_sequence(service, actors, clock):
    numbers = [raise_order(service, actors["admin"]).number for _ in range(3)]
    assert numbers == ["WO-2026-000001", "WO-2026-000002", "WO-2026-000003"]
    clock.now = clock.now.replace(year=2027)
    assert raise_order(service, actors["admin"]).number == "WO-2027-000001"


def test_due_time_defaults_from_priority(service, actors, clock):
    result = service.create(actors["admin"], WorkOrderDraft("x", "P-101", priority=Priority.HIGH))
    assert result.work_order.due_at == clock.now + timedelta(days=2)


def test_bad_draft_names_each_field(service, actors):
    with pytest.raises(ValidationFailed) as failed:
        service.create(
            actors["admin"], WorkOrderDraft(" ", "NOPE", estimate_hours=-1, checklist_codes=("X",))
        )
    assert set(failed.value.problems) == {"title", "asset", "estimate_hours", "checklist"}


@pytest.mark.parametrize(
    ("role_user", "target"),
    [
        ("tom", Status.APPROVED),
        ("vic", Status.APPROVED),
        ("paula", Status.CLOSED),
        ("tom", Status.CLOSED),
    ],
)
def test_roles_are_checked_in_the_service(service, actors, clock, role_user, target):
    admin = actors["admin"]
    wo = raise_order(service, admin)
    source = Status.REQUESTED if target is Status.APPROVED else Status.COMPLETED
    drive_to(service, admin, wo.number, source, clock)
    with pytest.raises(PermissionDenied, match=f"{role_user} is a"):
        service.transition(actors[role_user], wo.number, target)
    assert service.get(wo.number).row.status is source


def test_viewer_cannot_raise_or_document_work(service, actors, clock):
    with pytest.raises(PermissionDenied):
        service.create(actors["vic"], WorkOrderDraft("x", "P-101"))
    wo = raise_order(service, actors["admin"])
    with pytest.raises(PermissionDenied):
        service.log_labour(actors["vic"], wo.number, "tom", clock().date(), 1)


def test_technician_logs_only_own_hours_and_cannot_replan(service, actors, clock):
    wo = raise_order(service, actors["admin"])
    tom = actors["tom"]
    with pytest.raises(PermissionDenied, match="own hours"):
        service.log_labour(tom, wo.number, "tina", clock().date(), 1)
    entry = service.log_labour(tom, wo.number, "tom", clock().date(), 1.25)
    assert (entry.hours, entry.rate) == (1.25, 40.0)
    with pytest.raises(PermissionDenied):
        service.update(tom, wo.number, wo.version, {"due_at": clock.now})
    service.update(tom, wo.number, wo.version, {"failure_mode": "VIB"})
    assert service.get(wo.number).failure_codes["failure_mode"] == "VIB"


@pytest.mark.parametrize("user", ["admin", "paula", "sam", "tom", "vic"])
def test_the_service_refuses_exactly_the_fields_the_editor_locks(service, actors, user):
    """The editor greys out what `editable_fields` leaves out; the service must agree."""
    wo = raise_order(service, actors["admin"])
    actor = actors[user]
    refused = set()
    for name in sorted(EDITABLE_FIELDS):
        version = service.get(wo.number).row.version
        try:
            service.update(actor, wo.number, version, {name: None})
        except PermissionDenied:
            refused.add(name)
        except WrenchbookError:
            pass  # allowed to try; the empty value itself may be refused
    assert refused == EDITABLE_FIELDS - editable_fields(actor.role)


def test_unknown_failure_code_is_refused_with_the_allowed_ones(service, actors):
    wo = raise_order(service, actors["admin"])
    with pytest.raises(ValidationFailed, match="unknown code 'XYZ'; use one of AIR, BRD"):
        service.update(actors["admin"], wo.number, wo.version, {"failure_mode": "XYZ"})


@pytest.mark.both_engines
def test_stale_save_is_refused_naming_who_changed_it(db_url, actors, clock):
    first_db, second_db = Database(db_url), Database(db_url)
    try:
        planner_view = WorkOrderService(first_db, clock)
        supervisor_view = WorkOrderService(second_db, clock)
        wo = raise_order(planner_view, actors["admin"])
        opened_by_paula = planner_view.get(wo.number).row.version
        opened_by_sam = supervisor_view.get(wo.number).row.version
        clock.advance(minutes=3)
        planner_view.update(actors["paula"], wo.number, opened_by_paula, {"title": "Paula's"})
        with pytest.raises(ConflictError) as conflict:
            supervisor_view.update(actors["sam"], wo.number, opened_by_sam, {"title": "Sam's"})
        assert conflict.value.changed_by == "paula"
        assert conflict.value.changed_at == clock.now
        assert "was changed by paula at 2026-03-02 08:03:00 UTC" in str(conflict.value)
        assert supervisor_view.get(wo.number).row.title == "Paula's"
    finally:
        first_db.dispose()
        second_db.dispose()


def test_measurement_outside_limits_fails_and_signature_records_name(service, actors, clock, db):
    admin = actors["admin"]
    wo = raise_order(service, admin, checklist_codes=("CL-PUMP",))
    high = service.answer_checklist_item(admin, wo.number, 2, value=95.0)
    assert high.result is CheckResult.FAIL
    ok = service.answer_checklist_item(admin, wo.number, 2, value=45.0)
    assert ok.result is CheckResult.PASS
    with pytest.raises(ValidationFailed, match="enter the measured value in °C"):
        service.answer_checklist_item(admin, wo.number, 2)
    clock.advance(minutes=2)
    signed = service.answer_checklist_item(actors["tom"], wo.number, 4)
    assert signed.text_value == "Tom"
    assert signed.answered_at == clock.now
    with pytest.raises(NotFound):
        service.answer_checklist_item(admin, wo.number, 99, result=CheckResult.PASS)


@pytest.mark.both_engines
def test_attachment_keeps_content_hash_and_refuses_oversize(service, actors, monkeypatch):
    wo = raise_order(service, actors["admin"])
    content = "Messprotokoll Lager – 4,2 mm/s".encode()
    view = service.add_attachment(actors["tom"], wo.number, "vib.txt", content)
    assert view.sha256 == hashlib.sha256(content).hexdigest()
    assert view.mime_type == "text/plain"
    assert service.get(wo.number).attachments[0].size == len(content)
    monkeypatch.setattr("desktop.services.shared.attachments.MAX_ATTACHMENT_BYTES", 10)
    with pytest.raises(ValidationFailed, match="larger than"):
        service.add_attachment(actors["tom"], wo.number, "big.txt", b"x" * 11)


def test_downtime_must_end_before_completion(service, actors, clock):
    admin = actors["admin"]
    wo = raise_order(service, admin, asset_down=True)
    drive_to(service, admin, wo.number, Status.IN_PROGRESS, clock)
    service.log_labour(admin, wo.number, "tom", clock().date(), 2)
    service.update(admin, wo.number, service.get(wo.number).row.version, dict(FAILURE_CODES))
    with pytest.raises(TransitionRefused, match="1 downtime period"):
        service.transition(admin, wo.number, Status.COMPLETED)
    clock.advance(hours=1)
    assert service.end_downtime(admin, wo.number, clock.now) == 1
    service.transition(admin, wo.number, Status.COMPLETED)


def test_clearing_asset_down_does_not_complete_over_an_open_downtime_period(service, actors, clock):
    admin = actors["admin"]
    wo = raise_order(service, admin, asset_down=True)
    drive_to(service, admin, wo.number, Status.IN_PROGRESS, clock)
    service.log_labour(admin, wo.number, "tom", clock().date(), 2)
    changes = {**FAILURE_CODES, "asset_down": False}
    service.update(admin, wo.number, service.get(wo.number).row.version, changes)
    assert not service.get(wo.number).asset_down
    with pytest.raises(TransitionRefused, match="1 downtime period"):
        service.transition(admin, wo.number, Status.COMPLETED)
    assert service.get(wo.number).downtime[0].end is None


@pytest.mark.both_engines
def test_search_filters_in_the_query(service, actors, clock):
    admin = actors["admin"]
    pump = (
        raise_order(service, admin, title_override=None) if False else raise_order(service, admin)
    )
    conveyor = raise_order(service, admin, asset="C-201", wo_type=WorkOrderType.INSPECTION)
    drive_to(service, admin, conveyor.number, Status.APPROVED, clock)
    assert [r.number for r in service.search(SearchFilter(text="c-2"))] == [conveyor.number]
    assert [r.number for r in service.search(SearchFilter(statuses=(Status.REQUESTED,)))] == [
        pump.number
    ]
    by_type = service.search(SearchFilter(types=(WorkOrderType.INSPECTION,)))
    assert [r.number for r in by_type] == [conveyor.number]
    assert service.count(SearchFilter(text="100%")) == 0
    clock.advance(days=8)
    overdue = service.search(SearchFilter(overdue_at=clock.now))
    assert {r.number for r in overdue} == {pump.number, conveyor.number}


@pytest.mark.both_engines
def test_every_write_lands_in_the_history_and_audit(service, actors, clock, db):
    admin = actors["admin"]
    wo = raise_order(service, admin)
    before = audit.latest_sequence(db)
    drive_to(service, admin, wo.number, Status.CLOSED, clock)
    assert audit.latest_sequence(db) > before + 5
    with db.unit_of_work(write=False) as session:
        count = session.execute(select(func.count(StatusChange.id))).scalar_one()
    assert count == len(PATHS[Status.CLOSED]) + 1
    assert audit.verify(db).ok
