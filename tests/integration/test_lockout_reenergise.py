"""A machine that re-energises behind a verified lock-out raises a safety alarm: on the
control-room display while the lock is on, and on the order's printed record for good."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from desktop.domain.condition import Quality, Sample
from desktop.domain.enums import Status, WorkOrderType
from desktop.domain.errors import PermissionDenied, ValidationFailed
from desktop.plant.historian import write_samples
from desktop.plant.lockout_watch import LockoutWatch
from desktop.reports.audit_pack import build_audit_pack
from desktop.reports.pack_scope import PackRequest
from desktop.reports.sheet import print_sheets
from desktop.services.analytics.control_room import ControlRoomService
from desktop.services.condition.plant_tags import PlantTagService, TagDraft
from desktop.services.orders.lockout import LockoutService, Signer
from desktop.services.orders.work_orders import WorkOrderService
from desktop.services.shared.audit import entries_for
from desktop.store.condition_models import Tag
from tests.conftest import PASSWORD
from tests.integration.pdf_pages import poppler_pages
from tests.integration.workflow import drive_to, raise_order


def _locked_and_working(db, clock, actors) -> tuple[str, int]:
    """C-201 locked by Tom, zero energy verified at 0.0 on its Running tag, work started."""
    admin = actors["admin"]
    PlantTagService(db).import_tags(
        actors["paula"], [TagDraft("C-201.Running", "C-201", "urn:test", "s=C-201.Running", "")]
    )
    LockoutService(db).add_point(
        admin, "C-201", "electrical 400 V", "isolator Q1", "C-201 isolator", "C-201.Running"
    )
    service = WorkOrderService(db, clock)
    number = raise_order(service, admin, "C-201", WorkOrderType.PREVENTIVE).number
    drive_to(service, admin, number, Status.SCHEDULED, clock)
    live = LockoutService(db, clock, read_tag=lambda namespace, node: 0.0)
    live.apply(admin, number, 1, "L-18", Signer("tom", PASSWORD))
    live.verify(admin, number, 1, Signer("tom", PASSWORD))
    service.transition(admin, number, Status.IN_PROGRESS)
    with db.unit_of_work(write=False) as session:
        tag_id = session.execute(select(Tag.id).where(Tag.name == "C-201.Running")).scalar_one()
    return number, tag_id


def _running(tag_id: int, at: datetime, value: float) -> Sample:
    return Sample(tag_id, at.timestamp(), value, Quality.GOOD)


def test_a_machine_re_energised_behind_its_lock_raises_a_safety_alarm(db, clock, actors, tmp_path):
    number, tag_id = _locked_and_working(db, clock, actors)
    verified = clock()
    display = ControlRoomService(db, clock)
    write_samples(db, [_running(tag_id, verified + timedelta(minutes=1), 0.0)])
    clock.advance(minutes=5)
    assert display.snapshot().safety_alarms == ()  # stopped as verified: no alarm

    back_on = verified + timedelta(minutes=2)
    write_samples(db, [_running(tag_id, back_on, 1.0)])
    clock.advance(minutes=5)

    (alarm,) = display.snapshot().safety_alarms
    assert (alarm.work_order_number, alarm.asset_code, alarm.tag_name) == (
        number,
        "C-201",
        "C-201.Running",
    )
    assert (alarm.reading, alarm.at) == (1.0, back_on)
    assert "SAFETY ALARM: C-201.Running read 1" in alarm.message
    (step,) = LockoutService(db, clock).isolations(number)
    assert step.reenergised_at == back_on

    out = tmp_path / "sheet.pdf"
    print_sheets(db, [number], out, clock=clock)
    berlin = back_on.astimezone(UTC) + timedelta(hours=1)  # March: CET
    sheet = " ".join(poppler_pages(out))
    assert f"SAFETY ALARM: C-201.Running read 1 at {berlin:%Y-%m-%d %H:%M}" in sheet

    # Off the display once the lock is off; the order's record keeps it.
    LockoutService(db, clock).remove(actors["admin"], number, 1, Signer("tom", PASSWORD))
    assert display.snapshot().safety_alarms == ()
    pack = tmp_path / "pack.pdf"
    period = PackRequest(verified - timedelta(days=1), verified + timedelta(days=1))
    build_audit_pack(db, actors["paula"], period, pack, clock=clock)
    log = " ".join(p for p in poppler_pages(pack) if "Safety checklist log" in p)
    assert "SAFETY ALARM: C-201.Running read 1" in log
    assert "while locked out, not acknowledged" in log


def test_energy_before_verification_or_after_release_is_no_alarm(db, clock, actors):
    number, tag_id = _locked_and_working(db, clock, actors)
    verified = clock()
    LockoutService(db, clock).remove(actors["admin"], number, 1, Signer("tom", PASSWORD))
    released = clock()
    write_samples(
        db,
        [
            _running(tag_id, verified - timedelta(minutes=1), 1.0),  # still running: refused
            _running(tag_id, released + timedelta(minutes=1), 1.0),  # restarted after release
        ],
    )
    clock.advance(minutes=5)

    (step,) = LockoutService(db, clock).isolations(number)
    assert step.reenergised_at is None
    assert ControlRoomService(db, clock).snapshot().safety_alarms == ()


@pytest.mark.both_engines
def test_the_monitoring_side_records_the_alarm_once_and_an_acknowledgement_is_kept(
    db, clock, actors, tmp_path
):
    number, tag_id = _locked_and_working(db, clock, actors)
    back_on = clock() + timedelta(minutes=2)
    write_samples(db, [_running(tag_id, back_on, 1.0)])
    clock.advance(minutes=3)
    tom = actors["tom"]
    watch = LockoutWatch(db, tom, clock=clock)

    (recorded,) = watch.check()
    assert recorded[0] == number
    assert recorded[1].alarm_recorded
    assert watch.check() == []  # once, however often the monitor looks
    assert LockoutWatch(db, actors["admin"], clock=clock).check() == []  # nor another workstation's
    fired = [e for e in entries_for(db, "work_order", number) if e.action == "safety alarm"]
    assert [(e.username, e.changes["reading"][1], e.changes["raised_at"][1]) for e in fired] == [
        ("tom", 1.0, back_on.isoformat())
    ]
    (step,) = LockoutService(db, clock).isolations(number)
    assert step.acknowledgement == "not acknowledged"

    clock.advance(minutes=1)
    sam = actors["sam"]
    LockoutService(db, clock).acknowledge_safety_alarm(sam, number, 1, with_pin=False)
    (step,) = LockoutService(db, clock).isolations(number)
    assert (step.acknowledged_by, step.acknowledged_with, step.acknowledged_at) == (
        "Sam",
        "password",
        clock(),
    )
    acked = [e for e in entries_for(db, "work_order", number) if "acknowledge" in e.action]
    assert [(e.username, e.action) for e in acked] == [("sam", "acknowledge safety alarm")]
    with pytest.raises(ValidationFailed, match="already acknowledged by Sam"):
        LockoutService(db, clock).acknowledge_safety_alarm(tom, number, 1, with_pin=True)

    # The record outlives the raw samples: the order keeps it after the lock is off.
    LockoutService(db, clock).remove(actors["admin"], number, 1, Signer("tom", PASSWORD))
    out = tmp_path / "sheet.pdf"
    print_sheets(db, [number], out, clock=clock)
    sheet = " ".join(poppler_pages(out))
    assert "acknowledged by Sam (password)" in sheet


def test_acknowledging_an_alarm_not_yet_recorded_records_it_first(db, clock, actors):
    number, tag_id = _locked_and_working(db, clock, actors)
    write_samples(db, [_running(tag_id, clock() + timedelta(minutes=1), 1.0)])
    clock.advance(minutes=2)

    LockoutService(db, clock).acknowledge_safety_alarm(actors["tom"], number, 1, with_pin=True)

    actions = [e.action for e in entries_for(db, "work_order", number)]
    assert actions[-2:] == ["safety alarm", "acknowledge safety alarm"]
    assert LockoutWatch(db, actors["tom"], clock=clock).check() == []
    with pytest.raises(PermissionDenied):
        LockoutService(db, clock).acknowledge_safety_alarm(actors["vic"], number, 1, True)


def test_a_viewers_workstation_leaves_the_recording_to_another_monitor(db, clock, actors):
    number, tag_id = _locked_and_working(db, clock, actors)
    write_samples(db, [_running(tag_id, clock() + timedelta(minutes=1), 1.0)])
    clock.advance(minutes=2)

    assert LockoutWatch(db, actors["vic"], clock=clock).check() == []

    (step,) = LockoutService(db, clock).isolations(number)
    assert step.reenergised_at is not None  # still shown from the historian
    assert not step.alarm_recorded


@pytest.mark.both_engines
def test_the_machine_coming_back_again_after_an_acknowledgement_raises_a_new_alarm(
    db, clock, actors
):
    """Issue 16: one alarm per lock left a second re-energising without a banner."""
    number, tag_id = _locked_and_working(db, clock, actors)
    verified = clock()
    first = verified + timedelta(minutes=2)
    write_samples(db, [_running(tag_id, first, 1.0)])
    clock.advance(minutes=3)
    tom, sam = actors["tom"], actors["sam"]
    LockoutWatch(db, tom, clock=clock).check()
    display = ControlRoomService(db, clock)
    # Still running while the banner is up: the same alarm, not a second one.
    write_samples(db, [_running(tag_id, first + timedelta(seconds=30), 2.0)])
    assert LockoutWatch(db, tom, clock=clock).check() == []
    LockoutService(db, clock).acknowledge_safety_alarm(sam, number, 1, with_pin=False)
    acknowledged = clock()
    (alarm,) = display.snapshot().safety_alarms
    assert alarm.acknowledged

    # Stopped, then back on after the acknowledgement: a new, unacknowledged alarm.
    write_samples(db, [_running(tag_id, acknowledged + timedelta(minutes=1), 0.0)])
    again = acknowledged + timedelta(minutes=2)
    write_samples(db, [_running(tag_id, again, 1.0)])
    clock.advance(minutes=5)
    (alarm,) = display.snapshot().safety_alarms
    assert (alarm.at, alarm.acknowledged) == (again, False)
    (recorded,) = LockoutWatch(db, tom, clock=clock).check()
    assert recorded[1].reenergised_at == again
    assert LockoutWatch(db, tom, clock=clock).check() == []
    fired = [e for e in entries_for(db, "work_order", number) if e.action == "safety alarm"]
    assert [e.changes["raised_at"][1] for e in fired] == [first.isoformat(), again.isoformat()]

    LockoutService(db, clock).acknowledge_safety_alarm(tom, number, 1, with_pin=True)
    (step,) = LockoutService(db, clock).isolations(number)
    assert (step.reenergised_at, step.acknowledged_by) == (again, "Tom")
