"""SQLAlchemy 2 table classes: the storage shape of the domain.

Rows stay inside `desktop/`: services convert them to frozen dataclasses before they leave.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from desktop.domain.enums import (
    AssetLevel,
    AssetStatus,
    ChecklistItemKind,
    CheckResult,
    Criticality,
    HoldReason,
    Origin,
    Role,
    Status,
    WorkOrderType,
)
from desktop.store.types import UTCDateTime

if TYPE_CHECKING:
    from enum import Enum as PyEnum

# Stable constraint names so that Alembic migrations can refer to them on both engines.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _enum(enum_cls: type[PyEnum]) -> Enum:
    """Enum stored as its value in a VARCHAR, so new members need no schema change."""
    return Enum(
        enum_cls,
        native_enum=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Site(Base):
    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")


class Asset(Base):
    __tablename__ = "assets"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("assets.id"), index=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[AssetLevel] = mapped_column(_enum(AssetLevel))
    asset_class: Mapped[str] = mapped_column(String(64), index=True)
    criticality: Mapped[Criticality] = mapped_column(_enum(Criticality))
    status: Mapped[AssetStatus] = mapped_column(_enum(AssetStatus), default=AssetStatus.IN_SERVICE)
    maker: Mapped[str | None] = mapped_column(String(120))
    model: Mapped[str | None] = mapped_column(String(120))
    serial: Mapped[str | None] = mapped_column(String(120))
    location: Mapped[str | None] = mapped_column(String(200))
    install_date: Mapped[date | None] = mapped_column(Date)
    replacement_value: Mapped[float] = mapped_column(Float, default=0.0)

    parent: Mapped[Asset | None] = relationship(remote_side=[id])


class User(Base):
    """A person who logs in; technicians carry their craft, rate and weekly hours."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(_enum(Role))
    craft: Mapped[str | None] = mapped_column(String(64))
    hourly_rate: Mapped[float] = mapped_column(Float, default=0.0)
    weekly_hours: Mapped[float] = mapped_column(Float, default=0.0)
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # A short operator PIN for the control-room display; argon2 like the password.
    pin_hash: Mapped[str | None] = mapped_column(String(255))
    # Consecutive failed log-ins (password or PIN) since the last success or lock.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Where notifications are mailed; none means desktop notices only.
    email: Mapped[str | None] = mapped_column(String(254))
    # Mail one summary an hour instead of one mail per event.
    digest: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # When a leaver was deactivated (active False); kept so the record says since when.
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


KPI_ORDER_COLUMNS = (
    "completed_at", "requested_at", "cancelled_at", "type", "origin", "is_failure", "asset_id",
    "estimate_hours", "failure_mode", "approved_at", "scheduled_at", "started_at", "due_at",
    "scheduled_start",
)  # fmt: skip
"""The work-order facts the KPIs read, indexed together (migration 0015) so the KPI read never
touches the wide rows; led by completed_at, it also serves the period queries on completion."""


class WorkOrder(Base):
    __tablename__ = "work_orders"
    __table_args__ = (
        Index("ix_work_orders_status_due", "status", "due_at"),
        Index("ix_work_orders_asset_status", "asset_id", "status"),
        Index("ix_work_orders_kpi", *KPI_ORDER_COLUMNS),
        # Covers the board's per-keystroke read of every open order's sort keys (board.py).
        Index(
            "ix_work_orders_board", "status", "priority", "due_at", "number", "title", "asset_id"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    type: Mapped[WorkOrderType] = mapped_column(_enum(WorkOrderType))
    priority: Mapped[int] = mapped_column(Integer)
    status: Mapped[Status] = mapped_column(_enum(Status))
    origin: Mapped[Origin] = mapped_column(_enum(Origin), default=Origin.REQUEST)
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id"))
    requester_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    scheduled_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    scheduled_end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    estimate_hours: Mapped[float | None] = mapped_column(Float)
    asset_down: Mapped[bool] = mapped_column(Boolean, default=False)
    # KPIS.md: true for emergencies and for corrective work after a loss of function.
    is_failure: Mapped[bool] = mapped_column(Boolean, default=False)
    failure_impact: Mapped[str | None] = mapped_column(String(16))
    failure_mode: Mapped[str | None] = mapped_column(String(16))
    failure_mechanism: Mapped[str | None] = mapped_column(String(16))
    failure_cause: Mapped[str | None] = mapped_column(String(16))
    detection_method: Mapped[str | None] = mapped_column(String(16))
    activity: Mapped[str | None] = mapped_column(String(16))
    resolution: Mapped[str] = mapped_column(Text, default="")
    hold_reason: Mapped[HoldReason | None] = mapped_column(_enum(HoldReason))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    asset: Mapped[Asset] = relationship()
    requester: Mapped[User] = relationship(foreign_keys=[requester_id])
    updated_by: Mapped[User] = relationship(foreign_keys=[updated_by_id])
    assignees: Mapped[list[Assignment]] = relationship(
        cascade="all, delete-orphan", order_by="Assignment.user_id"
    )
    downtime: Mapped[list[DowntimePeriod]] = relationship(
        cascade="all, delete-orphan", order_by="DowntimePeriod.start"
    )
    labour: Mapped[list[LabourEntry]] = relationship(order_by="LabourEntry.id")
    checklist: Mapped[list[ChecklistResult]] = relationship(
        cascade="all, delete-orphan", order_by="ChecklistResult.position"
    )
    history: Mapped[list[StatusChange]] = relationship(order_by="StatusChange.id")


class Assignment(Base):
    __tablename__ = "work_order_assignees"

    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    is_lead: Mapped[bool] = mapped_column(Boolean, default=False)

    user: Mapped[User] = relationship()


class DowntimePeriod(Base):
    __tablename__ = "downtime_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    # None for a machine stop that no order was open for (issue 19): every stop is kept.
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"), index=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id"), index=True)
    start: Mapped[datetime] = mapped_column(UTCDateTime)
    end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    planned: Mapped[bool] = mapped_column(Boolean, default=False)
    reason_code: Mapped[str] = mapped_column(String(64), default="")
    # The operator's code for a machine stop (desktop/domain/stop_reasons.py), and who gave it.
    stop_reason: Mapped[str | None] = mapped_column(String(32))
    coded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    coded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class StatusChange(Base):
    __tablename__ = "status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    from_status: Mapped[Status | None] = mapped_column(_enum(Status))
    to_status: Mapped[Status] = mapped_column(_enum(Status))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")

    user: Mapped[User] = relationship()


class LabourEntry(Base):
    __tablename__ = "labour_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    technician_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    work_date: Mapped[date] = mapped_column(Date, index=True)
    hours: Mapped[float] = mapped_column(Float)
    rate: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    technician: Mapped[User] = relationship()


class ChecklistTemplate(Base):
    __tablename__ = "checklist_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    asset_class: Mapped[str | None] = mapped_column(String(64))
    # Safety checklists (lock-out/tag-out) must be answered in full before completion.
    safety: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    items: Mapped[list[ChecklistTemplateItem]] = relationship(
        cascade="all, delete-orphan", order_by="ChecklistTemplateItem.position"
    )


class ChecklistTemplateItem(Base):
    __tablename__ = "checklist_template_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("checklist_templates.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[ChecklistItemKind] = mapped_column(_enum(ChecklistItemKind))
    text: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str | None] = mapped_column(String(32))
    low: Mapped[float | None] = mapped_column(Float)
    high: Mapped[float | None] = mapped_column(Float)
    required: Mapped[bool] = mapped_column(Boolean, default=True)


class ChecklistResult(Base):
    """A checklist item copied onto a work order, with its answer once given."""

    __tablename__ = "work_order_checklist_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    template_code: Mapped[str | None] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[ChecklistItemKind] = mapped_column(_enum(ChecklistItemKind))
    text: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str | None] = mapped_column(String(32))
    low: Mapped[float | None] = mapped_column(Float)
    high: Mapped[float | None] = mapped_column(Float)
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    safety: Mapped[bool] = mapped_column(Boolean, default=False)
    result: Mapped[CheckResult | None] = mapped_column(_enum(CheckResult))
    value: Mapped[float | None] = mapped_column(Float)
    text_value: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Attachment(Base):
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    mime_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class Addendum(Base):
    """A note added to a closed work order, which is otherwise read-only."""

    __tablename__ = "work_order_addenda"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)


class AuditEntry(Base):
    """One link of the hash chain; before/after are stored as the exact canonical JSON hashed."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[int | None] = mapped_column(Integer)
    username: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    entity_type: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(64))
    before_json: Mapped[str] = mapped_column(Text)
    after_json: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index("ix_audit_log_entity", "entity_type", "entity_id"),)


class AuditHead(Base):
    """A single row holding the chain's newest link; writers lock it to append in order."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


class RowAuditEntry(Base):
    """One row change recorded by the database itself (PostgreSQL triggers, migration 0010).

    Written only by the `wb_row_audit` trigger with the database login and the server clock;
    the app never inserts here. Hashed field by field (`audit.row_entry_hash`), chained like
    `audit_log`. Empty on SQLite, whose file has no users to tell apart.
    """

    __tablename__ = "row_audit"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    db_user: Mapped[str] = mapped_column(String(64))
    operation: Mapped[str] = mapped_column(String(8))
    table_name: Mapped[str] = mapped_column(String(64))
    row_key: Mapped[str | None] = mapped_column(String(200))
    before_json: Mapped[str | None] = mapped_column(Text)
    after_json: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index("ix_row_audit_row", "table_name", "row_key"),)


class RowAuditHead(Base):
    """The row-change chain's newest link; only the database's trigger moves it."""

    __tablename__ = "row_audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))


class NumberCounter(Base):
    """Last number handed out per series (e.g. `WO-2026`), locked while a number is taken."""

    __tablename__ = "number_counters"

    series: Mapped[str] = mapped_column(String(32), primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


class KpiFactBlock(Base):
    """The KPI facts of one block of work-order ids, packed as numpy columns (derived data).

    A trigger on work orders, labour and downtime (migration 0020) raises `generation` whenever
    a row of the block changes, from any client; the block is current while `built_generation`
    equals it (`desktop.services.analytics.kpi_facts`). Block -1 holds the machine stops that no
    order was open for.
    """

    __tablename__ = "kpi_fact_blocks"

    block_no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    generation: Mapped[int] = mapped_column(BigInteger, server_default="0")
    built_generation: Mapped[int | None] = mapped_column(BigInteger)
    facts: Mapped[bytes | None] = mapped_column(LargeBinary)


from desktop.store import (  # noqa: E402, F401  (registers their tables)
    asset_models,
    condition_models,
    inventory_models,
    lockout_models,
    notification_models,
    pm_models,
)
