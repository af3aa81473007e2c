"""Initial schema: sites, assets, users, work orders and their records, audit chain.

Revision ID: 0001
Revises:
Create Date: 2026-11-25 23:39:27.499762
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import desktop.store.types

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", desktop.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("entity_type", sa.String(length=64), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("before_json", sa.Text(), nullable=False),
        sa.Column("after_json", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_log_entity", ["entity_type", "entity_id"], unique=False)

    op.create_table(
        "checklist_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("asset_class", sa.String(length=64), nullable=True),
        sa.Column("safety", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_templates")),
        sa.UniqueConstraint("code", name=op.f("uq_checklist_templates_code")),
    )
    # The chain's head row exists from the start, so concurrent writers only ever lock it.
    op.bulk_insert(
        sa.table(
            "audit_head",
            sa.column("id", sa.Integer),
            sa.column("seq", sa.Integer),
            sa.column("hash", sa.String),
        ),
        [{"id": 1, "seq": 0, "hash": "0" * 64}],
    )
    op.create_table(
        "number_counters",
        sa.Column("series", sa.String(length=32), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("series", name=op.f("pk_number_counters")),
    )
    op.create_table(
        "sites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sites")),
        sa.UniqueConstraint("code", name=op.f("uq_sites_code")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "viewer",
                "technician",
                "planner",
                "supervisor",
                "admin",
                name="role",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("craft", sa.String(length=64), nullable=True),
        sa.Column("hourly_rate", sa.Float(), nullable=False),
        sa.Column("weekly_hours", sa.Float(), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", desktop.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "assets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "level",
            sa.Enum(
                "area",
                "system",
                "equipment",
                "component",
                name="assetlevel",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("asset_class", sa.String(length=64), nullable=False),
        sa.Column(
            "criticality",
            sa.Enum("A", "B", "C", name="criticality", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "in_service",
                "standby",
                "out_of_service",
                "decommissioned",
                name="assetstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("maker", sa.String(length=120), nullable=True),
        sa.Column("model", sa.String(length=120), nullable=True),
        sa.Column("serial", sa.String(length=120), nullable=True),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("install_date", sa.Date(), nullable=True),
        sa.Column("replacement_value", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["assets.id"], name=op.f("fk_assets_parent_id_assets")
        ),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name=op.f("fk_assets_site_id_sites")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assets")),
        sa.UniqueConstraint("code", name=op.f("uq_assets_code")),
    )
    with op.batch_alter_table("assets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assets_asset_class"), ["asset_class"], unique=False)
        batch_op.create_index(batch_op.f("ix_assets_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "checklist_template_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "check",
                "measurement",
                "text",
                "signature",
                name="checklistitemkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("unit", sa.String(length=32), nullable=True),
        sa.Column("low", sa.Float(), nullable=True),
        sa.Column("high", sa.Float(), nullable=True),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["checklist_templates.id"],
            name=op.f("fk_checklist_template_items_template_id_checklist_templates"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_template_items")),
    )
    with op.batch_alter_table("checklist_template_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_checklist_template_items_template_id"), ["template_id"], unique=False
        )

    op.create_table(
        "work_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "type",
            sa.Enum(
                "preventive",
                "corrective",
                "emergency",
                "predictive",
                "inspection",
                name="workordertype",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "requested",
                "approved",
                "scheduled",
                "in_progress",
                "on_hold",
                "completed",
                "closed",
                "cancelled",
                name="status",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "source",
            sa.Enum(
                "manual",
                "pm_schedule",
                "condition_rule",
                name="source",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("requester_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", desktop.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("approved_at", desktop.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("scheduled_at", desktop.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("started_at", desktop.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("completed_at", desktop.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_at", desktop.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", desktop.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("due_at", desktop.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("scheduled_start", desktop.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("scheduled_end", desktop.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("estimate_hours", sa.Float(), nullable=True),
        sa.Column("asset_down", sa.Boolean(), nullable=False),
        sa.Column("is_failure", sa.Boolean(), nullable=False),
        sa.Column("failure_impact", sa.String(length=16), nullable=True),
        sa.Column("failure_mode", sa.String(length=16), nullable=True),
        sa.Column("failure_mechanism", sa.String(length=16), nullable=True),
        sa.Column("failure_cause", sa.String(length=16), nullable=True),
        sa.Column("detection_method", sa.String(length=16), nullable=True),
        sa.Column("activity", sa.String(length=16), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=False),
        sa.Column(
            "hold_reason",
            sa.Enum(
                "parts",
                "access",
                "shutdown",
                "other",
                name="holdreason",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", desktop.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["asset_id"], ["assets.id"], name=op.f("fk_work_orders_asset_id_assets")
        ),
        sa.ForeignKeyConstraint(
            ["requester_id"], ["users.id"], name=op.f("fk_work_orders_requester_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_work_orders_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_orders")),
        sa.UniqueConstraint("number", name=op.f("uq_work_orders_number")),
    )
    with op.batch_alter_table("work_orders", schema=None) as batch_op:
        batch_op.create_index("ix_work_orders_asset_status", ["asset_id", "status"], unique=False)
        batch_op.create_index("ix_work_orders_completed_at", ["completed_at"], unique=False)
        batch_op.create_index("ix_work_orders_status_due", ["status", "due_at"], unique=False)

    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("work_order_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("mime_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", desktop.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_attachments_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["work_order_id"],
            ["work_orders.id"],
            name=op.f("fk_attachments_work_order_id_work_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
    )
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_attachments_work_order_id"), ["work_order_id"], unique=False
        )

    op.create_table(
        "downtime_periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("work_order_id", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("start", desktop.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("end", desktop.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("planned", sa.Boolean(), nullable=False),
        sa.Column("reason_code", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["asset_id"], ["assets.id"], name=op.f("fk_downtime_periods_asset_id_assets")
        ),
        sa.ForeignKeyConstraint(
            ["work_order_id"],
            ["work_orders.id"],
            name=op.f("fk_downtime_periods_work_order_id_work_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_downtime_periods")),
    )
    with op.batch_alter_table("downtime_periods", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_downtime_periods_asset_id"), ["asset_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_downtime_periods_work_order_id"), ["work_order_id"], unique=False
        )

    op.create_table(
        "labour_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("work_order_id", sa.Integer(), nullable=False),
        sa.Column("technician_id", sa.Integer(), nullable=False),
        sa.Column("work_date", sa.Date(), nullable=False),
        sa.Column("hours", sa.Float(), nullable=False),
        sa.Column("rate", sa.Float(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", desktop.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["technician_id"], ["users.id"], name=op.f("fk_labour_entries_technician_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["work_order_id"],
            ["work_orders.id"],
            name=op.f("fk_labour_entries_work_order_id_work_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_labour_entries")),
    )
    with op.batch_alter_table("labour_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_labour_entries_technician_id"), ["technician_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_labour_entries_work_date"), ["work_date"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_labour_entries_work_order_id"), ["work_order_id"], unique=False
        )

    op.create_table(
        "status_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("work_order_id", sa.Integer(), nullable=False),
        sa.Column(
            "from_status",
            sa.Enum(
                "requested",
                "approved",
                "scheduled",
                "in_progress",
                "on_hold",
                "completed",
                "closed",
                "cancelled",
                name="status",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column(
            "to_status",
            sa.Enum(
                "requested",
                "approved",
                "scheduled",
                "in_progress",
                "on_hold",
                "completed",
                "closed",
                "cancelled",
                name="status",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("at", desktop.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_status_changes_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["work_order_id"],
            ["work_orders.id"],
            name=op.f("fk_status_changes_work_order_id_work_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_changes")),
    )
    with op.batch_alter_table("status_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_status_changes_work_order_id"), ["work_order_id"], unique=False
        )

    op.create_table(
        "work_order_addenda",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("work_order_id", sa.Integer(), nullable=False),
        sa.Column("at", desktop.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_work_order_addenda_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["work_order_id"],
            ["work_orders.id"],
            name=op.f("fk_work_order_addenda_work_order_id_work_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_order_addenda")),
    )
    with op.batch_alter_table("work_order_addenda", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_work_order_addenda_work_order_id"), ["work_order_id"], unique=False
        )

    op.create_table(
        "work_order_assignees",
        sa.Column("work_order_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("is_lead", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_work_order_assignees_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["work_order_id"],
            ["work_orders.id"],
            name=op.f("fk_work_order_assignees_work_order_id_work_orders"),
        ),
        sa.PrimaryKeyConstraint("work_order_id", "user_id", name=op.f("pk_work_order_assignees")),
    )
    with op.batch_alter_table("work_order_assignees", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_work_order_assignees_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "work_order_checklist_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("work_order_id", sa.Integer(), nullable=False),
        sa.Column("template_code", sa.String(length=32), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "check",
                "measurement",
                "text",
                "signature",
                name="checklistitemkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("unit", sa.String(length=32), nullable=True),
        sa.Column("low", sa.Float(), nullable=True),
        sa.Column("high", sa.Float(), nullable=True),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("safety", sa.Boolean(), nullable=False),
        sa.Column(
            "result",
            sa.Enum("pass", "fail", "n/a", name="checkresult", native_enum=False, length=32),
            nullable=True,
        ),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("text_value", sa.Text(), nullable=True),
        sa.Column("answered_at", desktop.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["answered_by_id"],
            ["users.id"],
            name=op.f("fk_work_order_checklist_items_answered_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["work_order_id"],
            ["work_orders.id"],
            name=op.f("fk_work_order_checklist_items_work_order_id_work_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_order_checklist_items")),
    )
    with op.batch_alter_table("work_order_checklist_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_work_order_checklist_items_work_order_id"),
            ["work_order_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("work_order_checklist_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_work_order_checklist_items_work_order_id"))

    op.drop_table("work_order_checklist_items")
    with op.batch_alter_table("work_order_assignees", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_work_order_assignees_user_id"))

    op.drop_table("work_order_assignees")
    with op.batch_alter_table("work_order_addenda", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_work_order_addenda_work_order_id"))

    op.drop_table("work_order_addenda")
    with op.batch_alter_table("status_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_status_changes_work_order_id"))

    op.drop_table("status_changes")
    with op.batch_alter_table("labour_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_labour_entries_work_order_id"))
        batch_op.drop_index(batch_op.f("ix_labour_entries_work_date"))
        batch_op.drop_index(batch_op.f("ix_labour_entries_technician_id"))

    op.drop_table("labour_entries")
    with op.batch_alter_table("downtime_periods", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_downtime_periods_work_order_id"))
        batch_op.drop_index(batch_op.f("ix_downtime_periods_asset_id"))

    op.drop_table("downtime_periods")
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attachments_work_order_id"))

    op.drop_table("attachments")
    with op.batch_alter_table("work_orders", schema=None) as batch_op:
        batch_op.drop_index("ix_work_orders_status_due")
        batch_op.drop_index("ix_work_orders_completed_at")
        batch_op.drop_index("ix_work_orders_asset_status")

    op.drop_table("work_orders")
    with op.batch_alter_table("checklist_template_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checklist_template_items_template_id"))

    op.drop_table("checklist_template_items")
    with op.batch_alter_table("assets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assets_parent_id"))
        batch_op.drop_index(batch_op.f("ix_assets_asset_class"))

    op.drop_table("assets")
    op.drop_table("users")
    op.drop_table("sites")
    op.drop_table("number_counters")
    op.drop_table("checklist_templates")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_entity")

    op.drop_table("audit_log")
    op.drop_table("audit_head")
