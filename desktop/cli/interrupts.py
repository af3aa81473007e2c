"""Ctrl+C and SIGTERM interrupt a command-line process, however its parent started it."""

from __future__ import annotations

import signal
from typing import NoReturn


def _interrupt(signum: int, _frame: object) -> NoReturn:
    raise KeyboardInterrupt(signum)


def interrupt_on_signals() -> None:
    """SIGINT and SIGTERM raise KeyboardInterrupt in the main thread, so a long-running command
    (monitor, simulator) leaves through its ``finally`` blocks and main() exits 130.

    A background job of a non-interactive shell (CI scripts, ``nohup ... &``) starts with
    SIGINT ignored, and Python then installs no handler: Ctrl+C or a supervisor's SIGINT did
    nothing and the test teardowns waited 30 s per process before killing it. SIGTERM's
    default kills the process without closing its database or OPC UA session.
    Entry point only (main.py): signal handlers belong to the process, not to a library call.
    """
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _interrupt)
