"""The role table again, each allowed call made through the person's own PostgreSQL login.

`test_roles.py` proves the services refuse what a role may not do; here every guarded entry
point and every lifecycle move that a role *may* do runs on the database as that role's own
login (`wb_<name>`, a member of its role's group), with the grants, the lifecycle and
frozen-order triggers, the actor and audit-time guards all checking it. A grant too tight
for real work would fail here, where the migrator's connection in the other tests passes.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import make_url

from desktop.domain.enums import Role
from desktop.domain.errors import WrenchbookError
from desktop.domain.lifecycle import TRANSITIONS, Transition
from desktop.domain.permissions import Actor
from desktop.services.admin.users import UserService
from desktop.services.shared import audit
from desktop.store.database import Database
from desktop.store.db_roles import login_name
from tests import pg_server
from tests.conftest import PASSWORD
from tests.reliability.role_cases import CASES, Case, World
from tests.reliability.test_roles import USER_OF_ROLE, _lifecycle_id, _move, _ready_order

pytest_plugins = ["tests.per_user"]

pytestmark = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)


@pytest.fixture(scope="module")
def world(
    pg_admin_url: str, pg_template: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """One database for the module, set up by the migrator as in test_roles.py."""
    name = f"wb_roles_personal_{os.getpid()}"
    pg_server.drop_database(pg_admin_url, name)
    db = Database(pg_server.create_database(pg_admin_url, name, template=pg_template))
    yield World(db, tmp_path_factory.mktemp("roles-personal"))
    db.dispose()
    pg_server.drop_database(pg_admin_url, name)


@pytest.fixture
def worlds(world: World, seeded_logins: None) -> Iterator[dict[Role, World]]:
    """The world through each role's own login (seeded_logins: their groups as seeded)."""
    url = world.db.engine.url
    opened = {
        role: Database(
            make_url(url)
            .set(username=login_name(name), password=PASSWORD)
            .render_as_string(hide_password=False)
        )
        for role, name in USER_OF_ROLE.items()
    }
    yield {role: world.through(db) for role, db in opened.items()}
    for db in opened.values():
        db.dispose()


@pytest.fixture(scope="module")
def actors(world: World) -> dict[Role, Actor]:
    users = UserService(world.db)
    return {role: users.actor_for(name) for role, name in USER_OF_ROLE.items()}


MIGRATOR_ONLY = {"restore"}
"""Allowed to administrators, but on the site server only through the migrator login."""
PERSONAL = [c for c in CASES if c.target not in MIGRATOR_ONLY]
MIGRATOR = [c for c in CASES if c.target in MIGRATOR_ONLY]


@pytest.mark.parametrize(
    "row", [c for c in CASES if c.target not in MIGRATOR_ONLY], ids=lambda c: c.name
)
def test_each_role_does_what_the_table_allows_through_its_own_login(
    world: World, worlds: dict[Role, World], actors: dict[Role, Actor], row: Case
) -> None:
    for role in sorted(row.allowed(), key=list(Role).index):
        context = row.prepare(world)
        seq = audit.latest_sequence(world.db)
        row.call(worlds[role], actors[role], context)
        if row.writes:
            assert audit.latest_sequence(world.db) > seq, f"{role.value}: nothing audited"


@pytest.mark.parametrize(
    "row", [c for c in CASES if c.target in MIGRATOR_ONLY], ids=lambda c: c.name
)
def test_a_restore_through_a_personal_login_names_the_migrator_login(
    world: World, worlds: dict[Role, World], actors: dict[Role, Actor], row: Case
) -> None:
    context = row.prepare(world)
    before = audit.latest_sequence(world.db)
    with pytest.raises(WrenchbookError, match="needs the migrator login"):
        row.call(worlds[Role.ADMIN], actors[Role.ADMIN], context)
    assert audit.latest_sequence(world.db) == before


@pytest.mark.parametrize("move", TRANSITIONS, ids=_lifecycle_id)
def test_each_lifecycle_move_works_through_the_allowed_roles_own_logins(
    world: World, worlds: dict[Role, World], actors: dict[Role, Actor], move: Transition
) -> None:
    for role in move.roles:
        number = _ready_order(world, move)
        row = _move(worlds[role], actors[role], number, move)
        assert row.status is move.target  # type: ignore[attr-defined]


def test_the_logins_are_the_people_not_the_migrator(worlds: dict[Role, World]) -> None:
    from sqlalchemy import text

    for role, name in USER_OF_ROLE.items():
        with worlds[role].db.engine.connect() as conn:
            assert conn.execute(text("SELECT session_user")).scalar_one() == login_name(name)
