"""PostgreSQL keeps the packed KPI facts uncompressed.

The packed blocks (`kpi_fact_blocks.facts`) are numpy columns of a few megabytes each; TOAST
compressed them to about half, and decompressing a million orders' blocks was the server's
larger part of the dashboard's first read (0.26 s of streaming them against 0.15 s stored
plain). They are a derived copy of about 130 MB at that size, so the disk is the cheaper side.
Blocks packed before keep their compression until they are packed again. Nothing changes on
SQLite, which never compresses.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 03:10:00
"""

from __future__ import annotations

from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE kpi_fact_blocks ALTER COLUMN facts SET STORAGE EXTERNAL")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE kpi_fact_blocks ALTER COLUMN facts SET STORAGE EXTENDED")
