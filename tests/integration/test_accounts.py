"""Accounts: lock-out after failed log-ins, operator PINs, password resets (both engines)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from desktop.cli import main as cli_main
from desktop.domain.errors import (
    AccountLocked,
    AuthenticationFailed,
    PermissionDenied,
    ValidationFailed,
)
from desktop.services.admin.users import LOCKOUT, MAX_FAILED_LOGINS, UserService, pin_problems
from desktop.services.shared import audit
from desktop.store.database import Database
from desktop.store.models import AuditEntry
from tests.conftest import PASSWORD


def _fail(users: UserService, name: str, times: int) -> None:
    for _ in range(times):
        with pytest.raises(AuthenticationFailed):
            users.authenticate(name, "wrong-password-9")


def test_lock_out_after_repeated_failures_even_for_the_right_password(db, clock) -> None:
    users = UserService(db, clock)
    _fail(users, "tom", MAX_FAILED_LOGINS - 1)
    with pytest.raises(AccountLocked, match=r"tom is locked after 5 failed log-ins until"):
        users.authenticate("tom", "wrong-password-9")
    with pytest.raises(AccountLocked):
        users.authenticate("tom", PASSWORD)
    # Other accounts are not affected, and the lock runs out by itself.
    assert users.authenticate("tina", PASSWORD).username == "tina"
    clock.advance(seconds=LOCKOUT.total_seconds() + 1)
    assert users.authenticate("tom", PASSWORD).username == "tom"


def test_a_success_resets_the_count(db, clock) -> None:
    users = UserService(db, clock)
    _fail(users, "tom", MAX_FAILED_LOGINS - 1)
    users.authenticate("tom", PASSWORD)
    _fail(users, "tom", MAX_FAILED_LOGINS - 1)
    assert users.authenticate("tom", PASSWORD).username == "tom"


def test_the_lock_is_audited_without_secrets_and_an_admin_can_lift_it(db, clock, actors) -> None:
    users = UserService(db, clock)
    _fail(users, "tom", MAX_FAILED_LOGINS)
    users.unlock(actors["admin"], "tom")
    assert users.authenticate("tom", PASSWORD).username == "tom"
    with db.unit_of_work(write=False) as session:
        actions = [
            a for (a,) in session.execute(select(AuditEntry.action).order_by(AuditEntry.seq))
        ]
        stored = session.execute(select(AuditEntry.before_json, AuditEntry.after_json)).all()
    everything = " ".join(f"{before} {after}" for before, after in stored)
    assert actions[-2:] == ["lock", "unlock"]
    assert "locked_until" in everything
    assert "wrong-password-9" not in everything
    assert "argon2" not in everything
    assert audit.verify(db).ok
    with pytest.raises(PermissionDenied):
        users.unlock(actors["paula"], "tom")


def test_unknown_users_get_the_same_vague_answer(db, clock) -> None:
    users = UserService(db, clock)
    for _ in range(MAX_FAILED_LOGINS + 2):
        with pytest.raises(AuthenticationFailed, match="unknown user or wrong password") as err:
            users.authenticate("nobody", "whatever-123")
        assert not isinstance(err.value, AccountLocked)


def test_operator_pin_sets_checks_and_shares_the_lock_out(db, clock, actors) -> None:
    users = UserService(db, clock)
    with pytest.raises(AuthenticationFailed):
        users.authenticate_pin("vic", "4821")  # no PIN yet
    users.set_pin(actors["admin"], "vic", "4821")
    assert users.authenticate_pin("vic", "4821").username == "vic"
    with pytest.raises(AuthenticationFailed):
        users.authenticate("vic", "4821")  # a PIN is not a password
    for _ in range(MAX_FAILED_LOGINS - 1):
        with pytest.raises(AuthenticationFailed):
            users.authenticate_pin("vic", "0000")
    with pytest.raises(AccountLocked):
        users.authenticate_pin("vic", "0000")
    with pytest.raises(AccountLocked):
        users.authenticate("vic", PASSWORD)
    users.set_pin(actors["admin"], "vic", None)
    clock.advance(minutes=30)
    with pytest.raises(AuthenticationFailed):
        users.authenticate_pin("vic", "4821")


@pytest.mark.parametrize(
    ("pin", "ok"),
    [
        ("4821", True),
        ("90210857", True),
        ("123", False),
        ("123456789", False),
        ("12a4", False),
        ("1111", False),
        ("1234", False),
        ("9876", False),
        ("٤٨٢١", False),
    ],
)
def test_pin_rules(pin: str, ok: bool) -> None:
    assert (pin_problems(pin) == []) is ok


def test_own_pin_and_password_but_not_someone_elses(db, clock, actors) -> None:
    users = UserService(db, clock)
    users.set_pin(actors["tom"], "tom", "5038")
    users.set_password(actors["tom"], "tom", "new-secret-77")
    assert users.authenticate("tom", "new-secret-77").username == "tom"
    with pytest.raises(PermissionDenied):
        users.set_pin(actors["tom"], "tina", "5038")
    with pytest.raises(PermissionDenied):
        users.set_password(actors["tom"], "tina", "new-secret-77")
    with pytest.raises(ValidationFailed, match="password: needs"):
        users.set_password(actors["admin"], "tina", "short")
    with pytest.raises(ValidationFailed, match="pin: needs"):
        users.set_pin(actors["admin"], "tina", "1111")
    assert users.authenticate("tina", PASSWORD).username == "tina"


def test_cli_unlock_and_set_pin(db_url, clock, monkeypatch, capsys) -> None:
    users = UserService(Database(db_url), clock)
    for _ in range(MAX_FAILED_LOGINS):
        with pytest.raises(AuthenticationFailed):
            users.authenticate("tom", "wrong-password-9")
    monkeypatch.setenv("WRENCHBOOK_USER", "admin")
    monkeypatch.setenv("WRENCHBOOK_PASSWORD", PASSWORD)
    assert cli_main(["unlock", "tom", "--db", db_url]) == 0
    monkeypatch.setenv("WRENCHBOOK_NEW_PIN", "7305")
    assert cli_main(["set-pin", "tom", "--db", db_url]) == 0
    out = capsys.readouterr().out
    assert "tom is unlocked" in out
    assert "PIN of tom set" in out
    assert "7305" not in out
    assert users.authenticate("tom", PASSWORD).username == "tom"
    assert users.authenticate_pin("tom", "7305").username == "tom"


def test_unknown_and_known_names_cost_the_same_hashing(db, monkeypatch):
    # Timing without timing: both refusals must run exactly one argon2 verification.
    from desktop.services.admin import users as users_module

    calls: list[str] = []
    real = users_module._matches
    monkeypatch.setattr(
        users_module,
        "_matches",
        lambda stored, secret: calls.append(secret) or real(stored, secret),
    )
    service = UserService(db)
    for name in ("tom", "nobody-here"):
        with pytest.raises(AuthenticationFailed, match="unknown user or wrong password"):
            service.authenticate(name, "wrong-guess-1")
    assert len(calls) == 2


def test_every_admin_locked_out_is_recovered_with_the_migrator_login(db_url, capsys, monkeypatch):
    db = Database(db_url)
    service = UserService(db)
    for _ in range(MAX_FAILED_LOGINS):
        with pytest.raises(AuthenticationFailed):
            service.authenticate("admin", "wrong-guess-1")
    with pytest.raises(AccountLocked):
        service.authenticate("admin", PASSWORD)
    assert cli_main(["unlock", "admin", "--recover", "--db", db_url]) == 0
    assert service.authenticate("admin", PASSWORD).username == "admin"
    db.dispose()
