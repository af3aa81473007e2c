"""Condition monitoring assembled: client thread, historian writer, rule monitor, UI buffer.

The headless `monitor` command and the desktop app both build this from the tag mapping and
rules in the database; the UI drains `ui_buffer` on a QTimer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.plant.buffer import SampleBuffer
from desktop.plant.client import ClientStatus, OpcUaClientThread, TagNode
from desktop.plant.counters import CounterFeed, CounterReading
from desktop.plant.downtime_feed import DowntimeFeed
from desktop.plant.historian import HistorianWriter
from desktop.plant.monitor import ConditionMonitor
from desktop.plant.sampling import sampling_ms
from desktop.services.plant_tags import PlantTagService

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

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
    ) -> None:
        service = PlantTagService(db)
        self.tags = service.tags()
        self.rules = service.rules(enabled_only=True)
        self.historian = HistorianWriter(db)
        self.monitor = ConditionMonitor(db, actor, self.rules)
        self.ui_buffer = ui_buffer or SampleBuffer()
        self.downtime = DowntimeFeed(db, actor, self.tags)
        sinks: list[SampleSink] = [
            self.historian,
            self.monitor,
            self.ui_buffer,
            self.downtime,
            *extra_sinks,
        ]
        if on_counter is not None:
            sinks.append(CounterFeed(self.tags, on_counter))
        nodes = [
            TagNode(t.id, t.namespace_uri, t.node_id, sampling_ms(t.kind, t.name))
            for t in self.tags
        ]
        self.client = OpcUaClientThread(connection, nodes, sinks, on_status)

    def start(self) -> MonitoringRuntime:
        self.historian.start()
        self.monitor.start()
        self.client.start()
        return self

    def stop(self) -> None:
        """Client first, so nothing arrives while the writer and the monitor finish up."""
        self.client.stop()
        self.monitor.wait_idle(10)
        self.monitor.stop()
        self.historian.flush()
        self.historian.stop()
