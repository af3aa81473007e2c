"""Covering index for the lifecycle board: counts and urgency order without touching rows.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 00:55:00
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

COLUMNS = ["status", "priority", "due_at", "number", "title", "asset_id"]


def upgrade() -> None:
    with op.batch_alter_table("work_orders") as batch:
        batch.create_index("ix_work_orders_board", COLUMNS)


def downgrade() -> None:
    with op.batch_alter_table("work_orders") as batch:
        batch.drop_index("ix_work_orders_board")
