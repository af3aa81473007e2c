"""Ctrl+C (SIGINT) and SIGTERM end a Qt event loop instead of waiting for the next Python call."""

from __future__ import annotations

import signal
import socket

from PySide6.QtCore import QCoreApplication, QSocketNotifier, QTimer

QUIT_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_keep_alive: list[tuple[socket.socket, socket.socket, QSocketNotifier]] = []
"""The wake-up sockets and their notifier, for the life of the process."""


def quit_on_signals(app: QCoreApplication) -> None:
    """Make SIGINT and SIGTERM leave ``app.exec()`` with exit code 128 + the signal number.

    Python runs its signal handlers only between bytecodes, and inside Qt's C++ event loop no
    bytecode runs until some Python slot is called: Ctrl+C in a terminal, or a supervising
    process's terminate(), waited until it gave up and killed the process. The C-level handler
    writes the signal number to a socket (``signal.set_wakeup_fd``); a QSocketNotifier on the
    other end wakes the loop on the UI thread, which lets the Python handler below run.
    Main thread only, once per process.
    """
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    signal.set_wakeup_fd(writer.fileno())
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, app)

    def drain() -> None:
        # Only wakes the loop: the Python handler runs before this slot's first bytecode.
        try:
            reader.recv(64)
        except BlockingIOError:
            return

    def stop(signum: int, _frame: object) -> None:
        app.exit(128 + signum)
        # exit() does nothing before exec() has started; the timer fires once it has.
        QTimer.singleShot(0, lambda: app.exit(128 + signum))

    notifier.activated.connect(drain)
    _keep_alive.append((reader, writer, notifier))
    for signum in QUIT_SIGNALS:
        signal.signal(signum, stop)
