"""Office records: when a user was deactivated, each asset's spare parts and its files.

It runs after 0010, which set up the row log, the roles and the grants for the tables that
existed then, so on PostgreSQL the two new tables get theirs here (`db_roles.new_table_sql`).
The spare-parts list is in the row log; the files are not, like work-order attachments (their
bytes are no decision, and attaching is in audit_log with the file's digest).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 10:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from desktop.store.db_roles import new_table_sql
from desktop.store.types import UTCDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

NEW_TABLES = ("asset_parts", "asset_attachments")
AUDITED: dict[str, tuple[str, ...]] = {"asset_parts": ("id",)}


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
    if op.get_bind().dialect.name == "postgresql":
        op.execute(new_table_sql(NEW_TABLES, AUDITED))


def downgrade() -> None:
    op.drop_table("asset_attachments")
    op.drop_table("asset_parts")
    # In place on both engines (SQLite 3.35+): a batch copy of users would trip the foreign
    # keys pointing at it.
    op.execute("ALTER TABLE users DROP COLUMN deactivated_at")
