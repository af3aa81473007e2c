"""Shared fixtures: fresh migrated databases on SQLite and on a real PostgreSQL server.

Storage tests run on SQLite; a test (or module) marked ``both_engines`` also runs on
PostgreSQL, as does every test when ``--all-engines`` or ``WRENCHBOOK_ALL_ENGINES=1`` asks for
the full matrix. The bundle build (marker ``bundle``) runs only when selected with
``-m bundle``. See CONTRIBUTING.md.
"""

from __future__ import annotations

import fcntl
import itertools
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

# Before desktop is imported: argon2 at production cost would spend minutes of the suite on
# hashing. Subprocesses the tests start inherit it. (tests/unit/test_password_hashing.py
# checks the production parameters in a process without it.)
os.environ["WRENCHBOOK_CHEAP_PASSWORD_HASHING"] = "1"

import pytest
from sqlalchemy.engine import make_url

from desktop.domain.enums import AssetLevel, ChecklistItemKind, Criticality, Role
from desktop.domain.permissions import Actor
from desktop.services.admin.users import NewUser, UserService
from desktop.services.assets.assets import AssetService, NewAsset
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


ALL_ENGINES_ENV = "WRENCHBOOK_ALL_ENGINES"
ENGINE_MARKER = "both_engines"
BUNDLE_MARKER = "bundle"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--all-engines",
        action="store_true",
        default=os.environ.get(ALL_ENGINES_ENV) == "1",
        help=f"run every storage test on PostgreSQL too, not only those marked {ENGINE_MARKER}"
        f" (also {ALL_ENGINES_ENV}=1)",
    )


def _runs_on_postgresql_only_by_fixture(item: pytest.Item) -> bool:
    """True for the PostgreSQL copy that an engine fixture's params (db_url, empty_url, ...)
    made of a test; False when the test itself asked for PostgreSQL with parametrize."""
    callspec = getattr(item, "callspec", None)
    if callspec is None:
        return False
    explicit = {
        name.strip()
        for mark in item.iter_markers("parametrize")
        for name in (mark.args[0].split(",") if isinstance(mark.args[0], str) else mark.args[0])
    }
    return any(
        value == "postgresql" and name not in explicit for name, value in callspec.params.items()
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Drop (deselect, not skip) the PostgreSQL copies of engine-blind tests, and the bundle
    build unless ``-m`` names it: CI runs that as its own step."""
    all_engines = config.getoption("--all-engines")
    wants_bundle = BUNDLE_MARKER in (config.getoption("-m") or "")
    kept: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        engine_blind = (
            not all_engines
            and item.get_closest_marker(ENGINE_MARKER) is None
            and _runs_on_postgresql_only_by_fixture(item)
        )
        bundle = item.get_closest_marker(BUNDLE_MARKER) is not None and not wants_bundle
        (dropped if engine_blind or bundle else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


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


@contextmanager
def logins_held(url: str) -> Iterator[None]:
    """One lock per PostgreSQL server for whatever changes the seeded people's logins.

    Logins belong to the whole server, not to one test's database: two xdist workers altering
    wb_tom at once fail with "tuple concurrently updated", and one worker deactivating tina
    while the other signs in as her breaks that test (tests/per_user.py).
    """
    port = make_url(url).port
    with open(Path(tempfile.gettempdir()) / f"wrenchbook-logins-{port}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


@pytest.fixture(scope="session")
def pg_template(pg_admin_url: str) -> Iterator[str]:
    name = f"wb_template_{os.getpid()}"
    pg_server.drop_database(pg_admin_url, name)
    db = Database(pg_server.create_database(pg_admin_url, name))
    upgrade(db)
    with logins_held(pg_admin_url):  # seeding sets the seeded people's logins
        seed(db)
    db.dispose()
    yield name
    pg_server.drop_database(pg_admin_url, name)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of a fresh, migrated and seeded database: on SQLite, and on PostgreSQL as well for
    tests marked ``both_engines`` (see pytest_collection_modifyitems)."""
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
