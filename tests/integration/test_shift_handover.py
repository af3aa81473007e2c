"""Shift handover drafted from the records of the shift, on both engines, and printed."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime

import pytest

from desktop.domain.condition import Direction, RuleKind, RuleSpec
from desktop.domain.enums import Priority, Status, WorkOrderType
from desktop.domain.errors import AuthenticationFailed, ConflictError, ValidationFailed
from desktop.reports.handover import write_handover
from desktop.reports.wording import wording
from desktop.services.admin.users import UserService
from desktop.services.condition.alarms import AlarmService, Evidence
from desktop.services.condition.plant_tags import PlantTagService, RuleDraft, TagDraft
from desktop.services.orders.machine_downtime import MachineDowntimeService
from desktop.services.orders.shift_handover import ShiftHandoverService
from desktop.services.orders.work_order_records import WorkOrderDraft
from desktop.services.orders.work_orders import WorkOrderService
from desktop.services.stock.inventory import InventoryService
from tests.integration.stock import stock_room
from tests.integration.workflow import drive_to, prepare, raise_order

pytestmark = pytest.mark.both_engines  # the shift's figures read by time-window SQL on each engine

PIN = "482913"


def _utc(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, 2, hour, minute, tzinfo=UTC)


@pytest.fixture
def shift(db, clock, actors):
    """The early shift of Monday 2 March (06:00-14:00 Berlin = 05:00-13:00 UTC), with records."""
    admin = actors["admin"]
    clock.now = _utc(5, 30)
    orders = WorkOrderService(db, clock)
    downtime = MachineDowntimeService(db, clock)
    downtime.machine_stopped(admin, "C-201", _utc(7))
    downtime.machine_started(admin, "C-201", _utc(7, 30))
    downtime.machine_stopped(admin, "P-101", _utc(12, 50))  # still stopped at the shift's end
    downtime.machine_stopped(admin, "C-201", _utc(4, 0))  # the night before: not this shift
    downtime.machine_started(admin, "C-201", _utc(4, 30))
    emergency = orders.create(
        actors["sam"],
        WorkOrderDraft("Seal burst", "P-101", WorkOrderType.EMERGENCY, Priority.EMERGENCY),
    ).work_order.number
    drive_to(orders, admin, emergency, Status.IN_PROGRESS, clock)
    held = raise_order(orders, admin, asset="C-201").number
    drive_to(orders, admin, held, Status.IN_PROGRESS, clock)
    prepare(orders, admin, held, Status.ON_HOLD, clock)
    orders.transition(admin, held, Status.ON_HOLD, hold_reason="parts")
    inventory = InventoryService(db, clock)
    stock_room(inventory, admin)
    clock.now = _utc(9)
    inventory.issue(actors["tom"], "P-1002", 2, "A-13", emergency)
    tags = PlantTagService(db, clock)
    tags.import_tags(admin, [TagDraft("P-101.Vib", "P-101", "urn:example:plant", "s=P-101.Vib")])
    rule = tags.add_rule(
        admin,
        RuleDraft(
            "vibration high", "P-101.Vib", RuleSpec(RuleKind.THRESHOLD, 7.1, Direction.ABOVE)
        ),
    ).id
    AlarmService(db, clock).raise_alarm(admin, rule, _utc(10), 7.5, "above 7.1", Evidence(b"t,v\n"))
    UserService(db, clock).set_pin(admin, "vic", PIN)
    return {"emergency": emergency, "held": held}


def test_the_handover_holds_the_records_of_its_shift(db, clock, shift):
    clock.now = _utc(13, 5)
    service = ShiftHandoverService(db, clock)
    (view,) = service.draft_due()
    assert view.label == "2026-03-02 06:00-14:00"
    assert (view.shift_start, view.shift_end) == (_utc(5), _utc(13))
    f = view.figures
    assert [(s.asset, s.minutes, s.end is None) for s in f.stops] == [
        ("C-201", 30.0, False),
        ("P-101", 10.0, True),
    ]
    assert f.stopped_minutes == 40.0
    assert [a.rule for a in f.alarms] == ["vibration high"]
    emergencies = {o.number for o in f.emergencies_open}
    assert shift["emergency"] in emergencies
    assert [o.number for o in f.on_hold_for_parts] == [shift["held"]]
    assert [(p.part, p.quantity, p.work_order) for p in f.parts_drawn] == [
        ("P-1002", 2.0, shift["emergency"])
    ]
    # Drafting again, from this or another process, adds nothing.
    assert service.draft_due() == []
    assert ShiftHandoverService(db, clock).draft_due() == []


def test_notes_then_acknowledgement_by_the_incoming_shift(db, clock, shift, actors):
    clock.now = _utc(13, 5)
    service = ShiftHandoverService(db, clock)
    (view,) = service.draft_due()
    service.add_notes(actors["tom"], view.id, "P-101 seal leaking, spare on order", view.version)
    with pytest.raises(ConflictError):
        service.add_notes(actors["tina"], view.id, "overwrites tom", view.version)
    UserService(db, clock).set_pin(actors["admin"], "tom", "739104")
    with pytest.raises(ValidationFailed, match="not who wrote the notes"):
        service.acknowledge("tom", "739104", view.id)
    with pytest.raises(AuthenticationFailed):
        service.acknowledge("vic", "000000", view.id)
    done = service.acknowledge("vic", PIN, view.id)
    assert (done.notes_by, done.acknowledged_by) == ("tom", "vic")
    assert done.notes == "P-101 seal leaking, spare on order"
    with pytest.raises(ValidationFailed, match="acknowledged already"):
        service.acknowledge("vic", PIN, view.id)
    with pytest.raises(ValidationFailed, match="acknowledged"):
        service.add_notes(actors["tom"], view.id, "late", done.version)


def test_the_printout_shows_local_times_and_every_section(db, clock, shift, tmp_path):
    clock.now = _utc(13, 5)
    (view,) = ShiftHandoverService(db, clock).draft_due()
    out = tmp_path / "handover.pdf"
    write_handover(view, "Test plant", "Europe/Berlin", out)
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Shift 2026-03-02 06:00 – 2026-03-02 14:00 (Europe/Berlin)" in text
    assert "Machine stops (2, 40 min in the shift)" in text
    assert "2026-03-02 08:00" in text  # the 07:00 UTC stop, in Berlin time
    assert "still stopped" in text
    for heading in ("Alarms (1)", "On hold for parts (1)", "Parts drawn (1)"):
        assert heading in text
    assert "Not yet acknowledged" in text


def test_a_german_printout_reads_german_on_the_site_clock(db, clock, shift, tmp_path):
    clock.now = _utc(13, 5)
    (view,) = ShiftHandoverService(db, clock).draft_due()
    out = tmp_path / "handover-de.pdf"
    write_handover(view, "Test plant", "Europe/Berlin", out, wording("de"))
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Schicht 02.03.2026 06:00 – 02.03.2026 14:00 (Europe/Berlin)" in text
    assert "Maschinenstillstände (2, 40 min in der Schicht)" in text
    assert "02.03.2026 08:00" in text
    for heading in ("Alarme (1)", "Zurückgestellt wegen Teilen (1)", "Entnommene Teile (1)"):
        assert heading in text
    assert "Noch nicht bestätigt" in text
    for english in ("Shift", "Machine stops", "Alarms", "Parts drawn", "Not yet", "page"):
        assert english not in text
