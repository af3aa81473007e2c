"""Notifications on both engines: events once, the outbox, mail through a real SMTP server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from desktop.domain.enums import Priority, WorkOrderType
from desktop.domain.errors import PermissionDenied, ValidationFailed
from desktop.domain.notifications import DIGEST_EVERY, LEASE, EventKind
from desktop.services.admin.mail import SmtpSender
from desktop.services.admin.notifications import NotificationService, RelaySettings
from desktop.services.orders.work_order_records import WorkOrderDraft
from desktop.services.orders.work_orders import WorkOrderService

pytestmark = (
    pytest.mark.both_engines
)  # events kept once and leases taken by conditional updates, per engine

ROOT = Path(__file__).resolve().parents[2]


class Inbox:
    """aiosmtpd handler that keeps every accepted mail."""

    def __init__(self) -> None:
        self.mails: list[tuple[str, str, str]] = []  # (to, subject, message-id)
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        from email import message_from_bytes

        message = message_from_bytes(envelope.content)
        with self.lock:
            for to in envelope.rcpt_tos:
                self.mails.append((to, message["Subject"], message["Message-ID"]))
        return "250 OK"


@pytest.fixture
def smtp():
    inbox = Inbox()
    inbox.port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    yield inbox
    controller.stop()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _relay(port: int) -> RelaySettings:
    return RelaySettings("127.0.0.1", port, "none", "", "wrenchbook@plant.example")


@pytest.fixture
def notes(db, clock):
    return NotificationService(db, clock, worker="test-a", retry_base=timedelta(seconds=30))


@pytest.fixture
def orders(db, clock):
    return WorkOrderService(db, clock)


def _request(orders, actor, title="Pump leaks", **kw):
    return orders.create(actor, WorkOrderDraft(title, "P-101", **kw)).work_order


def _pending(notes, channel=None):
    return [r for r in notes.outbox(pending_only=True) if channel in (None, r.channel)]


def test_a_request_tells_planners_and_supervisors_but_not_its_requester(notes, orders, actors):
    wo = _request(orders, actors["tom"])
    assert notes.collect() == 1
    told = {(r.username, r.kind, r.channel) for r in _pending(notes)}
    assert told == {
        ("paula", "request_raised", "desktop"),
        ("sam", "request_raised", "desktop"),
    }
    assert all(wo.number in r.subject for r in _pending(notes))


def test_each_event_is_recorded_once_however_many_processes_collect(db, clock, orders, actors):
    _request(orders, actors["tom"])
    first = NotificationService(db, clock, worker="ws-1")
    second = NotificationService(db, clock, worker="ws-2")
    assert first.collect() + second.collect() == 1
    assert first.collect() == 0
    assert len(first.outbox()) == 2


def test_assignment_tells_the_new_assignee_with_mail_where_they_have_an_address(
    notes, orders, actors
):
    notes.set_preferences(actors["tina"], "tina", email="tina@plant.example")
    wo = _request(orders, actors["paula"])
    notes.collect()
    orders.assign(actors["paula"], wo.number, orders.get(wo.number).row.version, ["tina"])
    notes.collect()
    assigned = {(r.username, r.channel, r.address) for r in _pending(notes) if r.kind == "assigned"}
    assert assigned == {("tina", "desktop", ""), ("tina", "email", "tina@plant.example")}


def test_emergency_overdue_and_escalation_follow_the_clock(notes, orders, actors, clock):
    wo = _request(
        orders,
        actors["tom"],
        title="Line stopped",
        type=WorkOrderType.EMERGENCY,
        priority=Priority.EMERGENCY,
        due_at=clock.now + timedelta(hours=2),
    )
    notes.collect()
    kinds = Counter(r.kind for r in _pending(notes))
    assert kinds["emergency"] == 2  # paula and sam
    assert kinds["due_soon"] == 1  # nobody assigned: the planner has to find someone
    clock.advance(minutes=31)
    notes.collect()
    escalated = [r for r in _pending(notes) if r.kind == "escalated"]
    assert [r.username for r in escalated] == ["sam"]
    clock.advance(hours=2)
    notes.collect()
    overdue = {r.username for r in _pending(notes) if r.kind == "overdue"}
    assert overdue == {"paula"}
    notes.collect()
    assert sum(1 for r in notes.outbox() if r.kind == "escalated") == 1
    assert wo.number in escalated[0].subject


def test_a_user_can_turn_a_kind_off_and_only_an_admin_changes_someone_else(notes, orders, actors):
    notes.set_preferences(
        actors["paula"], "paula", choices={EventKind.REQUEST_RAISED: (False, False)}
    )
    with pytest.raises(PermissionDenied):
        notes.set_preferences(actors["paula"], "sam", digest=True)
    with pytest.raises(ValidationFailed, match="mail address"):
        notes.set_preferences(actors["admin"], "sam", email="sam at plant")
    _request(orders, actors["tom"])
    notes.collect()
    assert {r.username for r in _pending(notes)} == {"sam"}


def test_desktop_notices_reach_one_workstation_once(db, clock, notes, orders, actors):
    _request(orders, actors["tom"])
    notes.collect()
    paula = actors["paula"].user_id
    here = NotificationService(db, clock, worker="ws-1").take_desktop(paula)
    there = NotificationService(db, clock, worker="ws-2").take_desktop(paula)
    assert len(here) == 1
    assert there == []
    assert here[0].kind is EventKind.REQUEST_RAISED


def test_mail_is_sent_once_and_kept_while_the_server_is_down(notes, orders, actors, clock, smtp):
    notes.set_preferences(actors["admin"], "sam", email="sam@plant.example")
    _request(orders, actors["tom"])
    notes.collect()
    down = SmtpSender(_relay(_free_port()), None)
    report = notes.dispatch_mail(down)
    assert (report.sent, report.failed) == (0, 1)
    assert "cannot send through 127.0.0.1" in report.errors[0]
    waiting = _pending(notes, "email")
    assert waiting[0].attempts == 1
    assert waiting[0].last_error
    up = SmtpSender(_relay(smtp.port), None)
    assert notes.dispatch_mail(up).sent == 0  # not before the retry is due
    clock.advance(seconds=31)
    assert notes.dispatch_mail(up).sent == 1
    assert notes.dispatch_mail(up).sent == 0
    assert [m[0] for m in smtp.mails] == ["sam@plant.example"]
    assert _pending(notes, "email") == []


def test_a_message_held_by_a_dead_process_is_sent_after_its_lease(db, clock, orders, actors, smtp):
    admin = actors["admin"]
    a = NotificationService(db, clock, worker="dead")
    b = NotificationService(db, clock, worker="alive")
    a.set_preferences(admin, "sam", email="sam@plant.example")
    _request(orders, actors["tom"])
    a.collect()
    assert a._claim_single()  # took it, then died before sending
    sender = SmtpSender(_relay(smtp.port), None)
    assert b.dispatch_mail(sender).sent == 0
    clock.advance(seconds=LEASE.total_seconds() + 1)
    assert b.dispatch_mail(sender).sent == 1
    assert len(smtp.mails) == 1


def test_digest_users_get_one_mail_an_hour(notes, orders, actors, clock, smtp):
    notes.set_preferences(actors["admin"], "sam", email="sam@plant.example", digest=True)
    for n in range(3):
        _request(orders, actors["tom"], title=f"Leak {n}")
    notes.collect()
    sender = SmtpSender(_relay(smtp.port), None)
    assert notes.dispatch_mail(sender).sent == 0
    clock.advance(seconds=DIGEST_EVERY.total_seconds())
    assert notes.dispatch_mail(sender).sent == 3
    assert [(m[0], m[1]) for m in smtp.mails] == [
        ("sam@plant.example", "Wrenchbook digest: 3 notifications")
    ]


def test_relay_settings_are_checked_and_a_clear_text_login_is_refused(notes, actors):
    with pytest.raises(ValidationFailed) as caught:
        notes.set_relay(actors["admin"], RelaySettings("", 0, "ssl", "", "nobody"))
    assert set(caught.value.problems) == {"host", "port", "security", "sender"}
    with pytest.raises(PermissionDenied):
        notes.set_relay(actors["paula"], _relay(25))
    with pytest.raises(ValidationFailed, match="clear text"):
        SmtpSender(RelaySettings("mail.plant.example", 25, "none", "wb", "a@b.example"), "pw")


def _notify_run(url: str, data_dir: Path) -> subprocess.Popen:
    env = {**os.environ, "WRENCHBOOK_DATA_DIR": str(data_dir)}
    return subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "notify",
            "run",
            "--db",
            url,
            "--interval",
            "0.2",
            "--retry-seconds",
            "0.5",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@pytest.mark.slow
def test_three_processes_send_every_event_exactly_once_through_a_kill_and_an_outage(
    db, db_url, actors, tmp_path
):
    """Mail server down at first, one process killed mid-way: every mail arrives once."""
    orders = WorkOrderService(db)  # the processes run on the real clock too
    port = _free_port()
    notes = NotificationService(db)
    admin = actors["admin"]
    notes.set_relay(admin, _relay(port))
    for name in ("paula", "sam", "tina"):
        notes.set_preferences(admin, name, email=f"{name}@plant.example")
    procs = [_notify_run(db_url, tmp_path / f"p{i}") for i in range(3)]
    inbox = Inbox()
    controller = None
    try:
        numbers = []
        for n in range(6):
            wo = _request(orders, actors["tom"], title=f"Leak {n}")
            orders.assign(actors["paula"], wo.number, orders.get(wo.number).row.version, ["tina"])
            numbers.append(wo.number)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any(
            r.attempts for r in notes.outbox(pending_only=True)
        ):
            time.sleep(0.2)
        assert any(r.attempts for r in notes.outbox(pending_only=True)), "no send was tried"
        procs[0].send_signal(signal.SIGKILL)
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        controller.start()
        expected = 6 * 2 + 6  # each request to paula and sam, each assignment to tina
        while time.monotonic() < deadline + 60 and (
            len(inbox.mails) < expected
            or (
                notes.outbox(pending_only=True)
                and any(r.channel == "email" for r in notes.outbox(pending_only=True))
            )
        ):
            time.sleep(0.2)
        time.sleep(1.0)  # anything sent twice would arrive now
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs:
            proc.wait(timeout=30)
        if controller is not None:
            controller.stop()
    by_message = Counter(m[2] for m in inbox.mails)
    assert len(by_message) == expected
    assert set(by_message.values()) == {1}
    assert Counter(m[0] for m in inbox.mails) == {
        "paula@plant.example": 6,
        "sam@plant.example": 6,
        "tina@plant.example": 6,
    }
    assert all(p.returncode == 0 for p in procs[1:])


def test_the_cli_sets_preferences_and_lists_the_outbox(db, db_url, actors, tmp_path):
    orders = WorkOrderService(db)
    env = {
        **os.environ,
        "WRENCHBOOK_DATA_DIR": str(tmp_path),
        "WRENCHBOOK_USER": "paula",
        "WRENCHBOOK_PASSWORD": "correct-horse-1",
    }

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, str(ROOT / "main.py"), "notify", *args, "--db", db_url],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    done = run("prefs", "paula", "--email", "paula@plant.example", "--set", "alarm=off")
    assert done.returncode == 0, done.stderr
    assert "paula@plant.example" in done.stdout
    assert any(line.split()[:3] == ["alarm", "no", "no"] for line in done.stdout.splitlines())
    port = run("relay", "set", "host=127.0.0.1", "port=25x")
    assert port.returncode == 1
    assert "port: a whole number" in port.stderr
    denied = run("relay", "set", "host=127.0.0.1", "port=25", "sender=wb@plant.example")
    assert denied.returncode == 1  # a planner may not set the site's relay
    assert "may not manage users" in denied.stderr
    bad = run("prefs", "paula", "--set", "alarms=email")
    assert bad.returncode == 1
    assert bad.stderr.startswith("error:")
    assert "unknown event kind" in bad.stderr
    _request(orders, actors["tom"])
    assert run("run", "--once").returncode == 0
    listed = run("outbox", "--pending", "--format", "csv")
    assert listed.returncode == 0, listed.stderr
    assert "request_raised" in listed.stdout
    assert "sam" in listed.stdout
