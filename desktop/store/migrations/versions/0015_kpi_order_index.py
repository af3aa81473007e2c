"""The KPI read of work orders from an index alone, not from the orders' wide rows.

The dashboard reads a dozen facts (type, origin, failure, asset, estimate, failure mode and
eight times) of every order its window touches. From the table each of those reads fetches a
row with its title, description and resolution; from this index, which holds just those
columns in completion order, SQLite reads a million orders with 1.3x (18-month period) to 1.5x
(90-day period) less CPU, and 2-3x faster by the clock for 90 days on a busy machine, for
about 200 bytes an order. It leads with completed_at, so it also serves every query the plain
completed_at index served, which it replaces.

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-05 17:20:00
"""

from __future__ import annotations

from alembic import op

revision = "0015"
down_revision = "0013"
branch_labels = None
depends_on = None

KPI_COLUMNS = [
    "completed_at", "requested_at", "cancelled_at", "type", "origin", "is_failure", "asset_id",
    "estimate_hours", "failure_mode", "approved_at", "scheduled_at", "started_at", "due_at",
    "scheduled_start",
]  # fmt: skip


def upgrade() -> None:
    op.create_index("ix_work_orders_kpi", "work_orders", KPI_COLUMNS)
    op.drop_index("ix_work_orders_completed_at", table_name="work_orders")


def downgrade() -> None:
    op.create_index("ix_work_orders_completed_at", "work_orders", ["completed_at"])
    op.drop_index("ix_work_orders_kpi", table_name="work_orders")
