"""The live plant pipeline in a child process: OPC UA client, historian, rules, plant writer.

At plant scale (10,000 samples/s) the client, historian and rule threads kept the interpreter
lock so often that the Qt thread waited for it: in the plant-scale bench the Trends page's
longest stall was 121 ms with 1.6 ms of the Qt thread's own CPU in it, and 31 stalls over
40 ms in 30 s; with the same pipeline in a child process, 4 (README, plant_scale). So the
desktop runs `MonitoringRuntime` (and the demo's simulator) here, in a process started with
the "spawn" method (the one Windows has, also in the frozen bundle), and the UI process
gets only what it draws: each tick one block of the tags it shows, as numpy columns, and
the client's status whenever it changes, as the very `ClientStatus` object.

The child imports no Qt and opens its own database handle: SQLite in WAL mode with a busy
timeout and IMMEDIATE write transactions (desktop.store.database) lets both processes write.
It stops when told, and by itself when the parent's end of the pipe closes (the parent died),
so it never outlives the app.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import sys
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from desktop.plant.buffer import SampleBlock

if TYPE_CHECKING:
    from multiprocessing.connection import Connection as Pipe
    from multiprocessing.process import BaseProcess

    from desktop.domain.permissions import Actor
    from desktop.plant.client import ClientStatus
    from desktop.plant.connection import Connection
    from desktop.plant.simulator import SimulatorOptions

# DESIGN.md: at most ~10 batches a second reach the UI.
TICK_S = 0.2
STOP_TIMEOUT_S = 20.0
"""The child drains the historian and the plant writer before it exits; past this it is
terminated (what it had not written is then lost, as at a power cut)."""

CHILD_NICE = 10
BELOW_NORMAL_PRIORITY_CLASS = 0x4000
"""Windows' counterpart of a nice value around 10 (SetPriorityClass)."""

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PipelineSpec:
    """Everything the child needs, pickled to it: plain values only."""

    db_url: str
    actor: Actor
    connection: Connection
    simulator: SimulatorOptions | None = None
    """The demo's simulator, run in the child too (its server is as busy as the client)."""
    delivery_window_s: float | None = None


@dataclass(frozen=True)
class Ready:
    """The pipeline runs; `endpoint` is the server it monitors."""

    endpoint: str


@dataclass(frozen=True)
class Failed:
    """The pipeline could not be built (a database or simulator problem): not retried."""

    message: str


@dataclass(frozen=True)
class Status:
    status: ClientStatus


@dataclass(frozen=True)
class Finished:
    """The child's last word after a stop: what the client delivered and what the historian
    was given and had to drop (0 when delivery to it was lossless)."""

    delivered: int
    historian_received: int
    historian_dropped: int


@dataclass(frozen=True)
class LogRecord:
    """A log line of the child, written to the app's log by the parent (one log file, one
    writer: two processes rotating one file lose lines, and on Windows fail)."""

    level: int
    name: str
    message: str


class _Outbox:
    """The child's end of the pipe, shared by its threads (a Connection is not thread-safe)."""

    def __init__(self, pipe: Pipe) -> None:
        self._pipe = pipe
        self._lock = threading.Lock()

    def send(self, message: object) -> bool:
        """False when the parent is gone."""
        with self._lock:
            try:
                self._pipe.send(message)
            except (OSError, EOFError):
                return False
        return True


class _ToParent(logging.Handler):
    def __init__(self, outbox: _Outbox) -> None:
        super().__init__(logging.INFO)
        self._outbox = outbox

    def emit(self, record: logging.LogRecord) -> None:
        self._outbox.send(LogRecord(record.levelno, record.name, self.format(record)))


def run_child(spec: PipelineSpec, pipe: Pipe) -> None:
    """The child's entry point (spawned: it imports desktop only, never Qt)."""
    _lower_priority()
    outbox = _Outbox(pipe)
    handler = _ToParent(outbox)
    handler.setFormatter(logging.Formatter("%(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        runtime, simulator, endpoint = _build(spec)
    except Exception as exc:  # noqa: BLE001  (any failure must reach the parent, as text)
        _log.exception("plant pipeline failed to start")
        outbox.send(Failed(_message(exc)))
        return
    outbox.send(Ready(endpoint))
    try:
        _serve(runtime, pipe, outbox)
    finally:
        runtime.stop()
        if simulator is not None:
            simulator.stop()
    historian = runtime.historian
    outbox.send(
        Finished(runtime.client.counters.notifications, historian.received, historian.dropped)
    )


def _lower_priority() -> None:
    """Below the UI's priority: when the cores are busy the Qt thread, which needs little CPU
    but needs it at once, runs first. In the plant-scale bench (load average about 4 on 2
    cores) the Qt loop's stalls over 40 ms fell from 4-10 to 1 per 30 s; the pipeline, at
    about a third of a core, still gets its share, and the server queues a tag's values
    between two publishes (the bench's child reports what reached the historian)."""
    if sys.platform == "win32":
        import ctypes

        kernel32 = ctypes.windll.kernel32
        kernel32.SetPriorityClass(kernel32.GetCurrentProcess(), BELOW_NORMAL_PRIORITY_CLASS)
    else:
        os.nice(CHILD_NICE)


def _message(exc: BaseException) -> str:
    """The exception's text, a `Phrase` kept as one (it pickles with its template)."""
    if len(exc.args) == 1 and isinstance(exc.args[0], str):
        return exc.args[0]
    return str(exc)


def _build(spec: PipelineSpec) -> tuple[Any, Any, str]:
    from dataclasses import replace

    from desktop.plant.meter_feed import MeterFeed
    from desktop.plant.runtime import MonitoringRuntime
    from desktop.plant.simulator import SimulatorThread, quiet_asyncua_logs
    from desktop.store.database import Database

    quiet_asyncua_logs()
    simulator = None
    connection = spec.connection
    if spec.simulator is not None:
        simulator = SimulatorThread(spec.simulator).start()
        connection = replace(connection, endpoint=simulator.endpoint)
    try:
        db = Database(spec.db_url)
        runtime = MonitoringRuntime(
            db,
            spec.actor,
            connection,
            on_counter=MeterFeed(db, spec.actor),
            delivery_window_s=spec.delivery_window_s,
        )
        runtime.start()
    except BaseException:
        if simulator is not None:
            simulator.stop()
        raise
    return runtime, simulator, connection.endpoint


def _serve(runtime: Any, pipe: Pipe, outbox: _Outbox) -> None:
    """Until told to stop (or the parent is gone): each tick the shown tags' samples and any
    new status go up; commands come down between ticks."""
    shown = np.empty(0, np.int64)
    status: ClientStatus | None = None
    next_tick = time.monotonic() + TICK_S
    while True:
        try:
            while pipe.poll(max(0.0, next_tick - time.monotonic())):
                command, *args = pipe.recv()
                if command == "stop":
                    return
                if command == "show":
                    shown = np.array(sorted(args[0]), np.int64)
                elif command == "trust":
                    runtime.client.trust_server(args[0])
                elif command == "retry":
                    runtime.client.retry_now()
        except (EOFError, OSError):
            return  # the parent is gone
        next_tick = time.monotonic() + TICK_S
        if runtime.client.status is not status:
            status = runtime.client.status
            if not outbox.send(Status(status)):
                return
        block = runtime.ui_buffer.drain_block()
        keep = np.isin(block.tag_ids, shown)
        if keep.any() and not outbox.send(
            SampleBlock(block.tag_ids[keep], block.ts[keep], block.values[keep])
        ):
            return


class PipelineProcess:
    """The parent's handle on the child: start, send commands, take what arrived, stop.

    Qt-free; the UI polls `receive()` on its own timer. One child at a time; `start()` again
    after it died starts a new one.
    """

    def __init__(self, spec: PipelineSpec) -> None:
        self.spec = spec
        self._context = multiprocessing.get_context("spawn")
        self._process: BaseProcess | None = None
        self._pipe: Pipe | None = None
        self._shown: frozenset[int] = frozenset()
        self.finished: Finished | None = None
        """The last child's counters, once it stopped when asked."""

    def start(self) -> PipelineProcess:
        ours, theirs = self._context.Pipe()
        # Daemonic: should the app exit without stop(), multiprocessing ends the child.
        process = self._context.Process(
            target=run_child, args=(self.spec, theirs), name="wrenchbook-plant", daemon=True
        )
        process.start()
        # Only the child holds its end now, so the child reads EOF once the parent is gone.
        theirs.close()
        self._process, self._pipe = process, ours
        if self._shown:
            self._send("show", self._shown)
        return self

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.is_alive()

    @property
    def exitcode(self) -> int | None:
        return self._process.exitcode if self._process is not None else None

    def show(self, tag_ids: frozenset[int]) -> None:
        """Send these tags' samples from now on (the UI's shown curves)."""
        if tag_ids != self._shown:
            self._shown = tag_ids
            self._send("show", tag_ids)

    def trust_server(self, thumbprint: str) -> None:
        self._send("trust", thumbprint)

    def retry_now(self) -> None:
        self._send("retry")

    def receive(self) -> list[object]:
        """What the child sent since the last call (never blocks)."""
        messages: list[object] = []
        pipe = self._pipe
        if pipe is None:
            return messages
        with contextlib.suppress(EOFError, OSError):
            while pipe.poll():
                messages.append(pipe.recv())
        return messages

    def stop(self, timeout_s: float = STOP_TIMEOUT_S) -> None:
        """Ask the child to finish (it flushes the historian), wait, then end it if it hangs."""
        process = self._process
        if process is None:
            return
        self._send("stop")
        deadline = time.monotonic() + timeout_s
        while process.is_alive() and time.monotonic() < deadline:
            # Read while waiting: a child blocked on a full pipe would never exit.
            self._keep_finished(self.receive())
            process.join(0.1)
        self._keep_finished(self.receive())
        if process.is_alive():
            _log.warning("plant process did not stop in %g s: terminated", timeout_s)
            process.terminate()
            process.join(5)
        if process.is_alive():
            process.kill()
            process.join(5)
        if self._pipe is not None:
            self._pipe.close()
        self._process, self._pipe = None, None

    def _keep_finished(self, messages: list[object]) -> None:
        for message in messages:
            if isinstance(message, Finished):
                self.finished = message

    def _send(self, *command: object) -> None:
        if self._pipe is not None:
            with contextlib.suppress(OSError, EOFError):
                self._pipe.send(command)
