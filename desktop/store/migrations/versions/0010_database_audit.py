"""Trust boundary: row-change log chained in PostgreSQL, append-only trails, roles and grants.

On PostgreSQL a trigger on each business table records every inserted, updated and deleted row
in `row_audit` with the real database user (`session_user`) and the server's clock, and chains
each entry to the previous one with SHA-256 computed by the server. `audit_log`, `row_audit`
and both head rows refuse UPDATE, DELETE and TRUNCATE (the heads move forward only, and only
to an entry that exists). SQLite gets the two tables empty, so both engines share one schema.
Then `desktop.store.db_roles.role_sql` adds the owner and group roles, the grants and the
lifecycle triggers (see that module).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 08:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from desktop.store.db_roles import role_sql
from desktop.store.types import UTCDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

GENESIS = "0" * 64

# Tables whose every row change the database records. Left out, with the reason: sensor samples
# and minute roll-ups (the historian writes thousands a minute and they are evidence, not
# decisions), meter readings fed by OPC UA, attachment bytes (the attach action is in
# audit_log with its digest), number counters (bookkeeping of the numbering), and the trails.
AUDITED = {
    "sites": ("id",),
    "assets": ("id",),
    "users": ("id",),
    "work_orders": ("id",),
    "work_order_assignees": ("work_order_id", "user_id"),
    "downtime_periods": ("id",),
    "status_changes": ("id",),
    "labour_entries": ("id",),
    "checklist_templates": ("id",),
    "checklist_template_items": ("id",),
    "work_order_checklist_items": ("id",),
    "work_order_addenda": ("id",),
    "vendors": ("id",),
    "parts": ("id",),
    "stock_locations": ("id",),
    "stock_bins": ("id",),
    "stock_levels": ("id",),
    "stock_movements": ("id",),
    "work_order_parts": ("id",),
    "stock_reservations": ("id",),
    "purchase_orders": ("id",),
    "purchase_order_lines": ("id",),
    "purchase_requisitions": ("id",),
    "plant_tags": ("id",),
    "condition_rules": ("id",),
    "alarms": ("id",),
    "site_calendars": ("id",),
    "calendar_closures": ("id",),
    "meters": ("id",),
    "pm_schedules": ("id",),
    "shift_handovers": ("id",),
    "notification_preferences": ("user_id", "kind"),
    "mail_relay": ("id",),
    "mail_intake_mailbox": ("id",),
    "mail_intake_received": ("message_id",),
}

# Field encoding shared with desktop.services.shared.audit.row_entry_hash: each field as
# "<length>:<text>", NULL as "~", joined after the previous hash and a newline. Lengths make
# the encoding unambiguous whatever the text holds.
_FUNCTIONS = r"""
CREATE FUNCTION wb_field(value text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN value IS NULL THEN '~' ELSE length(value) || ':' || value END
$$;

CREATE FUNCTION wb_row_audit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    head record;
    stamp timestamptz := clock_timestamp();
    old_row jsonb;
    new_row jsonb;
    key_row jsonb;
    row_key text;
    stamp_text text;
    next_seq bigint;
    next_hash text;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        old_row := to_jsonb(OLD) - 'password_hash' - 'pin_hash';
    END IF;
    IF TG_OP <> 'DELETE' THEN
        new_row := to_jsonb(NEW) - 'password_hash' - 'pin_hash';
    END IF;
    key_row := coalesce(new_row, old_row);
    SELECT string_agg(key_row ->> column_name, ',' ORDER BY position)
      INTO row_key
      FROM unnest(TG_ARGV) WITH ORDINALITY AS key_columns(column_name, position);
    SELECT seq, hash INTO head FROM row_audit_head WHERE id = 1 FOR UPDATE;
    next_seq := head.seq + 1;
    stamp_text := to_char(stamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
    next_hash := encode(sha256(convert_to(
        head.hash || E'\n' || wb_field(next_seq::text) || wb_field(stamp_text)
        || wb_field(session_user::text) || wb_field(lower(TG_OP)) || wb_field(TG_TABLE_NAME)
        || wb_field(row_key) || wb_field(old_row::text) || wb_field(new_row::text),
        'UTF8')), 'hex');
    INSERT INTO row_audit (seq, at, db_user, operation, table_name, row_key,
                           before_json, after_json, prev_hash, hash)
    VALUES (next_seq, stamp, session_user, lower(TG_OP), TG_TABLE_NAME, row_key,
            old_row::text, new_row::text, head.hash, next_hash);
    UPDATE row_audit_head SET seq = next_seq, hash = next_hash WHERE id = 1;
    RETURN NULL;
END
$$;

CREATE FUNCTION wb_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the % table is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE FUNCTION wb_trigger_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- Depth 2: the write comes from wb_row_audit, the only writer of the row log.
    IF pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION '% is written only by the database''s own row-audit trigger: % refused',
            TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION wb_audit_head_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id <> OLD.id OR NEW.seq < OLD.seq OR NOT EXISTS (
        SELECT 1 FROM audit_log WHERE seq = NEW.seq AND hash = NEW.hash
    ) THEN
        RAISE EXCEPTION 'audit_head moves only forward, to an entry of audit_log'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER wb_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION wb_refuse_change();
CREATE TRIGGER wb_append_only_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION wb_refuse_change();
CREATE TRIGGER wb_append_only BEFORE UPDATE OR DELETE ON row_audit
    FOR EACH ROW EXECUTE FUNCTION wb_refuse_change();
CREATE TRIGGER wb_append_only_truncate BEFORE TRUNCATE ON row_audit
    FOR EACH STATEMENT EXECUTE FUNCTION wb_refuse_change();
CREATE TRIGGER wb_head_forward BEFORE UPDATE ON audit_head
    FOR EACH ROW EXECUTE FUNCTION wb_audit_head_guard();
CREATE TRIGGER wb_head_kept BEFORE INSERT OR DELETE ON audit_head
    FOR EACH ROW EXECUTE FUNCTION wb_refuse_change();
CREATE TRIGGER wb_head_kept_truncate BEFORE TRUNCATE ON audit_head
    FOR EACH STATEMENT EXECUTE FUNCTION wb_refuse_change();
CREATE TRIGGER wb_head_forward BEFORE UPDATE ON row_audit_head
    FOR EACH ROW EXECUTE FUNCTION wb_trigger_only();
CREATE TRIGGER wb_trigger_only BEFORE INSERT ON row_audit
    FOR EACH ROW EXECUTE FUNCTION wb_trigger_only();
CREATE TRIGGER wb_head_kept BEFORE INSERT OR DELETE ON row_audit_head
    FOR EACH ROW EXECUTE FUNCTION wb_refuse_change();
CREATE TRIGGER wb_head_kept_truncate BEFORE TRUNCATE ON row_audit_head
    FOR EACH STATEMENT EXECUTE FUNCTION wb_refuse_change();
REVOKE ALL ON FUNCTION wb_row_audit() FROM PUBLIC;
"""

_DROP = """
DROP FUNCTION IF EXISTS wb_row_audit() CASCADE;
DROP FUNCTION IF EXISTS wb_refuse_change() CASCADE;
DROP FUNCTION IF EXISTS wb_trigger_only() CASCADE;
DROP FUNCTION IF EXISTS wb_audit_head_guard() CASCADE;
DROP FUNCTION IF EXISTS wb_field(text);
DROP FUNCTION IF EXISTS wb_work_order_guard() CASCADE;
DROP FUNCTION IF EXISTS wb_frozen_with_order() CASCADE;
DROP FUNCTION IF EXISTS wb_actor_guard() CASCADE;
DROP FUNCTION IF EXISTS wb_app_user();
DROP FUNCTION IF EXISTS wb_sync_login(text, text, text);
DROP FUNCTION IF EXISTS wb_enforced();
DROP FUNCTION IF EXISTS wb_lifecycle();
"""


def upgrade() -> None:
    op.create_table(
        "row_audit",
        sa.Column("seq", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("db_user", sa.String(64), nullable=False),
        sa.Column("operation", sa.String(8), nullable=False),
        sa.Column("table_name", sa.String(64), nullable=False),
        sa.Column("row_key", sa.String(200), nullable=True),
        sa.Column("before_json", sa.Text(), nullable=True),
        sa.Column("after_json", sa.Text(), nullable=True),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_row_audit_row", "row_audit", ["table_name", "row_key"])
    head = op.create_table(
        "row_audit_head",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": GENESIS}])
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(_FUNCTIONS)
    for table, keys in AUDITED.items():
        arguments = ", ".join(f"'{key}'" for key in keys)
        op.execute(
            f"CREATE TRIGGER wb_row_audit AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION wb_row_audit({arguments})"
        )
    op.execute(role_sql(sa.inspect(op.get_bind()).get_table_names()))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_DROP)
    op.drop_table("row_audit_head")
    op.drop_index("ix_row_audit_row", table_name="row_audit")
    op.drop_table("row_audit")
