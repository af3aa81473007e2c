"""Historian compression settings per tag; on PostgreSQL the history store's tables.

Each tag may carry its own deviation and maximum interval (NULL: the defaults by unit). On
PostgreSQL the compressed history gets its tables: `hist_blocks` partitioned by week, the
unpacked newest points partitioned by ten-minute window (dropped once packed), and the
retention per tag class, with functions that create and drop partitions as the schema owner,
so a writer needs no DDL rights. On SQLite the history
lives in a file of its own that the historian sets up itself (desktop.store.history).

The samples an existing site holds in plant_samples and plant_sample_minutes stay where they
are: the historian moves them into its store in the background and reads both meanwhile.

Revision ID: 0012
Revises: 0008
Create Date: 2026-12-05 11:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from desktop.domain.enums import Role
from desktop.store.db_roles import OWNER_ROLE, group_role
from desktop.store.history import BLOCK_S, PARTITION_S, metadata

revision = "0012"
down_revision = "0008"
branch_labels = None
depends_on = None

_FUNCTIONS = f"""
CREATE FUNCTION wb_history_partition(week bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    EXECUTE format(
        'CREATE TABLE IF NOT EXISTS %I PARTITION OF hist_blocks FOR VALUES FROM (%s) TO (%s)',
        'hist_blocks_' || week, week, week + {PARTITION_S});
END
$$;

CREATE FUNCTION wb_history_points_partition(t0 bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    -- A window whose late points already wait in the default partition keeps them there.
    IF EXISTS (SELECT 1 FROM hist_points_default WHERE ts >= t0 AND ts < t0 + {BLOCK_S}) THEN
        RETURN;
    END IF;
    EXECUTE format(
        'CREATE TABLE IF NOT EXISTS %I PARTITION OF hist_points FOR VALUES FROM (%s) TO (%s)',
        'hist_points_' || t0, t0, t0 + {BLOCK_S});
END
$$;

CREATE FUNCTION wb_history_points_drop_before(cutoff bigint) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE item record; dropped integer := 0;
BEGIN
    FOR item IN SELECT c.relname FROM pg_inherits i
                  JOIN pg_class c ON c.oid = i.inhrelid
                  JOIN pg_class p ON p.oid = i.inhparent
                 WHERE p.relname = 'hist_points' AND c.relname ~ '^hist_points_[0-9]+$' LOOP
        IF substring(item.relname from 13)::bigint + {BLOCK_S} <= cutoff THEN
            EXECUTE format('DROP TABLE %I', item.relname);
            dropped := dropped + 1;
        END IF;
    END LOOP;
    RETURN dropped;
END
$$;

CREATE FUNCTION wb_history_drop_before(cutoff bigint) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE item record; dropped integer := 0; rows integer;
BEGIN
    FOR item IN SELECT c.relname, substring(c.relname from 13)::bigint AS week
                  FROM pg_inherits i
                  JOIN pg_class c ON c.oid = i.inhrelid
                  JOIN pg_class p ON p.oid = i.inhparent
                 WHERE p.relname = 'hist_blocks' LOOP
        IF item.week + {PARTITION_S} <= cutoff THEN
            EXECUTE format('SELECT count(*) FROM %I', item.relname) INTO rows;
            EXECUTE format('DROP TABLE %I', item.relname);
            dropped := dropped + rows;
        END IF;
    END LOOP;
    RETURN dropped;
END
$$;
"""

_TABLES = ("hist_points", "hist_blocks", "hist_retention")


def upgrade() -> None:
    with op.batch_alter_table("plant_tags") as batch:
        batch.add_column(sa.Column("deviation", sa.Float(), nullable=True))
        batch.add_column(sa.Column("max_interval_s", sa.Float(), nullable=True))
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    metadata.create_all(bind)
    op.execute("CREATE TABLE hist_points_default PARTITION OF hist_points DEFAULT")
    op.execute(_FUNCTIONS)
    viewer, technician = group_role(Role.VIEWER), group_role(Role.TECHNICIAN)
    tables = ", ".join(_TABLES)
    functions = (
        "wb_history_partition(bigint), wb_history_drop_before(bigint), "
        "wb_history_points_partition(bigint), wb_history_points_drop_before(bigint)"
    )
    op.execute(
        f"""
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{OWNER_ROLE}') THEN
        -- The partition function runs as the owner, who then needs to create tables here.
        GRANT CREATE ON SCHEMA public TO {OWNER_ROLE};
        ALTER TABLE hist_points OWNER TO {OWNER_ROLE};
        ALTER TABLE hist_points_default OWNER TO {OWNER_ROLE};
        ALTER TABLE hist_blocks OWNER TO {OWNER_ROLE};
        ALTER TABLE hist_retention OWNER TO {OWNER_ROLE};
        ALTER FUNCTION wb_history_partition(bigint) OWNER TO {OWNER_ROLE};
        ALTER FUNCTION wb_history_drop_before(bigint) OWNER TO {OWNER_ROLE};
        ALTER FUNCTION wb_history_points_partition(bigint) OWNER TO {OWNER_ROLE};
        ALTER FUNCTION wb_history_points_drop_before(bigint) OWNER TO {OWNER_ROLE};
        GRANT SELECT ON {tables} TO {viewer};
        GRANT INSERT, UPDATE, DELETE ON {tables} TO {technician};
        REVOKE EXECUTE ON FUNCTION {functions} FROM PUBLIC;
        GRANT EXECUTE ON FUNCTION {functions} TO {technician};
    END IF;
END
$$;
"""
    )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS wb_history_points_drop_before(bigint)")
        op.execute("DROP FUNCTION IF EXISTS wb_history_points_partition(bigint)")
        op.execute("DROP FUNCTION IF EXISTS wb_history_drop_before(bigint)")
        op.execute("DROP FUNCTION IF EXISTS wb_history_partition(bigint)")
        metadata.drop_all(bind)
    with op.batch_alter_table("plant_tags") as batch:
        batch.drop_column("max_interval_s")
        batch.drop_column("deviation")
