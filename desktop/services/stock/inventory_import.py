"""Import vendors, parts and opening stock from CSV or Excel: every row checked, all or nothing.

Built on the reading, header and row checks of `desktop.services.admin.importing`, so problems read
the same as for assets and users: `row 7, column unit_cost: 'abc' is not a plain number`.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from sqlalchemy import select

from desktop.domain.inventory import MovementKind, moving_average, qty
from desktop.domain.permissions import Action, Actor, require
from desktop.services.admin.importing import (
    NON_TEXT_MAX_CHARS,
    ImportRefused,
    ImportResult,
    _Column,
    _existing,
    _insert,
    _Row,
    _row_order,
    _row_problems,
    _text_column,
    parse_rows,
    read_cells,
)
from desktop.services.shared.clock import Clock, utc_now
from desktop.services.stock.inventory import (
    InventoryService,
    level_problems,
    part_problems,
    vendor_problems,
)
from desktop.services.stock.inventory_records import NewPart, NewVendor
from desktop.services.stock.stock_engine import check_reorder, ensure_level, part_on_hand, post
from desktop.store.inventory_models import Bin, Part, StockLevel, StockLocation, Vendor

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy.orm import Session

    from desktop.store.database import Database

VENDOR_COLUMNS = (
    _text_column("code", Vendor.code, True),
    _text_column("name", Vendor.name, True),
    _Column("lead_time_days", False, NON_TEXT_MAX_CHARS),
    _text_column("contact", Vendor.contact, False),
    _text_column("email", Vendor.email, False),
    _text_column("phone", Vendor.phone, False),
)
PART_COLUMNS = (
    _text_column("number", Part.number, True),
    _text_column("description", Part.description, True),
    _text_column("unit", Part.unit, False),
    _text_column("category", Part.category, False),
    _text_column("vendor", Vendor.code, False),
    _Column("unit_cost", False, NON_TEXT_MAX_CHARS),
)
OPENING_COLUMNS = (
    _text_column("part", Part.number, True),
    _text_column("bin", Bin.code, True),
    _text_column("location", StockLocation.code, False),
    _Column("quantity", True, NON_TEXT_MAX_CHARS),
    _Column("unit_cost", False, NON_TEXT_MAX_CHARS),
    _Column("min", False, NON_TEXT_MAX_CHARS),
    _Column("max", False, NON_TEXT_MAX_CHARS),
    _Column("reorder_qty", False, NON_TEXT_MAX_CHARS),
)
OPENING_REASON = "opening stock"


def _unique(rows: list[tuple[_Row, str]], column: str, taken: set[str], what: str) -> None:
    """Keys once in the file and not yet in the database."""
    first_row: dict[str, int] = {}
    for row, key in rows:
        if not key:
            continue
        if key in first_row:
            row.add(column, f"{key} is also on row {first_row[key]}")
        elif key in taken:
            row.add(column, f"{what} {key} exists already")
        else:
            first_row[key] = row.spreadsheet_row


class InventoryImportService:
    def __init__(self, db: Database, clock: Clock = utc_now) -> None:
        self._db = db
        self._clock = clock

    def vendors(self, actor: Actor, path: Path) -> ImportResult:
        require(actor, Action.MANAGE_PARTS)
        rows, problems = parse_rows(read_cells(path, "vendors"), VENDOR_COLUMNS)
        lines = [(row, _vendor(row)) for row in rows]
        service = InventoryService(self._db, self._clock)
        with self._db.unit_of_work() as session:
            taken = {c for (c,) in _existing(session, Vendor.code, [n.code for _, n in lines])}
            _unique([(row, new.code) for row, new in lines], "code", taken, "vendor")
            problems += _row_problems((row for row, _ in lines), VENDOR_COLUMNS)
            if problems:
                raise ImportRefused(path, sorted(problems, key=_row_order))
            for row, new in lines:
                _insert(path, row, partial(service.insert_vendor, session, actor, new))
            return ImportResult(tuple(new.code for _, new in lines))

    def parts(self, actor: Actor, path: Path) -> ImportResult:
        require(actor, Action.MANAGE_PARTS)
        rows, problems = parse_rows(read_cells(path, "parts"), PART_COLUMNS)
        lines = [(row, _part(row)) for row in rows]
        service = InventoryService(self._db, self._clock)
        with self._db.unit_of_work() as session:
            taken = {n for (n,) in _existing(session, Part.number, [p.number for _, p in lines])}
            _unique([(row, new.number) for row, new in lines], "number", taken, "part")
            wanted = [new.vendor_code or "" for _, new in lines]
            vendors = {c for (c,) in _existing(session, Vendor.code, wanted)}
            for row, new in lines:
                if new.vendor_code and new.vendor_code not in vendors:
                    row.add("vendor", f"no vendor {new.vendor_code}: import the vendors first")
            problems += _row_problems((row for row, _ in lines), PART_COLUMNS)
            if problems:
                raise ImportRefused(path, sorted(problems, key=_row_order))
            for row, new in lines:
                _insert(path, row, partial(service.insert_part, session, actor, new))
            return ImportResult(tuple(new.number for _, new in lines))

    def opening(self, actor: Actor, path: Path) -> ImportResult:
        """Opening balances as receipts into empty bins, with their reorder settings."""
        require(actor, Action.MOVE_STOCK)
        require(actor, Action.MANAGE_PARTS)
        rows, problems = parse_rows(read_cells(path, "stock"), OPENING_COLUMNS)
        now = self._clock()
        service = InventoryService(self._db, self._clock)
        with self._db.unit_of_work() as session:
            parts = {
                p.number: p
                for p in session.execute(
                    select(Part)
                    .where(Part.number.in_({row.text("part") for row in rows}))
                    .order_by(Part.id)
                    .with_for_update()
                ).scalars()
            }
            wanted = {row.text("bin") for row in rows}
            bins = dict(
                session.execute(
                    select(Bin.code, StockLocation.code)
                    .join(StockLocation, StockLocation.id == Bin.location_id)
                    .where(Bin.code.in_(wanted))
                ).all()
            )
            stocked = _stocked(session)
            first_row: dict[tuple[str, str], int] = {}
            for row in rows:
                _check_opening(row, parts, bins, stocked, first_row)
            problems += _row_problems(rows, OPENING_COLUMNS)
            if problems:
                raise ImportRefused(path, sorted(problems, key=_row_order))
            created = []
            for row in rows:
                part = parts[row.text("part")]
                code = row.text("bin")
                if code not in bins:
                    service.insert_bin(session, actor, code, row.text("location"))
                    bins[code] = row.text("location")
                bin_ = session.execute(select(Bin).where(Bin.code == code)).scalar_one()
                level = ensure_level(session, actor, part, bin_, now)
                level.min_qty = row.number("min", 0.0)
                level.max_qty = row.number("max", 0.0)
                level.reorder_qty = row.number("reorder_qty", 0.0)
                quantity = qty(row.number("quantity", 0.0))
                if quantity > 0:
                    cost = row.number("unit_cost", part.unit_cost)
                    part.average_cost = moving_average(
                        part_on_hand(session, part.id), part.average_cost, quantity, cost
                    )
                    movement = post(
                        session,
                        actor,
                        now,
                        part,
                        level,
                        code,
                        MovementKind.RECEIPT,
                        quantity,
                        cost,
                        reason=OPENING_REASON,
                    )
                    session.flush()
                    service.posted(session, actor, movement, part, bin_, None)
                created.append(f"{part.number}@{code}")
            session.flush()
            for part in parts.values():
                check_reorder(session, actor, part, now)
            return ImportResult(tuple(created))


def _vendor(row: _Row) -> NewVendor:
    days = row.number("lead_time_days", 7)
    if days != int(days):
        row.add("lead_time_days", "a whole number of days")
    new = NewVendor(
        code=row.text("code"),
        name=row.text("name"),
        lead_time_days=int(days),
        contact=row.text("contact"),
        email=row.text("email"),
        phone=row.text("phone"),
    )
    for name, text in vendor_problems(new).items():
        row.add(name, text)
    return new


def _part(row: _Row) -> NewPart:
    new = NewPart(
        number=row.text("number"),
        description=row.text("description"),
        unit=row.text("unit") or "each",
        category=row.text("category"),
        vendor_code=row.optional_text("vendor"),
        unit_cost=row.number("unit_cost", 0.0),
    )
    for name, text in part_problems(new).items():
        row.add(name, text)
    return new


def _stocked(session: Session) -> set[tuple[str, str]]:
    """(part, bin) pairs that already hold stock: opening balances go into empty bins only."""
    return {
        (number, code)
        for number, code in session.execute(
            select(Part.number, Bin.code)
            .join(StockLevel, StockLevel.part_id == Part.id)
            .join(Bin, Bin.id == StockLevel.bin_id)
            .where(StockLevel.on_hand != 0)
        ).all()
    }


def _check_opening(
    row: _Row,
    parts: dict[str, Part],
    bins: dict[str, str],
    stocked: set[tuple[str, str]],
    first_row: dict[tuple[str, str], int],
) -> None:
    number, code = row.text("part"), row.text("bin")
    if number and number not in parts:
        row.add("part", f"no part {number}: import the parts first")
    if code and code not in bins and not row.text("location"):
        row.add("location", f"bin {code} is new: name its store room")
    key = (number, code)
    if key in first_row:
        row.add("bin", f"{number} in {code} is also on row {first_row[key]}")
    elif key in stocked:
        row.add("bin", f"{number} already has stock in {code}; use stock adjust")
    else:
        first_row[key] = row.spreadsheet_row
    quantity = row.number("quantity", 0.0)
    if quantity < 0:
        row.add("quantity", "must not be negative")
    if row.number("unit_cost", 0.0) < 0:
        row.add("unit_cost", "must not be negative")
    limits = level_problems(
        row.number("min", 0.0), row.number("max", 0.0), row.number("reorder_qty", 0.0)
    )
    for name, text in limits.items():
        row.add(name, text)
