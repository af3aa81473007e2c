"""The UI bridge: drains the OPC UA sample buffer on a QTimer and emits one batch per tick."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

if TYPE_CHECKING:
    from desktop.plant.buffer import SampleBuffer
    from desktop.plant.client import ClientStatus, OpcUaClientThread

# DESIGN.md: at most ~10 batches a second reach the UI.
TICK_MS = 200
# How long a busy thread may keep the interpreter while another waits for it (Python's
# default: 5 ms). The Qt thread needs it back for every event it handles while the OPC UA and
# historian threads are busy; at 1 ms the plant-scale bench's longest stall of the Qt loop
# fell from 138 to 57 ms, back to back on a quiet machine.
GIL_SWITCH_S = 0.001


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
