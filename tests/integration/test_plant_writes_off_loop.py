"""A locked database never stalls the OPC UA subscription: writes wait on the plant writer.

Real asyncua client against the simulator over loopback; another connection holds SQLite's
write lock while machine stops and counter readings come in.
"""

from __future__ import annotations

import sqlite3
import threading

import pytest

from desktop.domain.condition import DataKind
from desktop.plant.connection import Connection
from desktop.plant.meter_feed import MeterFeed
from desktop.plant.runtime import MonitoringRuntime
from desktop.plant.simulator import NAMESPACE_URI
from desktop.services.assets.meters import MeterService, NewMeter
from desktop.services.condition.plant_tags import PlantTagService, TagDraft
from desktop.services.orders.machine_downtime import MachineDowntimeService
from desktop.store.database import sqlite_path
from tests.integration.simulator_process import SimulatorProcess, wait_for

# Among the simulator's first 20 tags; at 1000x this motor first stops ~2.5 s after the start,
# for 0.3-1.8 s.
MOTOR = "BOT-SYR-SUG-P1-M1"


class BatchProbe:
    """A sink beside the others: counts the batches the client's loop thread delivers."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._batches = 0

    def put_batch(self, samples: list[object]) -> None:
        with self._lock:
            self._batches += 1

    @property
    def batches(self) -> int:
        with self._lock:
            return self._batches


@pytest.fixture
def simulator():
    sim = SimulatorProcess("--rate", "10", "--tags", "20", "--speed", "1000").start()
    yield sim
    sim.stop()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # SQLite's file lock
def test_samples_keep_flowing_while_the_database_is_locked_and_the_writes_land_after(
    db, actors, simulator
):
    PlantTagService(db).import_tags(
        actors["paula"],
        [
            TagDraft(
                "M1.Running", "P-101", NAMESPACE_URI, f"s={MOTOR}.Running", "", DataKind.STATE
            ),
            TagDraft(
                "M1.Hours", "P-101", NAMESPACE_URI, f"s={MOTOR}.RuntimeHours", "h", DataKind.COUNTER
            ),
        ],
    )
    meters = MeterService(db)
    meters.create(actors["paula"], NewMeter("P-101-RH", "P-101", "Pump running hours"))
    downtime = MachineDowntimeService(db)
    probe = BatchProbe()
    runtime = MonitoringRuntime(
        db,
        actors["tom"],
        Connection(simulator.endpoint),
        on_counter=MeterFeed(db, actors["tom"]),
        extra_sinks=[probe],
        downtime_delays_s=(0.0, 0.0),
    )
    path = sqlite_path(db.url)
    assert path is not None
    lock = sqlite3.connect(path, isolation_level=None, timeout=60)
    lock.execute("BEGIN IMMEDIATE")  # another process's write lock, held until released below
    held = True
    try:
        runtime.start()
        # The first counter reading and the motor's stop wait on the writer, blocked by the lock
        wait_for(lambda: len(runtime.writer) >= 2, what="a reading and a stop queued")
        before = probe.batches
        # ... while the loop thread keeps delivering: many publish intervals (100 ms) go by.
        wait_for(lambda: probe.batches >= before + 30, what="samples while the lock is held")
        assert runtime.writer.written == 0
        assert meters.readings("P-101-RH") == []  # reading is fine under WAL; nothing landed
        assert downtime.stops(asset_code="P-101") == []
        lock.execute("ROLLBACK")
        held = False
        wait_for(lambda: meters.readings("P-101-RH"), what="the meter reading to land")
        wait_for(lambda: downtime.stops(asset_code="P-101"), what="the stop to land")
        # No order exists for the pump: the stop is recorded on the asset all the same.
        assert downtime.stops(asset_code="P-101")[0].work_order is None
    finally:
        if held:
            lock.execute("ROLLBACK")
        lock.close()
        runtime.stop()
    assert runtime.writer.dropped == 0
    reading = meters.readings("P-101-RH")[-1]
    assert reading.source == "opcua:M1.Hours"
