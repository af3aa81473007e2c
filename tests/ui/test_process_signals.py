"""Ctrl+C and a supervisor's SIGTERM stop the app's long-running processes at once, cleanly.

Each process starts the way a CI shell's background job starts it, with SIGINT ignored (the
child inherits that): before, the display and `main.py simulator`/`monitor` then ignored
Ctrl+C until killed, and test teardowns waited 30 s per process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.integration.display_state import wait_for_display
from tests.integration.simulator_process import free_port
from ui.display.window import SNAPSHOT_ENV

ROOT = Path(__file__).resolve().parents[2]
HANG_GUARD_S = 90.0
"""Only against a hang, never a measure of speed."""
SIGNALS = pytest.mark.parametrize(
    "signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"]
)


def _as_background_job() -> None:
    """Runs in the child before exec: what a non-interactive shell does for `command &`."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def start(command: list[str], log_path: Path, **env: str) -> subprocess.Popen[bytes]:
    with log_path.open("wb") as log:
        return subprocess.Popen(
            [sys.executable, "main.py", *command],
            cwd=ROOT,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONUNBUFFERED": "1", **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=_as_background_job,  # the child only; safe before exec
        )


def stop(process: subprocess.Popen[bytes], signum: int) -> int:
    process.send_signal(signum)
    try:
        return process.wait(timeout=HANG_GUARD_S)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@SIGNALS
def test_the_display_stops_on_a_signal_with_the_signal_s_exit_code(db_url, tmp_path, signum):
    state_file, log_path = tmp_path / "display.json", tmp_path / "display.log"
    data = str(tmp_path / "data")
    process = start(
        ["--display", "--db", db_url, "--no-plant", "--data-dir", data],
        log_path,
        **{SNAPSHOT_ENV: str(state_file)},
    )

    def died() -> str | None:
        return None if process.poll() is None else log_path.read_text(errors="replace")

    try:
        wait_for_display(state_file, lambda s: "pages" in s, "its first page", 90.0, died)
    finally:
        code = stop(process, signum)
    assert code == 128 + signum, log_path.read_text(errors="replace")


@SIGNALS
def test_a_command_line_server_stops_on_a_signal_as_interrupted(tmp_path, signum):
    log_path = tmp_path / "simulator.log"
    port = str(free_port())
    process = start(["simulator", "--port", port, "--tags", "5"], log_path)
    deadline = time.monotonic() + HANG_GUARD_S
    try:
        while "endpoint " not in log_path.read_text(errors="replace"):
            assert process.poll() is None, log_path.read_text(errors="replace")
            assert time.monotonic() < deadline, "the simulator did not start"
            time.sleep(0.1)
    finally:
        code = stop(process, signum)
    log = log_path.read_text(errors="replace")
    assert code == 130, log
    assert log.rstrip().endswith("interrupted"), log
