"""Condition monitoring assembled: client thread, historian writer, rule monitor, UI buffer.

The headless `monitor` command and the desktop app both build this from the tag mapping and
rules in the database; the UI drains `ui_buffer` on a QTimer. Nothing here writes to the
database on the OPC UA thread: samples go to the historian's and the monitor's threads, and
machine edges and counter readings to the plant writer (`RecordWriter`) as plain records.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.domain.condition import DataKind
from desktop.plant.buffer import SampleBuffer
from desktop.plant.client import ClientStatus, OpcUaClientThread, TagNode
from desktop.plant.counters import CounterFeed, CounterReading
from desktop.plant.downtime_feed import (
    DEFAULT_OFF_DELAY_S,
    DEFAULT_ON_DELAY_S,
    DowntimeFeed,
    DowntimeRecorder,
    MachineEdge,
)
from desktop.plant.historian import HistorianWriter
from desktop.plant.lockout_watch import LockoutWatch
from desktop.plant.monitor import ConditionMonitor
from desktop.plant.record_writer import RecordWriter
from desktop.plant.sampling import sampling_ms
from desktop.services.condition.plant_tags import PlantTagService

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

    from desktop.domain.permissions import Actor
    from desktop.plant.client import SampleSink
    from desktop.plant.connection import Connection
    from desktop.store.database import Database


class MonitoringRuntime:
    def __init__(
        self,
        db: Database,
        actor: Actor,
        connection: Connection,
        on_status: Callable[[ClientStatus], None] | None = None,
        on_counter: Callable[[CounterReading], None] | None = None,
        ui_buffer: SampleBuffer | None = None,
        extra_sinks: Sequence[SampleSink] = (),
        downtime_delays_s: tuple[float, float] = (DEFAULT_ON_DELAY_S, DEFAULT_OFF_DELAY_S),
        delivery_window_s: float | None = None,
    ) -> None:
        """`on_counter` writes a counter reading; it runs on the plant writer's thread.
        `downtime_delays_s` (on, off) is how long a running state must hold to count;
        `delivery_window_s` how long arrivals are counted before a shortfall is named."""
        service = PlantTagService(db)
        self.tags = service.tags()
        self.rules = service.rules(enabled_only=True)
        self.historian = HistorianWriter(db)
        self.monitor = ConditionMonitor(db, actor, self.rules)
        self.lockout = LockoutWatch(db, actor)
        self.ui_buffer = ui_buffer or SampleBuffer()
        handlers: dict[type, Callable[[Any], None]] = {MachineEdge: DowntimeRecorder(db, actor)}
        if on_counter is not None:
            handlers[CounterReading] = on_counter
        self.writer = RecordWriter(handlers)
        self.downtime = DowntimeFeed(self.tags, self.writer.put, *downtime_delays_s)
        sinks: list[SampleSink] = [
            self.historian,
            self.monitor,
            self.ui_buffer,
            self.downtime,
            *extra_sinks,
        ]
        if on_counter is not None:
            sinks.append(CounterFeed(self.tags, self.writer.put))
        nodes = [
            TagNode(
                t.id,
                t.namespace_uri,
                t.node_id,
                sampling_ms(t.kind, t.name, t.sampling_ms),
                t.name,
                steady=t.kind is DataKind.ANALOG,
            )
            for t in self.tags
        ]
        self.client = OpcUaClientThread(
            connection, nodes, sinks, on_status, delivery_window_s=delivery_window_s
        )

    def start(self) -> MonitoringRuntime:
        self.writer.start()
        self.historian.start()
        self.monitor.start()
        self.lockout.start()
        self.client.start()
        return self

    def stop(self) -> None:
        """Client first, so nothing arrives while the writers and the monitor finish up."""
        self.client.stop()
        self.writer.stop()
        self.monitor.wait_idle(10)
        self.monitor.stop()
        self.historian.flush()
        self.historian.stop()
        self.lockout.stop()
