"""Lock-out/tag-out: isolation points per asset and each work order's locks on them.

Revision ID: 0009
Revises: 0014
Create Date: 2026-12-05 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from desktop.store.types import UTCDateTime

revision = "0009"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # New tables only: existing orders and assets carry no isolation points until a planner
    # records them, so nothing old is gated by this upgrade.
    op.create_table(
        "isolation_points",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("asset_id", sa.Integer(), sa.ForeignKey("assets.id"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("energy_source", sa.String(120), nullable=False),
        sa.Column("device", sa.String(120), nullable=False),
        sa.Column("lock_point", sa.String(200), nullable=False),
        sa.Column("tag_id", sa.Integer(), sa.ForeignKey("plant_tags.id"), nullable=True),
        sa.Column("zero_max", sa.Float(), nullable=False),
        sa.UniqueConstraint("asset_id", "position"),
    )
    op.create_index("ix_isolation_points_asset_id", "isolation_points", ["asset_id"])
    op.create_table(
        "work_order_isolations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("work_order_id", sa.Integer(), sa.ForeignKey("work_orders.id"), nullable=False),
        sa.Column(
            "isolation_point_id",
            sa.Integer(),
            sa.ForeignKey("isolation_points.id"),
            nullable=False,
        ),
        sa.Column("lock_number", sa.String(64), nullable=False),
        sa.Column("applied_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("applied_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("verified_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("verified_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("verified_reading", sa.Float(), nullable=True),
        sa.Column("removed_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("removed_at", UTCDateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("work_order_id", "isolation_point_id"),
    )
    op.create_index(
        "ix_work_order_isolations_work_order_id", "work_order_isolations", ["work_order_id"]
    )


def downgrade() -> None:
    op.drop_table("work_order_isolations")
    op.drop_table("isolation_points")
