"""Several workstations on one PostgreSQL server, each a real OS process with its own settings.

Every process finds the database (and the OPC UA server) through the workstation settings
file written for it here, as an installed workstation would: office clients that create,
move and edit work orders, a second workstation watching the board, and two monitoring
services watching one plant.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from desktop.domain.enums import Priority, WorkOrderType
from desktop.plant.simulator import SimulatorOptions
from desktop.services.admin import workstation_settings as ws
from desktop.services.condition.alarms import AlarmService
from desktop.services.orders.work_orders import SearchFilter, WorkOrderService
from desktop.services.shared import audit
from tests.conftest import PASSWORD
from tests.integration.display_state import wait_for_display
from tests.integration.pump_watch import watch_pump_vibration
from tests.integration.simulator_process import ROOT, SimulatorProcess, free_port
from ui.display.window import SNAPSHOT_ENV

pytestmark = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)

SEEN_WITHIN_S = 15.0
"""What "within a few seconds" allows a second workstation (it polls every 2 s)."""
START_TIMEOUT_S = 90.0


def workstation(folder: Path, db_url: str, endpoint: str = "") -> Path:
    """A data folder whose workstation.ini points at the shared database (and server)."""
    opcua = ws.OpcUaSettings(ws.PlantMode.SERVER, endpoint) if endpoint else ws.OpcUaSettings()
    ws.save(folder, ws.WorkstationSettings(db_url, opcua))
    return folder


class Process:
    """A child process whose output lines are collected on a thread, to wait on with a deadline."""

    def __init__(self, args: list[str], **env: str) -> None:
        environment = {k: v for k, v in os.environ.items() if k != "WRENCHBOOK_DB"}
        environment.update(env, PYTHONUNBUFFERED="1", QT_QPA_PLATFORM="offscreen")
        self.popen = subprocess.Popen(
            [sys.executable, *args],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=environment,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.popen.stdout is not None
        for line in self.popen.stdout:
            self.lines.put(line.rstrip("\n"))

    def next_line(self, matches, timeout_s: float, what: str) -> str:
        deadline = time.monotonic() + timeout_s
        while True:
            left = deadline - time.monotonic()
            try:
                line = self.lines.get(timeout=max(left, 0.01))
            except queue.Empty:
                raise AssertionError(
                    f"no {what} within {timeout_s:g} s; output:\n" + "\n".join(self.seen)
                ) from None
            self.seen.append(line)
            if matches(line):
                return line

    def next_json(self, timeout_s: float = START_TIMEOUT_S, what: str = "answer") -> dict:
        return json.loads(self.next_line(lambda line: line.startswith("{"), timeout_s, what))

    def ask(self, **command: object) -> dict:
        assert self.popen.stdin is not None
        self.popen.stdin.write(json.dumps(command) + "\n")
        self.popen.stdin.flush()
        return self.next_json(what=f"answer to {command}")

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGINT)
            try:
                self.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=15)
        for stream in (self.popen.stdin, self.popen.stdout):
            if stream is not None:
                stream.close()


def office(folder: Path, username: str) -> Process:
    client = Process(["-m", "tests.integration.office_worker", str(folder), username])
    ready = client.next_json(what="the office client to start")
    assert "postgresql" in ready["ready"]
    return client


@pytest.fixture
def processes():
    started: list[Process] = []
    yield started
    for process in reversed(started):
        process.stop()


def test_office_changes_show_on_another_workstation_within_seconds(db_url, tmp_path, processes):
    watcher = Process(
        ["-m", "tests.integration.board_watcher", str(workstation(tmp_path / "board", db_url))]
    )
    processes.append(watcher)
    watcher.next_json(what="the watcher's first board")
    client = office(workstation(tmp_path / "office", db_url), "sam")
    processes.append(client)

    def shows(number: str, status: str) -> None:
        watcher.next_line(
            lambda line: line.startswith("{") and json.loads(line)["board"].get(number) == status,
            SEEN_WITHIN_S,
            f"{number} shown as {status} on the other workstation",
        )

    created = client.ask(op="create", title="Seal leaking on the feed pump", asset="P-101")
    number = created["number"]
    shows(number, "requested")
    assert client.ask(op="move", number=number, status="approved")["status"] == "approved"
    shows(number, "approved")
    assert client.ask(op="schedule", number=number)["status"] == "scheduled"
    shows(number, "scheduled")
    for status in ("in_progress", "on_hold", "in_progress"):
        assert client.ask(op="move", number=number, status=status)["status"] == status
        shows(number, status)


def test_two_office_clients_editing_one_order_get_the_stale_save_conflict(
    db, db_url, tmp_path, processes
):
    paula = office(workstation(tmp_path / "office-1", db_url), "paula")
    processes.append(paula)
    sam = office(workstation(tmp_path / "office-2", db_url), "sam")
    processes.append(sam)
    number = paula.ask(op="create", title="Conveyor belt slipping", asset="C-201")["number"]
    opened_by_paula = paula.ask(op="open", number=number)["version"]
    opened_by_sam = sam.ask(op="open", number=number)["version"]
    assert opened_by_paula == opened_by_sam

    saved = paula.ask(op="save_title", number=number, version=opened_by_paula, title="Belt A")
    refused = sam.ask(op="save_title", number=number, version=opened_by_sam, title="Belt B")

    assert saved["result"] == "saved"
    assert refused["result"] == "conflict"
    assert refused["changed_by"] == "paula"
    assert "changed by paula" in refused["message"]
    assert WorkOrderService(db).get(number).row.title == "Belt A"
    titles = [
        e.changes["title"][1]
        for e in audit.entries_for(db, "work_order", number)
        if "title" in e.changes
    ]
    assert titles == ["Conveyor belt slipping", "Belt A"]
    # Reloaded, the second client's edit goes through on top of the first.
    reloaded = sam.ask(op="open", number=number)
    assert reloaded["title"] == "Belt A"
    again = sam.ask(op="save_title", number=number, version=reloaded["version"], title="Belt B")
    assert again["result"] == "saved"


def test_two_monitoring_services_watching_one_plant_raise_one_predictive_order(
    db, db_url, actors, tmp_path, processes
):
    watch_pump_vibration(db, actors["paula"])
    port = free_port()
    endpoint = SimulatorOptions(port=port).endpoint
    # At 250x the bearing passes 7.1 mm/s about 36 s after the plant starts: both services
    # are subscribed by then, so both see the condition fire.
    plant = SimulatorProcess("--rate", "5", "--tags", "10", "--speed", "250", port=port).start()
    try:
        monitors = []
        for name, user in (("monitor-1", "tom"), ("monitor-2", "tina")):
            folder = workstation(tmp_path / name, db_url, endpoint)
            monitor = Process(
                ["main.py", "monitor", "--data-dir", str(folder), "--stats-every", "3600"],
                WRENCHBOOK_USER=user,
                WRENCHBOOK_PASSWORD=PASSWORD,
            )
            processes.append(monitor)
            monitors.append(monitor)
        for monitor in monitors:
            monitor.next_line(
                lambda line: line.startswith("[connected]"), START_TIMEOUT_S, "a link"
            )
        raised = [
            m.next_line(lambda line: line.startswith("raised: P1 vibration high"), 120, "alarm")
            for m in monitors
        ]
        for monitor in monitors:
            monitor.stop()
    finally:
        plant.stop()
    # Both services saw the condition and tried; exactly one of them opened the order.
    assert len([line for line in raised if " -> " in line]) == 1
    predictive = WorkOrderService(db).search(SearchFilter(types=(WorkOrderType.PREDICTIVE,)))
    assert len(predictive) == 1
    assert raised_number(raised) == predictive[0].number
    assert len(AlarmService(db).alarms()) == 1
    assert audit.verify(db).ok


def raised_number(lines: list[str]) -> str:
    return next(line.split(" -> ")[1].strip() for line in lines if " -> " in line)


def test_office_display_and_monitoring_service_together(db, db_url, actors, tmp_path, processes):
    """Issue 9's three processes on one server: what the office and the monitoring service
    write, the control-room display shows within seconds."""
    watch_pump_vibration(db, actors["paula"])
    port = free_port()
    endpoint = SimulatorOptions(port=port).endpoint
    plant = SimulatorProcess("--rate", "5", "--tags", "10", "--speed", "250", port=port).start()
    try:
        display_folder = workstation(tmp_path / "display", db_url)
        state_file = tmp_path / "display.json"
        display = Process(
            ["main.py", "--display", "--no-plant", "--data-dir", str(display_folder)],
            **{SNAPSHOT_ENV: str(state_file)},
        )
        processes.append(display)
        monitor = Process(
            [
                "main.py",
                "monitor",
                "--data-dir",
                str(workstation(tmp_path / "monitor", db_url, endpoint)),
                "--stats-every",
                "3600",
            ],
            WRENCHBOOK_USER="tom",
            WRENCHBOOK_PASSWORD=PASSWORD,
        )
        processes.append(monitor)
        client = office(workstation(tmp_path / "office", db_url), "sam")
        processes.append(client)

        def display_shows(check, what: str, timeout_s: float = SEEN_WITHIN_S) -> dict:
            def died() -> str | None:
                return None if display.popen.poll() is None else "\n".join(display.seen)

            return wait_for_display(state_file, check, what, timeout_s, died)

        display_shows(lambda s: s["sequence"] is not None, "a first snapshot", START_TIMEOUT_S)
        number = client.ask(op="create", title="Guard rattling", asset="C-201")["number"]
        medium = str(int(Priority.MEDIUM))
        steps = (
            ({}, "request"),
            ({"op": "move", "status": "approved"}, "approval"),
            ({"op": "schedule"}, "schedule"),
            ({"op": "move", "status": "in_progress"}, "execute"),
        )
        for step, stage in steps:
            if step:
                client.ask(number=number, **step)
            # Only the office's order is medium priority: the rule's order is high.
            display_shows(
                lambda s, c=stage: s["pages"]["board"].get(c, {}).get(medium) == 1,
                f"{number} in the {stage} column",
            )

        line = monitor.next_line(
            lambda text: text.startswith("raised: P1 vibration high"), 120, "the alarm"
        )
        predictive = raised_number([line])
        alarm = AlarmService(db).alarms()[0]
        assert alarm.work_order_number == predictive
        display_shows(
            lambda s: f"alarm:{alarm.id}" in s["attention"], f"alarm {alarm.id} in its banner"
        )
    finally:
        plant.stop()
    assert audit.verify(db).ok
