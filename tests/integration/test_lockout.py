"""Lock-out/tag-out as a gate: isolation verified against the live machine before work starts,
locks released before it completes, and two-person sign-offs by two re-authenticated people."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from desktop.domain.enums import ChecklistItemKind, CheckResult, Status, WorkOrderType
from desktop.domain.errors import AuthenticationFailed, TransitionRefused, ValidationFailed
from desktop.plant.connection import Connection
from desktop.plant.live_read import tag_reader
from desktop.plant.runtime import MonitoringRuntime
from desktop.plant.sim_signals import DEGRADING_ASSET
from desktop.plant.simulator import NAMESPACE_URI
from desktop.services.condition.plant_tags import PlantTagService, TagDraft
from desktop.services.orders.lockout import LockoutService, Signer
from desktop.services.orders.work_orders import WorkOrderService
from desktop.services.shared import audit
from desktop.store.models import ChecklistTemplate, ChecklistTemplateItem
from tests.conftest import PASSWORD
from tests.integration.simulator_process import SimulatorProcess, wait_for
from tests.integration.workflow import drive_to, prepare, raise_order

# The simulator's bearing-wear pump never stops; the sugar tank's mixer motor is held stopped.
RUNNING = DEGRADING_ASSET
STOPPED = "BOT-SYR-SUG-TK1-M1"


@pytest.fixture(scope="module")
def plant():
    sim = SimulatorProcess("--rate", "5", "--stopped", STOPPED).start()
    yield sim
    sim.stop()


@pytest.fixture
def points(db, actors):
    """P-101 is wired to the running machine's Running flag, C-201 to the stopped one."""
    PlantTagService(db).import_tags(
        actors["paula"],
        [
            TagDraft("P-101.Running", "P-101", NAMESPACE_URI, f"s={RUNNING}.Running", ""),
            TagDraft("C-201.Running", "C-201", NAMESPACE_URI, f"s={STOPPED}.Running", ""),
        ],
    )
    service = LockoutService(db)
    admin = actors["admin"]
    service.add_point(
        admin, "P-101", "electrical 400 V", "MCC-3 breaker", "panel 3", "P-101.Running"
    )
    service.add_point(
        admin, "C-201", "electrical 400 V", "isolator Q1", "C-201 isolator", "C-201.Running"
    )
    return service


def _scheduled(db, clock, actors, asset):
    service = WorkOrderService(db, clock)
    row = raise_order(service, actors["admin"], asset, WorkOrderType.PREVENTIVE)
    drive_to(service, actors["admin"], row.number, Status.SCHEDULED, clock)
    return service, row.number


def test_zero_energy_is_read_live_running_refused_stopped_accepted(
    db, clock, actors, points, plant
):
    live = LockoutService(db, clock, read_tag=tag_reader(Connection(plant.endpoint)))
    admin = actors["admin"]
    tom = Signer("tom", PASSWORD)

    service, running = _scheduled(db, clock, actors, "P-101")
    with pytest.raises(
        TransitionRefused, match=r"isolation 1 \(electrical 400 V at panel 3\) not locked"
    ):
        service.transition(admin, running, Status.IN_PROGRESS)
    live.apply(admin, running, 1, "L-17", tom)
    with pytest.raises(
        ValidationFailed, match=r"P-101\.Running reads 1 .*energised; verification refused"
    ):
        live.verify(admin, running, 1, tom)
    with pytest.raises(TransitionRefused, match="locked but zero energy not verified"):
        service.transition(admin, running, Status.IN_PROGRESS)

    _, stopped = _scheduled(db, clock, actors, "C-201")
    live.apply(admin, stopped, 1, "L-18", tom)
    step = live.verify(admin, stopped, 1, tom)
    assert (step.verified_by, step.verified_reading, step.lock_number) == ("Tom", 0.0, "L-18")
    assert step.applied_by == "Tom"
    assert service.transition(admin, stopped, Status.IN_PROGRESS).status is Status.IN_PROGRESS
    assert audit.verify(db).ok


def test_locks_are_personal_and_released_before_completion(db, clock, actors, points):
    admin = actors["admin"]
    lockout = LockoutService(db, clock)
    service, number = _scheduled(db, clock, actors, "C-201")
    with pytest.raises(AuthenticationFailed, match=r"^tom: "):
        lockout.apply(admin, number, 1, "L-1", Signer("tom", "not my password"))
    lockout.apply(admin, number, 1, "L-1", Signer("tom", PASSWORD))
    # Without a plant connection a tagged point cannot be verified by word alone.
    with pytest.raises(ValidationFailed, match="plant connection is not available"):
        lockout.verify(admin, number, 1, Signer("tom", PASSWORD))
    live = LockoutService(db, clock, read_tag=lambda namespace, node: 0.0)
    live.verify(admin, number, 1, Signer("tom", PASSWORD))
    service.transition(admin, number, Status.IN_PROGRESS)
    prepare(service, admin, number, Status.COMPLETED, clock)
    with pytest.raises(TransitionRefused, match="still locked: record its release first"):
        service.transition(admin, number, Status.COMPLETED)
    released = lockout.remove(admin, number, 1, Signer("tina", PASSWORD))
    assert released.removed_by == "Tina"
    assert service.transition(admin, number, Status.COMPLETED).status is Status.COMPLETED


@pytest.fixture
def two_person(db):
    with db.unit_of_work() as session:
        session.add(
            ChecklistTemplate(
                code="CL-2P",
                name="Two-person lock-out",
                safety=True,
                items=[
                    ChecklistTemplateItem(
                        position=1, kind=ChecklistItemKind.CHECK, text="isolator locked"
                    ),
                    ChecklistTemplateItem(
                        position=2,
                        kind=ChecklistItemKind.SIGNATURE,
                        text="technician: I isolated it",
                    ),
                    ChecklistTemplateItem(
                        position=3,
                        kind=ChecklistItemKind.SIGNATURE,
                        text="shift leader: I checked it",
                    ),
                ],
            )
        )


def test_two_person_sign_off_needs_two_people_each_with_their_password(
    db, clock, actors, two_person
):
    admin = actors["admin"]
    service = WorkOrderService(db, clock)
    number = raise_order(service, admin, checklist_codes=("CL-2P",)).number
    service.answer_checklist_item(admin, number, 1, result=CheckResult.PASS)
    with pytest.raises(ValidationFailed, match="needs the signer's own password"):
        service.answer_checklist_item(admin, number, 2)
    with pytest.raises(AuthenticationFailed):
        service.answer_checklist_item(admin, number, 2, signer=Signer("tom", "guess"))
    service.answer_checklist_item(admin, number, 2, signer=Signer("tom", PASSWORD))
    with pytest.raises(ValidationFailed, match=r"tom already signed .* a second person must sign"):
        service.answer_checklist_item(admin, number, 3, signer=Signer("tom", PASSWORD))
    signed = service.answer_checklist_item(admin, number, 3, signer=Signer("tina", PASSWORD))
    assert signed.text_value == "Tina"
    items = service.get(number).checklist
    assert [i.text_value for i in items[1:]] == ["Tom", "Tina"]


def test_cli_walks_an_order_through_its_isolation(db_url, db, clock, actors, capsys, monkeypatch):
    from desktop.cli import main

    monkeypatch.setenv("WRENCHBOOK_USER", "admin")
    monkeypatch.setenv("WRENCHBOOK_PASSWORD", PASSWORD)
    monkeypatch.setenv("WRENCHBOOK_SIGNER_SECRET", PASSWORD)
    _, number = _scheduled(db, clock, actors, "C-201")
    base = ("--db", db_url)

    def run(*argv):
        code = main([*argv, *base])
        out, err = capsys.readouterr()
        return code, out, err

    code, out, _ = run(
        "lockout",
        "add-point",
        "C-201",
        "--energy",
        "pneumatic 6 bar",
        "--device",
        "valve V7",
        "--lock-point",
        "V7 handle",
    )
    assert (code, out) == (0, "C-201 isolation point 1: pneumatic 6 bar — valve V7 at V7 handle\n")
    code, _, err = run("wo", "transition", number, "--to", "in_progress")
    assert code != 0
    assert "isolation 1 (pneumatic 6 bar at V7 handle) not locked" in err
    assert "Traceback" not in err
    assert run("lockout", "apply", number, "1", "--by", "tom", "--lock", "L-9")[0] == 0
    code, out, _ = run("lockout", "verify", number, "1", "--by", "tina")
    assert code == 0
    assert "lock L-9 by Tom" in out
    assert "zero energy verified by Tina" in out
    assert run("wo", "transition", number, "--to", "in_progress")[0] == 0
    code, out, _ = run("lockout", "show", number)
    assert out.startswith("1. pneumatic 6 bar — valve V7 at V7 handle\n   lock L-9 by Tom ")


def test_isolation_steps_print_numbered_on_the_sheet_and_in_the_pack(
    db, clock, actors, points, tmp_path
):
    import subprocess
    from datetime import UTC, datetime

    from desktop.reports.audit_pack import build_audit_pack
    from desktop.reports.pack_scope import PackRequest
    from desktop.reports.sheet import print_sheets

    admin = actors["admin"]
    live = LockoutService(db, clock, read_tag=lambda namespace, node: 0.0)
    _, number = _scheduled(db, clock, actors, "C-201")
    blank = tmp_path / "blank.pdf"
    print_sheets(db, [number], blank, clock=clock)
    live.apply(admin, number, 1, "L-18", Signer("tom", PASSWORD))
    live.verify(admin, number, 1, Signer("tina", PASSWORD))
    filled = tmp_path / "filled.pdf"
    print_sheets(db, [number], filled, clock=clock)
    pack = tmp_path / "pack.pdf"
    build_audit_pack(
        db,
        admin,
        PackRequest(datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC)),
        pack,
        clock=clock,
    )

    def words(path):
        out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
        return " ".join(out.stdout.split())

    assert "1. electrical 400 V — isolator Q1 at C-201 isolator; C-201.Running must read ≤ 0" in (
        words(blank)
    )
    assert "Lock no. __________ Locked by name ________________ time ______" in words(blank)
    assert "Lock no. L-18 Locked by Tom 2026-03-02" in words(filled)
    assert "☑ verified by Tina" in words(filled)
    assert "(read 0)" in words(filled)
    log = subprocess.run(
        ["pdftotext", "-layout", str(pack), "-"], capture_output=True, text=True
    ).stdout
    row = next(line for line in log.splitlines() if "Isolation 1: electrical" in line)
    assert row.split()[:2] == [number, "C-201"]
    assert "lock L-18; zero energy" in row
    assert row.endswith("Tom")
    assert "read 0; STILL" in log  # "STILL LOCKED" wraps: the lock was never removed


def test_the_monitor_records_a_machine_running_behind_a_verified_lock_in_the_audit_trail(
    db, actors, points, plant
):
    """The verification read zero (as a machine does while it is isolated); the simulator's
    pump then runs behind the lock: the monitoring runtime puts the alarm on the record."""
    admin, tom = actors["admin"], Signer("tom", PASSWORD)
    service = WorkOrderService(db)
    number = raise_order(service, admin, "P-101", WorkOrderType.PREVENTIVE).number
    # Verified a minute ago: the server's first value carries the time of its last write,
    # which may be a moment before the runtime subscribes.
    earlier = datetime.now(UTC) - timedelta(minutes=1)
    live = LockoutService(db, lambda: earlier, read_tag=lambda namespace, node: 0.0)
    live.apply(admin, number, 1, "L-17", tom)
    live.verify(admin, number, 1, tom)

    runtime = MonitoringRuntime(db, actors["tom"], Connection(plant.endpoint)).start()
    try:
        wait_for(lambda: runtime.lockout.recent(), 60, "the safety alarm on the record")
    finally:
        runtime.stop()
    ((recorded_number, step),) = runtime.lockout.recent()
    assert (recorded_number, step.tag_name, step.reenergised_reading) == (
        number,
        "P-101.Running",
        1.0,
    )
    assert step.alarm_recorded
    fired = [e for e in audit.entries_for(db, "work_order", number) if e.action == "safety alarm"]
    assert [(e.username, e.changes["tag"][1]) for e in fired] == [("tom", "P-101.Running")]
    assert audit.verify(db).ok
