"""A real display process on PostgreSQL shows each change another process makes within seconds.

The display runs as `python main.py --display --db URL --no-plant`, offscreen, and writes what
it shows to the file named by WRENCHBOOK_DISPLAY_SNAPSHOT after every refresh; this test is
the office client that creates and moves work orders, and reads that file.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from desktop.domain.enums import Priority, Status, WorkOrderType
from desktop.services.orders.work_order_records import WorkOrderDraft
from desktop.services.orders.work_orders import WorkOrderService
from desktop.services.shared import audit
from tests.integration.display_state import wait_for_display
from ui.display.window import SNAPSHOT_ENV

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

ROOT = Path(__file__).resolve().parents[2]
WAIT_S = 90.0
"""Generous: the display refreshes within seconds, but a loaded CI machine starts Qt slowly."""


@pytest.fixture
def display_state(db_url: str, tmp_path: Path) -> Iterator[Callable[..., dict[str, Any]]]:
    """Start the display process; yield a function that waits until its state matches."""
    state_file = tmp_path / "display.json"
    log = (tmp_path / "display.log").open("wb")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", SNAPSHOT_ENV: str(state_file)}
    command = ["main.py", "--display", "--db", db_url, "--no-plant"]
    process = subprocess.Popen(
        [sys.executable, *command, "--data-dir", str(tmp_path / "data")],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )

    def died() -> str | None:
        if process.poll() is None:
            return None
        return (tmp_path / "display.log").read_text(errors="replace")

    def wait_for(check: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        return wait_for_display(state_file, check, "the change", WAIT_S, died)

    try:
        yield wait_for
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def rows(state: dict[str, Any]) -> dict[str, str]:
    return {row["number"]: row["status"] for row in state["pages"]["work"]["rows"]}


def approved(state: dict[str, Any], priority: Priority) -> int:
    return state["pages"]["board"].get("approval", {}).get(str(int(priority)), 0)


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_the_display_process_follows_another_process_s_changes(db, actors, display_state):
    start = audit.latest_sequence(db)
    display_state(lambda s: s["sequence"] == start)
    service = WorkOrderService(db)
    paula = actors["paula"]

    emergency = service.create(
        paula, WorkOrderDraft("Pump seized", "P-101", WorkOrderType.EMERGENCY, Priority.EMERGENCY)
    ).work_order.number
    state = display_state(lambda s: rows(s).get(emergency) == "requested")
    assert f"wo:{emergency}" in state["attention"]

    service.transition(paula, emergency, Status.APPROVED)
    display_state(lambda s: rows(s).get(emergency) == "approved")
    display_state(lambda s: approved(s, Priority.EMERGENCY) == 1)

    medium = service.create(
        paula, WorkOrderDraft("Guard loose", "C-201", priority=Priority.MEDIUM)
    ).work_order.number
    service.transition(paula, medium, Status.APPROVED)
    display_state(lambda s: approved(s, Priority.MEDIUM) == 1)

    service.transition(paula, emergency, Status.CANCELLED, note="false alarm")
    state = display_state(lambda s: emergency not in rows(s))
    assert approved(state, Priority.EMERGENCY) == 0
    assert state["sequence"] == audit.latest_sequence(db)
