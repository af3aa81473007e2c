"""The historian: a writer thread that stores samples in batches, and range queries over them.

Raw samples are kept `RAW_RETENTION` (14 days); per-minute min/sum/max/count of the good
samples are kept `AGGREGATE_RETENTION` (2 years). Writes go through Core bulk inserts, one
transaction per flush (PITFALLS.md: ORM `add_all` is 13x slower), like Home Assistant's
recorder: a queue, a commit interval and a backlog cap.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from desktop.domain.condition import Quality, Sample
from desktop.store.condition_models import MinuteAggregate, RawSample

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sqlalchemy.orm import Session

    from desktop.store.database import Database

RAW_RETENTION = timedelta(days=14)
AGGREGATE_RETENTION = timedelta(days=730)
COMMIT_INTERVAL_S = 1.0
# Samples waiting for the database beyond this are dropped (and counted), so a stalled
# database costs samples, never the memory of the machine.
MAX_BACKLOG = 500_000
PRUNE_EVERY_S = 3600.0
# A range longer than this is drawn from the minute aggregates, not raw samples.
RAW_SPAN_LIMIT_S = 2 * 3600.0

_log = logging.getLogger(__name__)


class HistorianWriter:
    """Takes batches from any thread; one thread of its own writes them."""

    def __init__(
        self,
        db: Database,
        commit_interval_s: float = COMMIT_INTERVAL_S,
        max_backlog: int = MAX_BACKLOG,
    ) -> None:
        self._db = db
        self._interval = commit_interval_s
        self._max_backlog = max_backlog
        self._pending: list[Sample] = []
        self._lock = threading.Condition()
        self._stop = False
        self._busy = False
        self.written = 0
        self.dropped = 0
        self.failures = 0
        self._last_prune = 0.0
        self._thread = threading.Thread(target=self._run, name="historian", daemon=True)

    def start(self) -> HistorianWriter:
        self._thread.start()
        return self

    def put_batch(self, samples: list[Sample]) -> None:
        """Any thread; never blocks on the database."""
        with self._lock:
            room = self._max_backlog - len(self._pending)
            if room < len(samples):
                self.dropped += len(samples) - max(room, 0)
                samples = samples[: max(room, 0)]
            self._pending.extend(samples)

    def flush(self, timeout_s: float = 30.0) -> bool:
        """Wait until everything handed over so far is committed (tests, shutdown)."""
        deadline = time.monotonic() + timeout_s
        with self._lock:
            self._lock.notify_all()
            while self._pending or self._busy:
                left = deadline - time.monotonic()
                if left <= 0 or not self._thread.is_alive():
                    return False
                self._lock.wait(min(left, 0.05))
        return True

    def stop(self) -> None:
        with self._lock:
            self._stop = True
            self._lock.notify_all()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        while True:
            with self._lock:
                # Batching: wait out the commit interval so each transaction carries many
                # rows; flush() and stop() cut the wait short.
                if not self._stop:
                    self._lock.wait(self._interval)
                batch, self._pending = self._pending, []
                stop = self._stop
                self._busy = bool(batch)
            if batch:
                try:
                    write_samples(self._db, batch)
                    self.written += len(batch)
                except SQLAlchemyError:  # the thread must outlive a database outage
                    _log.exception("historian: %d samples could not be written", len(batch))
                    self.failures += 1
                    self.dropped += len(batch)
                finally:
                    with self._lock:
                        self._busy = False
                        self._lock.notify_all()
            if time.time() - self._last_prune > PRUNE_EVERY_S:
                self._last_prune = time.time()
                try:
                    prune(self._db, time.time())
                except SQLAlchemyError:
                    _log.exception("historian: pruning failed")
            if stop and not batch:
                return


def write_samples(db: Database, samples: Iterable[Sample]) -> None:
    """Store samples and fold them into their minute aggregates, in one transaction."""
    rows: list[dict[str, Any]] = []
    minutes: dict[tuple[int, int], list[float]] = defaultdict(list)
    for s in samples:
        good = s.value is not None and s.quality is Quality.GOOD
        rows.append(
            {
                "tag_id": s.tag_id,
                "ts": s.ts,
                "value": s.value if good else None,
                "quality": int(s.quality),
            }
        )
        if good:
            assert s.value is not None
            minutes[(s.tag_id, int(s.ts // 60) * 60)].append(s.value)
    if not rows:
        return
    with db.unit_of_work() as session:
        session.execute(insert(RawSample), rows)
        if minutes:
            _merge_minutes(session, db.dialect, minutes)


def _merge_minutes(
    session: Session, dialect: str, minutes: dict[tuple[int, int], list[float]]
) -> None:
    values = [
        {
            "tag_id": tag_id,
            "minute": minute,
            "vmin": min(v),
            "vmax": max(v),
            "vsum": math.fsum(v),
            "count": len(v),
        }
        for (tag_id, minute), v in minutes.items()
    ]
    table = MinuteAggregate.__table__
    stmt: Any
    if dialect == "postgresql":
        stmt = postgresql.insert(table)
        lower, upper = func.least, func.greatest
    else:
        stmt = sqlite.insert(table)
        # SQLite's two-argument min()/max() are scalar functions.
        lower, upper = func.min, func.max
    ex = stmt.excluded
    stmt = stmt.on_conflict_do_update(
        index_elements=["tag_id", "minute"],
        set_={
            "vmin": lower(table.c.vmin, ex.vmin),
            "vmax": upper(table.c.vmax, ex.vmax),
            "vsum": table.c.vsum + ex.vsum,
            "count": table.c.count + ex.count,
        },
    )
    # Sorted so that concurrent writers take row locks in the same order (no deadlock on PG).
    values.sort(key=lambda r: (r["tag_id"], r["minute"]))
    session.execute(stmt, values)


def prune(db: Database, now: float) -> tuple[int, int]:
    """Drop raw samples past 14 days and aggregates past 2 years; returns the rows removed."""
    with db.unit_of_work() as session:
        raw = session.execute(
            delete(RawSample).where(RawSample.ts < now - RAW_RETENTION.total_seconds())
        ).rowcount
        agg = session.execute(
            delete(MinuteAggregate).where(
                MinuteAggregate.minute < now - AGGREGATE_RETENTION.total_seconds()
            )
        ).rowcount
    return int(raw or 0), int(agg or 0)


@dataclass(frozen=True)
class Series:
    """A tag's values over a range. `resolution_s` 0 means raw samples (min = avg = max = the
    value, NaN for gaps); otherwise buckets of that many seconds from the aggregates."""

    tag_id: int
    resolution_s: int
    ts: np.ndarray
    vmin: np.ndarray
    avg: np.ndarray
    vmax: np.ndarray

    def __len__(self) -> int:
        return len(self.ts)


class Historian:
    """Read side: range queries that pick raw samples or aggregates to fit the range."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def query(
        self,
        tag_id: int,
        start: float,
        end: float,
        max_points: int = 4000,
        now: float | None = None,
    ) -> Series:
        """Raw samples for a short, recent range; minute aggregates (merged into wider buckets
        so at most about `max_points` come back) for a long or old one."""
        now = time.time() if now is None else now
        raw_kept = start >= now - RAW_RETENTION.total_seconds()
        if raw_kept and end - start <= RAW_SPAN_LIMIT_S:
            return self.raw(tag_id, start, end)
        span_minutes = max(1.0, (end - start) / 60.0)
        bucket = 60 * max(1, math.ceil(span_minutes / max_points))
        return self.aggregates(tag_id, start, end, bucket)

    def raw(self, tag_id: int, start: float, end: float) -> Series:
        with self._db.unit_of_work(write=False) as session:
            rows = session.execute(
                select(RawSample.ts, RawSample.value)
                .where(RawSample.tag_id == tag_id, RawSample.ts >= start, RawSample.ts < end)
                .order_by(RawSample.ts)
            ).all()
        ts = np.array([r[0] for r in rows], dtype=float)
        values = np.array([np.nan if r[1] is None else r[1] for r in rows], dtype=float)
        return Series(tag_id, 0, ts, values, values, values)

    def aggregates(self, tag_id: int, start: float, end: float, bucket_s: int = 60) -> Series:
        agg = MinuteAggregate
        bucket = agg.minute // bucket_s if bucket_s > 60 else agg.minute
        with self._db.unit_of_work(write=False) as session:
            query = (
                select(
                    func.min(agg.minute),
                    func.min(agg.vmin),
                    func.sum(agg.vsum) / func.sum(agg.count),
                    func.max(agg.vmax),
                )
                .where(agg.tag_id == tag_id, agg.minute >= math.floor(start / 60) * 60)
                .where(agg.minute < end)
                .group_by(bucket)
                .order_by(func.min(agg.minute))
            )
            rows = session.execute(query).all()
        data = np.array(rows, dtype=float).reshape(-1, 4)
        return Series(tag_id, bucket_s, data[:, 0], data[:, 1], data[:, 2], data[:, 3])

    def gaps(self, tag_id: int, start: float, end: float) -> list[tuple[float, Quality]]:
        """Times and reasons of the gaps (samples without a value) in a range."""
        with self._db.unit_of_work(write=False) as session:
            rows = session.execute(
                select(RawSample.ts, RawSample.quality)
                .where(RawSample.tag_id == tag_id, RawSample.ts >= start, RawSample.ts < end)
                .where(RawSample.value.is_(None))
                .order_by(RawSample.ts)
            ).all()
        return [(ts, Quality(q)) for ts, q in rows]

    def count(self, tag_id: int | None = None) -> int:
        with self._db.unit_of_work(write=False) as session:
            query = select(func.count()).select_from(RawSample)
            if tag_id is not None:
                query = query.where(RawSample.tag_id == tag_id)
            return int(session.execute(query).scalar_one())
