"""Tables of condition monitoring: OPC UA tags, historian samples and aggregates, rules, alarms."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from desktop.domain.condition import DataKind, Direction, RuleKind
from desktop.domain.verified_close import DEFAULT_VERIFY_MINUTES
from desktop.store.models import Base, _enum
from desktop.store.types import UTCDateTime

# SQLite only auto-numbers an INTEGER PRIMARY KEY; PostgreSQL needs 64 bits at 2k samples/s.
_BIG_ID = BigInteger().with_variant(Integer(), "sqlite")


class Tag(Base):
    """An OPC UA variable mapped to an asset; the node is found by namespace URI, not index."""

    __tablename__ = "plant_tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id"), index=True)
    namespace_uri: Mapped[str] = mapped_column(String(300))
    # The node id without its namespace index, e.g. "s=P1.Vibration" or "i=1042".
    node_id: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(32), default="")
    kind: Mapped[DataKind] = mapped_column(_enum(DataKind))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Historian compression: the tag's accuracy in its unit and the longest time between
    # stored points; NULL takes the defaults by unit (desktop.domain.compression).
    deviation: Mapped[float | None] = mapped_column(Float)
    max_interval_s: Mapped[float | None] = mapped_column(Float)
    # The sampling interval asked of the server; NULL takes the tag class's default
    # (desktop.plant.sampling).
    sampling_ms: Mapped[int | None] = mapped_column(Integer)


class RawSample(Base):
    """One sample as received, as Wrenchbook kept them before the history store (0012);
    the historian moves the rows of an upgraded site into its store and empties this."""

    __tablename__ = "plant_samples"
    __table_args__ = (Index("ix_plant_samples_tag_ts", "tag_id", "ts"),)

    id: Mapped[int] = mapped_column(_BIG_ID, primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("plant_tags.id"))
    ts: Mapped[float] = mapped_column(Float)
    value: Mapped[float | None] = mapped_column(Float)
    quality: Mapped[int] = mapped_column(SmallInteger)


class MinuteAggregate(Base):
    """Min, sum, max and count of a tag's good samples in one minute (avg = sum / count), as
    kept before the history store (0012); moved there and emptied like `RawSample`."""

    __tablename__ = "plant_sample_minutes"

    tag_id: Mapped[int] = mapped_column(ForeignKey("plant_tags.id"), primary_key=True)
    minute: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    vmin: Mapped[float] = mapped_column(Float)
    vmax: Mapped[float] = mapped_column(Float)
    vsum: Mapped[float] = mapped_column(Float)
    count: Mapped[int] = mapped_column(Integer)


class ConditionRule(Base):
    __tablename__ = "condition_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("plant_tags.id"), index=True)
    kind: Mapped[RuleKind] = mapped_column(_enum(RuleKind))
    direction: Mapped[Direction] = mapped_column(_enum(Direction))
    limit: Mapped[float] = mapped_column(Float)
    hysteresis: Mapped[float] = mapped_column(Float, default=0.0)
    on_delay_s: Mapped[float] = mapped_column(Float, default=0.0)
    window_s: Mapped[float] = mapped_column(Float, default=600.0)
    horizon_s: Mapped[float] = mapped_column(Float, default=86400.0)
    priority: Mapped[int] = mapped_column(Integer)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # Verified close: minutes the signal must stay in band after the repair (0: no check).
    verify_minutes: Mapped[int] = mapped_column(
        Integer, default=DEFAULT_VERIFY_MINUTES, server_default=str(DEFAULT_VERIFY_MINUTES)
    )


class Alarm(Base):
    """A rule that fired, and the predictive work order it opened.

    `open_rule_id` holds the rule's id while the alarm's work order is open and NULL after:
    its unique constraint is what stops two monitoring workstations raising the same alarm
    twice (NULLs never collide on either engine).
    """

    __tablename__ = "alarms"

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("condition_rules.id"), index=True)
    open_rule_id: Mapped[int | None] = mapped_column(ForeignKey("condition_rules.id"), unique=True)
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    measure: Mapped[float] = mapped_column(Float)
    message: Mapped[str] = mapped_column(Text)
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"), index=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
