"""The control-room display: rotation, attention banner, outages, read-only, breakdown by PIN."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
)
from sqlalchemy import text

from desktop.domain.condition import Direction, Quality, RuleKind, RuleSpec, Sample
from desktop.domain.enums import Priority, Status, WorkOrderType
from desktop.plant.historian import write_samples
from desktop.plant.simulator import SimulatorOptions, SimulatorThread
from desktop.services.admin.users import UserService
from desktop.services.condition.alarms import AlarmService, Evidence
from desktop.services.condition.plant_tags import PlantTagService, RuleDraft, TagDraft
from desktop.services.orders.lockout import LockoutService, Signer
from desktop.services.orders.machine_downtime import MachineDowntimeService
from desktop.services.orders.shift_handover import ShiftHandoverService
from desktop.services.orders.work_order_records import WorkOrderDraft
from desktop.services.orders.work_orders import SearchFilter, WorkOrderService
from desktop.store.database import Database
from tests.conftest import PASSWORD
from tests.integration.workflow import drive_to, raise_order
from ui.display.feed import LiveFeed
from ui.display.window import PAGE_IDS, DisplayWindow
from ui.login_dialog import LoginDialog
from ui.plant_link import free_port

DEMO_NS = "urn:wrenchbook:demo-plant"
PIN = "4719"
EDIT_CONTROLS = (QLineEdit, QTextEdit, QPlainTextEdit, QComboBox, QAbstractSpinBox)


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "workstation.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def display(qtbot, db, settings, clock):
    window = DisplayWindow(db, settings, clock=clock, watch=False, height=1080)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    window.worker.poll()
    return window


@pytest.fixture
def alarm_rule(db, actors):
    tags = PlantTagService(db)
    tags.import_tags(
        actors["paula"],
        [TagDraft("P-101.Vibration", "P-101", DEMO_NS, "s=BOT-SYR-SUG-P1.Vibration", "mm/s")],
    )
    spec = RuleSpec(RuleKind.THRESHOLD, 7.1, Direction.ABOVE)
    return tags.add_rule(actors["paula"], RuleDraft("vibration high", "P-101.Vibration", spec))


def raise_alarm(db, actors, clock, rule):
    at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    return AlarmService(db, clock).raise_alarm(
        actors["tom"], rule.id, at, 7.4, "7.4 above 7.1", Evidence(b"t,v\n")
    )


def edit_controls(window):
    return [w for kind in EDIT_CONTROLS for w in window.findChildren(kind) if w.isVisible()]


def fill_overlay(qtbot, window, username, secret):
    overlay = window.overlay
    qtbot.keyClicks(overlay.username, username)
    qtbot.keyClicks(overlay.secret, secret)
    qtbot.mouseClick(overlay.confirm_button, Qt.MouseButton.LeftButton)
    return overlay


def test_pages_rotate_in_the_order_and_pace_of_the_workstation_settings(qtbot, db, settings):
    window = DisplayWindow(db, settings, watch=False, height=1080)
    qtbot.addWidget(window)
    assert [p.page_id for p in window.pages] == list(PAGE_IDS)
    assert window.rotation.interval() == 20_000
    seen = [window.current_page.page_id]
    for _ in PAGE_IDS:
        window.rotation.timeout.emit()
        seen.append(window.current_page.page_id)
    assert seen == [*PAGE_IDS, PAGE_IDS[0]]

    settings.setValue("display/rotate_seconds", 7)
    settings.setValue("display/pages", "work,board,nonsense")
    chosen = DisplayWindow(db, settings, watch=False, height=1080)
    qtbot.addWidget(chosen)
    assert [p.page_id for p in chosen.pages] == ["work", "board"]
    assert chosen.rotation.interval() == 7_000


def test_shows_the_board_counts_and_the_urgent_list(display, db, actors, clock):
    WorkOrderService(db, clock).create(
        actors["tom"],
        WorkOrderDraft("Pump seized", "P-101", WorkOrderType.EMERGENCY, Priority.EMERGENCY),
    )
    display.worker.poll()
    state = display.state()
    assert state["pages"]["board"]["request"] == {"1": 1, "2": 0, "3": 0, "4": 0}
    assert [r["priority"] for r in state["pages"]["work"]["rows"]] == [1]


def test_the_display_offers_no_edit_controls(display, db, actors, clock, alarm_rule):
    raise_alarm(db, actors, clock, alarm_rule)
    display.worker.poll()
    for index in range(len(display.pages)):
        display.show_page(index)
        assert edit_controls(display) == []
    assert display.findChildren(QAbstractItemView) == []
    buttons = {b.text() for b in display.findChildren(QAbstractButton) if b.isVisible()}
    assert buttons <= {"Acknowledge", "Report breakdown"}
    assert all(
        b.text().startswith("Report breakdown")
        for b in display.trends.findChildren(QAbstractButton)
    )


def test_a_new_alarm_interrupts_the_rotation_until_a_user_acknowledges_it(
    qtbot, display, db, actors, clock, alarm_rule
):
    display.show_page(0)
    assert display.banner.isHidden()
    alarm = raise_alarm(db, actors, clock, alarm_rule)
    display.worker.poll()
    assert display.banner.isVisible()
    assert "P-101" in display.banner.text.text()
    assert display.banner.detail.text() == "vibration high: 7.4 above 7.1"
    assert display.current_page.page_id == "trends"
    display.rotation.timeout.emit()
    assert display.current_page.page_id == "trends"  # held while the alarm waits

    qtbot.mouseClick(display.banner.ack_button, Qt.MouseButton.LeftButton)
    overlay = fill_overlay(qtbot, display, "vic", PASSWORD)
    assert "may not acknowledge alarms" in overlay.error.text()  # a viewer may not
    overlay.username.clear()
    fill_overlay(qtbot, display, "tom", PASSWORD)
    assert display.overlay is None
    assert display.banner.isHidden()
    assert AlarmService(db).get(alarm.id).acknowledged_by == "tom"
    display.worker.poll()
    assert display.banner.isHidden()
    display.rotation.timeout.emit()
    assert display.current_page.page_id == "work"  # rotating again


def test_a_new_emergency_order_stands_out_until_acknowledged_with_a_pin(
    qtbot, display, db, actors, clock
):
    UserService(db, clock).set_pin(actors["tom"], "tom", PIN)
    assert display.banner.isHidden()
    number = (
        WorkOrderService(db, clock)
        .create(
            actors["paula"],
            WorkOrderDraft("Conveyor jammed", "C-201", WorkOrderType.EMERGENCY, Priority.EMERGENCY),
        )
        .work_order.number
    )
    display.worker.poll()
    assert display.banner.isVisible()
    assert number in display.banner.text.text()
    assert not display.banner.breakdown_button.isVisible()
    assert display.current_page.page_id == "work"
    qtbot.mouseClick(display.banner.ack_button, Qt.MouseButton.LeftButton)
    fill_overlay(qtbot, display, "tom", PIN)
    assert display.banner.isHidden()
    display.worker.poll()
    assert display.banner.isHidden()  # acknowledged stays acknowledged on this display


def test_a_breakdown_request_by_operator_pin_lands_in_the_approval_queue(
    qtbot, display, db, actors, clock, alarm_rule
):
    UserService(db, clock).set_pin(actors["vic"], "vic", PIN)
    alarm = raise_alarm(db, actors, clock, alarm_rule)
    display.worker.poll()
    qtbot.mouseClick(display.banner.breakdown_button, Qt.MouseButton.LeftButton)
    overlay = display.overlay
    assert "P-101 Feed pump" in overlay.text.text()
    assert "vibration high" in overlay.text.text()
    fill_overlay(qtbot, display, "vic", "1111")
    assert "wrong password" in overlay.error.text()
    overlay.username.clear()
    box = overlay.stopped
    qtbot.mouseClick(
        box, Qt.MouseButton.LeftButton, pos=QPoint(box.height() // 2, box.height() // 2)
    )
    assert box.isChecked()
    fill_overlay(qtbot, display, "vic", PIN)
    assert display.overlay is None
    assert edit_controls(display) == []
    requested = WorkOrderService(db).search(SearchFilter(statuses=(Status.REQUESTED,)))
    filed = [r for r in requested if r.asset_code == "P-101" and "machine stopped" in r.title]
    assert len(filed) == 1
    assert filed[0].type is WorkOrderType.EMERGENCY
    assert "sent for approval" in display.notice.text()
    detail = WorkOrderService(db).get(filed[0].number)
    assert detail.requester == "vic"
    assert f"raised {alarm.raised_at:%Y-%m-%d %H:%M}" in detail.description


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_database_outage_shows_a_banner_and_the_display_recovers(
    display, db, db_url, pg_admin_url
):
    name = db.engine.url.database
    admin = Database(pg_admin_url)
    try:
        with admin.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                {"n": name},
            )
            conn.execute(text(f'ALTER DATABASE "{name}" RENAME TO "{name}_away"'))
            display.worker.poll()
            assert display.outage.isVisible()
            assert "Database unreachable since" in display.outage.text.text()
            assert "Database" in display.state()["outages"]
            conn.execute(text(f'ALTER DATABASE "{name}_away" RENAME TO "{name}"'))
        display.worker.poll()
    finally:
        admin.dispose()
    assert display.outage.isHidden()
    assert display.state()["outages"] == {}


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # the feed is engine-blind
def test_an_opc_ua_outage_shows_a_banner_and_the_trends_come_back(
    qtbot, db, settings, clock, tmp_path, alarm_rule
):
    options = SimulatorOptions(port=free_port(), pki_dir=tmp_path / "pki-simulator")
    simulator = SimulatorThread(options).start()
    feed = LiveFeed(options.endpoint, simulate=False, data_dir=tmp_path)
    window = DisplayWindow(db, settings, feed, clock=clock, watch=False, height=1080)
    qtbot.addWidget(window)
    window.show()
    try:
        window.worker.poll()
        qtbot.waitUntil(lambda: bool(feed.latest), timeout=90_000)
        simulator.stop()
        qtbot.waitUntil(lambda: "OPC UA server" in window.outage.text.text(), timeout=60_000)
        assert window.outage.isVisible()
        simulator = SimulatorThread(options).start()
        feed.latest.clear()
        qtbot.waitUntil(lambda: window.outage.isHidden() and bool(feed.latest), timeout=90_000)
        assert window.state()["pages"]["trends"]["tags"][0]["points"] > 0
    finally:
        feed.stop()
        simulator.stop()


def test_the_login_dialog_offers_the_control_room_display(qtbot, db, settings):
    dialog = LoginDialog(db, settings, "SQLite: test")
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.display_button, Qt.MouseButton.LeftButton)
    assert dialog.display_chosen
    assert dialog.actor is None
    assert dialog.result() == LoginDialog.DialogCode.Accepted


def test_an_asset_on_screen_without_an_alarm_can_be_reported_too(
    qtbot, display, db, actors, clock, alarm_rule
):
    UserService(db, clock).set_pin(actors["vic"], "vic", PIN)
    display.worker.poll()
    button = next(
        b
        for b in display.trends.findChildren(QAbstractButton)
        if b.text() == "Report breakdown: P-101"
    )
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert (
        "Goes to the approval queue as corrective work, priority 2" in display.overlay.text.text()
    )
    fill_overlay(qtbot, display, "vic", PIN)
    filed = WorkOrderService(db).search(SearchFilter(statuses=(Status.REQUESTED,)))
    assert [(r.title, r.priority) for r in filed] == [("P-101: breakdown reported", Priority.HIGH)]


def test_a_machine_re_energised_behind_a_lock_shows_a_safety_alarm_first(
    qtbot, display, db, actors, clock, alarm_rule, settings
):
    """Issue 16: the running tag reading energised while a verified lock is on."""
    admin = actors["admin"]
    PlantTagService(db).import_tags(
        actors["paula"], [TagDraft("C-201.Running", "C-201", DEMO_NS, "s=C-201.Running", "")]
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
    raise_alarm(db, actors, clock, alarm_rule)  # an ordinary alarm waits too
    with db.unit_of_work(write=False) as session:
        tag_id = session.execute(text("select id from plant_tags where name = 'C-201.Running'"))
        tag_id = tag_id.scalar_one()
    back_on = clock() + timedelta(minutes=1)
    write_samples(db, [Sample(tag_id, back_on.timestamp(), 1.0, Quality.GOOD)])
    clock.advance(minutes=2)

    display.worker.poll()

    assert display.banner.isVisible()
    assert "SAFETY" in display.banner.text.text()
    assert number in display.banner.text.text()
    assert "C-201.Running reads 1" in display.banner.detail.text()
    assert "1 more waiting" in display.banner.more.text()  # the vibration alarm behind it

    # Acknowledged with a PIN: stored with who, when and how, on every display from then on.
    UserService(db, clock).set_pin(actors["tom"], "tom", PIN)
    qtbot.mouseClick(display.banner.ack_button, Qt.MouseButton.LeftButton)
    fill_overlay(qtbot, display, "tom", PIN)
    (step,) = LockoutService(db, clock).isolations(number)
    assert (step.acknowledged_by, step.acknowledged_with) == ("Tom", "PIN")
    assert step.acknowledged_at == clock()
    second = DisplayWindow(db, settings, clock=clock, watch=False, height=1080)
    qtbot.addWidget(second)
    second.worker.poll()
    assert "SAFETY" not in second.banner.text.text()
    assert "ALARM" in second.banner.text.text()  # the vibration alarm still waits


def test_an_operator_codes_a_machine_stop_in_one_touch_with_a_pin(
    qtbot, display, db, actors, clock
):
    UserService(db, clock).set_pin(actors["vic"], "vic", PIN)
    downtime = MachineDowntimeService(db, clock)
    downtime.machine_stopped(actors["admin"], "C-201", clock.now - timedelta(minutes=4))
    display.worker.poll()
    assert "STOPPED" in display.banner.text.text()
    assert "C-201" in display.banner.text.text()
    assert display.banner.ack_button.text() == "Code the stop"
    assert not display.banner.breakdown_button.isVisible()  # short, and not a critical asset

    qtbot.mouseClick(display.banner.ack_button, Qt.MouseButton.LeftButton)
    overlay = display.overlay
    qtbot.mouseClick(overlay.confirm_button, Qt.MouseButton.LeftButton)
    assert overlay.error.text() == "Touch the reason first."
    qtbot.mouseClick(overlay.choice_buttons["jam"], Qt.MouseButton.LeftButton)
    fill_overlay(qtbot, display, "vic", PIN)

    assert display.overlay is None
    (stop,) = downtime.stops()
    assert (stop.reason, stop.coded_by) == ("jam", "vic")
    assert "stop coded: Jam / blockage" in display.notice.text()
    display.worker.poll()
    assert display.banner.isHidden()


def test_a_long_stop_of_a_critical_machine_is_offered_as_a_breakdown_request(
    qtbot, display, db, actors, clock
):
    UserService(db, clock).set_pin(actors["vic"], "vic", PIN)
    downtime = MachineDowntimeService(db, clock)
    downtime.machine_stopped(actors["admin"], "P-101", clock.now - timedelta(minutes=25))
    display.worker.poll()
    assert "P-101" in display.banner.text.text()
    assert "report it" in display.banner.detail.text()
    assert display.banner.breakdown_button.isVisible()

    qtbot.mouseClick(display.banner.breakdown_button, Qt.MouseButton.LeftButton)
    fill_overlay(qtbot, display, "vic", PIN)

    (stop,) = downtime.stops()
    assert stop.work_order is not None  # the request took the stop's period over
    assert WorkOrderService(db).get(stop.work_order).row.status is Status.REQUESTED
    display.worker.poll()
    assert "STOPPED" not in display.banner.text.text()  # the stop is answered; the new
    assert stop.work_order in display.banner.text.text()  # emergency request stands out


def test_the_incoming_shift_acknowledges_the_handover_on_the_display(
    qtbot, display, db, actors, clock
):
    UserService(db, clock).set_pin(actors["tom"], "tom", PIN)
    clock.now = datetime(2026, 3, 2, 13, 5, tzinfo=UTC)  # the early shift ended at 13:00 UTC
    (drafted,) = ShiftHandoverService(db, clock).draft_due()
    display.worker.poll()
    assert "SHIFT HANDOVER" in display.banner.text.text()
    assert drafted.label in display.banner.text.text()

    qtbot.mouseClick(display.banner.ack_button, Qt.MouseButton.LeftButton)
    fill_overlay(qtbot, display, "tom", PIN)

    assert ShiftHandoverService(db, clock).get(drafted.id).acknowledged_by == "tom"
    display.worker.poll()
    assert display.banner.isHidden()
