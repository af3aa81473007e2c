"""The KPI facts of every work order, packed as numpy columns per block of order ids.

Reading a million orders' facts through the driver cost about 7 CPU seconds (21 million values
turned into Python objects and back into numbers); the same facts packed in `kpi_fact_blocks`
read back in a small fraction of that. A block holds, for the orders whose ids fall in it,
their facts as the KPI query reads them, their labour entries and their downtime periods
(block -1: the stops no order was open for). Triggers raise a block's generation whenever one
of those rows changes, from any client (`desktop.store.kpi_blocks`); a block whose built
generation is behind, or that is missing (no change has reached it since the table was made),
is read again from the tables when it is needed and stored back by the site's own login (a
person's login may not write them, so it could not forge figures: its copy lives for its
computation only). Rows are never deleted, only marked stale with a higher generation (a
restore, `rebuild_all`), so a block's generation never repeats.
"""

from __future__ import annotations

import hashlib
import json
import threading
import weakref
from contextlib import closing
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import Float, func, select, type_coerce
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, OperationalError

from desktop.domain.enums import Origin, WorkOrderType
from desktop.domain.failure_codes import code_lists
from desktop.services.analytics.kpi_reading import ID_CHUNK, ORDER_TIMES, order_facts, raw_time
from desktop.store.epoch import epoch_seconds
from desktop.store.kpi_blocks import BLOCK_ORDERS, NO_ORDER_BLOCK, blocks_up_to, mark_stale
from desktop.store.models import DowntimePeriod, KpiFactBlock, LabourEntry, WorkOrder

if TYPE_CHECKING:
    from collections.abc import Generator, Iterator, Sequence

    from sqlalchemy import ClauseElement, Connection, Executable

    from desktop.store.database import Database

FORMAT = 4
"""Raised when what a block holds changes: blocks of another format are read again."""

ORDER_COLUMNS = (
    "id", "type", "origin", "is_failure", "asset_id", "estimate_hours", "failure_mode",
    *ORDER_TIMES,
)  # fmt: skip
LABOUR_COLUMNS = ("work_order_id", "day", "hours", "cost", "technician_id")
DOWNTIME_COLUMNS = ("work_order_id", "asset_id", "planned", "start", "end")
SECONDS_PER_DAY = 86400.0


@dataclass(frozen=True)
class _Kept:
    """What one database's last read found: the joined facts, and per block the generation it
    is current for and where its rows lie in each part; and what they mean (layout)."""

    layout: int
    generations: dict[int, int]
    rows: dict[int, dict[str, slice]]
    facts: Facts


_KEPT: weakref.WeakKeyDictionary[Database, _Kept] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()
"""The dashboard computes on a worker thread while a CLI or export may read the same database."""


@dataclass(frozen=True)
class Facts:
    """Every order's facts (sorted by id), labour entry and downtime period, as columns.

    Times are UTC nanoseconds since 1970 rounded to the millisecond (NaT's integer for none),
    as the KPI frames hold them; labour dates are days since 1970; ids and codes are
    integers; a downtime period with no order has work_order_id -1.
    """

    orders: dict[str, np.ndarray]
    labour: dict[str, np.ndarray]
    downtime: dict[str, np.ndarray]


def layout() -> int:
    """Fingerprint of what the packed codes mean: the format, the failure-mode list and the
    type and origin members (a block packed under another list must not be read as this)."""
    modes = [c.code for c in code_lists()["failure_mode"]]
    words = [str(FORMAT), *modes, "|", *(t.value for t in WorkOrderType), "|", *map(str, Origin)]
    return int.from_bytes(hashlib.sha256("\x1f".join(words).encode()).digest()[:7], "big")


class KpiFactStore:
    """Reads the packed facts, bringing stale or missing blocks up to date on the way."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def read(self) -> Facts:
        """Every block, current as of this call.

        The blocks last read in this process are kept with the generation they were read at:
        a refresh reads again only the blocks whose generation moved. A block's generation
        never repeats (its row is never deleted, and a restore, whose copy PostgreSQL's
        triggers do not see, raises every block's), so a kept block still holds its records
        while its generation is the stored one, whatever else was written meanwhile: on a
        busy site's PostgreSQL some audited write comes between any two refreshes. The
        columns are read-only: computations share them.
        """
        key = layout()
        with self._db.engine.connect() as conn:
            stored = conn.execute(
                select(
                    KpiFactBlock.block_no,
                    KpiFactBlock.generation,
                    KpiFactBlock.built_generation,
                    func.length(KpiFactBlock.facts).label("size"),
                )
            ).all()
            wanted = _wanted(conn)
        generation = {row.block_no: row.generation for row in stored}
        packed_size = {r.block_no: r.size for r in stored if r.built_generation == r.generation}
        with _LOCK:
            kept = _KEPT.get(self._db)
        if kept is None or kept.layout != key:
            kept = _Kept(key, {}, {}, _Joining(dict.fromkeys(PARTS, 0), []).result())
        # A stale block is packed again below, so the next reader finds it current.
        reuse = {b for b in wanted if b in packed_size and kept.generations.get(b) == generation[b]}
        if len(reuse) == len(wanted) == len(kept.generations):
            return kept.facts
        unread = {b for b in wanted if b not in reuse and packed_size.get(b)}
        built = self._rebuild([b for b in wanted if b not in reuse and b not in unread], key)
        known = {
            part: sum(kept.rows[b][part].stop - kept.rows[b][part].start for b in reuse)
            + sum(len(columns[names[0]]) for _, columns in built.values())
            for part, names in PARTS.items()
        }
        joined = _Joining(known, [packed_size[b] for b in unread])
        # The packed blocks stream in block order, one at a time: each one's bytes are dropped
        # once copied, so reading costs the memory of one block beside the joined columns.
        with closing(self._packed_rows(sorted(unread))) as stream:
            pending: Any = None
            for block in wanted:
                if block in unread:
                    pending = pending or next(stream, None)
                    columns = None
                    if pending is not None and pending[0] == block:
                        generation[block] = pending[1]
                        columns = None if pending[2] is None else _unpack(pending[2], key)
                        pending = None
                    if columns is None:  # changed since, or packed under another layout
                        generation[block], columns = self._rebuild([block], key)[block]
                elif block in built:
                    generation[block], columns = built[block]
                else:
                    columns = _kept_columns(kept.facts, kept.rows[block])
                joined.append(block, columns)
        facts = joined.result()
        with _LOCK:
            _KEPT[self._db] = _Kept(key, {b: generation[b] for b in wanted}, joined.rows, facts)
        return facts

    def _packed_rows(self, blocks: Sequence[int]) -> Generator[Any]:
        """Block number, generation and packed bytes of those of `blocks` that are current, in
        block order, fetched as they are used: the database reads the next while this process
        copies the last (on PostgreSQL a third less time than a query per block)."""
        for begin in range(0, len(blocks), ID_CHUNK):
            statement = (
                select(KpiFactBlock.block_no, KpiFactBlock.generation, KpiFactBlock.facts)
                .where(
                    KpiFactBlock.block_no.in_(blocks[begin : begin + ID_CHUNK]),
                    KpiFactBlock.built_generation == KpiFactBlock.generation,
                )
                .order_by(KpiFactBlock.block_no)
            )
            with self._db.engine.connect() as conn:
                if self._db.dialect == "postgresql":
                    yield from _binary_rows(conn, statement)
                else:
                    yield from conn.execute(statement)

    def rebuild_all(self) -> int:
        """Pack every block afresh (the bulk recompute after a demo load, which writes a million
        orders in one go); returns how many blocks were written."""
        with self._db.engine.connect() as conn:
            wanted = _wanted(conn)
        with self._db.unit_of_work() as session:
            # Blocks past the last order hold nothing now: their packed facts are dropped.
            mark_stale(session.connection(), max(wanted) + 1)
        return len(self._rebuild(wanted, layout()))

    def _rebuild(
        self, blocks: Sequence[int], key: int
    ) -> dict[int, tuple[int, dict[str, np.ndarray]]]:
        """The blocks read from the tables, with the generation they are current for."""
        built = {}
        for block in blocks:
            with self._db.engine.connect() as conn:
                # The generation first: a change committed after it leaves the block stale.
                generation = conn.execute(
                    select(KpiFactBlock.generation).where(KpiFactBlock.block_no == block)
                ).scalar_one_or_none()
                columns = _read_block(conn, block)
            built[block] = (generation or 0, columns)
            self._store(block, generation or 0, _pack(columns, key))
        return built

    def _store(self, block: int, generation: int, packed: bytes) -> None:
        """Keep a rebuilt block; a person's login (which may not write them) or a busy database
        only costs the next reader the same rebuild."""
        dialect = sqlite if self._db.dialect == "sqlite" else postgresql
        statement = dialect.insert(KpiFactBlock).values(
            block_no=block, generation=generation, built_generation=generation, facts=packed
        )
        statement = statement.on_conflict_do_update(
            index_elements=[KpiFactBlock.block_no],
            set_={
                "built_generation": statement.excluded.built_generation,
                "facts": statement.excluded.facts,
            },
        )
        try:
            with self._db.unit_of_work() as session:
                session.execute(statement)
        except (OperationalError, DBAPIError):
            return


def _wanted(conn: Connection) -> list[int]:
    """Every block there is now, in order."""
    return blocks_up_to(conn.execute(select(func.max(WorkOrder.id))).scalar_one_or_none())


def _binary_rows(conn: Connection, statement: ClauseElement) -> Iterator[Any]:
    """The statement's rows, streamed in PostgreSQL's binary format: psycopg asks for text
    unless told otherwise, and bytea as text is hex, twice the bytes to send and to decode (a
    million orders' blocks: 0.8 s on the clock as text, 0.3 s as binary)."""
    compiled = statement.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    with conn.connection.driver_connection.cursor(binary=True) as cursor:  # type: ignore[union-attr]
        yield from cursor.stream(str(compiled), compiled.params)


def _read_block(conn: Connection, block: int) -> dict[str, np.ndarray]:
    """The block's rows from the tables, as `Facts` columns."""
    wo, le, dp = WorkOrder, LabourEntry, DowntimePeriod
    if block == NO_ORDER_BLOCK:
        orders = np.empty((0, len(ORDER_COLUMNS)))
        labour = np.empty((0, len(LABOUR_COLUMNS)))
        in_block: Any = dp.work_order_id.is_(None)
    else:
        lo, hi = block * BLOCK_ORDERS, (block + 1) * BLOCK_ORDERS
        modes = [c.code for c in code_lists()["failure_mode"]]
        orders = _numbers(
            conn, order_facts(modes).where(wo.id >= lo, wo.id < hi).order_by(wo.id), ORDER_COLUMNS
        )
        labour = _numbers(
            conn,
            select(
                le.work_order_id,
                epoch_seconds(le.work_date) / SECONDS_PER_DAY,
                le.hours,
                type_coerce(le.hours * le.rate, Float),
                le.technician_id,
            ).where(le.work_order_id >= lo, le.work_order_id < hi),
            LABOUR_COLUMNS,
        )
        in_block = (dp.work_order_id >= lo) & (dp.work_order_id < hi)
    downtime = _numbers(
        conn,
        select(dp.work_order_id, dp.asset_id, dp.planned, raw_time(dp.start), raw_time(dp.end))
        .where(in_block)
        .order_by(dp.start, dp.id),  # merging periods sorts by start: little left to do
        DOWNTIME_COLUMNS,
    )
    columns = {f"o.{name}": orders[:, i] for i, name in enumerate(ORDER_COLUMNS)}
    columns |= {f"l.{name}": labour[:, i] for i, name in enumerate(LABOUR_COLUMNS)}
    columns |= {f"d.{name}": downtime[:, i] for i, name in enumerate(DOWNTIME_COLUMNS)}
    return _typed(columns)


def _numbers(conn: Connection, statement: Executable, names: Sequence[str]) -> np.ndarray:
    """Rows of numbers as one float array (NULL as NaN), ready to pack."""
    result = conn.execute(statement)
    rows = result.cursor.fetchall()
    result.close()
    return np.array(rows, dtype="float64").reshape(len(rows), len(names))


STORED = {
    "o.id": "int32", "o.type": "int8", "o.origin": "int8", "o.is_failure": "int8",
    "o.asset_id": "int32", "o.failure_mode": "int8",
    "l.work_order_id": "int32", "l.day": "int32", "l.technician_id": "int32",
    "d.work_order_id": "int32", "d.asset_id": "int32", "d.planned": "int8",
}  # fmt: skip
"""Whole-number columns and the width they are packed and read in (the rest are float64):
a third fewer bytes to read and copy than all float64. Ids fit 32 bits: the keys are INTEGER."""
TIMES = {*(f"o.{name}" for name in ORDER_TIMES), "d.start", "d.end"}
"""Time columns, packed as int64 nanoseconds."""


def _dtype(name: str) -> str:
    return STORED.get(name, "int64" if name in TIMES else "float64")


def _typed(columns: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Columns read as floats, packed: whole numbers narrowed, a downtime period's missing
    order as -1."""
    typed = {}
    for name, values in columns.items():
        if name in TIMES:
            # Rounded to the millisecond the database's float carries (see `epoch_seconds`).
            milliseconds = np.rint(values * 1000.0)
            missing = np.isnan(milliseconds)
            nanoseconds = np.where(missing, 0.0, milliseconds).astype("int64") * 1_000_000
            nanoseconds[missing] = np.iinfo("int64").min
            typed[name] = nanoseconds
        elif name in STORED:
            whole = np.where(np.isnan(values), -1.0, np.rint(values))
            typed[name] = whole.astype(STORED[name])
        else:
            typed[name] = np.ascontiguousarray(values, dtype="float64")
    return typed


def _pack(columns: dict[str, np.ndarray], key: int) -> bytes:
    """A JSON header (layout, then name, dtype and length of each column) and the columns' raw
    bytes: read back without a copy (`np.frombuffer`), where `np.load` of an archive spent
    most of the read in its zip reader."""
    header = json.dumps(
        {"layout": key, "columns": [[n, a.dtype.str, len(a)] for n, a in columns.items()]}
    ).encode()
    header += b" " * (-(len(header) + 8) % 8)  # columns start on an 8-byte boundary
    body = b"".join(np.ascontiguousarray(a).tobytes() for a in columns.values())
    return len(header).to_bytes(8, "little") + header + body


def _unpack(packed: bytes, key: int) -> dict[str, np.ndarray] | None:
    """The block's columns; None when it was packed under another layout or format."""
    size = int.from_bytes(packed[:8], "little")
    try:
        header = json.loads(packed[8 : 8 + size])
    except ValueError:  # not this format at all: read the block again
        return None
    if not isinstance(header, dict) or header.get("layout") != key:
        return None
    columns, offset = {}, 8 + size
    for name, dtype, length in header["columns"]:
        columns[name] = np.frombuffer(packed, dtype=dtype, count=length, offset=offset)
        offset += columns[name].nbytes
    return columns


PARTS = {
    "o.": [f"o.{n}" for n in ORDER_COLUMNS],
    "l.": [f"l.{n}" for n in LABOUR_COLUMNS],
    "d.": [f"d.{n}" for n in DOWNTIME_COLUMNS],
}


class _Joining:
    """The joined columns, filled block by block in block order.

    Each column is allocated once, large enough for what is known of its rows: exactly for
    kept and rebuilt blocks, at most what a packed block's bytes can hold for the others.
    Pages never written are never touched, so the excess costs address space only; a block
    larger than that (packed again between two queries) grows the column.
    """

    def __init__(self, known_rows: dict[str, int], packed_sizes: Sequence[int]) -> None:
        self._filled = dict.fromkeys(PARTS, 0)
        self.rows: dict[int, dict[str, slice]] = {}
        self._columns: dict[str, np.ndarray] = {}
        for part, names in PARTS.items():
            row_bytes = sum(np.dtype(_dtype(name)).itemsize for name in names)
            room = known_rows[part] + sum(size // row_bytes for size in packed_sizes)
            for name in names:
                self._columns[name] = np.empty(room, _dtype(name))

    def append(self, block: int, columns: dict[str, np.ndarray]) -> None:
        """The block's columns, copied at once: packed bytes can go as soon as this returns."""
        rows = {}
        for part, names in PARTS.items():
            begin = self._filled[part]
            end = begin + len(columns[names[0]])
            for name in names:
                self._room(name, begin, end)[begin:end] = columns[name]
            self._filled[part] = end
            rows[part] = slice(begin, end)
        self.rows[block] = rows

    def _room(self, name: str, filled: int, end: int) -> np.ndarray:
        column = self._columns[name]
        if end > len(column):
            grown = np.empty(max(end, 2 * len(column)), column.dtype)
            grown[:filled] = column[:filled]
            self._columns[name] = column = grown
        return column

    def result(self) -> Facts:
        """The joined facts, read-only: kept for the next computation, nobody may change it."""
        merged = {name: values[: self._filled[name[:2]]] for name, values in self._columns.items()}
        for values in merged.values():
            values.flags.writeable = False
        return _facts(merged)


def _kept_columns(facts: Facts, rows: dict[str, slice]) -> dict[str, np.ndarray]:
    """A kept block's columns: its rows of the facts an earlier read joined."""
    parts = {"o.": facts.orders, "l.": facts.labour, "d.": facts.downtime}
    return {
        name: parts[part][name[2:]][rows[part]] for part, names in PARTS.items() for name in names
    }


def _facts(merged: dict[str, np.ndarray]) -> Facts:
    def part(prefix: str) -> dict[str, np.ndarray]:
        return {n.removeprefix(prefix): v for n, v in merged.items() if n.startswith(prefix)}

    return Facts(part("o."), part("l."), part("d."))
