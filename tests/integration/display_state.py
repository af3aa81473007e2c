"""Waiting on what a real display process shows, through its snapshot file."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

State = dict[str, Any]


def wait_for_display(
    state_file: Path,
    check: Callable[[State], bool],
    what: str,
    timeout_s: float,
    still_running: Callable[[], str | None],
) -> State:
    """The display's state once `check` holds; fails after `timeout_s` or when the process
    died (`still_running` returns its output then, else None)."""
    deadline = time.monotonic() + timeout_s
    state: State = {}
    while time.monotonic() < deadline:
        died = still_running()
        assert died is None, f"the display process ended:\n{died}"
        try:
            state = json.loads(state_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # not written yet, or replaced as we read
            state = {}
        if state and check(state):
            return state
        time.sleep(0.3)
    raise AssertionError(f"the display did not show {what} within {timeout_s:g} s: {state}")
