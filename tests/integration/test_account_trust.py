"""Attacks on accounts and clocks by a person holding only their own PostgreSQL login.

Tried with psql as a technician first (migration 0010 let him lock every administrator out
until 2999 and lift his own lock), now refused by the database with the tables unchanged;
and the work the same login must still do: count failed log-ins, set one's own PIN.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from desktop.domain.enums import Role
from desktop.domain.errors import AccountLocked, AuthenticationFailed
from desktop.services.admin.users import LOCKOUT, MAX_FAILED_LOGINS, UserChanges, UserService
from desktop.services.orders.work_order_records import WorkOrderDraft
from desktop.services.orders.work_orders import WorkOrderService
from desktop.store.db_roles import group_role, login_name
from tests.conftest import PASSWORD

pytest_plugins = ["tests.per_user"]

pytestmark = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)

FAR_FUTURE = datetime(2031, 1, 1, tzinfo=UTC)


def _accounts(db) -> list[tuple]:
    with db.engine.connect() as conn:
        return conn.execute(text("SELECT * FROM users ORDER BY id")).all()


def _refused(db, attacker, sql: str, **params: object) -> str:
    """`sql` through the attacker's own login; returns the refusal, checks nothing changed."""
    before = _accounts(db)
    with pytest.raises(DBAPIError) as caught, attacker.engine.begin() as conn:
        conn.execute(text(sql), params)
    assert _accounts(db) == before, "a refused attempt changed the users"
    return str(caught.value.orig)


def _lock(db, username: str) -> datetime:
    with db.engine.connect() as conn:
        return conn.execute(
            text("SELECT locked_until FROM users WHERE username = :u"), {"u": username}
        ).scalar_one()


def _server_now(db) -> datetime:
    with db.engine.connect() as conn:
        return conn.execute(text("SELECT now()")).scalar_one()


def _lock_out(users: UserService, username: str) -> None:
    for _ in range(MAX_FAILED_LOGINS):
        with pytest.raises(AuthenticationFailed):
            users.authenticate_pin(username, "9173")


def test_technician_cannot_lock_every_administrator_out(db, as_login):
    message = _refused(
        db, as_login("tom"), "UPDATE users SET locked_until = '2999-01-01' WHERE role = 'admin'"
    )
    assert "permission denied" in message


def test_technician_cannot_lift_his_own_lock_or_reset_his_count(db, as_login):
    tom = as_login("tom")
    _lock_out(UserService(tom), "tom")
    assert "permission denied" in _refused(
        db, tom, "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE username = 'tom'"
    )
    before = _accounts(db)
    with tom.engine.begin() as conn:
        conn.execute(text("SELECT wb_login_succeeded('tom', now() + interval '1 day')"))
    assert _accounts(db) == before, "a success claimed while locked lifted nothing"
    with pytest.raises(AccountLocked):
        UserService(tom).authenticate("tom", PASSWORD)


def test_failed_log_ins_count_under_his_login_and_lock_by_the_server_clock(db, as_login, clock):
    """A signer's wrong PINs typed on tom's workstation still lock sam, however tom's clock
    is set: the lock runs a quarter of an hour from the server's now."""
    clock.now = FAR_FUTURE
    _lock_out(UserService(as_login("tom"), clock), "sam")
    until = _lock(db, "sam")
    assert until is not None
    assert abs(until - (_server_now(db) + LOCKOUT)) < timedelta(minutes=5)
    with pytest.raises(AccountLocked):
        UserService(as_login("sam"), clock).authenticate("sam", PASSWORD)


def test_a_lock_cannot_be_dated_by_the_callers_clock(db, as_login):
    tom = as_login("tom")
    with tom.engine.begin() as conn:
        for _ in range(MAX_FAILED_LOGINS):
            conn.execute(text("SELECT wb_login_failed('admin', '2999-01-01')"))
    assert _lock(db, "admin") < _server_now(db) + LOCKOUT + timedelta(minutes=5)


def test_technician_cannot_change_another_persons_pin_or_name(db, as_login):
    tom = as_login("tom")
    assert "only their own password, PIN" in _refused(
        db, tom, "UPDATE users SET pin_hash = 'x' WHERE username = 'sam'"
    )
    assert "permission denied" in _refused(
        db, tom, "UPDATE users SET full_name = 'Boss' WHERE username = 'tom'"
    )


def test_everyone_sets_their_own_pin_and_password_through_their_own_login(db, as_login, actors):
    UserService(as_login("vic")).set_pin(actors["vic"], "vic", "7391")
    assert UserService(db).authenticate_pin("vic", "7391").username == "vic"
    try:
        UserService(as_login("tina")).set_password(actors["tina"], "tina", "new-gearbox-44")
        assert UserService(db).authenticate("tina", "new-gearbox-44").username == "tina"
    finally:  # logins belong to the whole server
        UserService(db).set_password(actors["admin"], "tina", PASSWORD)


def test_a_role_changed_with_psql_moves_the_login_into_its_group(db, as_login):
    with as_login("admin").engine.begin() as conn:
        conn.execute(text("UPDATE users SET role = 'planner' WHERE username = 'tom'"))
    with db.engine.connect() as conn:
        planner, technician_only = conn.execute(
            text(
                "SELECT pg_has_role(:l, :p, 'MEMBER'), "
                "EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
                "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = :l AND g.rolname = :t)"
            ),
            {
                "l": login_name("tom"),
                "p": group_role(Role.PLANNER),
                "t": group_role(Role.TECHNICIAN),
            },
        ).one()
    assert planner
    assert not technician_only


def test_role_change_through_the_users_form_moves_the_login(db, as_login, actors):
    admin = UserService(as_login("admin"))
    account = admin.account("tina")
    record = account.record
    admin.update(
        actors["admin"],
        "tina",
        account.revision,
        UserChanges(record.full_name, Role.SUPERVISOR, record.craft, 40.0, 40.0),
    )
    with db.engine.connect() as conn:
        assert conn.execute(
            text("SELECT pg_has_role(:l, :g, 'MEMBER')"),
            {"l": login_name("tina"), "g": group_role(Role.SUPERVISOR)},
        ).scalar_one()


def test_technician_cannot_change_roles_through_the_account_function(db, as_login):
    message = _refused(db, as_login("tom"), "SELECT wb_apply_account('tom', 'admin', true)")
    assert "may not change roles" in message


def test_audit_time_of_a_personal_login_is_the_servers(db, as_login, actors, clock):
    clock.now = FAR_FUTURE  # tom's workstation clock, years ahead
    WorkOrderService(as_login("tom"), clock).create(
        actors["tom"], WorkOrderDraft("Seal leaking", "P-101")
    )
    with db.engine.connect() as conn:
        at = conn.execute(text("SELECT at FROM audit_log ORDER BY seq DESC LIMIT 1")).scalar_one()
    assert abs(at - _server_now(db)) < timedelta(minutes=5)


def test_an_audit_entry_dated_by_hand_is_refused(db, as_login):
    with db.engine.connect() as conn:
        before = conn.execute(text("SELECT count(*) FROM audit_log")).scalar_one()
    with pytest.raises(DBAPIError, match="server's clock"), as_login("tom").engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO audit_log (seq, at, user_id, username, action, entity_type, "
                "entity_id, before_json, after_json, prev_hash, hash) "
                "SELECT h.seq + 1, '2019-01-01', u.id, 'tom', 'note', 'user', u.id, 'null', "
                "'null', h.hash, h.hash FROM audit_head h, users u WHERE u.username = 'tom'"
            )
        )
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar_one() == before


def _login_state(db, username: str) -> tuple[bool, list[str]]:
    """Whether the person's login may connect, and the Wrenchbook groups it is in."""
    with db.engine.connect() as conn:
        can_login = conn.execute(
            text("SELECT rolcanlogin FROM pg_roles WHERE rolname = :l"),
            {"l": login_name(username)},
        ).scalar_one()
        groups = conn.execute(
            text(
                "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
                "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = :l ORDER BY 1"
            ),
            {"l": login_name(username)},
        ).scalars()
        return can_login, list(groups)


def test_a_restore_puts_the_logins_back_in_step_with_its_users(db, as_login, actors, tmp_path):
    """Issue 17: the logins kept the replaced users table's groups and log-in rights."""
    from desktop.services.admin.backup import backup
    from desktop.services.admin.restore import restore
    from desktop.services.admin.users import NewUser

    saved = backup(db, tmp_path / "before.sqlite3")
    admin = UserService(as_login("admin"))
    account = admin.account("tina")
    admin.update(
        actors["admin"],
        "tina",
        account.revision,
        UserChanges(account.record.full_name, Role.ADMIN, account.record.craft, 40.0, 40.0),
    )
    admin.create(
        actors["admin"], NewUser("restorenew", "Nora Late", Role.PLANNER, "Kettle-drum-93")
    )
    assert _login_state(db, "restorenew") == (True, [group_role(Role.PLANNER)])

    restore(db, saved, actors["admin"])

    assert _login_state(db, "tina") == (True, [group_role(Role.TECHNICIAN)])
    # Made after the backup: the restored database has no such person, so no way in.
    assert _login_state(db, "restorenew") == (False, [])


@pytest.mark.parametrize("who", ["vic", "tom"])
def test_a_work_order_inserted_with_psql_cannot_skip_the_lifecycle(db, as_login, actors, who):
    """Viewers may report breakdowns (an INSERT), so an INSERT must not land an order closed."""
    draft = WorkOrderDraft(title="Seal leaking", asset_code="P-101")
    WorkOrderService(db).create(actors["paula"], draft)  # a row to copy the other columns from
    with db.engine.connect() as conn:
        columns = conn.execute(
            text(
                "SELECT string_agg(column_name, ', ') FROM information_schema.columns "
                "WHERE table_name = 'work_orders' AND column_name NOT IN ('id', 'number', 'status')"
            )
        ).scalar_one()
    sql = (
        f"INSERT INTO work_orders (number, status, {columns}) "
        f"SELECT 'WO-FORGED', 'closed', {columns} FROM work_orders LIMIT 1"
    )
    refusal = "a new work order starts as requested, not closed"
    with pytest.raises(DBAPIError, match=refusal), as_login(who).engine.begin() as conn:
        conn.execute(text(sql))
    with db.engine.connect() as conn:
        assert (
            conn.execute(
                text("SELECT count(*) FROM work_orders WHERE number = 'WO-FORGED'")
            ).scalar_one()
            == 0
        )
