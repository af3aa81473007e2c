"""Attacks by a person holding only their own PostgreSQL login, and the work it must still do.

Each attack was tried with a SQL client as a technician (or with the services, pretending to
be someone else); the database now refuses it and the tables stay as they were.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, ProgrammingError

from desktop.domain.enums import Role, Status
from desktop.services.admin.users import NewUser, UserService
from desktop.services.orders.work_order_records import WorkOrderDraft
from desktop.services.orders.work_orders import WorkOrderService
from desktop.store.db_roles import group_role, lifecycle_rows, login_name
from desktop.store.migrate import SchemaBehind, current_revision, upgrade
from tests.conftest import PASSWORD
from tests.integration.workflow import drive_to, prepare, raise_order

pytest_plugins = ["tests.per_user"]

pytestmark = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)

PROTECTED = (
    "work_orders",
    "status_changes",
    "labour_entries",
    "stock_movements",
    "audit_log",
    "users",
)


def _snapshot(db) -> dict[str, list[tuple]]:
    with db.engine.connect() as conn:
        return {
            table: conn.execute(text(f"SELECT * FROM {table} ORDER BY 1")).all()
            for table in (*PROTECTED, "work_order_addenda", "audit_head")
        }


def _refused(db, attacker, sql: str, **params: object) -> str:
    """`sql` through the attacker's own login; returns the refusal, checks nothing changed."""
    before = _snapshot(db)
    with pytest.raises(DBAPIError) as caught, attacker.engine.begin() as conn:
        conn.execute(text(sql), params)
    assert _snapshot(db) == before, "a refused attempt changed the tables"
    return str(caught.value.orig)


@pytest.fixture
def orders(db, actors, clock):
    """A completed order, a closed one, and one in progress (tom assigned)."""
    service = WorkOrderService(db, clock)
    made = {}
    for status in (Status.COMPLETED, Status.CLOSED, Status.SCHEDULED):
        number = raise_order(service, actors["admin"]).number
        drive_to(service, actors["admin"], number, status, clock)
        made[status] = number
    return made


def test_lifecycle_table_in_the_database_equals_the_python_table(db):
    with db.engine.connect() as conn:
        stored = conn.execute(text("SELECT source, target, roles FROM wb_lifecycle()")).all()
    assert sorted((s, t, sorted(r)) for s, t, r in stored) == sorted(lifecycle_rows())


def test_technician_cannot_change_his_own_role(db, as_login):
    message = _refused(
        db, as_login("tom"), "UPDATE users SET role = 'admin' WHERE username = 'tom'"
    )
    assert "permission denied" in message


def test_technician_cannot_close_an_order(db, as_login, orders):
    message = _refused(
        db,
        as_login("tom"),
        "UPDATE work_orders SET status = 'closed' WHERE number = :n",
        n=orders[Status.COMPLETED],
    )
    assert "may not move work order" in message
    assert "needs admin, supervisor" in message


def test_lifecycle_moves_outside_the_table_are_refused(db, as_login, orders):
    message = _refused(
        db,
        as_login("sam"),
        "UPDATE work_orders SET status = 'requested' WHERE number = :n",
        n=orders[Status.COMPLETED],
    )
    assert "no move from completed to requested" in message


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE work_orders SET title = 'rewritten' WHERE number = :n",
        "UPDATE work_orders SET status = 'in_progress' WHERE number = :n",
        "INSERT INTO labour_entries (work_order_id, technician_id, work_date, hours, rate, note, "
        "created_at) "
        "SELECT w.id, u.id, '2026-03-02', 3, 40, 'late', now() FROM work_orders w, users u "
        "WHERE w.number = :n AND u.username = 'tom'",
        "INSERT INTO work_order_assignees (work_order_id, user_id) SELECT w.id, u.id "
        "FROM work_orders w, users u WHERE w.number = :n AND u.username = 'tina'",
    ],
)
def test_closed_order_is_read_only_even_for_a_supervisor(db, as_login, orders, sql):
    message = _refused(db, as_login("sam"), sql, n=orders[Status.CLOSED])
    assert "is closed" in message


@pytest.mark.parametrize("table", PROTECTED)
def test_nobody_with_a_personal_login_deletes_history(db, as_login, orders, table):
    assert "permission denied" in _refused(db, as_login("admin"), f"DELETE FROM {table}")


def test_technician_cannot_inflate_booked_hours(db, as_login, orders):
    message = _refused(db, as_login("tom"), "UPDATE labour_entries SET hours = hours * 10")
    assert "permission denied" in message


def test_service_call_as_another_user_is_refused_by_the_database(db, as_login, actors, orders):
    # tom's workstation, with the Python checks bypassed by passing sam's actor.
    forged = WorkOrderService(as_login("tom"))
    before = _snapshot(db)
    with pytest.raises(ProgrammingError, match="may not move work order"):
        forged.transition(actors["sam"], orders[Status.COMPLETED], Status.CLOSED)
    with pytest.raises(ProgrammingError, match="may not write an audit entry as paula"):
        forged.create(actors["paula"], WorkOrderDraft("Forged request", "P-101"))
    assert _snapshot(db) == before


def test_people_do_their_own_work_through_their_own_logins(db, as_login, actors, clock, orders):
    number = orders[Status.SCHEDULED]
    tom = WorkOrderService(as_login("tom"), clock)
    tom.transition(actors["tom"], number, Status.IN_PROGRESS)
    prepare(tom, actors["tom"], number, Status.COMPLETED, clock)
    tom.transition(actors["tom"], number, Status.COMPLETED)
    sam = WorkOrderService(as_login("sam"), clock)
    sam.transition(actors["sam"], number, Status.CLOSED)
    sam.add_addendum(actors["sam"], number, "Seal replaced with the upgraded type.")
    assert sam.get(number).row.status is Status.CLOSED
    with db.engine.connect() as conn:
        who = conn.execute(
            text(
                "SELECT DISTINCT db_user FROM row_audit WHERE table_name = 'work_orders' "
                "AND row_key = (SELECT id::text FROM work_orders WHERE number = :n)"
            ),
            {"n": number},
        ).scalars()
        assert {login_name("tom"), login_name("sam")} <= set(who)


def test_new_user_gets_a_login_in_the_group_of_their_role(db, as_login, actors):
    UserService(as_login("admin")).create(
        actors["admin"], NewUser("nina", "Nina", Role.PLANNER, PASSWORD)
    )
    with db.engine.connect() as conn:
        verifier, member = conn.execute(
            text(
                "SELECT rolpassword, pg_has_role(rolname, :g, 'MEMBER') FROM pg_authid "
                "WHERE rolname = :r"
            ),
            {"r": login_name("nina"), "g": group_role(Role.PLANNER)},
        ).one()
    assert verifier.startswith("SCRAM-SHA-256$4096:")
    assert member


def test_technician_cannot_reset_someone_elses_database_password(db, as_login):
    message = _refused(db, as_login("tom"), "SELECT wb_sync_login('sam', 'SCRAM-SHA-256$x', NULL)")
    assert "only their own password" in message


def test_workstation_with_a_personal_login_refuses_an_old_schema_with_the_fix(db, as_login):
    tom = as_login("tom")
    assert upgrade(tom) is None, "an up-to-date schema opens"
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0007'"))
    with pytest.raises(SchemaBehind, match="administrator upgrades it once with the migrator"):
        upgrade(tom)
    assert current_revision(db) == "0007", "nothing was migrated"


def test_office_records_of_0013_are_written_through_personal_logins_and_logged(
    db, as_login, actors, clock
):
    """0013 runs after 0010: its tables get the grants and the row log here, not from 0010."""
    from desktop.services.assets.asset_files import AssetFileService
    from desktop.services.assets.asset_parts import AssetPartsService
    from desktop.services.stock.inventory import InventoryService
    from tests.integration.stock import stock_room

    stock_room(InventoryService(db, clock), actors["admin"])
    planner = as_login("paula")
    AssetPartsService(planner, clock).set_part(actors["paula"], "P-101", "P-1001", 2)
    AssetFileService(planner, clock).add(
        actors["paula"], "P-101", "manual.pdf", b"%PDF-1.4\n%%EOF\n"
    )
    AssetPartsService(planner, clock).remove_part(actors["paula"], "P-101", "P-1001")
    admin = UserService(as_login("admin"), clock)
    admin.set_active(actors["admin"], "tom", admin.account("tom").revision, False)
    with db.engine.connect() as conn:
        logged = conn.execute(
            text(
                "SELECT operation, db_user FROM row_audit WHERE table_name = 'asset_parts' "
                "ORDER BY seq"
            )
        ).all()
        deactivated = conn.execute(
            text("SELECT deactivated_at FROM users WHERE username = 'tom'")
        ).scalar_one()
    assert [(op, user) for op, user in logged] == [
        ("insert", login_name("paula")),
        ("delete", login_name("paula")),
    ]
    assert deactivated is not None
