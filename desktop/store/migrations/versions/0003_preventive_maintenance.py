"""Preventive maintenance: site calendar, meters, PM schedules, occurrences, checklist findings.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 00:22:07.729931
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import desktop.store.types

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_closures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_calendar_closures_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_closures")),
    )
    with op.batch_alter_table("calendar_closures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calendar_closures_site_id"), ["site_id"], unique=False)

    op.create_table(
        "site_calendars",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=8), nullable=True),
        sa.Column("subdivision", sa.String(length=16), nullable=True),
        sa.Column("working_weekdays", sa.String(length=32), nullable=False),
        sa.Column("shifts", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_site_calendars_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_calendars")),
        sa.UniqueConstraint("site_id", name=op.f("uq_site_calendars_site_id")),
    )
    op.create_table(
        "meters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("runtime_hours", "cycles", name="meterkind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("rollover", sa.Float(), nullable=True),
        sa.Column("last_value", sa.Float(), nullable=True),
        sa.Column("last_reading_at", desktop.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("total", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["asset_id"], ["assets.id"], name=op.f("fk_meters_asset_id_assets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meters")),
        sa.UniqueConstraint("code", name=op.f("uq_meters_code")),
    )
    with op.batch_alter_table("meters", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meters_asset_id"), ["asset_id"], unique=False)

    op.create_table(
        "meter_readings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meter_id", sa.Integer(), nullable=False),
        sa.Column("at", desktop.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("delta", sa.Float(), nullable=False),
        sa.Column("total", sa.Float(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "normal", "rollover", "reset", name="readingkind", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("entered_by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entered_by_id"], ["users.id"], name=op.f("fk_meter_readings_entered_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["meter_id"], ["meters.id"], name=op.f("fk_meter_readings_meter_id_meters")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meter_readings")),
        sa.UniqueConstraint("meter_id", "at", name=op.f("uq_meter_readings_meter_id_at")),
    )
    op.create_table(
        "pm_schedules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("instructions", sa.Text(), nullable=False),
        sa.Column("checklist_code", sa.String(length=32), nullable=True),
        sa.Column("estimate_hours", sa.Float(), nullable=True),
        sa.Column("craft", sa.String(length=64), nullable=True),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("calendar_every", sa.Integer(), nullable=True),
        sa.Column(
            "calendar_unit",
            sa.Enum(
                "days",
                "weeks",
                "months",
                "years",
                name="intervalunit",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column(
            "calendar_mode",
            sa.Enum("fixed", "floating", name="calendarmode", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("meter_id", sa.Integer(), nullable=True),
        sa.Column("meter_every", sa.Float(), nullable=True),
        sa.Column("meter_start", sa.Float(), nullable=True),
        sa.Column("lead_days", sa.Integer(), nullable=False),
        sa.Column(
            "working_day_rule",
            sa.Enum(
                "keep", "next", "previous", name="workingdayrule", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column(
            "on_open",
            sa.Enum("skip", "stack", name="onopen", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", desktop.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["asset_id"], ["assets.id"], name=op.f("fk_pm_schedules_asset_id_assets")
        ),
        sa.ForeignKeyConstraint(
            ["meter_id"], ["meters.id"], name=op.f("fk_pm_schedules_meter_id_meters")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_pm_schedules_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_schedules")),
        sa.UniqueConstraint("code", name=op.f("uq_pm_schedules_code")),
    )
    with op.batch_alter_table("pm_schedules", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pm_schedules_asset_id"), ["asset_id"], unique=False)

    op.create_table(
        "checklist_findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("checklist_item_id", sa.Integer(), nullable=False),
        sa.Column("corrective_id", sa.Integer(), nullable=False),
        sa.Column("created_at", desktop.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["checklist_item_id"],
            ["work_order_checklist_items.id"],
            name=op.f("fk_checklist_findings_checklist_item_id_work_order_checklist_items"),
        ),
        sa.ForeignKeyConstraint(
            ["corrective_id"],
            ["work_orders.id"],
            name=op.f("fk_checklist_findings_corrective_id_work_orders"),
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["work_orders.id"],
            name=op.f("fk_checklist_findings_inspection_id_work_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_findings")),
        sa.UniqueConstraint(
            "checklist_item_id", name=op.f("uq_checklist_findings_checklist_item_id")
        ),
        sa.UniqueConstraint("corrective_id", name=op.f("uq_checklist_findings_corrective_id")),
    )
    with op.batch_alter_table("checklist_findings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_checklist_findings_inspection_id"), ["inspection_id"], unique=False
        )

    op.create_table(
        "pm_blackouts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("schedule_id", sa.Integer(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["schedule_id"],
            ["pm_schedules.id"],
            name=op.f("fk_pm_blackouts_schedule_id_pm_schedules"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_blackouts")),
    )
    with op.batch_alter_table("pm_blackouts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pm_blackouts_schedule_id"), ["schedule_id"], unique=False
        )

    op.create_table(
        "pm_kit_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("schedule_id", sa.Integer(), nullable=False),
        sa.Column("part_number", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["schedule_id"],
            ["pm_schedules.id"],
            name=op.f("fk_pm_kit_lines_schedule_id_pm_schedules"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_kit_lines")),
        sa.UniqueConstraint(
            "schedule_id", "part_number", name=op.f("uq_pm_kit_lines_schedule_id_part_number")
        ),
    )
    op.create_table(
        "pm_occurrences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("schedule_id", sa.Integer(), nullable=False),
        sa.Column("cycle", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("planned_date", sa.Date(), nullable=False),
        sa.Column("due_meter", sa.Float(), nullable=True),
        sa.Column("interval_days", sa.Float(), nullable=True),
        sa.Column(
            "state",
            sa.Enum("generated", "skipped", name="occurrencestate", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("work_order_id", sa.Integer(), nullable=True),
        sa.Column("created_at", desktop.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["schedule_id"],
            ["pm_schedules.id"],
            name=op.f("fk_pm_occurrences_schedule_id_pm_schedules"),
        ),
        sa.ForeignKeyConstraint(
            ["work_order_id"],
            ["work_orders.id"],
            name=op.f("fk_pm_occurrences_work_order_id_work_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_occurrences")),
        sa.UniqueConstraint(
            "schedule_id", "cycle", name=op.f("uq_pm_occurrences_schedule_id_cycle")
        ),
        sa.UniqueConstraint(
            "schedule_id", "due_date", name=op.f("uq_pm_occurrences_schedule_id_due_date")
        ),
        sa.UniqueConstraint("work_order_id", name=op.f("uq_pm_occurrences_work_order_id")),
    )


def downgrade() -> None:
    op.drop_table("pm_occurrences")
    op.drop_table("pm_kit_lines")
    with op.batch_alter_table("pm_blackouts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pm_blackouts_schedule_id"))

    op.drop_table("pm_blackouts")
    with op.batch_alter_table("checklist_findings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checklist_findings_inspection_id"))

    op.drop_table("checklist_findings")
    with op.batch_alter_table("pm_schedules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pm_schedules_asset_id"))

    op.drop_table("pm_schedules")
    op.drop_table("meter_readings")
    with op.batch_alter_table("meters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meters_asset_id"))

    op.drop_table("meters")
    op.drop_table("site_calendars")
    with op.batch_alter_table("calendar_closures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_closures_site_id"))

    op.drop_table("calendar_closures")
