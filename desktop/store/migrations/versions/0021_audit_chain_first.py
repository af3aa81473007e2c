"""Writers on PostgreSQL take the audit chain first, so two of them never deadlock.

Every audited row change appends to one hash chain and locks its head row until commit. A
transaction that had already changed an audited row and then waited for another lock (the
work-order number counter, a work order's row) could meet one that held that lock and waited
for the head: a rule raising a predictive order on one workstation and a person raising an
order on another deadlocked. `wb_hold_audit_chain()` takes the head first, at the start of
every writing unit of work, which is the order SQLite's BEGIN IMMEDIATE already gives.
Nothing changes on SQLite.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05 23:55:00
"""

from __future__ import annotations

from alembic import op

from desktop.store.db_roles import audit_chain_first_sql

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(audit_chain_first_sql())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS wb_hold_audit_chain()")
