"""A bounded, locked buffer of samples between the OPC UA thread and whoever drains it."""

from __future__ import annotations

import threading
from collections import deque
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.domain.condition import Sample

DEFAULT_CAPACITY = 200_000


class SampleBuffer:
    """Producers append batches; a consumer (the UI's QTimer, the monitor) takes them all.

    When the consumer falls behind the oldest samples are dropped and counted: a live display
    wants the newest values, and `dropped` tells the benchmark and the status bar what was lost.
    """

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        self._samples: deque[Sample] = deque()
        self._capacity = capacity
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self.received = 0
        self.dropped = 0

    def put_batch(self, samples: list[Sample]) -> None:
        """Any thread; O(batch)."""
        with self._lock:
            self._samples.extend(samples)
            self.received += len(samples)
            overflow = len(self._samples) - self._capacity
            if overflow > 0:
                for _ in range(overflow):
                    self._samples.popleft()
                self.dropped += overflow
        self._ready.set()

    def drain(self) -> list[Sample]:
        """Everything buffered, oldest first; the buffer is empty afterwards."""
        with self._lock:
            batch = list(self._samples)
            self._samples.clear()
            self._ready.clear()
        return batch

    def wait(self, timeout_s: float) -> bool:
        """Block until something arrives (or the timeout); for consumer threads, not the UI."""
        return self._ready.wait(timeout_s)

    def __len__(self) -> int:
        with self._lock:
            return len(self._samples)
