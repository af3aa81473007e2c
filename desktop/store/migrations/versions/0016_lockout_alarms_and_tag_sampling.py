"""Safety alarms of lock-out kept as records, and a sampling interval per tag.

A machine re-energised behind a verified lock was only computed from the historian when
asked, and acknowledging it on the control-room display was only logged; now its firing and
its acknowledgement (who, when, with PIN or password) are rows, audited (issue 16). A tag may
ask the server for its own sampling interval instead of its class's default (issue 22).
Existing tags keep NULL, the class default they used so far; no alarm rows exist before.

Revision ID: 0016
Revises: 0013
Create Date: 2026-12-05 17:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from desktop.store.db_roles import new_table_sql
from desktop.store.types import UTCDateTime

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

NEW_TABLES = ("lockout_alarms",)
AUDITED: dict[str, tuple[str, ...]] = {"lockout_alarms": ("id",)}


def upgrade() -> None:
    with op.batch_alter_table("plant_tags") as batch:
        batch.add_column(sa.Column("sampling_ms", sa.Integer(), nullable=True))
    op.create_table(
        "lockout_alarms",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("work_order_id", sa.Integer(), sa.ForeignKey("work_orders.id"), nullable=False),
        sa.Column(
            "isolation_point_id",
            sa.Integer(),
            sa.ForeignKey("isolation_points.id"),
            nullable=False,
        ),
        sa.Column("lock_number", sa.String(64), nullable=False),
        sa.Column("raised_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("reading", sa.Float(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("acknowledged_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_with", sa.String(16), nullable=True),
        sa.UniqueConstraint("work_order_id", "isolation_point_id", "raised_at"),
    )
    op.create_index("ix_lockout_alarms_work_order_id", "lockout_alarms", ["work_order_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(new_table_sql(NEW_TABLES, AUDITED))


def downgrade() -> None:
    op.drop_table("lockout_alarms")
    # In place on both engines (SQLite 3.35+), as 0013 drops its column.
    op.execute("ALTER TABLE plant_tags DROP COLUMN sampling_ms")
