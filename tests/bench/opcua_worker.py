"""One OPC UA client process of the OPC UA bench: `ours` (the whole pipeline) or `bare`.

Both count the samples whose source timestamp falls in the same wall-clock window and the CPU
time they spent during it, then print one JSON line. Run by bench_opcua, not by hand.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from asyncua import Client, ua  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from desktop.domain.condition import Sample  # noqa: E402
from desktop.plant.connection import QUEUE_SIZE, Connection  # noqa: E402
from desktop.plant.runtime import MonitoringRuntime  # noqa: E402
from desktop.plant.sampling import sampling_ms  # noqa: E402
from desktop.plant.simulator import quiet_asyncua_logs  # noqa: E402
from desktop.services.admin.users import UserService  # noqa: E402
from desktop.services.condition.plant_tags import PlantTagService  # noqa: E402
from desktop.store.database import Database  # noqa: E402
from desktop.store.history import (  # noqa: E402
    BLOCK_S,
    HistoryStore,
    blocks_table,
    history_store,
    points_table,
    tag_specs,
)

PROBE_MS = 10


def _wait_until(at: float) -> None:
    time.sleep(max(0.0, at - time.time()))


def _compacted_bytes(store: HistoryStore) -> int:
    """The history file's size once compacted (VACUUM INTO a copy): its tables and indexes,
    without the free pages that packed and deleted points leave in the file."""
    assert store.path is not None, "the bench's history store is a SQLite file"
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "history.sqlite3"
        with contextlib.closing(sqlite3.connect(store.path)) as conn:
            conn.execute("VACUUM INTO ?", (str(copy),))
        return copy.stat().st_size


def _packed(db: Database, store: HistoryStore) -> dict[str, float]:
    """Pack every stored point into its 10-minute block now, as the historian does a minute
    after each window ends, and measure what the blocks take."""
    store.pack(time.time() + 2 * BLOCK_S, tag_specs(db))
    with store.engine.connect() as conn:
        blocks, data = conn.execute(
            select(func.count(), func.coalesce(func.sum(func.length(blocks_table.c.data)), 0))
        ).one()
        unpacked = conn.execute(select(func.count()).select_from(points_table)).scalar_one()
    return {
        "packed_bytes": _compacted_bytes(store),
        "blocks": blocks,
        "block_data_bytes": data,
        "points_left_unpacked": unpacked,
    }


class _InWindow:
    """A sink beside ours that counts what the client delivered in the window."""

    def __init__(self, start: float, end: float) -> None:
        self.start, self.end, self.count = start, end, 0

    def put_batch(self, samples: list[Sample]) -> None:
        self.count += sum(1 for s in samples if self.start <= s.ts < self.end)


def ours(endpoint: str, db_url: str, start: float, end: float) -> dict[str, float]:
    db = Database(db_url)
    actor = UserService(db).actor_for("admin")
    received = _InWindow(start, end)
    runtime = MonitoringRuntime(db, actor, Connection(endpoint), extra_sinks=[received])
    ui_in_window = 0
    stop = threading.Event()

    def ui_timer() -> None:
        """Stands in for the UI's QTimer: drains the buffer every 100 ms."""
        nonlocal ui_in_window
        while not stop.is_set():
            time.sleep(0.1)
            ui_in_window += sum(1 for s in runtime.ui_buffer.drain() if start <= s.ts < end)

    drainer = threading.Thread(target=ui_timer, daemon=True)
    store = history_store(db)
    empty_bytes = _compacted_bytes(store)
    runtime.start()
    drainer.start()
    _wait_until(start)
    cpu0 = time.process_time()
    size0 = store.size_bytes()
    _wait_until(end)
    cpu = time.process_time() - cpu0
    size1 = store.size_bytes()
    time.sleep(1.0)  # samples stamped just before the end may still be on their way
    stop.set()
    drainer.join()
    runtime.stop()
    historian = runtime.historian
    packed = _packed(db, store)
    db.dispose()
    # The historian compresses: it keeps a share of what it is given. Lossless means it was
    # given every sample the client delivered and dropped none of them.
    accepted = historian.received - historian.dropped
    return {
        "received": received.count,
        "historian": received.count * accepted / max(historian.received, 1),
        "historian_kept": historian.written,
        "historian_failures": historian.failures,
        "store_growth_bytes": size1 - size0,
        "historian_received": historian.received,
        "empty_bytes": empty_bytes,
        **packed,
        "ui": ui_in_window,
        "ui_dropped": runtime.ui_buffer.dropped,
        "historian_dropped": runtime.historian.dropped,
        "cpu_s": cpu,
        "connects": runtime.client.counters.connects,
    }


def ours_with_ui(
    endpoint: str, db_url: str, start: float, end: float, live: bool = True
) -> dict[str, float]:
    """Ours as the desktop runs it, with the trends panel live (offscreen) and a 10 ms QTimer
    probe: the longest time the Qt event loop could not run a timer, beyond its own interval,
    during the window. The pipeline runs in its child process (desktop.plant.pipeline_process)
    and sends the 8 shown tags' blocks. Not `live`: the same panel without the pipeline and
    the same probe, at the same time in another process: what the machine's other load alone
    costs the loop."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.plant.pipeline_process import PipelineProcess, PipelineSpec
    from ui.context import AppContext
    from ui.trends.bridge import ProcessBridge
    from ui.trends.panel import TrendsPanel

    app = QApplication([])
    db = Database(db_url)
    actor = UserService(db).actor_for("admin")
    panel = TrendsPanel(AppContext(db, actor, Path(tempfile.gettempdir())))
    panel.resize(1400, 800)
    panel.show()
    panel.show_tags([t.id for t in PlantTagService(db).tags()[:8]])
    bridge = process = None
    if live:
        process = PipelineProcess(PipelineSpec(db_url, actor, Connection(endpoint)))
        bridge = ProcessBridge(process, lambda: frozenset(panel.shown_tags()))
        panel.attach(bridge)
        bridge.start()
    stall = 0.0
    last: float | None = None
    cpu = {"start": 0.0}
    stalls_over_40 = 0

    def probe() -> None:
        nonlocal stall, last, stalls_over_40
        now = time.perf_counter()
        if start <= time.time() < end:
            if last is None:
                cpu["start"] = time.process_time()
            else:
                gap = now - last - PROBE_MS / 1000
                stall = max(stall, gap)
                stalls_over_40 += gap > 0.04
            last = now

    timer = QTimer()
    timer.setInterval(PROBE_MS)
    timer.timeout.connect(probe)
    timer.start()
    QTimer.singleShot(int((end - time.time()) * 1000), lambda: cpu.update(end=time.process_time()))
    QTimer.singleShot(int((end - time.time() + 0.5) * 1000), app.quit)
    app.exec()
    if bridge is not None:
        bridge.stop()
    db.dispose()
    finished = process.finished if process is not None else None
    return {
        # The whole run's, not the window's: the child counts from its start to its stop.
        "child_delivered": finished.delivered if finished else 0,
        "child_historian_received": finished.historian_received if finished else 0,
        "child_historian_dropped": finished.historian_dropped if finished else 0,
        "stall_ms": stall * 1000,
        "stalls_over_40_ms": stalls_over_40,
        "cpu_s": cpu.get("end", 0.0) - cpu["start"],
        "points_on_screen": sum(panel.drawn_points(t) for t in panel.shown_tags()),
        "load_average": os.getloadavg()[0],
    }


class _Counter:
    def __init__(self, start: float, end: float) -> None:
        self.start, self.end, self.count = start, end, 0

    def datachange_notification(self, node: object, val: object, data: object) -> None:
        stamp = data.monitored_item.Value.SourceTimestamp  # type: ignore[attr-defined]
        if self.start <= stamp.timestamp() < self.end:
            self.count += 1

    def status_change_notification(self, status: object) -> None:
        """Connection trouble is seen through connection_lost_callback."""


async def _bare(endpoint: str, db_url: str, start: float, end: float) -> dict[str, float]:
    """A plain asyncua subscription client on the same nodes, doing nothing but count."""
    db = Database(db_url)
    tags = PlantTagService(db).tags()
    db.dispose()
    client = Client(endpoint)
    await client.connect()
    counter = _Counter(start, end)
    subscription = await client.create_subscription(100, counter)
    # The same subscription parameters as ours (desktop.plant.client): per tag class.
    by_interval: dict[tuple[str, int], list[str]] = {}
    for tag in tags:
        key = (tag.namespace_uri, sampling_ms(tag.kind, tag.name))
        by_interval.setdefault(key, []).append(tag.node_id)
    for (namespace, interval), node_ids in by_interval.items():
        idx = await client.get_namespace_index(namespace)
        nodes = [client.get_node(ua.NodeId.from_string(f"ns={idx};{n}")) for n in node_ids]
        for first in range(0, len(nodes), 1000):
            await subscription.subscribe_data_change(
                nodes[first : first + 1000], queuesize=QUEUE_SIZE, sampling_interval=interval
            )
    lost = asyncio.Event()

    async def on_lost(exc: Exception) -> None:
        lost.set()

    client.connection_lost_callback = on_lost
    await asyncio.sleep(max(0.0, start - time.time()))
    cpu0 = time.process_time()
    await asyncio.sleep(max(0.0, end - time.time()))
    cpu = time.process_time() - cpu0
    lost_in_window = lost.is_set()
    await asyncio.sleep(1.0)
    with contextlib.suppress(ConnectionError, ua.UaError, OSError, TimeoutError):
        await client.disconnect()
    return {"received": counter.count, "cpu_s": cpu, "lost_connection": lost_in_window}


def main() -> None:
    kind, endpoint, db_url, start, end = sys.argv[1:6]
    quiet_asyncua_logs()
    if kind == "ours":
        result = ours(endpoint, db_url, float(start), float(end))
    elif kind in ("ours-ui", "quiet-ui"):
        result = ours_with_ui(endpoint, db_url, float(start), float(end), kind == "ours-ui")
    else:
        result = asyncio.run(_bare(endpoint, db_url, float(start), float(end)))
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
