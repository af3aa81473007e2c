"""Tables of lock-out/tag-out: an asset's isolation points and each order's locks on them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from desktop.store.models import Base
from desktop.store.types import UTCDateTime


class IsolationPoint(Base):
    """Where one energy source of an asset is isolated, and the tag that proves it is off."""

    __tablename__ = "isolation_points"
    __table_args__ = (UniqueConstraint("asset_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    energy_source: Mapped[str] = mapped_column(String(120))
    device: Mapped[str] = mapped_column(String(120))
    lock_point: Mapped[str] = mapped_column(String(200))
    tag_id: Mapped[int | None] = mapped_column(ForeignKey("plant_tags.id"))
    # A reading at or below this counts as zero energy (a Running flag: 0; a current: 0.2 A).
    zero_max: Mapped[float] = mapped_column(Float, default=0.0)


class WorkOrderIsolation(Base):
    """One lock on one isolation point for one work order: applied, verified, removed, each by
    a named person who re-entered their own password or PIN."""

    __tablename__ = "work_order_isolations"
    __table_args__ = (UniqueConstraint("work_order_id", "isolation_point_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    isolation_point_id: Mapped[int] = mapped_column(ForeignKey("isolation_points.id"))
    lock_number: Mapped[str] = mapped_column(String(64))
    applied_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verified_reading: Mapped[float | None] = mapped_column(Float)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LockoutAlarm(Base):
    """A machine read energised while a verified lock was on it (issue 16): recorded once by
    the monitoring side when it is first seen, and acknowledged by a named person who
    re-entered their PIN or password. Kept by order and point rather than by lock row, since
    re-applying a removed lock replaces that row and the alarm must stay on the record."""

    __tablename__ = "lockout_alarms"
    __table_args__ = (UniqueConstraint("work_order_id", "isolation_point_id", "raised_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    isolation_point_id: Mapped[int] = mapped_column(ForeignKey("isolation_points.id"))
    lock_number: Mapped[str] = mapped_column(String(64))
    # The time of the first energised sample, and its value.
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reading: Mapped[float] = mapped_column(Float)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # "PIN" or "password": what the person proved themselves with.
    acknowledged_with: Mapped[str | None] = mapped_column(String(16))
