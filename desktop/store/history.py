"""The historian's own store: compressed samples in blocks, apart from the work-order records.

On SQLite it is a file of its own beside the work-order database (`<name>-history.sqlite3`),
so a backup of the work orders stays small and the history has its own backup command. On
PostgreSQL it lives in the site's database as tables partitioned by week (migration 0012),
so old weeks are dropped as a whole partition instead of deleted row by row.

Kept samples (see `desktop.domain.compression`) first land in `hist_points`, one row each, in
the transaction that receives them. Once a tag's ten-minute window has ended they are packed
into one `hist_blocks` row per tag and window: times as microsecond steps, values as steps of
the tag's rounding quantum, zlib over both (TimescaleDB's and Gorilla's idea), about three
bytes a kept point against about forty as a row with its index. Each block also carries the
minimum, maximum and time integral of its part of the series, so a zoom over months and the
running-hours KPI read the summaries and never unpack a block.
"""

from __future__ import annotations

import itertools
import math
import struct
import threading
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

import numpy as np
from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    delete,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite

from desktop.domain.compression import (
    MAX_QUANTA,
    CompressionSpec,
    compress,
    default_spec,
    from_quanta,
    time_integral,
)
from desktop.domain.condition import DataKind, Quality, Sample
from desktop.store.condition_models import MinuteAggregate, RawSample, Tag
from desktop.store.database import Database, sqlite_path

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping, Sequence
    from pathlib import Path

    from sqlalchemy import Connection, Engine

BLOCK_S = 600
"""One block holds one tag's kept points of ten minutes (aligned to the clock)."""
PARTITION_S = 7 * 86400
"""PostgreSQL: one partition of `hist_blocks` per week (epoch weeks start on a Thursday)."""
PACK_DELAY_S = 60.0
PACK_CHUNK_ROWS = 50_000
"""A window is packed this long after it ends, so samples delivered a little late join it."""
HISTORY_SUFFIX = "-history"
DEFAULT_RETENTION_DAYS: dict[DataKind, int] = {
    DataKind.ANALOG: 730,
    DataKind.COUNTER: 1825,
    DataKind.STATE: 1825,
}
"""Days of history kept per tag class: analog values two years, counters and running states
(what the MTBF and meter history are computed from) five."""

metadata = MetaData()

points_table = Table(
    "hist_points",
    metadata,
    Column("tag_id", Integer, nullable=False),
    Column("ts", Float, nullable=False),
    Column("value", Float),
    Column("quality", SmallInteger, nullable=False),
    Index("ix_hist_points_tag_ts", "tag_id", "ts"),
    # PostgreSQL: a partition per window, dropped once packed, so the constant churn of this
    # table leaves no dead rows for vacuum; late points land in its default partition.
    postgresql_partition_by="RANGE (ts)",
)

blocks_table = Table(
    "hist_blocks",
    metadata,
    Column("tag_id", Integer, primary_key=True, autoincrement=False),
    Column("t0", BigInteger, primary_key=True, autoincrement=False),
    Column("t_first", Float, nullable=False),
    Column("t_last", Float, nullable=False),
    Column("v_last", Float),
    Column("n", Integer, nullable=False),
    Column("vmin", Float),
    Column("vmax", Float),
    # ∫ value dt and the seconds with a value, from the previous block's last point to this
    # block's last one: consecutive blocks' sums add up to the whole series without overlap.
    Column("vsum", Float, nullable=False),
    Column("secs", Float, nullable=False),
    Column("data", LargeBinary, nullable=False),
    postgresql_partition_by="RANGE (t0)",
)

retention_table = Table(
    "hist_retention",
    metadata,
    Column("kind", String(16), primary_key=True),
    Column("days", Integer, nullable=False),
)

LOSSLESS = CompressionSpec()
_HEADER = struct.Struct("<IdqBBB")  # n, quantum, first µs, dtype codes of t, v and quality
_DTYPES: tuple[type[np.signedinteger[Any]], ...] = (np.int8, np.int16, np.int32, np.int64)


@dataclass(frozen=True)
class Points:
    """Stored points of one tag in time order; `values` NaN at gaps (`quality` says why)."""

    ts: np.ndarray
    values: np.ndarray
    quality: np.ndarray

    def __len__(self) -> int:
        return len(self.ts)

    @staticmethod
    def empty() -> Points:
        return Points(np.empty(0), np.empty(0), np.empty(0, dtype=np.uint8))

    @staticmethod
    def of(samples: Sequence[Sample]) -> Points:
        return Points(
            np.array([s.ts for s in samples], dtype=float),
            np.array([np.nan if s.value is None else s.value for s in samples], dtype=float),
            np.array([int(s.quality) for s in samples], dtype=np.uint8),
        )

    def between(self, start: float, end: float) -> Points:
        keep = (self.ts >= start) & (self.ts < end)
        return Points(self.ts[keep], self.values[keep], self.quality[keep])

    @staticmethod
    def merge(parts: Iterable[Points]) -> Points:
        parts = [p for p in parts if len(p)]
        if not parts:
            return Points.empty()
        ts = np.concatenate([p.ts for p in parts])
        order = np.argsort(ts, kind="stable")
        ts = ts[order]
        values = np.concatenate([p.values for p in parts])[order]
        quality = np.concatenate([p.quality for p in parts])[order]
        # The same instant twice (a late copy of a packed point): the one stored first stands.
        first = np.concatenate(([True], np.diff(ts) > 0))
        return Points(ts[first], values[first], quality[first])


def _narrow(ints: np.ndarray) -> tuple[int, bytes]:
    for code, dtype in enumerate(_DTYPES):
        info = np.iinfo(dtype)
        if len(ints) == 0 or (ints.min() >= info.min and ints.max() <= info.max):
            return code, ints.astype(dtype).tobytes()
    raise ValueError("integers beyond 64 bits")


def encode_block(points: Points, quantum: float) -> bytes:
    """Points as bytes: µs steps, quality codes, then value steps in quanta (or raw doubles
    when the values are not whole quanta, e.g. after the tag's deviation changed)."""
    us = np.round(points.ts * 1e6).astype(np.int64)
    t_code, t_bytes = _narrow(np.diff(us))
    good = ~np.isnan(points.values)
    v_code = 255
    v_bytes = points.values.tobytes()
    if quantum > 0 and np.all(np.abs(points.values[good]) / quantum < MAX_QUANTA):
        steps = np.round(points.values / quantum)
        # Gaps repeat the previous value's quanta, so they cost a zero step.
        filled = np.where(good, steps, np.nan)
        index = np.where(good, np.arange(len(filled)), 0)
        np.maximum.accumulate(index, out=index)
        filled = np.nan_to_num(filled[index] if len(filled) else filled, nan=0.0)
        quanta = filled.astype(np.int64)
        if np.array_equal(
            from_quanta(quanta[good].astype(np.float64), quantum), points.values[good]
        ):
            v_code, v_bytes = _narrow(np.diff(quanta, prepend=0))
    if v_code == 255:
        quantum = 0.0
    q_bytes = points.quality.astype(np.uint8).tobytes()
    header = _HEADER.pack(len(points), quantum, int(us[0]) if len(us) else 0, t_code, v_code, 0)
    return header + zlib.compress(t_bytes + q_bytes + v_bytes, 6)


def decode_block(data: bytes) -> Points:
    n, quantum, first_us, t_code, v_code, _ = _HEADER.unpack_from(data)
    body = zlib.decompress(data[_HEADER.size :])
    t_dtype = np.dtype(_DTYPES[t_code])
    t_len = (n - 1) * t_dtype.itemsize if n else 0
    steps = np.frombuffer(body, dtype=t_dtype, count=max(n - 1, 0)).astype(np.int64)
    us = np.concatenate(([first_us], first_us + np.cumsum(steps))) if n else np.empty(0)
    quality = np.frombuffer(body, dtype=np.uint8, count=n, offset=t_len).copy()
    rest = t_len + n
    if v_code == 255:
        values = np.frombuffer(body, dtype=np.float64, count=n, offset=rest).copy()
    else:
        deltas = np.frombuffer(body, dtype=_DTYPES[v_code], count=n, offset=rest)
        values = from_quanta(np.cumsum(deltas.astype(np.int64)).astype(np.float64), quantum)
        values[quality != Quality.GOOD] = np.nan
    return Points(us.astype(np.int64) / 1e6, values, quality)


def _block_beside(conn: Connection, tag_id: int, t0: float, later: bool) -> bytes | None:
    """The tag's nearest block after (or before) window start `t0`, across any gap."""
    b = blocks_table.c
    query = select(b.data).where(b.tag_id == tag_id)
    if later:
        query = query.where(b.t0 > t0).order_by(b.t0)
    else:
        query = query.where(b.t0 < t0).order_by(b.t0.desc())
    found: bytes | None = conn.execute(query.limit(1)).scalar_one_or_none()
    return found


@dataclass(frozen=True)
class _Ends:
    """A tag's first and last block (window start and data), and its first stored time."""

    first_window: int
    first_time: float
    first: bytes
    last_window: int
    last: bytes


@dataclass(frozen=True)
class BlockSummary:
    """A tag's blocks in a range: window starts, extremes and integrals, for long ranges."""

    t0: np.ndarray
    t_last: np.ndarray
    vmin: np.ndarray
    vmax: np.ndarray
    vsum: np.ndarray
    secs: np.ndarray


def not_history_table(name: str | None, type_: str, _parents: object = None) -> bool:
    """Alembic's filter: the history tables (PostgreSQL) are kept out of model comparisons."""
    return not (type_ == "table" and name is not None and name.startswith("hist_"))


def tag_specs(db: Database) -> dict[int, CompressionSpec]:
    """Every tag's compression: its own deviation and interval where set, else by unit."""
    with db.unit_of_work(write=False) as session:
        rows = session.execute(
            select(Tag.id, Tag.unit, Tag.kind, Tag.deviation, Tag.max_interval_s)
        ).all()
    return {
        tag_id: default_spec(unit or "", kind, deviation, max_interval_s)
        for tag_id, unit, kind, deviation, max_interval_s in rows
    }


def tag_classes(db: Database) -> dict[int, DataKind]:
    with db.unit_of_work(write=False) as session:
        return dict(session.execute(select(Tag.id, Tag.kind)).all())


def history_path(main: Path) -> Path:
    """The history file beside a SQLite work-order database."""
    return main.with_name(f"{main.stem}{HISTORY_SUFFIX}{main.suffix or '.sqlite3'}")


_stores: WeakKeyDictionary[Database, HistoryStore] = WeakKeyDictionary()
_stores_lock = threading.Lock()


def history_store(db: Database) -> HistoryStore:
    """The history store of a work-order database: one per database handle in a process."""
    with _stores_lock:
        store = _stores.get(db)
        if store is None:
            store = HistoryStore(db)
            _stores[db] = store
        return store


class HistoryStore:
    """Reads and writes of the history; a writer thread and any reader may share it."""

    def __init__(self, db: Database) -> None:
        self.main = db
        path = sqlite_path(db.url)
        if path is not None:
            self.path: Path | None = history_path(path)
            self.db = Database(f"sqlite:///{self.path}")
            metadata.create_all(self.db.engine)
        else:
            self.path = None
            # PostgreSQL: the tables are the migration's; same database, same logins.
            self.db = db
        self._partitions: set[int] = set()
        self._point_windows: set[int] = set()
        self._last: dict[int, tuple[float, float | None]] = {}
        self._legacy_first: dict[int, float | None] = {}
        self.legacy_rows_left = self._legacy_count() > 0

    @property
    def engine(self) -> Engine:
        return self.db.engine

    @property
    def dialect(self) -> str:
        return self.db.dialect

    def dispose(self) -> None:
        if self.db is not self.main:
            self.db.dispose()

    # --- writing -------------------------------------------------------------------------

    def add_points(self, samples: Sequence[Sample]) -> None:
        """Kept samples, one row each, in one transaction (the writer's commit)."""
        if not samples:
            return
        with self.engine.begin() as conn:
            if self.dialect != "postgresql":
                # The driver's executemany over plain tuples: at plant scale (10,000 rows a
                # second) a third of the time of Core's over dicts, time the writer thread holds
                # the interpreter from the Qt thread.
                conn.exec_driver_sql(
                    "INSERT INTO hist_points (tag_id, ts, value, quality) VALUES (?, ?, ?, ?)",
                    [(s.tag_id, s.ts, s.value, int(s.quality)) for s in samples],
                )
                return
            for window in {math.floor(s.ts / BLOCK_S) * BLOCK_S for s in samples}:
                if window not in self._point_windows:
                    conn.execute(text("SELECT wb_history_points_partition(:t0)"), {"t0": window})
                    self._point_windows.add(window)
            rows = [
                {"tag_id": s.tag_id, "ts": s.ts, "value": s.value, "quality": int(s.quality)}
                for s in samples
            ]
            conn.execute(insert(points_table), rows)

    def pack(self, before: float, specs: Mapping[int, CompressionSpec]) -> int:
        """Pack every window that ended before `before` into blocks; returns blocks written.

        A window already packed (late samples) is unpacked, merged and written again.
        """
        cutoff = math.floor(before / BLOCK_S) * BLOCK_S
        with self.engine.begin() as conn:
            result = conn.execute(
                select(
                    points_table.c.tag_id,
                    points_table.c.ts,
                    points_table.c.value,
                    points_table.c.quality,
                )
                .where(points_table.c.ts < cutoff)
                .order_by(points_table.c.tag_id, points_table.c.ts)
            )
            # Into numpy a chunk at a time (numpy reads None as NaN): ten minutes of a plant is
            # millions of rows, and a list of them all outlived the young garbage collections,
            # so the full collections that followed paused every thread for seconds.
            chunks = [np.array(rows, dtype=float) for rows in result.partitions(PACK_CHUNK_ROWS)]
            if not chunks:
                return 0
            data = np.concatenate(chunks)
            written = 0
            # Sorted by tag and time: each run of one tag and one window is one block (a mask
            # per tag over all rows cost tags x rows).
            tag_ids = data[:, 0].astype(np.int64)
            windows = (np.floor(data[:, 1] / BLOCK_S) * BLOCK_S).astype(np.int64)
            change = (tag_ids[1:] != tag_ids[:-1]) | (windows[1:] != windows[:-1])
            starts = np.flatnonzero(np.concatenate(([True], change)))
            for first, last in zip(starts, [*starts[1:], len(data)], strict=True):
                chunk = data[first:last]
                tag_id, t0 = int(tag_ids[first]), int(windows[first])
                new = Points(chunk[:, 1], chunk[:, 2], chunk[:, 3].astype(np.uint8))
                self._write_block(conn, tag_id, t0, new, specs.get(tag_id, LOSSLESS))
                written += 1
            if self.dialect == "postgresql":
                conn.execute(text("SELECT wb_history_points_drop_before(:c)"), {"c": cutoff})
                self._point_windows = {w for w in self._point_windows if w >= cutoff}
            conn.execute(delete(points_table).where(points_table.c.ts < cutoff))
        return written

    def _write_block(
        self, conn: Connection, tag_id: int, t0: int, new: Points, spec: CompressionSpec
    ) -> None:
        b = blocks_table.c
        old = conn.execute(
            select(b.data).where(b.tag_id == tag_id, b.t0 == t0)
        ).scalar_one_or_none()
        merged = Points.merge([decode_block(old), new]) if old is not None else new
        previous = self._point_before(conn, tag_id, t0, float(merged.ts[0]))
        context = Points.merge([previous, merged]) if previous is not None else merged
        vsum, secs = time_integral(
            context.ts, context.values, float(context.ts[0]), float(merged.ts[-1]), spec.stepped
        )
        good = merged.values[~np.isnan(merged.values)]
        t_last = float(merged.ts[-1])
        v_last = None if math.isnan(merged.values[-1]) else float(merged.values[-1])
        row = {
            "tag_id": tag_id,
            "t0": t0,
            "t_first": float(merged.ts[0]),
            "t_last": t_last,
            "v_last": v_last,
            "n": len(merged),
            "vmin": float(good.min()) if len(good) else None,
            "vmax": float(good.max()) if len(good) else None,
            "vsum": vsum,
            "secs": secs,
            "data": encode_block(merged, spec.quantum),
        }
        self._ensure_partition(conn, t0)
        if old is not None:
            conn.execute(delete(blocks_table).where(b.tag_id == tag_id, b.t0 == t0))
        conn.execute(insert(blocks_table), [row])
        last = self._last.get(tag_id)
        if last is None or last[0] <= t_last:
            self._last[tag_id] = (t_last, v_last)

    def _point_before(self, conn: Connection, tag_id: int, t0: int, ts: float) -> Points | None:
        """The stored point just before a block's first one (the previous block's last)."""
        cached = self._last.get(tag_id)
        # The writer packs each tag's windows in time order, so the newest block it wrote is
        # the one before, unless this is a late window packed again.
        if cached is not None and cached[0] < ts:
            last_ts, last_v = cached
        else:
            b = blocks_table.c
            found = conn.execute(
                select(b.t_last, b.v_last)
                .where(b.tag_id == tag_id, b.t0 < t0)
                .order_by(b.t0.desc())
                .limit(1)
            ).first()
            if found is None:
                return None
            last_ts, last_v = float(found[0]), found[1]
        value = np.nan if last_v is None else last_v
        return Points(np.array([last_ts]), np.array([value]), np.array([0], dtype=np.uint8))

    def _ensure_partition(self, conn: Connection, t0: int) -> None:
        if self.dialect != "postgresql":
            return
        week = t0 // PARTITION_S * PARTITION_S
        if week in self._partitions:
            return
        conn.execute(text("SELECT wb_history_partition(:week)"), {"week": week})
        self._partitions.add(week)

    # --- samples of the old uncompressed tables ----------------------------------------

    def _legacy_count(self) -> int:
        with self.main.unit_of_work(write=False) as session:
            raw = session.execute(select(RawSample.id).limit(1)).first()
            minutes = session.execute(select(MinuteAggregate.tag_id).limit(1)).first()
        return int(raw is not None) + int(minutes is not None)

    def move_legacy(self, specs: Mapping[int, CompressionSpec], limit: int, now: float) -> int:
        """Move up to `limit` rows of the tables an older Wrenchbook kept in the work-order
        database into this store (compressed), and delete them there; returns rows moved.

        First the minute aggregates older than a tag's oldest raw sample (the only trace of
        that time: each minute becomes one point at its middle with its average), then the
        raw samples oldest first. Until both are empty, reads look in the raw table too.
        """
        moved = self._move_minutes(specs, limit)
        if moved < limit:
            moved += self._move_raw(specs, limit - moved)
        if moved:
            self.pack(now - PACK_DELAY_S, specs)
        self.legacy_rows_left = self._legacy_count() > 0
        return moved

    def _move_minutes(self, specs: Mapping[int, CompressionSpec], limit: int) -> int:
        m = MinuteAggregate
        with self.main.unit_of_work(write=False) as session:
            rows = session.execute(
                select(m.tag_id, m.minute, m.vsum, m.count)
                .order_by(m.tag_id, m.minute)
                .limit(limit)
            ).all()
            for tag_id in {r[0] for r in rows} - self._legacy_first.keys():
                self._legacy_first[tag_id] = session.execute(
                    select(func.min(RawSample.ts)).where(RawSample.tag_id == tag_id)
                ).scalar()
        if not rows:
            return 0
        by_tag: dict[int, list[Sample]] = {}
        for tag_id, minute, vsum, count in rows:
            first_raw = self._legacy_first[tag_id]
            if (first_raw is None or minute + 60 <= first_raw) and count:
                by_tag.setdefault(tag_id, []).append(
                    Sample(tag_id, minute + 30.0, vsum / count, Quality.GOOD)
                )
        kept = [
            point
            for tag_id, samples in by_tag.items()
            for point in compress(samples, specs.get(tag_id, LOSSLESS))
        ]
        self.add_points(kept)
        last: dict[int, int] = {}
        for tag_id, minute, _, _ in rows:
            last[tag_id] = max(minute, last.get(tag_id, minute))
        with self.main.unit_of_work() as session:
            for tag_id, minute in last.items():
                session.execute(delete(m).where(m.tag_id == tag_id, m.minute <= minute))
        return len(rows)

    def _move_raw(self, specs: Mapping[int, CompressionSpec], limit: int) -> int:
        r = RawSample
        with self.main.unit_of_work(write=False) as session:
            rows = session.execute(
                select(r.id, r.tag_id, r.ts, r.value, r.quality).order_by(r.id).limit(limit)
            ).all()
        if not rows:
            return 0
        by_tag: dict[int, list[Sample]] = {}
        for _, tag_id, ts, value, quality in rows:
            by_tag.setdefault(tag_id, []).append(Sample(tag_id, ts, value, Quality(quality)))
        kept = [
            point
            for tag_id, samples in by_tag.items()
            for point in compress(sorted(samples, key=lambda s: s.ts), specs.get(tag_id, LOSSLESS))
        ]
        self.add_points(kept)
        with self.main.unit_of_work() as session:
            session.execute(delete(r).where(r.id <= rows[-1][0]))
        return len(rows)

    def _legacy_points(self, tag_id: int, start: float, end: float) -> Points:
        r = RawSample
        with self.main.unit_of_work(write=False) as session:
            rows = session.execute(
                select(r.ts, r.value, r.quality)
                .where(r.tag_id == tag_id, r.ts >= start, r.ts <= end)
                .order_by(r.ts)
            ).all()
        return _rows_to_points(rows)

    # --- retention -----------------------------------------------------------------------

    def retention(self) -> dict[DataKind, int]:
        """Days kept per tag class (the defaults where none was set)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(retention_table.c.kind, retention_table.c.days))
            days = dict(DEFAULT_RETENTION_DAYS)
            for row in rows:
                days[DataKind(row.kind)] = int(row.days)
        return days

    def set_retention(self, kind: DataKind, days: int) -> None:
        stmt: Any = (
            postgresql.insert(retention_table)
            if self.dialect == "postgresql"
            else sqlite.insert(retention_table)
        )
        stmt = stmt.values(kind=kind.value, days=days)
        stmt = stmt.on_conflict_do_update(index_elements=["kind"], set_={"days": days})
        with self.engine.begin() as conn:
            conn.execute(stmt)

    def prune(self, now: float, kinds: dict[int, DataKind]) -> int:
        """Drop history past each tag class's retention; returns the blocks and unpacked
        points removed.

        PostgreSQL drops whole weekly partitions past the longest retention (no row-by-row
        delete, no vacuum debt); shorter classes lose their rows of the weeks in between.
        """
        days = self.retention()
        longest = max(days.values())
        by_kind: dict[DataKind, list[int]] = {}
        for tag_id, kind in kinds.items():
            by_kind.setdefault(kind, []).append(tag_id)
        b, p = blocks_table.c, points_table.c
        removed = 0
        with self.engine.begin() as conn:
            for kind, tag_ids in by_kind.items():
                if days[kind] >= longest:
                    continue
                cutoff = now - days[kind] * 86400
                for chunk in _chunks(tag_ids, 500):
                    removed += conn.execute(
                        delete(blocks_table).where(b.tag_id.in_(chunk), b.t0 < cutoff)
                    ).rowcount
                    removed += conn.execute(
                        delete(points_table).where(p.tag_id.in_(chunk), p.ts < cutoff)
                    ).rowcount
            cutoff = now - longest * 86400
            if self.dialect == "postgresql":
                removed += int(
                    conn.execute(
                        text("SELECT wb_history_drop_before(:cutoff)"), {"cutoff": int(cutoff)}
                    ).scalar_one()
                )
                self._partitions = {w for w in self._partitions if w + PARTITION_S > cutoff}
            else:
                removed += conn.execute(delete(blocks_table).where(b.t0 < cutoff)).rowcount
            removed += conn.execute(delete(points_table).where(p.ts < cutoff)).rowcount
        return removed

    # --- reading -------------------------------------------------------------------------

    def points(self, tag_id: int, start: float, end: float) -> Points:
        """Stored points in [start, end] and the one either side of it (for interpolation)."""
        b, p = blocks_table.c, points_table.c
        lo, hi = math.floor(start / BLOCK_S) * BLOCK_S, end
        with self.engine.connect() as conn:
            blobs: list[bytes] = list(
                conn.execute(
                    select(b.data).where(b.tag_id == tag_id, b.t0 >= lo, b.t0 <= hi).order_by(b.t0)
                ).scalars()
            )
            before = _block_beside(conn, tag_id, lo, later=False)
            after = _block_beside(conn, tag_id, hi, later=True)
            tail = conn.execute(
                select(p.ts, p.value, p.quality)
                .where(p.tag_id == tag_id, p.ts >= lo - BLOCK_S)
                .order_by(p.ts)
            ).all()
        parts = [decode_block(blob) for blob in blobs]
        if before is not None:
            parts.insert(0, decode_block(before))
        if after is not None:
            parts.append(decode_block(after))
        parts.append(_rows_to_points(tail))
        if self.legacy_rows_left:
            parts.append(self._legacy_points(tag_id, lo - BLOCK_S, end + BLOCK_S))
        return _with_neighbours(Points.merge(parts), start, end)

    def summaries(self, tag_id: int, start: float, end: float) -> BlockSummary:
        b = blocks_table.c
        lo = math.floor(start / BLOCK_S) * BLOCK_S
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(b.t0, b.t_last, b.vmin, b.vmax, b.vsum, b.secs)
                .where(b.tag_id == tag_id, b.t0 >= lo, b.t0 < end)
                .order_by(b.t0)
            ).all()
        data = np.array(
            [[np.nan if v is None else v for v in row] for row in rows], dtype=float
        ).reshape(-1, 6)
        return BlockSummary(*(data[:, i] for i in range(6)))

    def integrals(
        self, specs: Mapping[int, CompressionSpec], start: float, end: float
    ) -> dict[int, tuple[float, float, float]]:
        """Per tag: (∫ value dt, seconds with a value, first stored time) over [start, end).

        The whole windows in between come from the block summaries (each covers the series
        from the previous block's last point to its own last point), the two ends from the
        points themselves, so a quarter's running hours read a few rows per tag. A tag without
        history is left out.
        """
        b, p = blocks_table.c, points_table.c
        inner_lo = math.ceil(start / BLOCK_S) * BLOCK_S
        inner_hi = math.floor(end / BLOCK_S) * BLOCK_S
        found: dict[int, tuple[float, float, float]] = {}
        with self.engine.connect() as conn:
            for tag_id, spec in specs.items():
                first = min(
                    (
                        float(v)
                        for v in (
                            conn.execute(
                                select(func.min(b.t_first)).where(b.tag_id == tag_id)
                            ).scalar(),
                            conn.execute(select(func.min(p.ts)).where(p.tag_id == tag_id)).scalar(),
                        )
                        if v is not None
                    ),
                    default=None,
                )
                if first is None:
                    continue
                inner = conn.execute(
                    select(
                        func.sum(b.vsum), func.sum(b.secs), func.min(b.t0), func.max(b.t_last)
                    ).where(b.tag_id == tag_id, b.t0 >= inner_lo, b.t0 < inner_hi)
                ).one()
                if inner[2] is None:
                    found[tag_id] = (*self._integral(tag_id, start, end, spec), first)
                    continue
                # Where the first inner block's part begins: the last point before it, or
                # its own first point when it is the tag's first block.
                c1 = conn.execute(
                    select(b.t_last)
                    .where(b.tag_id == tag_id, b.t0 < inner[2])
                    .order_by(b.t0.desc())
                    .limit(1)
                ).scalar()
                if c1 is None:
                    c1 = conn.execute(
                        select(b.t_first).where(b.tag_id == tag_id, b.t0 == inner[2])
                    ).scalar_one()
                c1, c2 = float(c1), float(inner[3])
                vsum, secs = float(inner[0]), float(inner[1])
                head = self._integral(tag_id, min(start, c1), max(start, c1), spec)
                sign = 1.0 if c1 >= start else -1.0
                vsum, secs = vsum + sign * head[0], secs + sign * head[1]
                tail = self._integral(tag_id, c2, end, spec)
                found[tag_id] = (vsum + tail[0], secs + tail[1], first)
        return found

    def integrals_between(
        self, specs: Mapping[int, CompressionSpec], edges: Sequence[float]
    ) -> dict[int, tuple[list[tuple[float, float]], float]]:
        """Per tag: `integrals` over each span between consecutive `edges` (ascending), as
        ([(∫ value dt, seconds with a value), ...], first stored time), in a few queries for
        all tags and spans: `integrals` span by span costs about a dozen queries per tag and
        span, some 5,000 for a dashboard's fourteen buckets.

        The series' integral from its beginning up to an edge x is the block sums of the
        windows before x's window plus the points from the last of those blocks to x, so a
        span is its windows' sums plus the points' part at its end less the one at its start:
        only the blocks at and beside each edge are unpacked. A tag without history is left
        out.
        """
        if self.legacy_rows_left:
            # The old tables are read row by row and spans may cut into them: span by span.
            return self._integrals_span_by_span(specs, edges)
        tag_ids = sorted(specs)
        windows = [math.floor(x / BLOCK_S) * BLOCK_S for x in edges]
        ends = self._history_ends(tag_ids)
        sums = self._window_sums(tag_ids, windows)
        near = self._blocks_near(tag_ids, windows)
        unpacked = self._unpacked(tag_ids)
        found: dict[int, tuple[list[tuple[float, float]], float]] = {}
        for tag_id in tag_ids:
            tail = unpacked.get(tag_id, Points.empty())
            blocks = ends.get(tag_id)
            if blocks is None and not len(tail):
                continue
            first = min([*([] if blocks is None else [blocks.first_time]), *tail.ts[:1].tolist()])
            at_edges = [
                self._part_to_edge(tag_id, x, w, blocks, near, tail, specs[tag_id].stepped)
                for x, w in zip(edges, windows, strict=True)
            ]
            spans = []
            for k in range(len(edges) - 1):
                vsum, secs = sums.get((tag_id, k), (0.0, 0.0))
                spans.append(
                    (
                        vsum + at_edges[k + 1][0] - at_edges[k][0],
                        secs + at_edges[k + 1][1] - at_edges[k][1],
                    )
                )
            found[tag_id] = (spans, first)
        return found

    def _integrals_span_by_span(
        self, specs: Mapping[int, CompressionSpec], edges: Sequence[float]
    ) -> dict[int, tuple[list[tuple[float, float]], float]]:
        found: dict[int, tuple[list[tuple[float, float]], float]] = {}
        for start, end in itertools.pairwise(edges):
            for tag_id, (vsum, secs, first) in self.integrals(specs, start, end).items():
                found.setdefault(tag_id, ([], first))[0].append((vsum, secs))
        return found

    def _history_ends(self, tag_ids: list[int]) -> dict[int, _Ends]:
        """Per tag with blocks: its first and last block."""
        b = blocks_table.c
        ends: dict[int, _Ends] = {}
        with self.engine.connect() as conn:
            for tag_id in tag_ids:
                head = conn.execute(
                    select(b.t0, b.t_first, b.data)
                    .where(b.tag_id == tag_id)
                    .order_by(b.t0)
                    .limit(1)
                ).first()
                if head is None:
                    continue
                last = conn.execute(
                    select(b.t0, b.data).where(b.tag_id == tag_id).order_by(b.t0.desc()).limit(1)
                ).one()
                ends[tag_id] = _Ends(int(head[0]), float(head[1]), head[2], int(last[0]), last[1])
        return ends

    def _window_sums(
        self, tag_ids: list[int], windows: list[int]
    ) -> dict[tuple[int, int], tuple[float, float]]:
        """Block sums per tag and span k over the windows [windows[k], windows[k + 1]), a
        query per span (one grouping all spans by a CASE over the edges took three times as
        long on SQLite)."""
        b = blocks_table.c
        sums: dict[tuple[int, int], tuple[float, float]] = {}
        with self.engine.connect() as conn:
            for k, (lo, hi) in enumerate(itertools.pairwise(windows)):
                rows: Sequence[Any] = conn.execute(
                    select(b.tag_id, func.sum(b.vsum), func.sum(b.secs))
                    .where(b.tag_id.in_(tag_ids), b.t0 >= lo, b.t0 < hi)
                    .group_by(b.tag_id)
                ).all()
                sums.update({(int(t), k): (float(v), float(s)) for t, v, s in rows})
        return sums

    def _blocks_near(self, tag_ids: list[int], windows: list[int]) -> dict[tuple[int, int], bytes]:
        """The blocks of each edge's window and the windows either side, by (tag, window)."""
        b = blocks_table.c
        near = sorted({w + d for w in windows for d in (-BLOCK_S, 0, BLOCK_S)})
        with self.engine.connect() as conn:
            rows: Sequence[Any] = conn.execute(
                select(b.tag_id, b.t0, b.data).where(b.tag_id.in_(tag_ids), b.t0.in_(near))
            ).all()
        return {(int(t), int(t0)): data for t, t0, data in rows}

    def _unpacked(self, tag_ids: list[int]) -> dict[int, Points]:
        """The tags' points not yet packed (the last minutes)."""
        p = points_table.c
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(p.tag_id, p.ts, p.value, p.quality)
                .where(p.tag_id.in_(tag_ids))
                .order_by(p.tag_id, p.ts)
            ).all()
        by_tag: dict[int, list[Any]] = {}
        for row in rows:
            by_tag.setdefault(int(row[0]), []).append(row[1:])
        return {tag_id: _rows_to_points(tag_rows) for tag_id, tag_rows in by_tag.items()}

    def _part_to_edge(
        self,
        tag_id: int,
        x: float,
        window: int,
        blocks: _Ends | None,
        near: Mapping[tuple[int, int], bytes],
        tail: Points,
        stepped: bool,
    ) -> tuple[float, float]:
        """(∫ value dt, seconds with a value) from the last point of the last block before
        x's window (the series' first point when there is none) to x."""
        before = after = None
        if blocks is not None:
            if window > blocks.last_window:
                before = blocks.last
            elif window > blocks.first_window:
                before = near.get((tag_id, window - BLOCK_S)) or self._beside(
                    tag_id, window, later=False
                )
            if window < blocks.first_window:
                after = blocks.first
            elif window < blocks.last_window:
                after = near.get((tag_id, window + BLOCK_S)) or self._beside(
                    tag_id, window, later=True
                )
        parts = [
            decode_block(blob)
            for blob in (before, near.get((tag_id, window)), after)
            if blob is not None
        ]
        pts = Points.merge([*parts, tail])
        if not len(pts):
            return 0.0, 0.0
        start = float(parts[0].ts[-1]) if before is not None else float(pts.ts[0])
        if x <= start:
            return 0.0, 0.0
        pts = _with_neighbours(pts, start, x)
        return time_integral(pts.ts, pts.values, start, x, stepped)

    def _beside(self, tag_id: int, window: int, later: bool) -> bytes | None:
        with self.engine.connect() as conn:
            return _block_beside(conn, tag_id, window, later)

    def _integral(
        self, tag_id: int, start: float, end: float, spec: CompressionSpec
    ) -> tuple[float, float]:
        if end <= start:
            return 0.0, 0.0
        pts = self.points(tag_id, start, end)
        return time_integral(pts.ts, pts.values, start, end, spec.stepped)

    def latest(self, tag_id: int) -> tuple[float, float] | None:
        """The newest stored good value of a tag and its time."""
        b, p = blocks_table.c, points_table.c
        with self.engine.connect() as conn:
            row = conn.execute(
                select(p.ts, p.value)
                .where(p.tag_id == tag_id, p.value.is_not(None))
                .order_by(p.ts.desc())
                .limit(1)
            ).first()
            if row is not None:
                return float(row[0]), float(row[1])
            blobs: Iterable[bytes] = conn.execute(
                select(b.data).where(b.tag_id == tag_id).order_by(b.t0.desc()).limit(50)
            ).scalars()
            for blob in blobs:
                pts = decode_block(blob)
                good = np.flatnonzero(~np.isnan(pts.values))
                if len(good):
                    return float(pts.ts[good[-1]]), float(pts.values[good[-1]])
        return None

    def count(self, tag_id: int | None = None) -> int:
        """Kept points stored (packed or not), for one tag or all."""
        b, p = blocks_table.c, points_table.c
        with self.engine.connect() as conn:
            q_blocks = select(func.coalesce(func.sum(b.n), 0))
            q_points = select(func.count()).select_from(points_table)
            if tag_id is not None:
                q_blocks = q_blocks.where(b.tag_id == tag_id)
                q_points = q_points.where(p.tag_id == tag_id)
            return int(conn.execute(q_blocks).scalar_one()) + int(
                conn.execute(q_points).scalar_one()
            )

    def size_bytes(self) -> int:
        """Bytes the history takes on disk: the file on SQLite, the tables and their
        indexes (every partition) on PostgreSQL."""
        if self.path is not None:
            return sum(
                f.stat().st_size
                for f in (self.path, self.path.with_name(self.path.name + "-wal"))
                if f.exists()
            )
        with self.engine.connect() as conn:
            return int(
                conn.execute(
                    text(
                        "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                        "WHERE c.relkind = 'r' AND c.relname LIKE 'hist\\_%'"
                    )
                ).scalar_one()
            )


def _rows_to_points(rows: Sequence[Any]) -> Points:
    """(ts, value or None, quality) rows as points."""
    if not rows:
        return Points.empty()
    return Points(
        np.array([r[0] for r in rows], dtype=float),
        np.array([np.nan if r[1] is None else r[1] for r in rows], dtype=float),
        np.array([r[2] for r in rows], dtype=np.uint8),
    )


def _with_neighbours(points: Points, start: float, end: float) -> Points:
    if not len(points):
        return points
    first = max(int(np.searchsorted(points.ts, start, side="left")) - 1, 0)
    last = min(int(np.searchsorted(points.ts, end, side="right")) + 1, len(points))
    return Points(points.ts[first:last], points.values[first:last], points.quality[first:last])


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
