"""Every guarded service entry point for every role: allowed roles succeed, the others are
refused by the service itself, with nothing written and nothing audited.

The UI hides what a role may not do, but these tests call the services directly, as a
modified client or a script would.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import os
import pkgutil
import shutil
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import select

import desktop.reports
import desktop.services
from desktop.domain.enums import HoldReason, Role, Status, WorkOrderType
from desktop.domain.errors import PermissionDenied
from desktop.domain.lifecycle import TRANSITIONS, Transition
from desktop.domain.permissions import ALLOWED_ROLES, Action, Actor
from desktop.services.admin.users import UserService
from desktop.services.shared import audit
from desktop.store.database import Database
from desktop.store.models import Base
from tests import pg_server
from tests.integration.workflow import prepare
from tests.reliability.role_cases import CASES, EXEMPT, Case, World

# One seeded user of each role (tests/conftest.py).
USER_OF_ROLE = {
    Role.VIEWER: "vic",
    Role.TECHNICIAN: "tom",
    Role.PLANNER: "paula",
    Role.SUPERVISOR: "sam",
    Role.ADMIN: "admin",
}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """One database per engine for the whole module: each case sets up its own records, so
    the cases do not disturb one another, and copying a database per case would be slow."""
    tmp = tmp_path_factory.mktemp("roles")
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        shutil.copyfile(template, tmp / "roles.sqlite3")
        url, drop = f"sqlite:///{tmp / 'roles.sqlite3'}", None
    else:
        admin_url: str = request.getfixturevalue("pg_admin_url")
        name = f"wb_roles_{os.getpid()}"
        pg_server.drop_database(admin_url, name)
        url = pg_server.create_database(
            admin_url, name, template=request.getfixturevalue("pg_template")
        )
        drop = (admin_url, name)
    db = Database(url)
    yield World(db, tmp)
    db.dispose()
    if drop:
        pg_server.drop_database(*drop)


@pytest.fixture(scope="module")
def actors(world: World) -> dict[Role, Actor]:
    users = UserService(world.db)
    return {role: users.actor_for(name) for role, name in USER_OF_ROLE.items()}


def fingerprint(db: Database) -> str:
    """A digest of every row of every table: equal digests mean nothing was written."""
    digest = hashlib.sha256()
    with db.unit_of_work(write=False) as session:
        for table in Base.metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            for row in session.execute(select(table).order_by(*order)):
                digest.update(repr(tuple(row)).encode())
            digest.update(table.name.encode())
    return digest.hexdigest()


def assert_refused(world: World, actor: Actor, attempt: Callable[[], object]) -> None:
    """`attempt()` raises PermissionDenied and leaves every table, the audit trail included,
    as it was."""
    before, seq = fingerprint(world.db), audit.latest_sequence(world.db)
    with pytest.raises(PermissionDenied, match=actor.username):
        attempt()
    assert audit.latest_sequence(world.db) == seq, "a refused call wrote an audit entry"
    assert fingerprint(world.db) == before, "a refused call changed the database"


@pytest.mark.parametrize("row", CASES, ids=lambda c: c.name)
def test_each_role_may_do_exactly_what_the_table_allows(
    world: World, actors: dict[Role, Actor], row: Case
) -> None:
    allowed = row.allowed()
    refused = [role for role in Role if role not in allowed]
    if refused:
        # A refused call changes nothing, so one prepared record serves every refused role.
        context = row.prepare(world)
        for role in refused:
            actor = actors[role]
            assert_refused(world, actor, partial(row.call, world, actor, context))
    for role in Role:
        if role in allowed:
            context = row.prepare(world)
            seq = audit.latest_sequence(world.db)
            row.call(world, actors[role], context)
            if row.writes:
                assert audit.latest_sequence(world.db) > seq, f"{role.value}: nothing audited"


def _lifecycle_id(move: Transition) -> str:
    return f"{move.source.value}->{move.target.value}"


def _ready_order(world: World, move: Transition) -> str:
    """An order in the move's source status with the move's guards satisfied."""
    wo_type = (
        WorkOrderType.EMERGENCY
        if (move.source, move.target) == (Status.REQUESTED, Status.IN_PROGRESS)
        else WorkOrderType.INSPECTION
    )
    number = world.order(move.source, wo_type=wo_type)
    prepare(world.work, world.admin, number, move.target, world.clock)
    return number


def _move(world: World, actor: Actor, number: str, move: Transition) -> object:
    hold = HoldReason.ACCESS if move.target is Status.ON_HOLD else None
    return world.work.transition(actor, number, move.target, note="role check", hold_reason=hold)


@pytest.mark.parametrize("move", TRANSITIONS, ids=_lifecycle_id)
def test_each_lifecycle_move_is_refused_in_the_service_for_other_roles(
    world: World, actors: dict[Role, Actor], move: Transition
) -> None:
    refused = [role for role in Role if role not in move.roles]
    number = _ready_order(world, move)
    for role in refused:
        actor = actors[role]
        assert_refused(world, actor, partial(_move, world, actor, number, move))
    for role in move.roles:
        number = _ready_order(world, move)
        row = _move(world, actors[role], number, move)
        assert row.status is move.target  # type: ignore[attr-defined]


def test_every_action_has_a_row_in_the_table() -> None:
    covered = {action for row in CASES for action in row.needs}
    missing = [action.name for action in Action if action not in covered]
    assert not missing, f"add a row to tests/reliability/role_cases.py for {missing}"
    assert set(ALLOWED_ROLES) == set(Action), "every Action needs an ALLOWED_ROLES entry"


def _entry_points() -> set[str]:
    """Public service methods and report functions that act for a user in a session of their
    own: they take an `actor` and no `session`."""
    found: set[str] = set()
    for package in (desktop.services, desktop.reports):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            members = inspect.getmembers(module, lambda m: getattr(m, "__module__", None))
            for name, member in members:
                if member.__module__ != module.__name__ or name.startswith("_"):
                    continue
                functions = (
                    [(f"{name}.{n}", f) for n, f in vars(member).items() if inspect.isfunction(f)]
                    if inspect.isclass(member)
                    else [(name, member)]
                    if inspect.isfunction(member)
                    else []
                )
                for qualified, function in functions:
                    params = inspect.signature(function).parameters
                    public = not qualified.rsplit(".", 1)[-1].startswith("_")
                    if public and "actor" in params and "session" not in params:
                        found.add(qualified)
    return found


def test_every_service_entry_point_that_acts_for_a_user_is_in_the_table() -> None:
    in_table = {row.target for row in CASES} | set(EXEMPT)
    missing = sorted(_entry_points() - in_table)
    assert not missing, f"add rows to tests/reliability/role_cases.py for {missing}"


def test_a_viewer_changes_nothing_and_only_an_admin_manages_users() -> None:
    """The two promises the sites rely on most, pinned apart from the table.

    Viewers are the plant's operators too: with their PIN they may report a breakdown from
    the control-room display, which lands as a request for a planner to approve.
    """
    viewer_may = [a for a, roles in ALLOWED_ROLES.items() if Role.VIEWER in roles]
    assert viewer_may == [Action.READ, Action.RAISE_BREAKDOWN_REQUEST]
    assert ALLOWED_ROLES[Action.MANAGE_USERS] == {Role.ADMIN}
    assert all(Role.VIEWER not in move.roles for move in TRANSITIONS)
