"""The UI bridges: one batch of samples per QTimer tick, from a buffer in this process
(`SampleBridge`) or from the plant pipeline's child process (`ProcessBridge`)."""

from __future__ import annotations

import logging
import sys
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.plant.buffer import SampleBlock
from desktop.plant.pipeline_process import Failed, LogRecord, Ready, Status
from ui.i18n import tr

if TYPE_CHECKING:
    from collections.abc import Callable

    from desktop.plant.buffer import SampleBuffer
    from desktop.plant.client import ClientStatus, OpcUaClientThread
    from desktop.plant.pipeline_process import PipelineProcess

log = logging.getLogger(__name__)

# DESIGN.md: at most ~10 batches a second reach the UI.
TICK_MS = 200
# How long a busy thread may keep the interpreter while another waits for it (Python's
# default: 5 ms). The Qt thread needs it back for every event it handles while the OPC UA and
# historian threads are busy; at 1 ms the plant-scale bench's longest stall of the Qt loop
# fell from 138 to 57 ms, back to back on a quiet machine.
GIL_SWITCH_S = 0.001
RESTART_BACKOFF_S = (1.0, 30.0)
"""A dead plant process is started again after 1 s, then 2, 4 … at most 30 s."""
RESTART_BACKOFF_RESET_S = 60.0
"""A child that ran this long before it died starts again after the shortest wait."""


class SampleBridge(QObject):
    """UI thread only. `sig_samples_arrived` carries one `SampleBlock` per tick (every sample
    drained, in columns; gaps are NaN values, so a curve breaks there)."""

    sig_samples_arrived = Signal(object)
    sig_status_changed = Signal(object)

    def __init__(
        self,
        buffer: SampleBuffer,
        client: OpcUaClientThread | None = None,
        parent: QObject | None = None,
        tick_ms: int = TICK_MS,
    ) -> None:
        super().__init__(parent)
        self._buffer = buffer
        self._client = client
        self._status: ClientStatus | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self._on_timer_timeout)

    def start(self) -> None:
        sys.setswitchinterval(min(sys.getswitchinterval(), GIL_SWITCH_S))
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def resend_status(self) -> None:
        """Say the link state again on the next tick, for a panel attached after it changed."""
        self._status = None

    @property
    def dropped(self) -> int:
        return self._buffer.dropped

    def _on_timer_timeout(self) -> None:
        if self._client is not None and self._client.status is not self._status:
            self._status = self._client.status
            self.sig_status_changed.emit(self._status)
        block = self._buffer.drain_block()
        if len(block):
            self.sig_samples_arrived.emit(block)


class ProcessBridge(QObject):
    """UI thread only. The plant pipeline's child process (desktop.plant.pipeline_process) as
    a bridge: each tick it tells the child which tags are shown, then emits what came back,
    a block of those tags' samples and any new status. A child that dies is reported as a
    status and started again with backoff."""

    sig_samples_arrived = Signal(object)
    sig_status_changed = Signal(object)
    sig_ready = Signal(str)
    sig_failed = Signal(str)

    def __init__(
        self,
        process: PipelineProcess,
        shown: Callable[[], frozenset[int]],
        parent: QObject | None = None,
        tick_ms: int = TICK_MS,
    ) -> None:
        """`shown` says which tags' samples the attached panels draw now."""
        super().__init__(parent)
        self.process = process
        self._shown = shown
        self.status: ClientStatus | None = None
        self._failed = False
        self._stopping = False
        self._backoff_s = RESTART_BACKOFF_S[0]
        self._started_at = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._restart_timer = QTimer(self)
        self._restart_timer.setSingleShot(True)
        self._restart_timer.timeout.connect(self._on_restart_timer_timeout)

    def start(self) -> None:
        """Start the child unless it runs (a caller may have started it off the UI thread)."""
        if not self.process.running:
            self.process.start()
        self._started_at = time.monotonic()
        self._timer.start()

    def stop(self) -> None:
        """Blocks until the child has drained its writers (or is ended): the window's close."""
        self._stopping = True
        self._timer.stop()
        self._restart_timer.stop()
        self.process.stop()

    def resend_status(self) -> None:
        """Say the link state again at once, for a panel attached after it changed."""
        if self.status is not None:
            self.sig_status_changed.emit(self.status)

    def _on_timer_timeout(self) -> None:
        self.process.show(self._shown())
        for message in self.process.receive():
            self._take(message)
        if not self.process.running and not self._failed and not self._stopping:
            self._on_process_died()

    def _take(self, message: object) -> None:
        if isinstance(message, SampleBlock):
            self.sig_samples_arrived.emit(message)
        elif isinstance(message, Status):
            self.status = message.status
            self.sig_status_changed.emit(message.status)
        elif isinstance(message, LogRecord):
            logging.getLogger(message.name).log(message.level, "%s", message.message)
        elif isinstance(message, Ready):
            self.sig_ready.emit(message.endpoint)
        elif isinstance(message, Failed):
            self._failed = True
            self.sig_failed.emit(message.message)

    def _on_process_died(self) -> None:
        from desktop.plant.client import ClientStatus, LinkState

        self._timer.stop()
        code = self.process.exitcode
        self.process.stop()
        log.warning("plant process ended unexpectedly (exit code %s)", code)
        if time.monotonic() - self._started_at > RESTART_BACKOFF_RESET_S:
            self._backoff_s = RESTART_BACKOFF_S[0]
        self.status = ClientStatus(
            LinkState.RECONNECTING,
            tr("the monitoring process ended unexpectedly (exit code {code})").format(code=code),
            retry_in_s=self._backoff_s,
        )
        self.sig_status_changed.emit(self.status)
        self._restart_timer.start(int(self._backoff_s * 1000))
        self._backoff_s = min(self._backoff_s * 2, RESTART_BACKOFF_S[1])

    def _on_restart_timer_timeout(self) -> None:
        if self._stopping:
            return
        self.start()
