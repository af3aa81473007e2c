"""Export the raw tables behind every KPI (KPIS.md, "Export") as CSV files or one workbook."""

from __future__ import annotations

import csv
import os
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import Select, select
from sqlalchemy.orm import aliased

from desktop.domain.enums import Role
from desktop.domain.errors import WrenchbookError
from desktop.domain.phrases import Amount, Phrase
from desktop.store.inventory_models import Bin, Part, StockLevel, StockLocation, StockMovement
from desktop.store.models import (
    Asset,
    DowntimePeriod,
    LabourEntry,
    StatusChange,
    User,
    WorkOrder,
)
from desktop.store.pm_models import PMOccurrence, PMSchedule

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence
    from pathlib import Path

    from sqlalchemy import Connection

    from desktop.store.database import Database

WORKBOOK_NAME = "wrenchbook-export.xlsx"
BATCH_ROWS = 10_000
"""Rows fetched per round trip: a server-side cursor on PostgreSQL keeps memory flat."""
EXCEL_MAX_ROWS = 1_048_576
"""An Excel sheet's hard limit, the header row included."""


class ExportFailed(WrenchbookError):
    pass


@dataclass(frozen=True)
class Table:
    """One exported table: its file or sheet name, its header and the query behind it.

    `query` is None for tables whose data does not exist yet: they are written header only,
    so scripts reading the export need not change when the data arrives.
    """

    name: str
    columns: tuple[str, ...]
    query: Callable[[], Select[Any]] | None


@dataclass(frozen=True)
class ExportResult:
    """What was written: the files and each table's number of data rows."""

    files: tuple[Path, ...]
    rows: tuple[tuple[str, int], ...]


def _work_orders() -> Select[Any]:
    return (
        select(
            WorkOrder.number,
            WorkOrder.type,
            WorkOrder.priority,
            WorkOrder.status,
            Asset.code,
            WorkOrder.is_failure,
            WorkOrder.requested_at,
            WorkOrder.approved_at,
            WorkOrder.scheduled_at,
            WorkOrder.started_at,
            WorkOrder.completed_at,
            WorkOrder.closed_at,
            WorkOrder.due_at,
            WorkOrder.scheduled_start,
            WorkOrder.scheduled_end,
            WorkOrder.estimate_hours,
            PMSchedule.code.label("pm_schedule"),
            PMOccurrence.interval_days.label("pm_interval_days"),
            WorkOrder.origin,
            WorkOrder.failure_mode,
        )
        .join(Asset, Asset.id == WorkOrder.asset_id)
        .outerjoin(PMOccurrence, PMOccurrence.work_order_id == WorkOrder.id)
        .outerjoin(PMSchedule, PMSchedule.id == PMOccurrence.schedule_id)
        .order_by(WorkOrder.id)
    )


def _downtime() -> Select[Any]:
    return (
        select(
            WorkOrder.number,
            Asset.code,
            DowntimePeriod.start,
            DowntimePeriod.end,
            DowntimePeriod.planned,
            DowntimePeriod.reason_code,
        )
        .join(WorkOrder, WorkOrder.id == DowntimePeriod.work_order_id)
        .join(Asset, Asset.id == DowntimePeriod.asset_id)
        .order_by(DowntimePeriod.id)
    )


def _labour() -> Select[Any]:
    return (
        select(
            WorkOrder.number,
            User.username,
            LabourEntry.work_date,
            LabourEntry.hours,
            LabourEntry.rate,
        )
        .join(WorkOrder, WorkOrder.id == LabourEntry.work_order_id)
        .join(User, User.id == LabourEntry.technician_id)
        .order_by(LabourEntry.id)
    )


def _assets() -> Select[Any]:
    parent = aliased(Asset)
    return (
        select(
            Asset.code,
            Asset.name,
            parent.code,
            Asset.level,
            Asset.asset_class,
            Asset.criticality,
            Asset.replacement_value,
            Asset.install_date,
        )
        .outerjoin(parent, parent.id == Asset.parent_id)
        .order_by(Asset.code)
    )


def _technicians() -> Select[Any]:
    # `name` is the user name, the key labour.csv's `technician` refers to.
    return (
        select(User.username, User.craft, User.weekly_hours, User.active)
        .where(User.role == Role.TECHNICIAN)
        .order_by(User.username)
    )


def _stock_ledger() -> Select[Any]:
    """Signed quantities: issues are negative, so parts cost = −Σ quantity × unit_cost."""
    return (
        select(
            Part.number,
            StockLocation.code,
            Bin.code,
            StockMovement.kind,
            StockMovement.quantity,
            StockMovement.unit_cost,
            WorkOrder.number,
            User.username,
            StockMovement.at,
        )
        .join(Part, Part.id == StockMovement.part_id)
        .join(StockLevel, StockLevel.id == StockMovement.stock_level_id)
        .join(Bin, Bin.id == StockLevel.bin_id)
        .join(StockLocation, StockLocation.id == Bin.location_id)
        .join(User, User.id == StockMovement.user_id)
        .outerjoin(WorkOrder, WorkOrder.id == StockMovement.work_order_id)
        .order_by(StockMovement.id)
    )


def _status_changes() -> Select[Any]:
    return (
        select(
            WorkOrder.number,
            StatusChange.from_status,
            StatusChange.to_status,
            StatusChange.at,
            User.username,
        )
        .join(WorkOrder, WorkOrder.id == StatusChange.work_order_id)
        .join(User, User.id == StatusChange.user_id)
        .order_by(StatusChange.id)
    )


TABLES = (
    Table(
        "work_orders",
        (
            "number",
            "type",
            "priority",
            "status",
            "asset",
            "is_failure",
            "requested_at",
            "approved_at",
            "scheduled_at",
            "started_at",
            "completed_at",
            "closed_at",
            "due_at",
            "scheduled_start",
            "scheduled_end",
            "estimate_hours",
            "pm_schedule",
            "pm_interval_days",
            "origin",
            "failure_mode",
        ),
        _work_orders,
    ),
    Table("downtime", ("work_order", "asset", "start", "end", "planned", "reason"), _downtime),
    Table("labour", ("work_order", "technician", "date", "hours", "rate"), _labour),
    Table(
        "assets",
        (
            "code",
            "name",
            "parent",
            "level",
            "class",
            "criticality",
            "replacement_value",
            "installed_on",
        ),
        _assets,
    ),
    Table("technicians", ("name", "craft", "weekly_hours", "active"), _technicians),
    Table(
        "stock_ledger",
        (
            "part",
            "location",
            "bin",
            "movement",
            "quantity",
            "unit_cost",
            "work_order",
            "user",
            "at",
        ),
        _stock_ledger,
    ),
    # The MTTR stages (KPIS.md) need every move, not only the first time a status was reached.
    Table(
        "status_changes", ("work_order", "from_status", "to_status", "at", "user"), _status_changes
    ),
)


def export(db: Database, out_dir: Path, xlsx: bool = False) -> ExportResult:
    """Write every table to `out_dir`: one CSV each, or sheets of one workbook with `xlsx`.

    All tables are read in one transaction, so they agree with each other even while
    other workstations keep writing.
    """
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with _snapshot(db) as conn:
            if xlsx:
                target = out_dir / WORKBOOK_NAME
                counts = _write_workbook(target, conn)
                return ExportResult((target,), counts)
            files, rows = [], []
            for table in TABLES:
                target = out_dir / f"{table.name}.csv"
                rows.append((table.name, _write_csv(target, table, _rows(conn, table))))
                files.append(target)
            return ExportResult(tuple(files), tuple(rows))
    except OSError as exc:
        raise ExportFailed(
            Phrase(
                "cannot write to {value}: {strerror}",
                value=exc.filename or out_dir,
                strerror=exc.strerror,
            )
        ) from exc


@contextmanager
def _snapshot(db: Database) -> Iterator[Connection]:
    """A read-only transaction that sees one consistent state of the database.

    SQLite in WAL mode keeps a reader's snapshot for the whole transaction by itself;
    PostgreSQL needs REPEATABLE READ for that, its default takes a new one per statement.
    """
    with db.engine.connect() as conn:
        if db.dialect == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield conn


def _rows(conn: Connection, table: Table) -> Iterator[Sequence[Any]]:
    if table.query is None:
        return
    yield from conn.execution_options(yield_per=BATCH_ROWS).execute(table.query())


def _write_csv(target: Path, table: Table, rows: Iterable[Sequence[Any]]) -> int:
    """Stream rows into `target` through a temporary file, so no half-written CSV is left."""
    partial = target.with_name(target.name + ".part")
    count = 0
    with partial.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(table.columns)
        for row in rows:
            writer.writerow([_csv_text(value) for value in row])
            count += 1
    os.replace(partial, target)
    return count


def _write_workbook(target: Path, conn: Connection) -> tuple[tuple[str, int], ...]:
    """One sheet per table in a write-only workbook, which streams rows instead of keeping them."""
    workbook = Workbook(write_only=True)
    counts = []
    for table in TABLES:
        sheet = workbook.create_sheet(table.name)
        sheet.append(table.columns)
        count = 0
        for row in _rows(conn, table):
            count += 1
            if count >= EXCEL_MAX_ROWS:
                raise ExportFailed(
                    Phrase(
                        "{name} has more rows than an Excel sheet holds ({value}): export CSV "
                        "files instead",
                        name=table.name,
                        value=Amount(EXCEL_MAX_ROWS - 1),
                    )
                )
            sheet.append([_cell(sheet, value) for value in row])
        counts.append((table.name, count))
    partial = target.with_name(target.name + ".part")
    workbook.save(partial)
    os.replace(partial, target)
    return tuple(counts)


def _utc_iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds")


def _plain_number(value: float) -> str:
    """Digits and a point only: no exponent, no thousands separator, no trailing '.0'."""
    text = repr(value)
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    return text.removesuffix(".0")


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""Text a spreadsheet would run as a formula (OWASP CSV injection): exported with a leading '."""


def _inert(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


_CSV_TEXT: dict[type, Callable[[Any], str]] = {
    str: _inert,
    int: str,
    float: _plain_number,
    bool: lambda value: "true" if value else "false",
    datetime: _utc_iso,
    date: date.isoformat,
    type(None): lambda _: "",
}


def _csv_text(value: object) -> str:
    """A value as the export writes it: UTC ISO-8601 times, plain numbers, true/false."""
    convert = _CSV_TEXT.get(type(value))
    if convert is not None:
        return convert(value)
    if isinstance(value, Enum):
        return str(value.value)
    raise TypeError(Phrase("no export format for {kind}", kind=type(value).__name__))


def _cell(sheet: Any, value: object) -> object:
    """A cell; text that looks like a formula is stored as text, which Excel never runs."""
    value = _cell_value(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"
        return cell
    return value


def _cell_value(value: object) -> object:
    """A value as an Excel cell: real numbers and dates; times in UTC, as Excel has no zones."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, str):
        # Control characters are not allowed in the XML of a workbook.
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value
