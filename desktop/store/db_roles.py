"""PostgreSQL roles, grants and lifecycle triggers: the database's half of the permission rules.

Migration 0010 runs `role_sql()` on PostgreSQL. The services check every rule already; this is
the second enforcer for whoever bypasses them with a SQL client. Its lifecycle table is filled
from `desktop.domain.lifecycle.TRANSITIONS` into the function `wb_lifecycle()` (a test keeps
the two equal), so one table in Python drives both. The checks apply to per-user logins
(members of `wrenchbook_viewer`); the owner, the migrator and a site's older single shared
login pass unchecked, so existing sites and SQLite keep working while they move over.
Migration 0017 adds `account_sql()`: checked changes of `users`, log-in counters and audit
times on the server's clock, and the display's and monitor's own groups.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import os
from typing import TYPE_CHECKING

from sqlalchemy import text

from desktop.domain.enums import Role, Status
from desktop.domain.lifecycle import READ_ONLY_STATUSES, TRANSITIONS

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

OWNER_ROLE = "wrenchbook_owner"
"""Owns the schema; no login. The migrator login is a member of it."""

GROUP_PREFIX = "wrenchbook_"
LOGIN_PREFIX = "wb_"
"""A person's database login is `wb_<user name>`: no clash with `postgres` or a group role."""

ROLES_LOW_TO_HIGH = tuple(Role)

NO_DELETE = (
    "work_orders",
    "status_changes",
    "labour_entries",
    "stock_movements",
    "audit_log",
    "audit_head",
    "row_audit",
    "row_audit_head",
    "users",
    "alembic_version",
    "lockout_alarms",
)
"""Tables no per-user login may delete from: the record, its history, labour, the ledger and
the trails are corrected by new entries, never removed."""

READ_ONLY = ("row_audit", "row_audit_head", "alembic_version", "users", "kpi_fact_blocks")
"""Tables per-user logins only read (users: through `wb_sync_login` and column grants;
kpi_fact_blocks: packed KPI facts a login could otherwise forge, so only the site's own login
stores them and a person's login packs what is stale for its own computation)."""

INSERT_ONLY = ("status_changes", "labour_entries", "stock_movements", "audit_log")
"""Append-only for per-user logins: rows are added, never changed."""

CHILDREN_OF_ORDER = (
    "work_order_assignees",
    "downtime_periods",
    "labour_entries",
    "work_order_checklist_items",
    "work_order_parts",
)
"""Rows that belong to one work order and freeze with it when it is closed or cancelled."""


def group_role(role: Role) -> str:
    return f"{GROUP_PREFIX}{role.value}"


def login_name(username: str) -> str:
    return f"{LOGIN_PREFIX}{username.strip().lower()}"


def scram_verifier(password: str, iterations: int = 4096) -> str:
    """The SCRAM-SHA-256 verifier PostgreSQL stores (RFC 5802/7677), computed here.

    `ALTER ROLE … PASSWORD '<verifier>'` takes it as is, so the clear password never travels
    to the server nor shows in its statement log.
    """
    salt = os.urandom(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", "sha256").digest()

    def b64(data: bytes) -> str:
        return base64.b64encode(data).decode()

    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


def sync_login(session: Session, username: str, password: str | None, role: Role | None) -> None:
    """Create or update a person's PostgreSQL login in the caller's unit of work (no-op on SQLite).

    Their Wrenchbook password becomes their database password, so each workstation logs in as
    the person at the keyboard and no site-wide secret is stored on it. `role` None keeps the
    login's group; `wb_sync_login` itself refuses whoever may not make the change. With a
    `role` (a new account) the login may also connect again: a name reused after a leaver, or
    made again after a restore, inherits a login that was barred.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    session.execute(
        text("SELECT wb_sync_login(:username, :verifier, :role)"),
        {
            "username": username,
            "verifier": None if password is None else scram_verifier(password),
            "role": None if role is None else role.value,
        },
    )
    if role is not None:
        session.execute(
            text("SELECT wb_apply_account(:username, :role, true)"),
            {"username": username, "role": role.value},
        )


def lifecycle_rows() -> list[tuple[str, str, list[str]]]:
    """(source, target, roles) of every move, as the database's `wb_lifecycle` holds them."""
    return [
        (t.source.value, t.target.value, sorted(role.value for role in t.roles))
        for t in TRANSITIONS
    ]


def _quoted(names: tuple[str, ...] | list[str]) -> str:
    return ", ".join(f"'{name}'" for name in names)


def role_sql(tables: list[str]) -> str:
    """Roles, ownership, grants and triggers for a schema holding `tables` (PostgreSQL)."""
    roles = [group_role(role) for role in ROLES_LOW_TO_HIGH]
    chain = "\n".join(f"GRANT {low} TO {high};" for low, high in itertools.pairwise(roles))
    writable = [t for t in tables if t not in READ_ONLY and t not in INSERT_ONLY]
    deletable = [t for t in writable if t not in NO_DELETE]
    lifecycle = ",\n".join(
        f"('{source}', '{target}', ARRAY[{_quoted(allowed)}]::text[])"
        for source, target, allowed in lifecycle_rows()
    )
    children = "\n".join(
        f"CREATE TRIGGER wb_frozen_with_order BEFORE INSERT OR UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION wb_frozen_with_order();"
        for table in CHILDREN_OF_ORDER
    )
    return f"""
DO $$
DECLARE name text;
BEGIN
    FOREACH name IN ARRAY ARRAY[{_quoted([OWNER_ROLE, *roles])}] LOOP
        BEGIN
            EXECUTE format('CREATE ROLE %I NOLOGIN%s', name,
                CASE WHEN name = '{OWNER_ROLE}' THEN ' CREATEROLE' ELSE '' END);
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END;
    END LOOP;
    EXECUTE format('GRANT {OWNER_ROLE} TO %I', current_user);
END
$$;
{chain}

CREATE FUNCTION wb_lifecycle() RETURNS TABLE (source text, target text, roles text[])
LANGUAGE sql IMMUTABLE AS $fn$
VALUES
{lifecycle}
$fn$;

CREATE FUNCTION wb_enforced() RETURNS boolean
LANGUAGE sql STABLE AS $fn$
    SELECT pg_has_role(session_user, '{roles[0]}', 'MEMBER')
       AND NOT pg_has_role(session_user, '{OWNER_ROLE}', 'MEMBER')
$fn$;

CREATE FUNCTION wb_work_order_guard() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE allowed text[];
BEGIN
    IF NOT wb_enforced() THEN
        RETURN NEW;
    END IF;
    IF OLD.status IN ({_quoted([s.value for s in sorted(READ_ONLY_STATUSES)])}) THEN
        RAISE EXCEPTION 'work order % is %: it is read-only, add an addendum instead',
            OLD.number, OLD.status USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status THEN
        SELECT m.roles INTO allowed FROM wb_lifecycle() AS m
         WHERE m.source = OLD.status AND m.target = NEW.status;
        IF allowed IS NULL THEN
            RAISE EXCEPTION 'work order %: the lifecycle has no move from % to %',
                OLD.number, OLD.status, NEW.status USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NOT EXISTS (
            SELECT 1 FROM unnest(allowed) AS role
             WHERE pg_has_role(session_user, '{GROUP_PREFIX}' || role, 'MEMBER')
        ) THEN
            RAISE EXCEPTION '% may not move work order % from % to % (needs %)',
                session_user, OLD.number, OLD.status, NEW.status, array_to_string(allowed, ', ')
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    END IF;
    RETURN NEW;
END
$fn$;
CREATE TRIGGER wb_work_order_guard BEFORE UPDATE ON work_orders
    FOR EACH ROW EXECUTE FUNCTION wb_work_order_guard();

CREATE FUNCTION wb_frozen_with_order() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
    order_id bigint;
    state text;
    number text;
BEGIN
    IF NOT wb_enforced() THEN
        RETURN coalesce(NEW, OLD);
    END IF;
    order_id := (to_jsonb(coalesce(NEW, OLD)) ->> 'work_order_id')::bigint;
    SELECT w.status, w.number INTO state, number FROM work_orders w WHERE w.id = order_id;
    IF state IN ({_quoted([s.value for s in sorted(READ_ONLY_STATUSES)])}) THEN
        RAISE EXCEPTION 'work order % is %: its % are read-only', number, state, TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN coalesce(NEW, OLD);
END
$fn$;
{children}

CREATE FUNCTION wb_app_user() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $fn$
    SELECT username FROM users WHERE '{LOGIN_PREFIX}' || lower(username) = session_user
$fn$;

CREATE FUNCTION wb_actor_guard() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
    -- "system" entries (a lock-out after failed log-ins) carry no user.
    IF wb_enforced() AND NOT (NEW.username = 'system' AND NEW.user_id IS NULL)
       AND NEW.username IS DISTINCT FROM wb_app_user() THEN
        RAISE EXCEPTION 'database login % may not write an audit entry as %',
            session_user, NEW.username USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$fn$;
CREATE TRIGGER wb_actor_guard BEFORE INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION wb_actor_guard();

CREATE FUNCTION wb_sync_login(username text, verifier text, role text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $fn$
DECLARE
    login text := '{LOGIN_PREFIX}' || lower(username);
    every text;
BEGIN
    IF wb_enforced() AND NOT pg_has_role(session_user, '{group_role(Role.ADMIN)}', 'MEMBER')
       AND NOT (login = session_user AND role IS NULL) THEN
        RAISE EXCEPTION '% may change only their own password', session_user
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    BEGIN
        EXECUTE format('CREATE ROLE %I LOGIN', login);
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
    IF verifier IS NOT NULL THEN
        EXECUTE format('ALTER ROLE %I PASSWORD %L', login, verifier);
    END IF;
    IF role IS NOT NULL THEN
        FOREACH every IN ARRAY ARRAY[{_quoted(roles)}] LOOP
            EXECUTE format('REVOKE %I FROM %I', every, login);
        END LOOP;
        EXECUTE format('GRANT %I TO %I', '{GROUP_PREFIX}' || role, login);
    END IF;
END
$fn$;
REVOKE ALL ON FUNCTION wb_sync_login(text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wb_sync_login(text, text, text) TO {roles[0]};

GRANT USAGE ON SCHEMA public TO {roles[0]};
GRANT SELECT ON ALL TABLES IN SCHEMA public TO {roles[0]};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {roles[0]};
GRANT UPDATE (failed_logins, locked_until) ON users TO {roles[0]};
GRANT INSERT ON audit_log TO {roles[0]};
GRANT UPDATE ON audit_head TO {roles[0]};
GRANT INSERT, UPDATE ON {", ".join(writable)} TO {roles[1]};
GRANT DELETE ON {", ".join(deletable)} TO {roles[1]};
GRANT INSERT ON {", ".join(t for t in INSERT_ONLY if t in tables)} TO {roles[1]};
GRANT INSERT, UPDATE ON users TO {group_role(Role.ADMIN)};
ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO {roles[0]};

DO $$
DECLARE item record;
BEGIN
    FOR item IN SELECT tablename FROM pg_tables
                 WHERE schemaname = 'public' AND tableowner = current_user LOOP
        EXECUTE format('ALTER TABLE %I OWNER TO {OWNER_ROLE}', item.tablename);
    END LOOP;
    FOR item IN SELECT p.oid::regprocedure AS signature FROM pg_proc p
                  JOIN pg_namespace n ON n.oid = p.pronamespace
                 WHERE n.nspname = 'public' AND p.proowner = current_user::regrole LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO {OWNER_ROLE}', item.signature);
    END LOOP;
END
$$;
"""


def new_table_sql(tables: tuple[str, ...], audited: dict[str, tuple[str, ...]]) -> str:
    """Row-audit triggers, ownership and grants for tables a migration after 0010 creates.

    `role_sql` covers only the tables that exist when 0010 runs; a later migration's tables
    get the same treatment here: the row log for `audited` (table: key columns), the owner role,
    reading for everyone, writing for technicians and up as `role_sql` grants it, and the new
    id sequences. Runs on PostgreSQL only, after 0010 (its `wb_row_audit` and roles).
    """
    triggers = "\n".join(
        f"CREATE TRIGGER wb_row_audit AFTER INSERT OR UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION wb_row_audit({_quoted(keys)});"
        for table, keys in audited.items()
    )
    viewer, technician = group_role(ROLES_LOW_TO_HIGH[0]), group_role(ROLES_LOW_TO_HIGH[1])
    writable = [t for t in tables if t not in READ_ONLY and t not in INSERT_ONLY]
    deletable = [t for t in writable if t not in NO_DELETE]
    owners = "\n".join(f"        ALTER TABLE {t} OWNER TO {OWNER_ROLE};" for t in tables)
    grants = [
        f"GRANT SELECT ON {', '.join(tables)} TO {viewer};",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {viewer};",
    ]
    if writable:
        grants.append(f"GRANT INSERT, UPDATE ON {', '.join(writable)} TO {technician};")
    if deletable:
        grants.append(f"GRANT DELETE ON {', '.join(deletable)} TO {technician};")
    granted = "\n".join(f"        {line}" for line in grants)
    return f"""
{triggers}
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{OWNER_ROLE}') THEN
{owners}
{granted}
    END IF;
END
$$;
"""


DISPLAY_GROUP = f"{GROUP_PREFIX}display"
"""The control-room display's login is a member (and the shop-floor kiosk's): reads
everything, writes what it records for people who proved themselves with their PIN
(acknowledgements, stop codes, breakdown requests with photos, failed PINs) and guest
requests under the kiosk's account."""

MONITOR_GROUP = f"{GROUP_PREFIX}monitor"
"""The monitoring service's login is a member: samples, alarms and predictive orders."""

OWN_ACCOUNT_COLUMNS = ("password_hash", "pin_hash", "email", "digest")
"""What a person changes of their own user row: their password, PIN and mail settings."""

SERVICE_WRITES = {
    DISPLAY_GROUP: {
        "alarms": "UPDATE",
        "downtime_periods": "INSERT, UPDATE",
        "work_orders": "INSERT, UPDATE",
        "status_changes": "INSERT",
        "number_counters": "INSERT, UPDATE",
        "notification_events": "INSERT",
        "shift_handovers": "UPDATE",
        "attachments": "INSERT",
    },
    MONITOR_GROUP: {
        "plant_samples": "INSERT",
        "plant_sample_minutes": "INSERT, UPDATE",
        "hist_points": "INSERT, UPDATE, DELETE",
        "hist_blocks": "INSERT, UPDATE, DELETE",
        "hist_retention": "INSERT, UPDATE",
        "alarms": "INSERT, UPDATE",
        "work_orders": "INSERT, UPDATE",
        "status_changes": "INSERT",
        "number_counters": "INSERT, UPDATE",
        "attachments": "INSERT",
        "downtime_periods": "INSERT, UPDATE",
        "meters": "UPDATE",
        "meter_readings": "INSERT",
        "notification_events": "INSERT",
        "work_order_isolations": "UPDATE",
    },
}
"""The tables each service login writes besides the trails and the log-in counters (grants
name only tables that exist when the migration runs)."""

MONITOR_FUNCTIONS = (
    "wb_history_partition(bigint)",
    "wb_history_drop_before(bigint)",
    "wb_history_points_partition(bigint)",
    "wb_history_points_drop_before(bigint)",
)
"""The history store's partition functions (migration 0012) the historian calls."""


_FUNCTIONS_TO_OWNER = f"""
DO $$
DECLARE item record;
BEGIN
    FOR item IN SELECT p.oid::regprocedure AS signature FROM pg_proc p
                  JOIN pg_namespace n ON n.oid = p.pronamespace
                 WHERE n.nspname = 'public' AND p.proowner = current_user::regrole LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO {OWNER_ROLE}', item.signature);
    END LOOP;
END
$$;
"""
"""The migrator's new functions handed to the owner role, so security definers run as it."""


def account_sql(tables: list[str]) -> str:
    """Migration 0017 on PostgreSQL: accounts changed only through checked paths, the server's
    clock for lock-outs and audit times, and the two service groups.

    - `users` UPDATE: a trigger lets a person change only their own password, PIN and mail
      settings; administrators everything else, but no one sets a lock or a failure count by
      hand. A changed role moves the login into its group, a deactivated leaver's login can
      no longer connect (`wb_apply_account`, security definer, administrators only).
    - Failed log-ins count through `wb_login_failed` (anyone, for anyone, as typing a wrong
      PIN at the display does), the lock dated by the server; a success resets the count
      through `wb_login_succeeded`, only one's own and never while locked.
    - `wb_trusted_now(client)`: the server's clock for a personal login, the caller's for
      the owner or a site's older shared login. An audit entry written by a personal login
      must carry it (`wb_audit_time_guard`).
    """
    from desktop.domain.login_policy import LOCKOUT, MAX_FAILED_LOGINS

    roles = [group_role(role) for role in ROLES_LOW_TO_HIGH]
    viewer, admin = roles[0], group_role(Role.ADMIN)
    own = " - ".join(f"'{column}'" for column in OWN_ACCOUNT_COLUMNS)
    service_grants = []
    for group, writes in SERVICE_WRITES.items():
        service_grants.append(f"GRANT {viewer} TO {group};")
        service_grants.extend(
            f"GRANT {privileges} ON {table} TO {group};"
            for table, privileges in writes.items()
            if table in tables
        )
    service_grants.extend(
        f"DO $$ BEGIN IF to_regprocedure('{function}') IS NOT NULL THEN "
        f"GRANT EXECUTE ON FUNCTION {function} TO {MONITOR_GROUP}; END IF; END $$;"
        for function in MONITOR_FUNCTIONS
    )
    service_lines = "\n".join(service_grants)
    lockout_seconds = int(LOCKOUT.total_seconds())
    apply_account = apply_account_sql(end_sessions=False)
    return f"""
DO $$
DECLARE name text;
BEGIN
    FOREACH name IN ARRAY ARRAY[{_quoted([DISPLAY_GROUP, MONITOR_GROUP])}] LOOP
        BEGIN
            EXECUTE format('CREATE ROLE %I NOLOGIN', name);
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END;
    END LOOP;
END
$$;
{service_lines}

CREATE FUNCTION wb_trusted_now(client timestamptz) RETURNS timestamptz
LANGUAGE sql STABLE AS $fn$
    SELECT CASE WHEN wb_enforced() THEN now() ELSE client END
$fn$;

CREATE FUNCTION wb_login_failed(name text, client timestamptz) RETURNS timestamptz
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $fn$
DECLARE
    failures integer;
    until timestamptz;
    at timestamptz := wb_trusted_now(client);
BEGIN
    UPDATE users SET failed_logins = failed_logins + 1
     WHERE lower(username) = lower(name) AND (locked_until IS NULL OR locked_until <= at)
    RETURNING failed_logins INTO failures;
    IF failures >= {MAX_FAILED_LOGINS} THEN
        until := at + interval '{lockout_seconds} seconds';
        UPDATE users SET failed_logins = 0, locked_until = until
         WHERE lower(username) = lower(name);
    END IF;
    RETURN until;
END
$fn$;

CREATE FUNCTION wb_login_succeeded(name text, client timestamptz) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $fn$
BEGIN
    UPDATE users SET failed_logins = 0
     WHERE lower(username) = lower(name) AND failed_logins > 0
       AND (locked_until IS NULL OR locked_until <= wb_trusted_now(client))
       AND (NOT wb_enforced() OR '{LOGIN_PREFIX}' || lower(username) = session_user);
END
$fn$;

{apply_account}
CREATE FUNCTION wb_users_guard() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
    -- current_user is the owner inside wb_login_failed / wb_login_succeeded: their own rules.
    IF wb_enforced() AND NOT pg_has_role(current_user, '{OWNER_ROLE}', 'MEMBER') THEN
        IF (NEW.failed_logins <> OLD.failed_logins AND NEW.failed_logins <> 0)
           OR (NEW.locked_until IS DISTINCT FROM OLD.locked_until
               AND NEW.locked_until IS NOT NULL) THEN
            RAISE EXCEPTION 'only failed log-ins lock an account: % refused', session_user
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NOT pg_has_role(session_user, '{admin}', 'MEMBER') AND (
            OLD.username IS DISTINCT FROM wb_app_user()
            OR to_jsonb(NEW) - {own} IS DISTINCT FROM to_jsonb(OLD) - {own}
        ) THEN
            RAISE EXCEPTION '% may change only their own password, PIN and mail settings',
                session_user USING ERRCODE = 'insufficient_privilege';
        END IF;
    END IF;
    IF NEW.role IS DISTINCT FROM OLD.role OR NEW.active IS DISTINCT FROM OLD.active THEN
        PERFORM wb_apply_account(NEW.username, NEW.role::text, NEW.active);
    END IF;
    RETURN NEW;
END
$fn$;
CREATE TRIGGER wb_users_guard BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION wb_users_guard();

CREATE FUNCTION wb_audit_time_guard() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
    IF wb_enforced() AND NEW.at IS DISTINCT FROM now() THEN
        RAISE EXCEPTION 'an audit entry is dated by the database server''s clock (%), not %',
            now(), NEW.at USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$fn$;
CREATE TRIGGER wb_audit_time_guard BEFORE INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION wb_audit_time_guard();

CREATE OR REPLACE FUNCTION wb_actor_guard() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
    -- "system" entries (a lock-out after failed log-ins) carry no user. The display writes
    -- in the name of whoever proved themselves there with their PIN or password, the
    -- monitor in its --user's; their grants bound what they can write at all.
    IF wb_enforced() AND NOT (NEW.username = 'system' AND NEW.user_id IS NULL)
       AND NEW.username IS DISTINCT FROM wb_app_user()
       AND NOT pg_has_role(session_user, '{DISPLAY_GROUP}', 'MEMBER')
       AND NOT pg_has_role(session_user, '{MONITOR_GROUP}', 'MEMBER') THEN
        RAISE EXCEPTION 'database login % may not write an audit entry as %',
            session_user, NEW.username USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$fn$;

REVOKE UPDATE (failed_logins, locked_until) ON users FROM {viewer};
REVOKE INSERT, UPDATE ON users FROM {admin};
GRANT UPDATE ({", ".join(OWN_ACCOUNT_COLUMNS)}) ON users TO {viewer};
GRANT INSERT, UPDATE ON users TO {admin};
REVOKE ALL ON FUNCTION wb_login_failed(text, timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION wb_login_succeeded(text, timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION wb_apply_account(text, text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wb_login_failed(text, timestamptz) TO {viewer};
GRANT EXECUTE ON FUNCTION wb_login_succeeded(text, timestamptz) TO {viewer};
GRANT EXECUTE ON FUNCTION wb_apply_account(text, text, boolean) TO {viewer};

{_FUNCTIONS_TO_OWNER}"""


BREAKDOWN_WRITES = {
    "work_orders": "INSERT",
    "status_changes": "INSERT",
    "number_counters": "INSERT, UPDATE",
    "downtime_periods": "INSERT",
    "attachments": "INSERT",
}
"""What a viewer's breakdown request writes besides the trails (migration 0019)."""

GATE_LOGIN = f"{GROUP_PREFIX}gate"
GATE_PASSWORD = "wrenchbook-gate"
"""The log-in gate's login and password, the same on every site and not a secret: all it may
do is count a refused log-in (`wb_login_refused`), which anyone can already do by typing a
wrong password at the log-in dialog. Without it, a wrong password refused by the server
never reached the lock-out count (issue 17)."""


def apply_account_sql(end_sessions: bool) -> str:
    """`wb_apply_account`: a changed role moves the person's login into its group; a
    deactivated leaver's login can no longer connect and, from migration 0019 on
    (`end_sessions`), their open sessions end."""
    ending = (
        "    IF NOT active THEN\n        PERFORM wb_end_sessions(login);\n    END IF;\n"
        if end_sessions
        else ""
    )
    roles = [group_role(role) for role in ROLES_LOW_TO_HIGH]
    admin = group_role(Role.ADMIN)
    return f"""
CREATE OR REPLACE FUNCTION wb_apply_account(name text, role text, active boolean) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $fn$
DECLARE
    login text := '{LOGIN_PREFIX}' || lower(name);
    every text;
BEGIN
    IF wb_enforced() AND NOT pg_has_role(session_user, '{admin}', 'MEMBER') THEN
        RAISE EXCEPTION '% may not change roles or accounts', session_user
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login) THEN
        RETURN;
    END IF;
    FOR every IN SELECT g.rolname FROM pg_auth_members m
                   JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles p ON p.oid = m.member
                  WHERE p.rolname = login AND g.rolname = ANY (ARRAY[{_quoted(roles)}]) LOOP
        EXECUTE format('REVOKE %I FROM %I', every, login);
    END LOOP;
    EXECUTE format('GRANT %I TO %I', '{GROUP_PREFIX}' || role, login);
    EXECUTE format('ALTER ROLE %I %s', login, CASE WHEN active THEN 'LOGIN' ELSE 'NOLOGIN' END);
{ending}END
$fn$;
"""


def gate_sql() -> str:
    """Migration 0019 on PostgreSQL: refused log-ins counted, leavers' sessions ended, and the
    accounts re-applied after a restore.

    - `wrenchbook_gate` may only call `wb_login_refused(name)`: a workstation whose personal
      log-in the server refused counts the failure through it, dated by the server.
    - `wb_end_sessions(login)` ends a login's open connections; the owner role gets
      `pg_signal_backend` for it where the migrator may grant it (else a NOTICE, and a
      deactivated leaver's open sessions last until they disconnect).
    - Viewers (the plant's operators) write what reporting a breakdown writes
      (`BREAKDOWN_WRITES`), as the role table allows them; every login's new work order
      starts as requested (`wb_new_order_guard`), so that INSERT cannot skip the lifecycle.
    - `wb_resync_accounts()` (the owner's, for `restore`): every person's login back in step
      with the restored users table; a login whose person the backup does not have can no
      longer connect.
    """
    roles = [group_role(role) for role in ROLES_LOW_TO_HIGH]
    breakdown_grants = "\n".join(
        f"GRANT {privileges} ON {table} TO {roles[0]};"
        for table, privileges in BREAKDOWN_WRITES.items()
    )
    return f"""
DO $$
BEGIN
    BEGIN
        CREATE ROLE {GATE_LOGIN} LOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
    ALTER ROLE {GATE_LOGIN} LOGIN PASSWORD '{GATE_PASSWORD}';
    BEGIN
        GRANT pg_signal_backend TO {OWNER_ROLE};
    EXCEPTION WHEN insufficient_privilege THEN
        RAISE NOTICE 'pg_signal_backend not granted to {OWNER_ROLE}: a deactivated '
            'leaver''s open sessions last until they disconnect';
    END;
END
$$;

CREATE FUNCTION wb_new_order_guard() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
    IF wb_enforced() AND NEW.status IS DISTINCT FROM '{Status.REQUESTED.value}' THEN
        RAISE EXCEPTION 'a new work order starts as {Status.REQUESTED.value}, not %', NEW.status
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$fn$;
CREATE TRIGGER wb_new_order_guard BEFORE INSERT ON work_orders
    FOR EACH ROW EXECUTE FUNCTION wb_new_order_guard();
{breakdown_grants}

CREATE FUNCTION wb_login_refused(name text) RETURNS timestamptz
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public AS $fn$
    SELECT wb_login_failed(name, now())
$fn$;
REVOKE ALL ON FUNCTION wb_login_refused(text) FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO {GATE_LOGIN};
GRANT EXECUTE ON FUNCTION wb_login_refused(text) TO {GATE_LOGIN};

CREATE FUNCTION wb_end_sessions(login text) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $fn$
DECLARE
    ended integer := 0;
    backend integer;
BEGIN
    -- A loop, not one WHERE: the planner may call pg_terminate_backend on every row first.
    FOR backend IN SELECT pid FROM pg_stat_activity
                    WHERE usename = login AND pid <> pg_backend_pid() LOOP
        IF pg_terminate_backend(backend) THEN
            ended := ended + 1;
        END IF;
    END LOOP;
    RETURN ended;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'open sessions of % not ended: %', login, SQLERRM;
    RETURN 0;
END
$fn$;
REVOKE ALL ON FUNCTION wb_end_sessions(text) FROM PUBLIC;
{apply_account_sql(end_sessions=True)}
CREATE FUNCTION wb_resync_accounts() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $fn$
DECLARE
    login text;
    person record;
    every text;
    changed integer := 0;
BEGIN
    FOR login IN SELECT rolname FROM pg_roles WHERE rolname LIKE '{LOGIN_PREFIX}%' LOOP
        SELECT username, role, active INTO person FROM users
         WHERE '{LOGIN_PREFIX}' || lower(username) = login;
        IF FOUND THEN
            PERFORM wb_apply_account(person.username, person.role::text, person.active);
        ELSE
            FOR every IN SELECT g.rolname FROM pg_auth_members m
                           JOIN pg_roles g ON g.oid = m.roleid
                          WHERE m.member = (SELECT oid FROM pg_roles WHERE rolname = login)
                            AND g.rolname = ANY (ARRAY[{_quoted(roles)}]) LOOP
                EXECUTE format('REVOKE %I FROM %I', every, login);
            END LOOP;
            EXECUTE format('ALTER ROLE %I NOLOGIN', login);
            PERFORM wb_end_sessions(login);
        END IF;
        changed := changed + 1;
    END LOOP;
    RETURN changed;
END
$fn$;
REVOKE ALL ON FUNCTION wb_resync_accounts() FROM PUBLIC;
{_FUNCTIONS_TO_OWNER}"""


def audit_chain_first_sql() -> str:
    """Migration 0021 on PostgreSQL: `wb_hold_audit_chain()`, which every login's writing unit
    of work calls first (`Database.unit_of_work`), so writers queue on the audit chain's head
    before any other lock and cannot deadlock on it. It runs with its owner's rights: a
    person's login may not lock the head row itself."""
    return f"""
CREATE FUNCTION wb_hold_audit_chain() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $fn$
BEGIN
    PERFORM 1 FROM row_audit_head WHERE id = 1 FOR UPDATE;
END
$fn$;
REVOKE ALL ON FUNCTION wb_hold_audit_chain() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wb_hold_audit_chain() TO {group_role(ROLES_LOW_TO_HIGH[0])};
"""
