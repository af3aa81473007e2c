"""Verified close: how long a rule's signal must stay in band after a repair.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 02:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("condition_rules") as batch:
        batch.add_column(
            sa.Column("verify_minutes", sa.Integer(), nullable=False, server_default="30")
        )


def downgrade() -> None:
    with op.batch_alter_table("condition_rules") as batch:
        batch.drop_column("verify_minutes")
