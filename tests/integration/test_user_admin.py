"""Managing accounts: change a user, deactivate a leaver, take them back; stale saves refused."""

from __future__ import annotations

import pytest

from desktop.domain.enums import Role, Status
from desktop.domain.errors import (
    AuthenticationFailed,
    ConflictError,
    PermissionDenied,
    ValidationFailed,
)
from desktop.services.admin.users import UserChanges, UserService
from desktop.services.orders.work_orders import WorkOrderService
from tests.conftest import PASSWORD
from tests.integration.workflow import drive_to, raise_order

pytest_plugins = ["tests.per_user"]

# Deactivating tom on PostgreSQL bars his server-wide login: kept apart from the log-in tests.
pytestmark = [pytest.mark.both_engines, pytest.mark.usefixtures("logins_changed")]


def _changes(account, **changed):
    record = account.record
    values = {
        "full_name": record.full_name,
        "role": record.role,
        "craft": record.craft,
        "hourly_rate": record.hourly_rate,
        "weekly_hours": record.weekly_hours,
    } | changed
    return UserChanges(**values)


def test_a_deactivated_leaver_cannot_log_in_by_password_or_pin(db, clock, actors):
    users = UserService(db, clock)
    users.set_pin(actors["admin"], "tom", "4719")
    service = WorkOrderService(db, clock)
    order = raise_order(service, actors["paula"])
    drive_to(service, actors["admin"], order.number, Status.APPROVED, clock)
    service.assign(actors["paula"], order.number, service.get(order.number).row.version, ["tom"])

    still = users.set_active(actors["admin"], "tom", users.account("tom").revision, False)

    assert still == [order.number]
    with pytest.raises(AuthenticationFailed, match="unknown user or wrong password"):
        users.authenticate("tom", PASSWORD)
    with pytest.raises(AuthenticationFailed):
        users.authenticate_pin("tom", "4719")
    account = users.account("tom")
    assert not account.record.active
    assert account.deactivated_at == clock()
    assert "tom" not in [u.username for u in users.list()]
    assert "tom" in [a.username for a in users.accounts()]

    users.set_active(actors["admin"], "tom", account.revision, True)
    assert users.authenticate("tom", PASSWORD).username == "tom"
    assert users.account("tom").deactivated_at is None


def test_role_craft_rate_and_hours_change_with_the_audit_trail(db, clock, actors):
    users = UserService(db, clock)
    account = users.account("tina")

    saved = users.update(
        actors["admin"],
        "tina",
        account.revision,
        _changes(account, role=Role.PLANNER, craft="electrical", hourly_rate=48.5),
    )

    assert (saved.record.role, saved.record.craft, saved.record.hourly_rate) == (
        Role.PLANNER,
        "electrical",
        48.5,
    )
    assert saved.revision > account.revision
    assert users.authenticate("tina", PASSWORD).role is Role.PLANNER


def test_a_save_based_on_an_old_revision_names_who_changed_it(db, clock, actors):
    users = UserService(db, clock)
    opened = users.account("tina")
    users.update(actors["admin"], "tina", opened.revision, _changes(opened, weekly_hours=30))

    with pytest.raises(ConflictError) as refused:
        users.update(actors["admin"], "tina", opened.revision, _changes(opened, craft="x"))
    assert refused.value.changed_by == "admin"
    with pytest.raises(ConflictError):
        users.set_active(actors["admin"], "tina", opened.revision, False)
    assert users.account("tina").record.weekly_hours == 30
    assert users.account("tina").record.active


def test_refusals_name_the_field(db, clock, actors):
    users = UserService(db, clock)
    admin = users.account("admin")
    tina = users.account("tina")
    with pytest.raises(ValidationFailed) as bad:
        users.update(
            actors["admin"],
            "tina",
            tina.revision,
            _changes(tina, full_name=" ", hourly_rate=-1, weekly_hours=float("nan")),
        )
    assert set(bad.value.problems) == {"full_name", "hourly_rate", "weekly_hours"}
    with pytest.raises(ValidationFailed, match="last active administrator"):
        users.update(actors["admin"], "admin", admin.revision, _changes(admin, role=Role.PLANNER))
    with pytest.raises(ValidationFailed, match="your own account"):
        users.set_active(actors["admin"], "admin", admin.revision, False)
    with pytest.raises(PermissionDenied):
        users.set_active(actors["paula"], "tina", tina.revision, False)
    with pytest.raises(PermissionDenied):
        users.update(actors["sam"], "tina", tina.revision, _changes(tina, craft="x"))
    assert users.account("tina") == tina
