"""Historian storage on the demo plant: bytes on disk per received and per stored sample.

The simulator's plant model (the same `PlantModel` the OPC UA simulator publishes) runs for a
fixed simulated time, 326 tags at 1 Hz, and its samples reach our `HistorianWriter` as the
OPC UA subscription would deliver them: a sample only when a value or its status changed, in
batches. The simulated clock lets ninety minutes of plant run in well under a minute, long
enough for the ten-minute blocks to be packed as in a running plant; OPC UA delivery itself is
measured by bench_plant_scale. Figures: bytes per received sample on disk including indexes
(target at most 4), measured as the growth of the history store between minute 30 and the end
(the steady state: unpacked points stay a constant tail), bytes per stored sample, the share
kept, and the same samples in the layout before compression (a row per sample and its index)
as the baseline. On SQLite and on PostgreSQL (weekly partitions).
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import insert, text

from desktop.domain.condition import Quality, Sample
from desktop.domain.enums import AssetLevel, Criticality
from desktop.plant.historian import HistorianWriter
from desktop.plant.sim_signals import PlantModel, Reading, load_signals
from desktop.plant.simulator import NAMESPACE_URI, PLANT_FILE
from desktop.services.admin.users import UserService
from desktop.services.assets.assets import AssetService, NewAsset
from desktop.services.condition.plant_tags import PlantTagService, TagDraft
from desktop.store.condition_models import RawSample
from desktop.store.database import Database
from desktop.store.history import history_store
from desktop.store.migrate import upgrade
from tests import pg_server
from tests.bench import Figure

BENCH = "historian"
SIM_S = 90 * 60
WARMUP_S = 30 * 60
BATCH_S = 10
T0 = 1_772_438_400.0  # 2026-03-02 08:00 UTC
TARGET_BYTES = 4.0

_STATUS = {"UncertainLastUsableValue": Quality.UNCERTAIN}


def _sample(tag_id: int, ts: float, reading: Reading) -> Sample:
    """What desktop.plant.connection makes of the simulator's value: numbers and booleans are
    values, a bad or uncertain status or a text is a gap."""
    if reading.status is not None:
        return Sample(tag_id, ts, None, _STATUS.get(reading.status, Quality.BAD))
    value = reading.value
    if isinstance(value, str):
        return Sample(tag_id, ts, None, Quality.NOT_NUMERIC)
    number = float(value)
    if not math.isfinite(number):
        return Sample(tag_id, ts, None, Quality.NOT_NUMERIC)
    return Sample(tag_id, ts, number, Quality.GOOD)


def plant_database(db: Database, copies: int = 1) -> dict[str, int]:
    """Admin, one area and the simulator's tags with their units; returns tag ids by node."""
    upgrade(db)
    users = UserService(db)
    users.create_first_admin("admin", "Bench Admin", "bench-password-1")
    admin = users.actor_for("admin")
    AssetService(db).ensure_site(admin, "BEN", "Bench plant", "UTC")
    AssetService(db).create(admin, NewAsset("AREA", "Area", AssetLevel.AREA, "area", Criticality.A))
    signals = load_signals(PLANT_FILE, None, copies)
    service = PlantTagService(db)
    service.import_tags(
        admin,
        [
            TagDraft(
                s.node_name,
                "AREA",
                NAMESPACE_URI,
                f"s={s.node_name}",
                s.template.unit,
                s.template.kind,
            )
            for s in signals
        ],
    )
    return {t.node_id.removeprefix("s="): t.id for t in service.tags()}


@contextmanager
def _sqlite() -> Iterator[Database]:
    with tempfile.TemporaryDirectory(prefix="wb-bench-historian-") as folder:
        db = Database(f"sqlite:///{Path(folder) / 'wrenchbook.sqlite3'}")
        try:
            yield db
        finally:
            history_store(db).dispose()
            db.dispose()


@contextmanager
def _postgresql() -> Iterator[Database]:
    with tempfile.TemporaryDirectory(prefix="wb-bench-pg-") as folder:
        external = pg_server.external_admin_url()
        server = None
        if external is None:
            server = pg_server.PgServer(folder)
            server.start()
        admin_url = external or server.admin_url  # type: ignore[union-attr]
        name = "wb_bench_historian"
        pg_server.drop_database(admin_url, name)
        db = Database(pg_server.create_database(admin_url, name))
        try:
            yield db
        finally:
            db.dispose()
            pg_server.drop_database(admin_url, name)
            if server is not None:
                server.stop()


def _baseline_bytes(db: Database, engine_name: str) -> float:
    """Bytes of the uncompressed layout's table and index (the old plant_samples)."""
    if engine_name == "sqlite":
        with db.engine.connect() as conn:
            pages = conn.execute(text("PRAGMA page_count")).scalar_one()
            free = conn.execute(text("PRAGMA freelist_count")).scalar_one()
            size = conn.execute(text("PRAGMA page_size")).scalar_one()
        return float((pages - free) * size)
    with db.engine.connect() as conn:
        return float(
            conn.execute(text("SELECT pg_total_relation_size('plant_samples')")).scalar_one()
        )


def measure(db: Database, engine_name: str) -> list[Figure]:
    ids = plant_database(db)
    signals = load_signals(PLANT_FILE)
    tag_ids = [ids[s.node_name] for s in signals]
    model = PlantModel(signals, seed=7)
    store = history_store(db)
    writer = HistorianWriter(db, commit_interval_s=0.01).start()
    last: list[tuple[object, str | None]] = [(None, None)] * len(signals)
    batch: list[Sample] = []
    baseline: list[dict[str, object]] = []
    start_size = start_received = start_written = 0
    baseline_start = 0.0
    for second in range(SIM_S):
        ts = T0 + second
        # The simulator starts 10 minutes in, where the bearing starts to wear.
        for index, reading in enumerate(model.step(600.0 + second)):
            key = (reading.value, reading.status)
            if key == last[index]:
                continue  # sampling on change: an unchanged value is not notified
            last[index] = key
            sample = _sample(tag_ids[index], ts, reading)
            batch.append(sample)
        if (second + 1) % BATCH_S == 0:
            writer.put_batch(batch)
            baseline += [
                {"tag_id": s.tag_id, "ts": s.ts, "value": s.value, "quality": int(s.quality)}
                for s in batch
            ]
            batch = []
            assert writer.flush(120)
            with db.unit_of_work() as session:
                session.execute(insert(RawSample), baseline)
            baseline = []
        if second + 1 == WARMUP_S:
            start_size = store.size_bytes()
            start_received, start_written = writer.received, writer.written
            baseline_start = _baseline_bytes(db, engine_name)
    assert writer.flush(120)
    end_size = store.size_bytes()
    received = writer.received - start_received
    written = writer.written - start_written
    baseline_end = _baseline_bytes(db, engine_name)
    writer.stop()
    growth = end_size - start_size
    per_received = growth / received
    label = f"{engine_name}, demo plant 326 tags x 1 Hz, minutes 30-90"
    total_received = writer.received
    rate = total_received / SIM_S
    print(
        f"   {engine_name}: received {total_received:,} ({rate:.0f}/s), kept {writer.written:,}, "
        f"store {end_size:,} bytes, growth {growth:,} over {received:,} received",
        flush=True,
    )
    return [
        Figure(
            BENCH,
            f"{label}: bytes on disk per received sample",
            per_received,
            "bytes",
            (baseline_end - baseline_start) / received,
            f"at most {TARGET_BYTES:g} (baseline: a row and its index per sample)",
            limit_value=TARGET_BYTES,
        ),
        Figure(BENCH, f"{label}: bytes on disk per stored sample", growth / written, "bytes"),
        Figure(BENCH, f"{label}: share of samples kept", written / received, "share"),
        Figure(BENCH, f"{engine_name}: received samples per second", rate, "samples/s"),
        Figure(
            BENCH,
            f"{engine_name}: history growth per day at this rate",
            per_received * rate * 86400 / 1e6,
            "MB",
            (baseline_end - baseline_start) / received * rate * 86400 / 1e6,
            "report (baseline: uncompressed rows)",
        ),
    ]


def run() -> list[Figure]:
    figures: list[Figure] = []
    with _sqlite() as db:
        figures += measure(db, "sqlite")
    with _postgresql() as db:
        figures += measure(db, "postgresql")
        figures += _index_sizes(db)
    return figures


def _index_sizes(db: Database) -> list[Figure]:
    """PostgreSQL: the blocks' (tag, window) primary key against their table."""
    with db.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT coalesce(sum(pg_table_size(i.inhrelid)), 0), "
                "coalesce(sum(pg_indexes_size(i.inhrelid)), 0) FROM pg_inherits i "
                "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'hist_blocks'"
            )
        ).one()
    table, index = float(rows[0]), float(rows[1])
    return [
        Figure(
            BENCH,
            "postgresql: hist_blocks (tag, window) primary key, share of the table",
            index / table if table else 0.0,
            "share",
            target="report: the key the writer's upsert and every tag's range read need; "
            "a BRIN index could serve neither",
        )
    ]
