"""Ctrl+C and a supervisor's SIGTERM close a running display process at once, cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.display_state import wait_for_display
from ui.display.window import SNAPSHOT_ENV

ROOT = Path(__file__).resolve().parents[2]
HANG_GUARD_S = 90.0
"""Only against a hang: before, Qt's loop ignored both signals until something else ran."""


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_the_display_stops_on_a_signal_with_the_signal_s_exit_code(db_url, tmp_path, signum):
    state_file = tmp_path / "display.json"
    log_path = tmp_path / "display.log"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", SNAPSHOT_ENV: str(state_file)}
    command = ["main.py", "--display", "--db", db_url, "--no-plant", "--data-dir", tmp_path / "d"]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, *map(str, command)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:

            def died() -> str | None:
                if process.poll() is None:
                    return None
                return log_path.read_text(errors="replace")

            wait_for_display(state_file, lambda s: "pages" in s, "its first page", 90.0, died)
            process.send_signal(signum)
            code = process.wait(timeout=HANG_GUARD_S)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    assert code == 128 + signum, log_path.read_text(errors="replace")
