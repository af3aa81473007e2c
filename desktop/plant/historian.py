"""The historian: a writer thread that compresses samples and stores them, and range queries.

Each tag's samples pass its compressor (`desktop.domain.compression`: swinging door within the
tag's deviation, deadband for states) before they reach the history store
(`desktop.store.history`), so the disk holds a few per cent of what arrives; readers get the
kept points and read between them by linear interpolation (holding, for states). Writes are
batched like Home Assistant's recorder: a queue, a commit interval and a backlog cap.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy.exc import SQLAlchemyError

from desktop.domain.compression import Compressor, reconstruct
from desktop.domain.condition import Quality, Sample
from desktop.store.history import (
    BLOCK_S,
    LOSSLESS,
    PACK_DELAY_S,
    HistoryStore,
    Points,
    history_store,
    tag_classes,
    tag_specs,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from desktop.domain.compression import CompressionSpec
    from desktop.store.database import Database

COMMIT_INTERVAL_S = 1.0
# Samples are compressed this often and only the kept few wait for the commit: a second of raw
# samples (10,000 at plant scale) outlived the young garbage collections and made the cyclic
# collector's full passes, which stop every thread and the Qt loop with them, come each second.
COMPRESS_INTERVAL_S = 0.1
# Samples waiting for the database beyond this are dropped (and counted), so a stalled
# database costs samples, never the memory of the machine.
MAX_BACKLOG = 500_000
PRUNE_EVERY_S = 3600.0
# Up to this span a query unpacks the stored points; beyond it reads the block summaries.
POINTS_SPAN_LIMIT_S = 31 * 86400.0
# Rows of the old uncompressed tables moved into the history store per writer cycle.
LEGACY_MOVE_ROWS = 50_000

_log = logging.getLogger(__name__)


class HistorianWriter:
    """Takes batches from any thread; one thread of its own compresses and writes them."""

    def __init__(
        self,
        db: Database,
        commit_interval_s: float = COMMIT_INTERVAL_S,
        max_backlog: int = MAX_BACKLOG,
    ) -> None:
        self._db = db
        self._interval = commit_interval_s
        self._compress_interval = min(COMPRESS_INTERVAL_S, commit_interval_s)
        self._max_backlog = max_backlog
        self._pending: list[Sample] = []
        # Compressed since the last commit: the points kept, and how many samples they stand for.
        self._kept: list[Sample] = []
        self._taken = 0
        self._next_commit = 0.0
        self._lock = threading.Condition()
        self._stop = False
        # flush() asks for a commit by number; the thread says which it has done.
        self._flush_asked = 0
        self._flush_done = 0
        self.received = 0
        self.written = 0
        self.dropped = 0
        self.failures = 0
        self._last_prune = 0.0
        self._specs: dict[int, CompressionSpec] = {}
        self._compressors: dict[int, Compressor] = {}
        # The newest sample time seen: windows are packed by the data's clock, not the wall's.
        self._clock = -math.inf
        self._packed_to = -math.inf
        self._thread = threading.Thread(target=self._run, name="historian", daemon=True)

    @property
    def store(self) -> HistoryStore:
        return history_store(self._db)

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
        """Wait until everything handed over so far is compressed and its kept points are
        committed (tests, shutdown). A sample each tag's compressor holds back stays held."""
        deadline = time.monotonic() + timeout_s
        with self._lock:
            self._flush_asked += 1
            wanted = self._flush_asked
            self._lock.notify_all()
            while self._flush_done < wanted:
                left = deadline - time.monotonic()
                if left <= 0 or not self._thread.is_alive():
                    return False
                self._lock.wait(min(left, 0.05))
        return True

    def stop(self) -> None:
        """Write what is pending and each tag's held-back sample, then end the thread."""
        with self._lock:
            self._stop = True
            self._lock.notify_all()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        self._next_commit = time.monotonic() + self._interval
        while True:
            with self._lock:
                # Compress what came in every tenth of a second; commit the kept points once
                # per commit interval, so each transaction carries many rows. flush() and
                # stop() cut the wait short and commit at once.
                if not self._stop and self._flush_asked == self._flush_done:
                    self._lock.wait(self._compress_interval)
                batch, self._pending = self._pending, []
                stop = self._stop
                asked = self._flush_asked
            self._kept.extend(self._compress(batch))
            self._taken += len(batch)
            if stop or asked > self._flush_done or time.monotonic() >= self._next_commit:
                self._write(final=stop)
                self._housekeeping()
                self._next_commit = time.monotonic() + self._interval
                with self._lock:
                    self._flush_done = asked
                    self._lock.notify_all()
            if stop:
                return

    def _write(self, final: bool) -> None:
        """Runs on the historian thread: stores the points kept since the last commit."""
        kept, taken = self._kept, self._taken
        self._kept, self._taken = [], 0
        if final:
            for compressor in self._compressors.values():
                kept.extend(compressor.flush())
        if not kept and not taken:
            return
        try:
            self.store.add_points(kept)
            self.received += taken
            self.written += len(kept)
        except SQLAlchemyError:  # the thread must outlive a database outage
            _log.exception("historian: %d samples could not be written", taken)
            self.failures += 1
            self.dropped += taken
            return
        boundary = math.floor((self._clock - PACK_DELAY_S) / BLOCK_S) * BLOCK_S
        if boundary > self._packed_to:
            try:
                self.store.pack(self._clock - PACK_DELAY_S, self._specs)
                self._packed_to = boundary
            except SQLAlchemyError:
                _log.exception("historian: packing failed; the points stay unpacked")

    def _compress(self, batch: list[Sample]) -> list[Sample]:
        kept: list[Sample] = []
        unknown = {s.tag_id for s in batch} - self._specs.keys()
        if unknown:
            try:
                self._specs = tag_specs(self._db)
            except SQLAlchemyError:
                _log.exception("historian: tag settings unreadable; storing without loss")
            for tag_id in unknown - self._specs.keys():
                self._specs[tag_id] = LOSSLESS
        compressors = self._compressors
        for sample in batch:
            compressor = compressors.get(sample.tag_id)
            if compressor is None:
                compressor = compressors[sample.tag_id] = Compressor(self._specs[sample.tag_id])
            kept.extend(compressor.feed(sample))
            if sample.ts > self._clock:
                self._clock = sample.ts
        return kept

    def _now(self) -> float:
        return self._clock if math.isfinite(self._clock) else time.time()

    def _housekeeping(self) -> None:
        store = self.store
        if store.legacy_rows_left:
            try:
                store.move_legacy(self._specs or tag_specs(self._db), LEGACY_MOVE_ROWS, self._now())
            except SQLAlchemyError:
                _log.exception("historian: moving the old samples failed; retried later")
        if time.time() - self._last_prune > PRUNE_EVERY_S:
            self._last_prune = time.time()
            try:
                store.prune(time.time(), tag_classes(self._db))
            except SQLAlchemyError:
                _log.exception("historian: pruning failed")


def write_samples(db: Database, samples: Iterable[Sample]) -> int:
    """Compress and store samples at once, every tag's last one included, and pack the
    windows they complete (imports, tests). Returns the points kept."""
    specs = tag_specs(db)
    compressors: dict[int, Compressor] = {}
    kept: list[Sample] = []
    newest = -math.inf
    for sample in sorted(samples, key=lambda s: s.ts):
        compressor = compressors.get(sample.tag_id)
        if compressor is None:
            spec = specs.get(sample.tag_id, LOSSLESS)
            compressor = compressors[sample.tag_id] = Compressor(spec)
        kept.extend(compressor.feed(sample))
        newest = max(newest, sample.ts)
    for compressor in compressors.values():
        kept.extend(compressor.flush())
    store = history_store(db)
    store.add_points(kept)
    if kept:
        store.pack(newest - PACK_DELAY_S, specs)
    return len(kept)


def prune(db: Database, now: float) -> int:
    """Drop history past each tag class's retention; returns the blocks removed."""
    return history_store(db).prune(now, tag_classes(db))


@dataclass(frozen=True)
class Series:
    """A tag's values over a range. `resolution_s` 0 means the stored points (min = avg =
    max = the value, NaN for gaps); otherwise buckets of that many seconds."""

    tag_id: int
    resolution_s: int
    ts: np.ndarray
    vmin: np.ndarray
    avg: np.ndarray
    vmax: np.ndarray

    def __len__(self) -> int:
        return len(self.ts)


class Historian:
    """Read side: the stored points, read between by interpolation, or their summaries."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._store = history_store(db)

    def query(self, tag_id: int, start: float, end: float, max_points: int = 4000) -> Series:
        """The stored points of a range (and the one either side, so the line reaches the
        edges); bucketed into min/avg/max when there are more than `max_points`, and read
        from the block summaries for ranges over a month."""
        if end - start > POINTS_SPAN_LIMIT_S:
            bucket = max(BLOCK_S, math.ceil((end - start) / max_points / BLOCK_S) * BLOCK_S)
            return self.aggregates(tag_id, start, end, bucket)
        pts = self._store.points(tag_id, start, end)
        if len(pts) <= max_points:
            return Series(tag_id, 0, pts.ts, pts.values, pts.values, pts.values)
        bucket = max(1, math.ceil((end - start) / max_points))
        return _bucketed(tag_id, pts, start, bucket)

    def points(self, tag_id: int, start: float, end: float) -> Points:
        """The kept points in [start, end) exactly (no neighbours)."""
        return self._store.points(tag_id, start, end).between(start, end)

    def series_points(self, tag_id: int, start: float, end: float) -> Points:
        """The kept points in [start, end] and the one either side: enough to read the
        series anywhere in the range."""
        return self._store.points(tag_id, start, end)

    def values_at(self, tag_id: int, at: np.ndarray, stepped: bool = False) -> np.ndarray:
        """The series read at times `at` (sorted): lines between kept points, NaN in gaps."""
        if len(at) == 0:
            return np.empty(0)
        pts = self._store.points(tag_id, float(at[0]), float(at[-1]))
        return reconstruct(pts.ts, pts.values, at, stepped)

    def aggregates(self, tag_id: int, start: float, end: float, bucket_s: int = BLOCK_S) -> Series:
        """Buckets of whole blocks (ten minutes or more) from the block summaries: the extremes
        of the kept points and the time-weighted average."""
        bucket_s = max(BLOCK_S, bucket_s // BLOCK_S * BLOCK_S)
        s = self._store.summaries(tag_id, start, end)
        if not len(s.t0):
            empty = np.empty(0)
            return Series(tag_id, bucket_s, empty, empty, empty, empty)
        keys = s.t0 // bucket_s * bucket_s
        starts, index = np.unique(keys, return_inverse=True)
        vmin = np.full(len(starts), np.inf)
        vmax = np.full(len(starts), -np.inf)
        np.fmin.at(vmin, index, s.vmin)
        np.fmax.at(vmax, index, s.vmax)
        vsum = np.bincount(index, s.vsum, len(starts))
        secs = np.bincount(index, s.secs, len(starts))
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            avg = vsum / secs
            # No time with a value (a lone point), or values so large their integral
            # overflowed; a bucket of gaps only (inf and -inf) stays NaN.
            lone = ~np.isfinite(avg)
            avg[lone] = vmin[lone] / 2 + vmax[lone] / 2
        vmin[np.isinf(vmin)] = np.nan
        vmax[np.isinf(vmax)] = np.nan
        return Series(tag_id, bucket_s, starts.astype(float), vmin, avg, vmax)

    def gaps(self, tag_id: int, start: float, end: float) -> list[tuple[float, Quality]]:
        """Times and reasons of the gaps (kept samples without a value) in a range."""
        pts = self.points(tag_id, start, end)
        bad = np.flatnonzero(np.isnan(pts.values))
        return [(float(pts.ts[i]), Quality(int(pts.quality[i]))) for i in bad]

    def latest(self, tag_id: int) -> tuple[float, float] | None:
        return self._store.latest(tag_id)

    def count(self, tag_id: int | None = None) -> int:
        """Kept points stored."""
        return self._store.count(tag_id)


def _bucketed(tag_id: int, pts: Points, start: float, bucket: int) -> Series:
    keys = np.floor((pts.ts - start) / bucket).astype(np.int64)
    starts, index = np.unique(keys, return_inverse=True)
    vmin = np.full(len(starts), np.inf)
    vmax = np.full(len(starts), -np.inf)
    np.fmin.at(vmin, index, pts.values)
    np.fmax.at(vmax, index, pts.values)
    good = ~np.isnan(pts.values)
    total = np.bincount(index[good], pts.values[good], len(starts))
    count = np.bincount(index[good], minlength=len(starts))
    with np.errstate(invalid="ignore", divide="ignore"):
        avg = np.where(count > 0, total / count, np.nan)
    vmin[np.isinf(vmin)] = np.nan
    vmax[np.isinf(vmax)] = np.nan
    return Series(tag_id, bucket, start + starts * float(bucket), vmin, avg, vmax)
