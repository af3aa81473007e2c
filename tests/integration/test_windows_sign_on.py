"""Windows sign-on: the site's domain account logs in to PostgreSQL, no password typed.

Against a real KDC (tests/kerberos.py) and the test server set up as the README's "Windows
sign-on (Kerberos)" says: the server checks tom's Kerberos ticket and maps tom@WRENCHBOOK.TEST
to the login wb_tom. A Windows workstation hands the same ticket over through SSPI.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from desktop.domain.enums import Role, Status
from desktop.domain.errors import AccountLocked, AuthenticationFailed
from desktop.domain.permissions import Actor
from desktop.services.admin.sign_in import PersonalSignIn
from desktop.services.admin.users import MAX_FAILED_LOGINS, UserService
from desktop.services.orders.work_orders import WorkOrderService
from desktop.store.database import Database
from desktop.store.db_roles import login_name
from tests.integration.workflow import raise_order
from tests.kerberos import REALM, site_url

pytest_plugins = ["tests.per_user", "tests.kerberos"]

pytestmark = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)

NO_TICKET = r"^no Windows sign-on on this computer \(no Kerberos ticket\)"
REFUSED = r"^Windows sign-on refused"


def _who(db: Database) -> tuple[str, str]:
    with db.engine.connect() as conn:
        return conn.execute(
            text("SELECT session_user, principal FROM pg_stat_gssapi WHERE pid = pg_backend_pid()")
        ).one()


def test_tom_signs_on_with_his_ticket_and_his_role_still_binds(db_url, kerberos_auth, clock):
    kerberos_auth("tom")
    signed_in = PersonalSignIn(site_url(db_url)).sign_on("tom")
    try:
        assert signed_in.actor == Actor(signed_in.actor.user_id, "tom", Role.TECHNICIAN)
        assert _who(signed_in.db) == (login_name("tom"), f"tom@{REALM}")
        service = WorkOrderService(signed_in.db, clock)
        number = raise_order(service, signed_in.actor).number
        forged = Actor(signed_in.actor.user_id, "tom", Role.SUPERVISOR)
        with pytest.raises(ProgrammingError, match="may not move work order"):
            service.transition(forged, number, Status.APPROVED)
        assert service.get(number).row.status is Status.REQUESTED
    finally:
        signed_in.db.dispose()


def test_the_computers_account_is_who_signs_on(db_url, kerberos_auth, monkeypatch):
    """The dialog's button asks for no name: the account logged in to the PC is taken."""
    kerberos_auth("tom")
    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(variable, "tom")
    signed_in = PersonalSignIn(site_url(db_url)).sign_on()
    try:
        assert signed_in.actor.username == "tom"
    finally:
        signed_in.db.dispose()


def test_without_a_ticket_the_server_refuses_with_the_fix(db_url, kerberos_auth):
    with pytest.raises(AuthenticationFailed, match=NO_TICKET):
        PersonalSignIn(site_url(db_url)).sign_on("tom")


def test_toms_ticket_does_not_sign_on_as_an_administrator(db_url, kerberos_auth):
    """Tried: tom asks for the administrator's login with his own ticket. The server's map
    lets tom@REALM be wb_tom only."""
    kerberos_auth("tom")
    with pytest.raises(AuthenticationFailed, match=REFUSED):
        PersonalSignIn(site_url(db_url)).sign_on("admin")


def test_a_deactivated_leaver_with_a_valid_ticket_is_refused(db_url, kerberos_auth, db, actors):
    """Tried: tom left, his domain account (and ticket) still works; his login does not."""
    kerberos_auth("tom")
    users = UserService(db)
    users.set_active(actors["admin"], "tom", users.account("tom").revision, False)
    try:
        with pytest.raises(AuthenticationFailed, match=REFUSED):
            PersonalSignIn(site_url(db_url)).sign_on("tom")
    finally:  # logins belong to the whole server, not to this test's database
        users.set_active(actors["admin"], "tom", users.account("tom").revision, True)
    PersonalSignIn(site_url(db_url)).sign_on("tom").db.dispose()


def test_a_locked_account_stays_locked_at_sign_on(db_url, kerberos_auth, db):
    kerberos_auth("tom")
    users = UserService(db)
    for _ in range(MAX_FAILED_LOGINS):
        with pytest.raises(AuthenticationFailed):
            users.authenticate_pin("tom", "9173")
    with pytest.raises(AccountLocked):
        PersonalSignIn(site_url(db_url)).sign_on("tom")


def test_no_sign_on_without_a_personal_login(db):
    """The name comes from the server's session_user: a shared or owner login is nobody."""
    with pytest.raises(AuthenticationFailed, match="no person's own"):
        UserService(db).authenticate_signed_on()


def test_the_command_line_signs_on_with_sso(db_url, db, kerberos_auth, monkeypatch, capsys):
    from desktop.cli import main

    monkeypatch.delenv("WRENCHBOOK_PASSWORD", raising=False)
    argv = ["--db", site_url(db_url), "--user", "sam", "--sso"]
    assert main(["wo", "create", "--asset", "P-101", "--title", "No ticket", *argv]) == 1
    assert "no Windows sign-on on this computer" in capsys.readouterr().err
    kerberos_auth("sam")
    code = main(["wo", "create", "--asset", "P-101", "--title", "Seal weeping", *argv])
    assert code == 0, capsys.readouterr().err
    with db.engine.connect() as conn:
        who = conn.execute(
            text(
                "SELECT db_user FROM row_audit WHERE table_name = 'work_orders' "
                "ORDER BY seq DESC LIMIT 1"
            )
        ).scalar_one()
    assert who == login_name("sam")
