"""Packed KPI facts per block of work-order ids, marked stale by triggers on both engines.

The dashboard over a million orders spent most of its time turning some 21 million values from
the driver into numbers. `kpi_fact_blocks` keeps the facts the KPIs read (order facts, labour
entries, downtime periods) as numpy columns per block of ids; triggers on work orders, labour
and downtime raise a block's generation whenever one of its rows changes, from any client
(`desktop.store.kpi_blocks`). Existing databases get their blocks on the first dashboard.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 23:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from desktop.store.db_roles import OWNER_ROLE, new_table_sql
from desktop.store.kpi_blocks import (
    postgresql_drops,
    postgresql_triggers,
    sqlite_drops,
    sqlite_triggers,
)

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kpi_fact_blocks",
        sa.Column("block_no", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("generation", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("built_generation", sa.BigInteger(), nullable=True),
        sa.Column("facts", sa.LargeBinary(), nullable=True),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(new_table_sql(("kpi_fact_blocks",), {}))
        op.execute(postgresql_triggers(OWNER_ROLE))
    else:
        for statement in sqlite_triggers():
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(postgresql_drops())
    else:
        for statement in sqlite_drops():
            op.execute(statement)
    op.drop_table("kpi_fact_blocks")
