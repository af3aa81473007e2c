"""Office records: when a user was deactivated, each asset's spare parts and its files.

Revision ID: 0013
Revises: 0009
Create Date: 2026-12-05 10:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from desktop.store.types import UTCDateTime

revision = "0013"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing inactive users (none could be made inactive before) keep no date: unknown.
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("deactivated_at", UTCDateTime(timezone=True), nullable=True))
    op.create_table(
        "asset_parts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("asset_id", sa.Integer(), sa.ForeignKey("assets.id"), nullable=False),
        sa.Column("part_id", sa.Integer(), sa.ForeignKey("parts.id"), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("note", sa.String(200), nullable=False),
        sa.UniqueConstraint("asset_id", "part_id"),
    )
    op.create_index("ix_asset_parts_asset_id", "asset_parts", ["asset_id"])
    op.create_index("ix_asset_parts_part_id", "asset_parts", ["part_id"])
    op.create_table(
        "asset_attachments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("asset_id", sa.Integer(), sa.ForeignKey("assets.id"), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("mime_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
    )
    op.create_index("ix_asset_attachments_asset_id", "asset_attachments", ["asset_id"])


def downgrade() -> None:
    op.drop_table("asset_attachments")
    op.drop_table("asset_parts")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("deactivated_at")
