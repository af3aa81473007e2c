"""A workstation on a site server with personal logins holds no database secret.

The settings name the server and the database but no user: whoever logs in connects as
themselves (`wb_<name>`, their Wrenchbook password, checked by the server), so everything the
app does for them is done under their grants. Tried against a server that checks passwords.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, ProgrammingError

from desktop.domain.enums import Role, Status
from desktop.domain.errors import AccountLocked, AuthenticationFailed
from desktop.domain.permissions import Actor
from desktop.services.admin.sign_in import PersonalSignIn, uses_personal_logins
from desktop.services.admin.users import MAX_FAILED_LOGINS, UserService
from desktop.services.orders.work_orders import WorkOrderService
from desktop.store.database import Database
from desktop.store.db_roles import login_name
from desktop.store.migrate import SchemaBehind
from tests.conftest import PASSWORD
from tests.integration.workflow import raise_order

pytest_plugins = ["tests.per_user"]

pytestmark = [
    pytest.mark.parametrize("db_url", ["postgresql"], indirect=True),
    pytest.mark.usefixtures("password_auth"),
]


def _server_only(db_url: str) -> str:
    """The URL a workstation's settings hold: server and database, no user, no password."""
    return make_url(db_url)._replace(username=None, password=None).render_as_string()


def _session_user(db: Database) -> str:
    with db.engine.connect() as conn:
        return conn.execute(text("SELECT session_user")).scalar_one()


def test_the_person_who_logs_in_is_the_database_login(db_url, db, clock):
    url = _server_only(db_url)
    assert uses_personal_logins(url)
    assert not uses_personal_logins(db_url), "a URL naming a user is a shared/service login"
    signed_in = PersonalSignIn(url).sign_in("Tom", PASSWORD)
    try:
        assert signed_in.actor.username == "tom"
        assert _session_user(signed_in.db) == login_name("tom")
        number = raise_order(WorkOrderService(signed_in.db, clock), signed_in.actor).number
    finally:
        signed_in.db.dispose()
    with db.engine.connect() as conn:
        who = conn.execute(
            text("SELECT db_user FROM row_audit WHERE after_json LIKE :n ORDER BY seq LIMIT 1"),
            {"n": f'%"{number}"%'},
        ).scalar_one()
    assert who == login_name("tom")


@pytest.mark.parametrize(
    ("username", "password"), [("tom", "wrong-password-1"), ("nobody", PASSWORD)]
)
def test_wrong_password_or_unknown_name_is_refused_by_the_server(db_url, username, password):
    with pytest.raises(AuthenticationFailed, match=r"^unknown user or wrong password$"):
        PersonalSignIn(_server_only(db_url)).sign_in(username, password)


def test_windows_sign_on_where_the_server_checks_passwords_says_so(db_url):
    with pytest.raises(AuthenticationFailed, match="does not offer Windows sign-on"):
        PersonalSignIn(_server_only(db_url)).sign_on("tom")


def test_without_the_password_the_login_name_alone_opens_nothing(db_url):
    """What a workstation could leak: the server URL. The login still needs the password."""
    bare = make_url(db_url).set(username=login_name("tom"), password=None)
    with pytest.raises(OperationalError, match="password"):
        Database(bare.render_as_string(hide_password=False)).engine.connect()


def test_a_locked_account_stays_locked_with_the_right_password(db_url, db):
    users = UserService(db)
    for _ in range(MAX_FAILED_LOGINS):
        with pytest.raises(AuthenticationFailed):
            users.authenticate_pin("tom", "9173")
    with pytest.raises(AccountLocked):
        PersonalSignIn(_server_only(db_url)).sign_in("tom", PASSWORD)


def test_wrong_passwords_refused_by_the_server_count_towards_the_lock_out(db_url, db):
    """Issue 17: the server refused them before Wrenchbook saw them, so they never counted."""
    door = PersonalSignIn(_server_only(db_url))
    for attempt in range(MAX_FAILED_LOGINS):
        with pytest.raises(AuthenticationFailed, match=r"^unknown user or wrong password$"):
            door.sign_in("Tom", f"guess-{attempt}-wrong")
    with pytest.raises(AccountLocked):
        door.sign_in("tom", PASSWORD)
    with db.engine.connect() as conn:
        locked, server_now = conn.execute(
            text("SELECT locked_until, now() FROM users WHERE username = 'tom'")
        ).one()
    assert locked > server_now  # dated by the server's clock, not the workstation's
    # An unknown name costs the same refusal and locks nobody.
    with pytest.raises(AuthenticationFailed, match=r"^unknown user or wrong password$"):
        door.sign_in("nobody", PASSWORD)
    door.sign_in("sam", PASSWORD).db.dispose()


def test_the_log_in_gate_can_do_nothing_but_count(db_url):
    from desktop.store.db_roles import GATE_LOGIN, GATE_PASSWORD

    gate = make_url(db_url).set(username=GATE_LOGIN, password=GATE_PASSWORD)
    database = Database(gate.render_as_string(hide_password=False))
    try:
        for attempt in (
            "SELECT count(*) FROM users",
            "SELECT wb_login_failed('tom', '2999-01-01')",
            "UPDATE users SET locked_until = NULL",
            "SELECT wb_apply_account('tom', 'admin', true)",
        ):
            with (
                pytest.raises(ProgrammingError, match="permission denied"),
                database.engine.begin() as conn,
            ):
                conn.execute(text(attempt))
    finally:
        database.dispose()


def test_a_deactivated_leavers_open_session_is_ended(db_url, as_login, actors):
    admin = UserService(as_login("admin"))
    signed_in = PersonalSignIn(_server_only(db_url)).sign_in("tina", PASSWORD)
    try:
        assert _session_user(signed_in.db) == login_name("tina")
        with signed_in.db.engine.connect() as open_session:
            admin.set_active(actors["admin"], "tina", admin.account("tina").revision, False)
            with pytest.raises(OperationalError, match="terminat"):
                open_session.execute(text("SELECT count(*) FROM work_orders"))
    finally:
        signed_in.db.dispose()
        admin.set_active(actors["admin"], "tina", admin.account("tina").revision, True)


def test_a_deactivated_leaver_can_no_longer_connect_with_psql(db_url, as_login, actors):
    admin = UserService(as_login("admin"))
    admin.set_active(actors["admin"], "tina", admin.account("tina").revision, False)
    # (Logins belong to the whole server: tina is taken back at the end.)
    leaver = make_url(db_url).set(username=login_name("tina"), password=PASSWORD)
    with pytest.raises(OperationalError, match="not permitted to log in"):
        Database(leaver.render_as_string(hide_password=False)).engine.connect()
    with pytest.raises(AuthenticationFailed, match=r"^unknown user or wrong password$"):
        PersonalSignIn(_server_only(db_url)).sign_in("tina", PASSWORD)
    admin.set_active(actors["admin"], "tina", admin.account("tina").revision, True)
    PersonalSignIn(_server_only(db_url)).sign_in("tina", PASSWORD).db.dispose()


def test_a_changed_password_is_the_new_database_password(db_url, db, as_login, actors):
    new = "gearbox-oil-72"
    UserService(as_login("tom")).set_password(actors["tom"], "tom", new)
    try:
        with pytest.raises(AuthenticationFailed):
            PersonalSignIn(_server_only(db_url)).sign_in("tom", PASSWORD)
        signed_in = PersonalSignIn(_server_only(db_url)).sign_in("tom", new)
        assert _session_user(signed_in.db) == login_name("tom")
        signed_in.db.dispose()
    finally:  # logins belong to the whole server, not to this test's database
        UserService(db).set_password(actors["admin"], "tom", PASSWORD)


def test_an_old_schema_is_refused_at_log_in_with_the_fix(db_url, db):
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0013'"))
    with pytest.raises(SchemaBehind, match="migrator login"):
        PersonalSignIn(_server_only(db_url)).sign_in("tom", PASSWORD)


def test_the_services_under_a_personal_login_refuse_what_his_role_forbids(db_url, clock):
    """Past the Python checks (an actor claiming supervisor), his login cannot approve."""
    signed_in = PersonalSignIn(_server_only(db_url)).sign_in("tom", PASSWORD)
    try:
        service = WorkOrderService(signed_in.db, clock)
        number = raise_order(service, signed_in.actor).number
        forged = Actor(signed_in.actor.user_id, "tom", Role.SUPERVISOR)
        with pytest.raises(ProgrammingError, match="may not move work order"):
            service.transition(forged, number, Status.APPROVED)
        assert service.get(number).row.status is Status.REQUESTED
    finally:
        signed_in.db.dispose()


def test_the_command_line_connects_as_its_user_too(db_url, db, monkeypatch, capsys):
    from desktop.cli import main

    monkeypatch.setenv("WRENCHBOOK_PASSWORD", PASSWORD)
    argv = ["--db", _server_only(db_url), "--user", "tom"]
    code = main(["wo", "create", "--asset", "P-101", "--title", "Bearing noise", *argv])
    err = capsys.readouterr().err
    assert code == 0, err
    with db.engine.connect() as conn:
        who = conn.execute(
            text(
                "SELECT db_user FROM row_audit WHERE table_name = 'work_orders' "
                "AND after_json LIKE '%Bearing noise%'"
            )
        ).scalar_one()
    assert who == login_name("tom")
    monkeypatch.setenv("WRENCHBOOK_PASSWORD", "not-his-password-1")
    assert main(["wo", "create", "--asset", "P-101", "--title", "Forged", *argv]) == 1
    assert "unknown user or wrong password" in capsys.readouterr().err


def test_the_settings_test_button_reaches_a_server_of_personal_logins(db_url):
    from desktop.services.admin.connection_check import check_database

    result = check_database(_server_only(db_url))
    assert result.ok, result.message


def test_a_person_from_before_personal_logins_gets_one_at_their_next_log_in(
    db_url, db, actors, capsys
):
    """Issue 17: people made before migration 0017 had no login until their password was set
    again; only their password can make it, so their next log-in on the shared login does."""
    import psycopg
    from psycopg import sql

    from desktop.cli import main
    from desktop.services.admin.users import NewUser

    users = UserService(db)  # the site's shared login (here the migrator's)
    users.create(actors["admin"], NewUser("oldtimer", "Olga Early", Role.PLANNER, "Lathe-oil-4711"))
    libpq = make_url(db_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(libpq, autocommit=True) as conn:  # as a site upgraded from 0016 has it
        conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(login_name("oldtimer"))))
    assert users.without_database_login() == ["oldtimer"]
    assert main(["init", "--db", db_url]) == 0
    assert "without a database login of their own yet (1): oldtimer." in capsys.readouterr().out
    with pytest.raises(AuthenticationFailed):
        PersonalSignIn(_server_only(db_url)).sign_in("oldtimer", "Lathe-oil-4711")

    users.authenticate("oldtimer", "Lathe-oil-4711")

    assert users.without_database_login() == []
    signed_in = PersonalSignIn(_server_only(db_url)).sign_in("oldtimer", "Lathe-oil-4711")
    assert signed_in.actor.role is Role.PLANNER
    signed_in.db.dispose()
