"""Alembic migrations: the newest revision matches the models on both engines; data survives."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from desktop.domain.enums import CheckResult
from desktop.services.shared import audit
from desktop.store.history import not_history_table
from desktop.store.migrate import HEAD_REVISION, current_revision, head_revision, upgrade
from desktop.store.models import Base

pytestmark = pytest.mark.both_engines  # migrations run DDL per dialect


def test_migrated_schema_matches_the_models(db):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": not_history_table})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []
    assert current_revision(db) == head_revision()


def test_upgrade_at_head_changes_nothing_and_keeps_data(db):
    before = audit.verify(db)
    assert upgrade(db) is None
    after = audit.verify(db)
    assert after.ok
    assert after.final_hash == before.final_hash


def test_head_constant_matches_the_revision_scripts():
    # The fast start-up path trusts HEAD_REVISION; a new revision must update it.
    assert head_revision() == HEAD_REVISION


def test_upgrade_from_the_first_revision_backs_up_and_keeps_data(tmp_path):
    from alembic import command

    from desktop.store.database import Database
    from desktop.store.migrate import _config
    from tests.conftest import seed

    path = tmp_path / "old.sqlite3"
    db = Database(f"sqlite:///{path}")
    config = _config()
    # Seeded through today's services, then taken down to the first revision: the rows and
    # audit chain a 0001 database holds, without keeping the 0001-era code around.
    upgrade(db)
    seed(db)
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0001")
    assert current_revision(db) == "0001"
    before = audit.verify(db)
    backup = upgrade(db)
    assert backup is not None
    assert backup.exists()
    assert current_revision(db) == HEAD_REVISION
    after = audit.verify(db)
    assert after.ok
    assert after.entries == before.entries
    assert after.final_hash == before.final_hash
    copy = Database(f"sqlite:///{backup}")
    assert current_revision(copy) == "0001"
    assert audit.verify(copy).final_hash == before.final_hash
    copy.dispose()
    db.dispose()


def test_upgrade_to_origins_keeps_what_raised_each_order(tmp_path, clock):
    """0008: manual orders become requests, findings and breakdown reports by their records."""
    from alembic import command
    from alembic.script import ScriptDirectory

    from desktop.domain.enums import Origin, WorkOrderType
    from desktop.services.admin.users import UserService
    from desktop.services.orders.breakdown_requests import BreakdownRequest, BreakdownRequestService
    from desktop.services.orders.work_order_records import WorkOrderDraft
    from desktop.services.orders.work_orders import WorkOrderService
    from desktop.store.database import Database
    from desktop.store.migrate import _config
    from tests.conftest import seed

    db = Database(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    upgrade(db)
    seed(db)
    users = UserService(db, clock)
    orders = WorkOrderService(db, clock)
    paula = users.actor_for("paula")
    raised = {
        origin: orders.create(
            paula, WorkOrderDraft(origin.value, "P-101", WorkOrderType.CORRECTIVE, origin=origin)
        ).work_order.number
        for origin in (Origin.REQUEST, Origin.PM_SCHEDULE, Origin.CONDITION_RULE)
    }
    inspection = orders.create(
        paula,
        WorkOrderDraft("Round", "P-101", WorkOrderType.INSPECTION, checklist_codes=("CL-PUMP",)),
    ).work_order.number
    finding = orders.answer_checklist_item(
        users.actor_for("tom"), inspection, 1, result=CheckResult.FAIL
    ).corrective_order
    users.set_pin(users.actor_for("vic"), "vic", "4711")
    breakdown = (
        BreakdownRequestService(db, clock)
        .raise_request("vic", "4711", BreakdownRequest("P-101", machine_stopped=True))
        .work_order.number
    )
    expected = {
        **{number: origin for origin, number in raised.items()},
        inspection: Origin.REQUEST,
        finding: Origin.INSPECTION_FINDING,
        breakdown: Origin.BREAKDOWN_REPORT,
    }
    config = _config()
    before_origins = ScriptDirectory.from_config(config).get_revision("0008").down_revision
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, before_origins)
    with db.engine.connect() as conn:
        sources = dict(conn.exec_driver_sql("SELECT number, source FROM work_orders").all())
    assert sources[finding] == sources[breakdown] == sources[inspection] == "manual"
    upgrade(db)
    assert {number: orders.get(number).origin for number in expected} == expected
    db.dispose()
