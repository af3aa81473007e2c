"""Shared fixtures: fresh migrated databases on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desktop.domain.enums import AssetLevel, ChecklistItemKind, Criticality, Role
from desktop.domain.permissions import Actor
from desktop.services.assets import AssetService, NewAsset
from desktop.services.users import NewUser, UserService
from desktop.store.database import Database
from desktop.store.migrate import upgrade
from desktop.store.models import ChecklistTemplate, ChecklistTemplateItem
from tests import pg_server

PASSWORD = "correct-horse-1"
"""Password of every seeded test user."""

SEEDED_USERS = {
    "admin": Role.ADMIN,
    "paula": Role.PLANNER,
    "sam": Role.SUPERVISOR,
    "tom": Role.TECHNICIAN,
    "tina": Role.TECHNICIAN,
    "vic": Role.VIEWER,
}


class FakeClock:
    """A clock the test moves by hand; starts at a fixed UTC instant."""

    def __init__(self, start: datetime = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def seed(db: Database) -> None:
    """The small plant every storage test starts from (copied, not rebuilt, per test)."""
    clock = FakeClock()
    users = UserService(db, clock)
    users.create_first_admin("admin", "Ada Admin", PASSWORD)
    admin = users.actor_for("admin")
    for name, role in SEEDED_USERS.items():
        if name != "admin":
            craft = "mechanical" if role is Role.TECHNICIAN else None
            rate, hours = (40.0, 40.0) if role is Role.TECHNICIAN else (0.0, 0.0)
            users.create(admin, NewUser(name, name.title(), role, PASSWORD, craft, rate, hours))
    assets = AssetService(db, clock)
    assets.ensure_site(admin, "TST", "Test plant", "Europe/Berlin")
    for new in (
        NewAsset("AREA", "Process area", AssetLevel.AREA, "area", Criticality.A),
        NewAsset("LINE", "Line 1", AssetLevel.SYSTEM, "line", Criticality.A, "AREA"),
        NewAsset("P-101", "Feed pump", AssetLevel.EQUIPMENT, "pump", Criticality.A, "LINE"),
        NewAsset("M-101", "Feed pump motor", AssetLevel.COMPONENT, "motor", Criticality.B, "P-101"),
        NewAsset("C-201", "Conveyor", AssetLevel.EQUIPMENT, "conveyor", Criticality.C, "LINE"),
    ):
        assets.create(admin, new)
    with db.unit_of_work() as session:
        session.add(
            ChecklistTemplate(
                code="CL-PUMP",
                name="Pump inspection",
                asset_class="pump",
                items=[
                    ChecklistTemplateItem(
                        position=1, kind=ChecklistItemKind.CHECK, text="no leaks"
                    ),
                    ChecklistTemplateItem(
                        position=2,
                        kind=ChecklistItemKind.MEASUREMENT,
                        text="bearing temperature",
                        unit="°C",
                        low=10,
                        high=80,
                    ),
                    ChecklistTemplateItem(position=3, kind=ChecklistItemKind.TEXT, text="remarks"),
                    ChecklistTemplateItem(
                        position=4, kind=ChecklistItemKind.SIGNATURE, text="technician sign-off"
                    ),
                ],
            )
        )
        session.add(
            ChecklistTemplate(
                code="CL-LOTO",
                name="Lock-out/tag-out",
                safety=True,
                items=[
                    ChecklistTemplateItem(
                        position=1,
                        kind=ChecklistItemKind.CHECK,
                        text="isolator locked",
                        required=False,
                    )
                ],
            )
        )


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    """A PostgreSQL server: $WRENCHBOOK_TEST_PG_URL, else a throwaway one started here."""
    external = pg_server.external_admin_url()
    if external:
        yield external
        return
    required = os.environ.get("WRENCHBOOK_REQUIRE_PG") == "1"
    if pg_server.find_pg_bin() is None:
        reason = "PostgreSQL server binaries (initdb, pg_ctl) not found"
        if required:
            pytest.fail(reason)
        pytest.skip(reason)
    server = pg_server.PgServer()
    try:
        server.start()
    except RuntimeError as exc:
        if required:
            pytest.fail(f"PostgreSQL did not start: {exc}")
        pytest.skip(f"PostgreSQL did not start: {exc}")
    yield server.admin_url
    server.stop()


_counter = itertools.count()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    db = Database(f"sqlite:///{path}")
    upgrade(db)
    seed(db)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path


@pytest.fixture(scope="session")
def pg_template(pg_admin_url: str) -> Iterator[str]:
    name = f"wb_template_{os.getpid()}"
    pg_server.drop_database(pg_admin_url, name)
    db = Database(pg_server.create_database(pg_admin_url, name))
    upgrade(db)
    seed(db)
    db.dispose()
    yield name
    pg_server.drop_database(pg_admin_url, name)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of a fresh, migrated and seeded database on each engine."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        target = tmp_path / "wrenchbook.sqlite3"
        shutil.copyfile(template, target)
        yield f"sqlite:///{target}"
        return
    admin_url: str = request.getfixturevalue("pg_admin_url")
    template_name: str = request.getfixturevalue("pg_template")
    name = f"wb_test_{os.getpid()}_{next(_counter)}"
    yield pg_server.create_database(admin_url, name, template=template_name)
    pg_server.drop_database(admin_url, name)


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def actors(db: Database) -> dict[str, Actor]:
    """The seeded users by name, logged in."""
    users = UserService(db)
    return {name: users.actor_for(name) for name in SEEDED_USERS}
