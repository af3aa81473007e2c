"""Qt tests run offscreen, on a seeded database, as a logged-in planner unless told otherwise."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.demo.plant import DemoPlantService
from desktop.domain.enums import Role
from desktop.domain.permissions import Actor
from desktop.services.admin.users import UserService
from desktop.store.database import Database
from desktop.store.migrate import upgrade
from tests.conftest import FakeClock
from ui.context import AppContext
from ui.i18n import set_site_zone


@pytest.fixture(autouse=True)
def _site_zone_not_left_behind() -> Iterator[None]:
    """Filling the main window sets the site's time zone for the whole process; the next test
    on the same worker must not inherit it (its times would move by the site's offset)."""
    yield
    set_site_zone(None)


@pytest.fixture
def app_context(
    db: Database, actors: dict[str, Actor], tmp_path: Path, clock: FakeClock
) -> AppContext:
    """A context for panels under test, acting as the seeded planner ``paula``, on test time."""
    return AppContext(db=db, actor=actors["paula"], data_dir=tmp_path, clock=clock)


@pytest.fixture(scope="session")
def big_demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite demo plant with 100,000 work orders, built once per test session (~15 s)."""
    path = tmp_path_factory.mktemp("big-demo") / "wrenchbook.sqlite3"
    db = Database(f"sqlite:///{path}")
    upgrade(db)
    DemoPlantService(db).build(scale=100_000)
    db.dispose()
    return f"sqlite:///{path}"


@pytest.fixture
def big_demo_context(big_demo_url: str, tmp_path: Path) -> Iterator[AppContext]:
    """The 100k-order demo, read by its planner (tests must not write to it)."""
    db = Database(big_demo_url)
    planner = next(u for u in UserService(db).list() if u.role is Role.PLANNER)
    yield AppContext(db=db, actor=UserService(db).actor_for(planner.username), data_dir=tmp_path)
    db.dispose()
