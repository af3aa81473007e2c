"""The one way the desktop app runs work off the GUI thread.

A query over a large site, a replay, a connection test or an audit pack takes seconds; run on
the GUI thread it freezes the window. Each of these used to start its own QRunnable or thread
with its own error handling (one caught nothing, so a failure left a spinner turning forever).
Here a job runs on a pool thread and its answer, progress and failure arrive on the GUI thread;
a failure is explained and logged the same way everywhere (`ui.errors.describe_failure`); a
newer job with the same key makes an older one's answer stale, so quick clicks never show an
old answer over the one asked for last. Jobs open their own database sessions: the services
make one per unit of work, never shared with the GUI thread.
"""

from __future__ import annotations

import contextlib
import itertools
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from PySide6.QtCore import QEvent, QEventLoop, QObject, QRunnable, QThreadPool, QTimer, Signal

from ui.errors import describe_failure

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtWidgets import QWidget

T = TypeVar("T")


class Pool(Protocol):
    """What a job needs of a thread pool; tests hand in `SynchronousPool`."""

    def start(self, runnable: QRunnable) -> None: ...


class SynchronousPool:
    """Runs each job at once on the calling thread: deterministic tests, no waiting."""

    def start(self, runnable: QRunnable) -> None:
        runnable.run()


class Cancelled(Exception):
    """Raised inside a job by its progress callback once the job was cancelled."""


@dataclass(frozen=True)
class Failure:
    """A job that did not finish: what a person reads, and the exception behind it."""

    message: str
    error: BaseException


class Job:
    """A started job: cancel it, or ask whether a newer job with its key replaced it."""

    def __init__(self, ticket: int) -> None:
        self.ticket = ticket
        self._stop = threading.Event()

    def cancel(self) -> None:
        """Safe from any thread: the job stops at its next progress report; no answer comes."""
        self._stop.set()

    @property
    def cancelled(self) -> bool:
        return self._stop.is_set()


@dataclass(frozen=True)
class _Callbacks:
    job: Job
    done: Callable[[Any], None]
    failed: Callable[[Failure], None] | None
    progressed: Callable[[float], None] | None
    cancelled: Callable[[], None] | None


class _Runnable(QRunnable):
    """Runs on a pool thread; nothing escapes it unseen."""

    def __init__(
        self,
        relay: Background,
        job: Job,
        work: Callable[[Callable[[float], None]], Any],
    ) -> None:
        super().__init__()
        self._relay, self._job, self._work = relay, job, work

    def run(self) -> None:
        try:
            result = self._work(self._progress)
        except BaseException as error:  # noqa: BLE001 (reported on the GUI thread below)
            if self._job.cancelled:  # stopped by its progress report, or failed on the way out
                self._emit(self._relay.sig_job_cancelled, self._job.ticket)
            else:
                self._emit(self._relay.sig_job_failed, self._job.ticket, error)
            return
        self._emit(self._relay.sig_job_done, self._job.ticket, result)

    def _progress(self, fraction: float) -> None:
        if self._job.cancelled:
            raise Cancelled
        self._emit(self._relay.sig_job_progressed, self._job.ticket, fraction)

    @staticmethod
    def _emit(signal: Any, *args: object) -> None:
        # The owner (and this relay with it) may have been closed while the job ran.
        with contextlib.suppress(RuntimeError):
            signal.emit(*args)


class Background(QObject):
    """Starts jobs for one owner (a panel, a dialog); answers arrive on the owner's thread.

    `run(work, done)` for a job without progress, `run_with_progress` for one that reports it
    (and can be cancelled). `key`: a later job with the same key makes this one's answer stale
    (dropped). `failed`: what the owner shows; without it the failure goes to the status line
    handler given here, else to the log alone.
    """

    # From the pool thread to this object's thread, queued by Qt.
    sig_job_done = Signal(int, object)
    sig_job_failed = Signal(int, object)
    sig_job_progressed = Signal(int, float)
    sig_job_cancelled = Signal(int)

    def __init__(
        self,
        parent: QObject | None = None,
        pool: Pool | None = None,
        report: Callable[[Failure], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._pool: Pool = pool if pool is not None else QThreadPool.globalInstance()
        self._report = report
        self._tickets = itertools.count(1)
        self._callbacks: dict[int, _Callbacks] = {}
        self._newest: dict[str, int] = {}
        self._keys: dict[int, str] = {}
        self.sig_job_done.connect(self._on_done)
        self.sig_job_failed.connect(self._on_failed)
        self.sig_job_progressed.connect(self._on_progressed)
        self.sig_job_cancelled.connect(self._on_cancelled)

    def run(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[Failure], None] | None = None,
        key: str | None = None,
    ) -> Job:
        return self.run_with_progress(lambda _progress: work(), done, failed, key=key)

    def run_with_progress(
        self,
        work: Callable[[Callable[[float], None]], Any],
        done: Callable[[Any], None],
        failed: Callable[[Failure], None] | None = None,
        progressed: Callable[[float], None] | None = None,
        cancelled: Callable[[], None] | None = None,
        key: str | None = None,
    ) -> Job:
        """`work(progress)` calls `progress(fraction)` now and then; once the job is cancelled
        that call raises `Cancelled`, the work stops, and `cancelled` is called instead of
        `done`."""
        job = Job(next(self._tickets))
        self._callbacks[job.ticket] = _Callbacks(job, done, failed, progressed, cancelled)
        if key is not None:
            stale = self._newest.get(key)
            if stale is not None:
                self._callbacks.pop(stale, None)
            self._newest[key] = job.ticket
            self._keys[job.ticket] = key
        self._pool.start(_Runnable(self, job, work))
        return job

    def forget(self, key: str) -> None:
        """Drop the answer of the job in flight under `key` (the owner moved on)."""
        ticket = self._newest.pop(key, None)
        if ticket is not None:
            self._callbacks.pop(ticket, None)
            self._keys.pop(ticket, None)

    @property
    def busy(self) -> bool:
        """Whether any job's answer is still awaited."""
        return bool(self._callbacks)

    def _finish(self, ticket: int) -> _Callbacks | None:
        callbacks = self._callbacks.pop(ticket, None)
        key = self._keys.pop(ticket, None)
        if key is not None and self._newest.get(key) == ticket:
            del self._newest[key]
        return callbacks

    def _on_done(self, ticket: int, result: object) -> None:
        callbacks = self._finish(ticket)
        if callbacks is None:
            return
        if not callbacks.job.cancelled:
            callbacks.done(result)
        elif callbacks.cancelled is not None:  # finished before it saw the cancel
            callbacks.cancelled()

    def _on_failed(self, ticket: int, error: BaseException) -> None:
        callbacks = self._finish(ticket)
        failure = Failure(describe_failure(error), error)  # logged even when no one waits
        if callbacks is None:
            return
        if callbacks.job.cancelled:
            if callbacks.cancelled is not None:
                callbacks.cancelled()
            return
        if callbacks.failed is not None:
            callbacks.failed(failure)
        elif self._report is not None:
            self._report(failure)

    def _on_cancelled(self, ticket: int) -> None:
        callbacks = self._finish(ticket)
        if callbacks is not None and callbacks.cancelled is not None:
            callbacks.cancelled()

    def _on_progressed(self, ticket: int, fraction: float) -> None:
        callbacks = self._callbacks.get(ticket)
        if callbacks is not None and callbacks.progressed is not None:
            callbacks.progressed(fraction)


class Poller:
    """Calls `poll` on its own thread every `interval` seconds (or at once when woken) until
    stopped: the change watcher, the notices and the display's snapshot read this way.

    Each poll catches what it expects (an unreachable database); anything else that escapes it
    is logged like every other failure and the loop goes on, since a watcher thread that died
    silently leaves a display showing old figures with nothing to say so.
    """

    def __init__(self, name: str, poll: Callable[[], None], interval: float) -> None:
        self._name, self._poll, self.interval = name, poll, interval
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, first_after: float | None = None) -> None:
        """Start polling: at once, or after `first_after` seconds."""
        self._thread = threading.Thread(
            target=self._run, args=(first_after,), name=self._name, daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=timeout)

    def wake(self) -> None:
        """Poll again now (from any thread)."""
        self._wake.set()

    def _run(self, first_after: float | None) -> None:
        if first_after is not None:
            self._wake.wait(first_after)
        while not self._stop.is_set():
            self._wake.clear()
            try:
                self._poll()
            except Exception as error:  # noqa: BLE001 (logged; the next round tries again)
                describe_failure(error)
            self._wake.wait(self.interval)


class _Finished(QObject):
    """Tells the GUI thread's waiting loop that the work on the other thread has ended."""

    sig_finished = Signal()


def wait_for(work: Callable[[], T]) -> T:
    """Run `work` on its own thread and return its result (or raise its exception) here, while
    the GUI thread goes on painting and answering its windows.

    For the start, which has nothing to do before the database is open but must not leave the
    shown window frozen meanwhile. A nested event loop, like a dialog's `exec()`.
    """
    outcome: dict[str, Any] = {}
    finished = _Finished()
    loop = QEventLoop()
    finished.sig_finished.connect(loop.quit)  # queued: emitted from the worker thread

    def run() -> None:
        try:
            outcome["result"] = work()
        except BaseException as error:  # noqa: BLE001 (raised again on the GUI thread below)
            outcome["error"] = error
        finished.sig_finished.emit()

    worker = threading.Thread(target=run, name="wait-for", daemon=True)
    worker.start()
    loop.exec()
    worker.join()  # the loop also ends when the application quits: the answer is still due
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]  # type: ignore[no-any-return]


class _FirstPaint(QObject):
    """Calls its callback once, just after the widget's first paint or after `latest_ms`."""

    def __init__(self, widget: QWidget, call: Callable[[], None], latest_ms: int) -> None:
        super().__init__(widget)
        self._widget: QWidget | None = widget
        self._call: Callable[[], None] | None = call
        widget.installEventFilter(self)
        QTimer.singleShot(latest_ms, self, self._go)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self, self._go)  # after this paint and its children's
        return False

    def _go(self) -> None:
        if self._call is None:
            return
        call, self._call = self._call, None
        if self._widget is not None:
            self._widget.removeEventFilter(self)
            self._widget = None
        call()


def after_first_paint(widget: QWidget, call: Callable[[], None], latest_ms: int = 1000) -> None:
    """Call `call` on the GUI thread once `widget` is painted (at the latest after `latest_ms`:
    a minimised window paints nothing).

    For work that should not compete with a first paint: a worker thread that imports beside
    it holds the GIL half the time, and delayed the board's first paint by about 70 ms
    (measured at the start, over 100k orders).
    """
    _FirstPaint(widget, call, latest_ms)
