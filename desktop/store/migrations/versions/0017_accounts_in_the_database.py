"""Trust boundary, second part: accounts, lock-outs and audit times checked by PostgreSQL.

0010 let every personal login update the log-in counters of any user (so a technician could
lock every administrator out until 2999 or lift his own lock) and let administrators update
users directly, leaving a changed role's database group behind. Here `users` changes go
through a trigger that checks who changes what, failed log-ins count through security-definer
functions dated by the server, a changed role or a deactivation moves the person's login,
audit entries of personal logins carry the server's time, and the control-room display and
the monitoring service get their own groups (see `desktop.store.db_roles.account_sql`).
Nothing changes on SQLite.

Revision ID: 0017
Revises: 0013
Create Date: 2026-12-05 17:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from desktop.store.db_roles import account_sql

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

_DROP = """
DROP TRIGGER IF EXISTS wb_users_guard ON users;
DROP TRIGGER IF EXISTS wb_audit_time_guard ON audit_log;
DROP FUNCTION IF EXISTS wb_users_guard();
DROP FUNCTION IF EXISTS wb_audit_time_guard();
DROP FUNCTION IF EXISTS wb_apply_account(text, text, boolean);
DROP FUNCTION IF EXISTS wb_login_failed(text, timestamptz);
DROP FUNCTION IF EXISTS wb_login_succeeded(text, timestamptz);
DROP FUNCTION IF EXISTS wb_trusted_now(timestamptz);
"""


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute(account_sql(sa.inspect(bind).get_table_names()))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_DROP)
