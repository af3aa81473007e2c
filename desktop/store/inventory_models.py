"""Inventory and purchasing tables: parts, vendors, bins, stock levels, the ledger, orders."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop.domain.inventory import MovementKind, PoStatus, RequisitionStatus
from desktop.store.models import Base, _enum
from desktop.store.types import UTCDateTime


class Vendor(Base):
    __tablename__ = "vendors"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    contact: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(64), default="")
    lead_time_days: Mapped[int] = mapped_column(Integer, default=7)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Part(Base):
    """A stocked item; `average_cost` is the moving average that issues are charged at.

    Every stock movement of a part first locks this row, which orders concurrent writers of
    the part's bins, its average cost and its requisitions (see stock_engine).
    """

    __tablename__ = "parts"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    description: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(16), default="each")
    category: Mapped[str] = mapped_column(String(64), default="")
    default_vendor_id: Mapped[int | None] = mapped_column(ForeignKey("vendors.id"))
    unit_cost: Mapped[float] = mapped_column(Float, default=0.0)
    average_cost: Mapped[float] = mapped_column(Float, default=0.0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    default_vendor: Mapped[Vendor | None] = relationship()


class StockLocation(Base):
    """A store room; its bins are the places stock is counted in."""

    __tablename__ = "stock_locations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))


class Bin(Base):
    """A shelf place; codes are unique across the site so `--bin A-12` needs no store room."""

    __tablename__ = "stock_bins"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("stock_locations.id"), index=True)

    location: Mapped[StockLocation] = relationship()


class StockLevel(Base):
    """One part in one bin: the balance the ledger adds up to, and its reorder settings."""

    __tablename__ = "stock_levels"
    __table_args__ = (UniqueConstraint("part_id", "bin_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"), index=True)
    bin_id: Mapped[int] = mapped_column(ForeignKey("stock_bins.id"), index=True)
    on_hand: Mapped[float] = mapped_column(Float, default=0.0)
    reserved: Mapped[float] = mapped_column(Float, default=0.0)
    min_qty: Mapped[float] = mapped_column(Float, default=0.0)
    max_qty: Mapped[float] = mapped_column(Float, default=0.0)
    reorder_qty: Mapped[float] = mapped_column(Float, default=0.0)
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    part: Mapped[Part] = relationship()
    bin: Mapped[Bin] = relationship()


class StockMovement(Base):
    """One append-only ledger row; rows are never updated or deleted."""

    __tablename__ = "stock_movements"
    __table_args__ = (Index("ix_stock_movements_part_id_id", "part_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[MovementKind] = mapped_column(_enum(MovementKind))
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"))
    stock_level_id: Mapped[int] = mapped_column(ForeignKey("stock_levels.id"), index=True)
    quantity: Mapped[float] = mapped_column(Float)
    unit_cost: Mapped[float] = mapped_column(Float)
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"), index=True)
    po_line_id: Mapped[int | None] = mapped_column(ForeignKey("purchase_order_lines.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class PlannedPart(Base):
    """A part a work order is planned to use; scheduling reserves it."""

    __tablename__ = "work_order_parts"
    __table_args__ = (UniqueConstraint("work_order_id", "part_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"), index=True)
    quantity: Mapped[float] = mapped_column(Float)


class Reservation(Base):
    """Stock in one bin held for one work order; the level's `reserved` is their sum."""

    __tablename__ = "stock_reservations"
    __table_args__ = (UniqueConstraint("work_order_id", "stock_level_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"), index=True)
    stock_level_id: Mapped[int] = mapped_column(ForeignKey("stock_levels.id"), index=True)
    quantity: Mapped[float] = mapped_column(Float)


class PurchaseOrder(Base):
    __tablename__ = "purchase_orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id"), index=True)
    status: Mapped[PoStatus] = mapped_column(_enum(PoStatus))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")

    vendor: Mapped[Vendor] = relationship()
    lines: Mapped[list[PurchaseOrderLine]] = relationship(order_by="PurchaseOrderLine.line_no")


class PurchaseOrderLine(Base):
    __tablename__ = "purchase_order_lines"
    __table_args__ = (UniqueConstraint("purchase_order_id", "line_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    purchase_order_id: Mapped[int] = mapped_column(ForeignKey("purchase_orders.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"), index=True)
    quantity: Mapped[float] = mapped_column(Float)
    unit_price: Mapped[float] = mapped_column(Float)
    received: Mapped[float] = mapped_column(Float, default=0.0)

    part: Mapped[Part] = relationship()


class RequisitionLine(Base):
    """A request to buy one part from its vendor, raised by low stock or by hand."""

    __tablename__ = "purchase_requisitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"), index=True)
    vendor_id: Mapped[int | None] = mapped_column(ForeignKey("vendors.id"), index=True)
    quantity: Mapped[float] = mapped_column(Float)
    status: Mapped[RequisitionStatus] = mapped_column(_enum(RequisitionStatus), index=True)
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(Text, default="")
    po_line_id: Mapped[int | None] = mapped_column(ForeignKey("purchase_order_lines.id"))

    part: Mapped[Part] = relationship()
