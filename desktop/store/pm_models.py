"""Tables of preventive maintenance: site calendar, meters and readings, schedules, occurrences."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop.domain.meters import MeterKind, ReadingKind
from desktop.domain.pm_rules import (
    CalendarMode,
    IntervalUnit,
    OccurrenceState,
    OnOpen,
    WorkingDayRule,
)
from desktop.store.models import Asset, Base, _enum
from desktop.store.types import UTCDateTime


class SiteCalendar(Base):
    """The working week, shifts and public-holiday region of a site (one row per site)."""

    __tablename__ = "site_calendars"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), unique=True)
    country: Mapped[str | None] = mapped_column(String(8))
    subdivision: Mapped[str | None] = mapped_column(String(16))
    working_weekdays: Mapped[str] = mapped_column(String(32))
    shifts: Mapped[str] = mapped_column(String(200))


class CalendarClosure(Base):
    """A planned shutdown or works holiday: days the site does not count as working days."""

    __tablename__ = "calendar_closures"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(200))


class Meter(Base):
    """A runtime-hours or cycle counter on an asset; `total` is the usage since it was set up."""

    __tablename__ = "meters"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[MeterKind] = mapped_column(_enum(MeterKind))
    unit: Mapped[str] = mapped_column(String(32))
    # The counter value at which the display wraps to zero, for counters that roll over.
    rollover: Mapped[float | None] = mapped_column(Float)
    last_value: Mapped[float | None] = mapped_column(Float)
    last_reading_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    total: Mapped[float] = mapped_column(Float, default=0.0)

    asset: Mapped[Asset] = relationship()


class MeterReading(Base):
    """One raw counter value as read, with the usage it added and the running total."""

    __tablename__ = "meter_readings"
    __table_args__ = (UniqueConstraint("meter_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meter_id: Mapped[int] = mapped_column(ForeignKey("meters.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    value: Mapped[float] = mapped_column(Float)
    delta: Mapped[float] = mapped_column(Float)
    total: Mapped[float] = mapped_column(Float)
    kind: Mapped[ReadingKind] = mapped_column(_enum(ReadingKind))
    # "manual", or where a feed got it from (e.g. "opcua:ns=2;s=P101.RunHours").
    source: Mapped[str] = mapped_column(String(200))
    entered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class PMSchedule(Base):
    __tablename__ = "pm_schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    instructions: Mapped[str] = mapped_column(Text, default="")
    checklist_code: Mapped[str | None] = mapped_column(String(32))
    estimate_hours: Mapped[float | None] = mapped_column(Float)
    craft: Mapped[str | None] = mapped_column(String(64))
    priority: Mapped[int] = mapped_column(Integer)
    calendar_every: Mapped[int | None] = mapped_column(Integer)
    calendar_unit: Mapped[IntervalUnit | None] = mapped_column(_enum(IntervalUnit))
    calendar_mode: Mapped[CalendarMode] = mapped_column(_enum(CalendarMode))
    # The first due date; fixed schedules count every later one from it.
    start_date: Mapped[date] = mapped_column(Date)
    meter_id: Mapped[int | None] = mapped_column(ForeignKey("meters.id"))
    meter_every: Mapped[float | None] = mapped_column(Float)
    # The meter's total when the schedule was set up: the first meter interval counts from it.
    meter_start: Mapped[float | None] = mapped_column(Float)
    lead_days: Mapped[int] = mapped_column(Integer)
    working_day_rule: Mapped[WorkingDayRule] = mapped_column(_enum(WorkingDayRule))
    on_open: Mapped[OnOpen] = mapped_column(_enum(OnOpen))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    asset: Mapped[Asset] = relationship()
    meter: Mapped[Meter | None] = relationship()
    parts: Mapped[list[PMKitLine]] = relationship(
        cascade="all, delete-orphan", order_by="PMKitLine.id"
    )
    blackouts: Mapped[list[PMBlackout]] = relationship(
        cascade="all, delete-orphan", order_by="PMBlackout.first_day"
    )


class PMKitLine(Base):
    """A part of the schedule's kit, by part number (the parts table is another module's)."""

    __tablename__ = "pm_kit_lines"
    __table_args__ = (UniqueConstraint("schedule_id", "part_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("pm_schedules.id"))
    part_number: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[float] = mapped_column(Float)


class PMBlackout(Base):
    __tablename__ = "pm_blackouts"

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("pm_schedules.id"), index=True)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200), default="")


class PMOccurrence(Base):
    """One due date of a schedule and what the generator did with it.

    The unique keys are the idempotence guarantee: however many generators run at once, the
    database accepts one row per schedule and due date (and per cycle), so one work order.
    """

    __tablename__ = "pm_occurrences"
    __table_args__ = (
        UniqueConstraint("schedule_id", "due_date"),
        UniqueConstraint("schedule_id", "cycle"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("pm_schedules.id"))
    cycle: Mapped[int] = mapped_column(Integer)
    # The date the schedule's interval gives; planned_date is after calendar and blackouts.
    due_date: Mapped[date] = mapped_column(Date)
    planned_date: Mapped[date] = mapped_column(Date)
    due_meter: Mapped[float | None] = mapped_column(Float)
    interval_days: Mapped[float | None] = mapped_column(Float)
    state: Mapped[OccurrenceState] = mapped_column(_enum(OccurrenceState))
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ChecklistFinding(Base):
    """A failed checklist item and the corrective order raised for it (one per item)."""

    __tablename__ = "checklist_findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    checklist_item_id: Mapped[int] = mapped_column(
        ForeignKey("work_order_checklist_items.id"), unique=True
    )
    corrective_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
