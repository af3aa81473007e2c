"""The plant's writer thread for event records: machine stops and starts, meter readings.

The OPC UA loop thread only turns samples into plain records and puts them here; this thread
owns their database writes, as Home Assistant's recorder is the only writer. A SQLite write
lock held for 30 s then holds up this queue, never the subscription. The queue is bounded (a
dead database costs records, never the machine's memory, and says so in the log), a record
whose write met a locked or lost database is tried again, and `stop()` drains what is left.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import OperationalError, SQLAlchemyError

from desktop.domain.errors import WrenchbookError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

# Machine edges come a few a shift and meter readings one an hour per tag: ten thousand waiting
# records means the database has been gone for a long time.
DEFAULT_CAPACITY = 10_000
RETRY_INITIAL_S = 0.5
RETRY_MAX_S = 30.0
DRAIN_TIMEOUT_S = 30.0

_log = logging.getLogger(__name__)


class RecordWriter:
    """`put()` from any thread, never blocking; one thread of its own calls the record's handler.

    `handlers` maps a record's type to the function that writes it (on this thread). A
    handler logs and swallows what the domain refuses; an `OperationalError` (a lock wait
    that timed out, a lost connection) is retried with backoff, any other error is logged and
    the record skipped, so one bad record never stops the writer.
    """

    def __init__(
        self,
        handlers: Mapping[type, Callable[[Any], None]],
        capacity: int = DEFAULT_CAPACITY,
        name: str = "plant-writer",
    ) -> None:
        self._handlers = dict(handlers)
        self._capacity = capacity
        self._queue: deque[object] = deque()
        self._lock = threading.Condition()
        self._stopping = False
        self._deadline = float("inf")
        self._busy = False
        self._full_logged = False
        self.written = 0
        self.dropped = 0
        self.failures = 0
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> RecordWriter:
        self._thread.start()
        return self

    def put(self, record: object) -> bool:
        """Any thread (the OPC UA loop's): queue `record`; False, logged, when the queue is full."""
        if type(record) not in self._handlers:
            raise TypeError(type(record))  # a caller's bug: a record kind without a handler
        with self._lock:
            if len(self._queue) >= self._capacity:
                self.dropped += 1
                if not self._full_logged:
                    # Once per episode, not per record: the log must stay readable.
                    self._full_logged = True
                    _log.error(
                        "plant writer: queue full (%d records waiting, the database is not "
                        "keeping up); dropping %r and further records until it drains",
                        len(self._queue),
                        record,
                    )
                return False
            self._queue.append(record)
            self._lock.notify_all()
        return True

    def __len__(self) -> int:
        with self._lock:
            return len(self._queue)

    def flush(self, timeout_s: float = DRAIN_TIMEOUT_S) -> bool:
        """Wait until every record handed over so far is written or given up (tests, shutdown)."""
        deadline = time.monotonic() + timeout_s
        with self._lock:
            while self._queue or self._busy:
                left = deadline - time.monotonic()
                if left <= 0 or not self._thread.is_alive():
                    return False
                self._lock.wait(min(left, 0.05))
        return True

    def stop(self, timeout_s: float = DRAIN_TIMEOUT_S) -> None:
        """Drain the queue (retrying for at most `timeout_s`), then end the thread; records still
        unwritten then are logged as lost, with their count."""
        with self._lock:
            self._stopping = True
            self._deadline = time.monotonic() + timeout_s
            self._lock.notify_all()
        if self._thread.ident is not None:
            self._thread.join(timeout_s + 5.0)
        with self._lock:
            lost = len(self._queue)
            self._queue.clear()
        if lost:
            self.dropped += lost
            _log.error("plant writer: %d records not written before shutdown", lost)

    def _run(self) -> None:
        while True:
            with self._lock:
                while not self._queue and not self._stopping:
                    self._lock.wait()
                if not self._queue:
                    return
                record = self._queue[0]
                self._busy = True
            try:
                done = self._write(record)
            finally:
                with self._lock:
                    if done:
                        self._queue.popleft()
                        if len(self._queue) < self._capacity // 2:
                            self._full_logged = False
                    self._busy = False
                    self._lock.notify_all()
            if not done and self._past_deadline():
                return

    def _past_deadline(self) -> bool:
        with self._lock:
            return self._stopping and time.monotonic() >= self._deadline

    def _write(self, record: object) -> bool:
        """True once `record` is written or given up; False when the writer is stopping and the
        database still refuses it past the drain deadline."""
        delay = RETRY_INITIAL_S
        while True:
            try:
                self._handlers[type(record)](record)
            except OperationalError:
                self.failures += 1
                _log.warning("plant writer: %r not written yet, retrying", record, exc_info=True)
                if not self._sleep(delay):
                    return False
                delay = min(delay * 2, RETRY_MAX_S)
                continue
            except (SQLAlchemyError, WrenchbookError):
                self.failures += 1
                _log.exception("plant writer: %r not written", record)
            except Exception:  # noqa: BLE001 - the writer must outlive one bad record
                self.failures += 1
                _log.exception("plant writer: %r not written (unexpected error)", record)
            else:
                self.written += 1
            return True

    def _sleep(self, delay_s: float) -> bool:
        """Back off before a retry; False when the drain deadline has passed. New records wake
        the condition too, so the wait is resumed until the delay is over."""
        end = time.monotonic() + delay_s
        with self._lock:
            while True:
                now = time.monotonic()
                if self._stopping and now >= self._deadline:
                    return False
                if now >= end:
                    return True
                self._lock.wait(min(end, self._deadline) - now)
