"""Accounts and secrets: password rules wherever a password is set, and no password, hash, PIN
or database password in the audit trail, exports, backups or anything the CLI prints."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from desktop.cli import EXIT_REFUSED
from desktop.cli import main as cli_main
from desktop.demo.plant import random_password
from desktop.domain.enums import Role
from desktop.domain.errors import AuthenticationFailed, PermissionDenied, ValidationFailed
from desktop.plant.connection import Connection, Security
from desktop.services.admin.importing import ImportService, new_password
from desktop.services.admin.users import MAX_FAILED_LOGINS, NewUser, UserService, password_problems
from desktop.services.assets.assets import AssetService
from desktop.store.database import Database, redact_url, scrub
from desktop.store.migrate import upgrade
from desktop.store.models import AuditEntry, User
from tests.conftest import PASSWORD

URL_PASSWORD = "Url-S3cret-7788"
FIRST = "Blue-harbour-41"
SECOND = "Green-valley-52"
WRONG = "Wrong-guess-9931"
PIN = "73194628"
OPC_PASSWORD = "Opc-S3cret-5511"

WEAK = [
    ("short-1", "at least 10 characters"),
    ("onlyletterslong", "letters and at least one digit or symbol"),
    ("12345678901", "letters and at least one digit or symbol"),
    ("olga-2026-spring", "no user name in it"),
]


def with_password(url: str) -> str:
    """The test server trusts local connections, so a password in the URL is carried but not
    checked: exactly what is needed to see where the URL ends up."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return url
    return parsed.set(password=URL_PASSWORD).render_as_string(hide_password=False)


@pytest.mark.parametrize(("weak", "rule"), WEAK, ids=[w for w, _ in WEAK])
def test_weak_passwords_are_refused_wherever_a_password_is_set(db, actors, weak, rule) -> None:
    users = UserService(db)
    new = NewUser("olga", "Olga Ops", Role.TECHNICIAN, weak)
    for attempt in (
        lambda: users.create(actors["admin"], new),
        lambda: users.set_password(actors["admin"], "tom", weak.replace("olga", "tom")),
        lambda: users.set_password(actors["tom"], "tom", weak.replace("olga", "tom")),
    ):
        with pytest.raises(ValidationFailed) as refused:
            attempt()
        message = refused.value.problems["password"]
        assert rule in message
        assert weak not in str(refused.value)


def test_the_first_admin_needs_a_good_password_and_the_cli_does_not_echo_it(
    tmp_path, monkeypatch, capsys
) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    db = Database(url)
    upgrade(db)
    with pytest.raises(ValidationFailed, match="at least 10 characters"):
        UserService(db).create_first_admin("admin", "Ada", "weak-1")
    monkeypatch.setenv("WRENCHBOOK_ADMIN_PASSWORD", "weakpass")
    assert cli_main(["init", "--db", url]) == EXIT_REFUSED
    out, err = capsys.readouterr()
    assert "letters and at least one digit or symbol" in err
    assert "weakpass" not in out + err
    assert not UserService(db).has_users()
    db.dispose()


def test_generated_passwords_pass_the_rules_for_their_user() -> None:
    for name in ("admin", "tom", "olga"):
        for _ in range(200):
            assert password_problems(new_password(name), name) == []
            assert password_problems(random_password(name), name) == []


def test_without_an_actor_the_site_is_set_up_only_before_any_user_exists(db) -> None:
    with pytest.raises(PermissionDenied, match="set up by an admin"):
        AssetService(db).ensure_site(None, "NEW", "New site", "UTC")


def _collect_secrets(db: Database) -> dict[str, str]:
    """Every secret a leak could show: typed passwords, the PIN, the stored hashes."""
    found = {
        "seeded password": PASSWORD,
        "first password": FIRST,
        "second password": SECOND,
        "wrong guess": WRONG,
        "PIN": PIN,
    }
    with db.unit_of_work(write=False) as session:
        for name, password_hash, pin_hash in session.execute(
            select(User.username, User.password_hash, User.pin_hash)
        ):
            found[f"{name}'s password hash"] = password_hash
            if pin_hash:
                found[f"{name}'s PIN hash"] = pin_hash
    return found


def _leaks(where: str, content: str, secrets: dict[str, str]) -> list[str]:
    return [f"{what} in {where}" for what, secret in secrets.items() if secret in content]


def _export_text(folder: Path) -> str:
    parts = []
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as book:
                parts += [book.read(name).decode("utf-8", "replace") for name in book.namelist()]
        elif path.is_file():
            parts.append(path.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(parts)


@pytest.mark.both_engines
def test_no_secret_reaches_the_audit_trail_exports_backups_or_cli_output(
    db_url, tmp_path, monkeypatch, capsys
) -> None:
    url = with_password(db_url)
    db = Database(url)
    users = UserService(db)
    admin = users.actor_for("admin")
    # Everything an account goes through: creation, a PIN, a lock-out, unlock, a new password.
    users.create(admin, NewUser("olga", "Olga Ops", Role.TECHNICIAN, FIRST))
    users.set_pin(admin, "olga", PIN)
    for _ in range(MAX_FAILED_LOGINS):
        with pytest.raises(AuthenticationFailed):
            users.authenticate("olga", WRONG)
    users.unlock(admin, "olga")
    users.set_password(admin, "olga", SECOND)
    users.authenticate_pin("olga", PIN)
    imported = tmp_path / "users.csv"
    imported.write_text("username,full_name,role\nivan,Ivan Imported,viewer\n", encoding="utf-8")
    ImportService(db).users(admin, imported)
    secrets = _collect_secrets(db)
    if make_url(url).password:
        secrets["database password"] = URL_PASSWORD
    leaks: list[str] = []

    with db.unit_of_work(write=False) as session:
        for entry in session.execute(select(AuditEntry)).scalars():
            row = " ".join(str(v) for v in vars(entry).values())
            leaks += _leaks(f"audit entry {entry.seq} ({entry.action})", row, secrets)

    monkeypatch.setenv("WRENCHBOOK_USER", "admin")
    monkeypatch.setenv("WRENCHBOOK_PASSWORD", PASSWORD)
    for args in (["export", "--out", str(tmp_path / "csv")], ["export", "--xlsx", "--out",
                 str(tmp_path / "xlsx")]):  # fmt: skip
        assert cli_main([*args, "--db", url]) == 0
    leaks += _leaks("data export", _export_text(tmp_path / "csv"), secrets)
    leaks += _leaks("Excel export", _export_text(tmp_path / "xlsx"), secrets)

    backup = tmp_path / "copy.backup"
    for args in (["init"], ["backup", "--out", str(backup)], ["verify-audit"]):
        cli_main([*args, "--db", url])
    typed = {k: v for k, v in secrets.items() if "hash" not in k}
    # A backup is the database, hashes and all; it must never hold what was typed in.
    leaks += _leaks("backup", backup.read_bytes().decode("latin-1"), typed)

    # Refusals the CLI prints: a wrong log-in, a server that is not there, a mistyped URL.
    monkeypatch.setenv("WRENCHBOOK_PASSWORD", WRONG)
    assert cli_main(["unlock", "olga", "--db", url]) == EXIT_REFUSED
    monkeypatch.setenv("WRENCHBOOK_PASSWORD", PASSWORD)
    for bad in (
        f"postgresql+psycopg://wb:{URL_PASSWORD}@127.0.0.1:1/wb",
        f"postgresql+psycopg://wb:{URL_PASSWORD}@127.0.0.1:port/wb",
    ):
        assert cli_main(["wo", "list", "--db", bad]) == EXIT_REFUSED
    out, err = capsys.readouterr()
    leaks += _leaks("CLI output", out + err, secrets | {"database password": URL_PASSWORD})
    assert "***" in err, "the refused URLs are still named, without their password"
    assert not leaks, leaks
    db.dispose()


@pytest.mark.both_engines
def test_database_errors_do_not_carry_the_values_that_were_sent(db) -> None:
    """SQLAlchemy puts bound parameters into its messages unless told not to; those messages
    reach the log file and the terminal."""
    with db.unit_of_work(write=False) as session:
        stored = session.execute(select(User.password_hash).where(User.username == "tom"))
        tom_hash = stored.scalar_one()
    with pytest.raises(IntegrityError) as failed, db.unit_of_work() as session:
        session.execute(
            text("INSERT INTO users (username, password_hash) VALUES (:u, :h)"),
            {"u": "tom", "h": tom_hash},
        )
    assert tom_hash not in str(failed.value)


def test_urls_and_driver_messages_are_shown_without_their_password() -> None:
    url = f"postgresql+psycopg://wb:{URL_PASSWORD}@db.example:5432/wrenchbook"
    assert redact_url(url) == "postgresql+psycopg://wb:***@db.example:5432/wrenchbook"
    unreadable = f"postgresql+psycopg://wb:{URL_PASSWORD}@db.example:port/wrenchbook"
    assert URL_PASSWORD not in redact_url(unreadable)
    message = f'connection to "{url}" failed; password={URL_PASSWORD}'
    assert URL_PASSWORD not in scrub(message, url)
    encoded = "postgresql+psycopg://wb:p%40ss%2Fword-1@db.example/wrenchbook"
    assert "p%40ss%2Fword-1" not in scrub(f"dsn {encoded} and p@ss/word-1", encoded)
    assert "p@ss/word-1" not in scrub(f"dsn {encoded} and p@ss/word-1", encoded)


def test_opc_ua_passwords_stay_out_of_reprs_and_endpoints() -> None:
    conn = Connection("opc.tcp://plc:4840", Security.NONE, "operator", OPC_PASSWORD)
    assert OPC_PASSWORD not in repr(conn)
    with_login = Connection(f"opc.tcp://operator:{OPC_PASSWORD}@plc:4840")
    assert "leave the login out of the endpoint" in with_login.problems()["endpoint"]
