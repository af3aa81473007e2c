"""The demo plant loader on both engines: a believable, consistent and deterministic history."""

from __future__ import annotations

import itertools
import os
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.cli import main as cli_main
from desktop.demo.plant import DemoPlantService, DemoSummary
from desktop.domain.enums import Origin, Status, WorkOrderType
from desktop.domain.errors import WrenchbookError
from desktop.domain.failure_codes import FIELD_LISTS, code_problem
from desktop.domain.lifecycle import (
    REQUIRED_FAILURE_CODES,
    TYPES_NEEDING_FAILURE_CODES,
    TransitionFacts,
    find_transition,
)
from desktop.services.admin.users import UserService
from desktop.services.assets.asset_parts import AssetPartsService
from desktop.services.orders.work_order_records import WorkOrderDraft
from desktop.services.orders.work_orders import WorkOrderService
from desktop.services.pm.pm_compliance import pm_compliance
from desktop.services.shared import audit
from desktop.store.database import Database
from desktop.store.inventory_models import Part
from desktop.store.migrate import upgrade
from desktop.store.models import (
    AuditEntry,
    ChecklistResult,
    DowntimePeriod,
    LabourEntry,
    NumberCounter,
    StatusChange,
    User,
    WorkOrder,
)
from desktop.store.pm_models import PMKitLine, PMOccurrence, PMSchedule
from tests import pg_server

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
SCALE = 600
PREVENTIVE = WorkOrderType.PREVENTIVE
STAMPS = ("requested_at", "approved_at", "scheduled_at", "started_at", "completed_at", "closed_at")

EmptyDatabase = Callable[[], Database]
_counter = itertools.count()


def fixed_clock() -> datetime:
    return NOW


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def empty_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[EmptyDatabase]:
    """Makes fresh, migrated databases without the test seed (the demo needs them empty)."""
    made: list[tuple[Database, str | None]] = []
    admin_url: str | None = None
    if request.param == "postgresql":
        admin_url = request.getfixturevalue("pg_admin_url")

    def make() -> Database:
        n = next(_counter)
        if admin_url is None:
            folder: Path = tmp_path_factory.mktemp("demo")
            db = Database(f"sqlite:///{folder / 'demo.sqlite3'}")
            name = None
        else:
            name = f"wb_demo_{os.getpid()}_{n}"
            pg_server.drop_database(admin_url, name)
            db = Database(pg_server.create_database(admin_url, name))
        upgrade(db)
        made.append((db, name))
        return db

    yield make
    for db, name in made:
        db.dispose()
        if admin_url is not None and name is not None:
            pg_server.drop_database(admin_url, name)


@pytest.fixture(scope="module")
def demo(empty_database: EmptyDatabase) -> tuple[Database, DemoSummary]:
    """One demo load per engine, shared by the read-only tests below."""
    db = empty_database()
    summary = DemoPlantService(db, fixed_clock).build(seed=1, scale=SCALE, years=3)
    return db, summary


def history_of(db: Database) -> list[tuple[object, ...]]:
    with db.unit_of_work(write=False) as session:
        return [
            tuple(row)
            for row in session.execute(
                select(
                    WorkOrder.number,
                    WorkOrder.title,
                    WorkOrder.type,
                    WorkOrder.status,
                    WorkOrder.priority,
                    WorkOrder.asset_id,
                    WorkOrder.requested_at,
                    WorkOrder.completed_at,
                ).order_by(WorkOrder.id)
            )
        ]


@pytest.mark.both_engines
def test_loads_the_requested_number_of_work_orders(demo):
    db, summary = demo
    assert summary.work_orders == SCALE
    assert summary.assets == 156
    with db.unit_of_work(write=False) as session:
        assert session.execute(select(func.count(WorkOrder.id))).scalar_one() == SCALE
        assert session.execute(select(func.count(User.id))).scalar_one() == summary.users == 18
    assert {a.username for a in summary.accounts} >= {"admin", "kbrandt", "mkowalski"}


def test_same_seed_and_scale_give_the_same_history(demo, empty_database):
    db, _ = demo
    again = empty_database()
    DemoPlantService(again, fixed_clock).build(seed=1, scale=SCALE, years=3)
    assert history_of(again) == history_of(db)


def test_another_seed_gives_another_history(demo, empty_database):
    db, _ = demo
    other = empty_database()
    DemoPlantService(other, fixed_clock).build(seed=2, scale=SCALE, years=3)
    assert history_of(other) != history_of(db)


def test_every_status_is_on_the_board(demo):
    _, summary = demo
    assert set(summary.work_orders_by_status) == {s.value for s in Status}
    closed = summary.work_orders_by_status["closed"]
    assert closed > SCALE * 0.7


def test_type_mix_follows_the_plant_profile(demo):
    db, _ = demo
    with db.unit_of_work(write=False) as session:
        counts = dict(
            session.execute(select(WorkOrder.type, func.count()).group_by(WorkOrder.type)).all()
        )
    assert counts[WorkOrderType.PREVENTIVE] == pytest.approx(SCALE * 0.45, rel=0.1)
    assert counts[WorkOrderType.EMERGENCY] == pytest.approx(SCALE * 0.08, rel=0.2)


def test_lifecycle_timestamps_are_ordered_on_every_order(demo):
    db, _ = demo
    with db.unit_of_work(write=False) as session:
        orders = session.execute(select(WorkOrder)).scalars().all()
        changes: dict[int, list[StatusChange]] = defaultdict(list)
        for change in session.execute(select(StatusChange).order_by(StatusChange.id)).scalars():
            changes[change.work_order_id].append(change)
    for wo in orders:
        stamps = [getattr(wo, name) for name in STAMPS if getattr(wo, name) is not None]
        assert stamps == sorted(stamps), wo.number
        assert all(s <= NOW for s in stamps), wo.number
        if wo.cancelled_at is not None:
            assert wo.status is Status.CANCELLED
            assert wo.cancel_reason
            assert max(stamps) <= wo.cancelled_at <= NOW
        if wo.type is WorkOrderType.EMERGENCY and wo.started_at is not None:
            assert wo.approved_at == wo.started_at, wo.number
        trail = changes[wo.id]
        assert trail[0].from_status is None
        assert trail[0].to_status is Status.REQUESTED
        assert trail[-1].to_status is wo.status, wo.number
        assert [c.at for c in trail] == sorted(c.at for c in trail), wo.number
        for before, after in itertools.pairwise(trail):
            assert after.from_status is before.to_status, wo.number
            assert find_transition(before.to_status, after.to_status) is not None, wo.number
        assert wo.version == 1
        assert wo.updated_at == trail[-1].at


def test_done_orders_meet_the_completion_guards(demo):
    """Done orders carry what `complete` demands: labour, answers, failure codes, downtime."""
    db, _ = demo
    complete = find_transition(Status.IN_PROGRESS, Status.COMPLETED)
    assert complete is not None
    with db.unit_of_work(write=False) as session:
        done = (
            session.execute(
                select(WorkOrder).where(WorkOrder.status.in_([Status.COMPLETED, Status.CLOSED]))
            )
            .scalars()
            .all()
        )
        hours = dict(
            session.execute(
                select(LabourEntry.work_order_id, func.sum(LabourEntry.hours)).group_by(
                    LabourEntry.work_order_id
                )
            ).all()
        )
        unanswered: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for item in session.execute(
            select(ChecklistResult).where(ChecklistResult.answered_at.is_(None))
        ).scalars():
            unanswered[item.work_order_id].append((item.position, item.text))
        periods: dict[int, list[DowntimePeriod]] = defaultdict(list)
        for period in session.execute(select(DowntimePeriod)).scalars():
            periods[period.work_order_id].append(period)
    assert done
    failure_orders = 0
    for wo in done:
        codes = {name: getattr(wo, name) for name in FIELD_LISTS}
        facts = TransitionFacts(
            number=wo.number,
            type=wo.type,
            assignee_count=1,
            labour_hours=float(hours.get(wo.id, 0.0)),
            unanswered_items=tuple(unanswered[wo.id]),
            failure_codes=codes,
            asset_down=wo.asset_down,
            downtime_periods=len(periods[wo.id]),
            open_downtime_periods=sum(1 for p in periods[wo.id] if p.end is None),
        )
        assert complete.problems(facts) == [], wo.number
        for name, code in codes.items():
            assert code is None or code_problem(name, code) is None, (wo.number, name, code)
        if wo.type in TYPES_NEEDING_FAILURE_CODES:
            failure_orders += 1
            assert all(codes[name] for name in REQUIRED_FAILURE_CODES), wo.number
        assert wo.is_failure == (
            wo.type is WorkOrderType.EMERGENCY
            or (wo.type is WorkOrderType.CORRECTIVE and wo.asset_down)
        ), wo.number
        for period in periods[wo.id]:
            assert period.end is not None
            assert period.start < period.end <= NOW
    assert failure_orders > 0


@pytest.mark.both_engines  # bulk rows go through COPY on PostgreSQL
def test_every_pm_order_carries_its_schedule_and_interval(demo):
    """KPIS.md: the PM-compliance grace is 10 % of the schedule's interval, so no demo PM order
    may lack one (it would silently get no grace)."""
    db, _ = demo
    with db.unit_of_work(write=False) as session:
        rows = session.execute(
            select(WorkOrder.type, PMOccurrence.interval_days, PMSchedule.active)
            .outerjoin(PMOccurrence, PMOccurrence.work_order_id == WorkOrder.id)
            .outerjoin(PMSchedule, PMSchedule.id == PMOccurrence.schedule_id)
        ).all()
    preventive = [(interval, active) for kind, interval, active in rows if kind is PREVENTIVE]
    assert preventive
    assert all(interval and interval > 0 for interval, _ in preventive)
    assert not any(active for _, active in preventive)  # history routines: `pm run` skips them
    assert all(interval is None for kind, interval, _ in rows if kind is not PREVENTIVE)
    report = pm_compliance(db, NOW - timedelta(days=365), NOW)
    assert report.due
    assert all(o.schedule for o in report.orders if o.type is PREVENTIVE)
    assert any(o.deadline > o.due_at for o in report.orders)


def test_every_order_records_what_raised_it(demo):
    db, _ = demo
    with db.unit_of_work(write=False) as session:
        pairs = set(session.execute(select(WorkOrder.type, WorkOrder.origin).distinct()).all())
    assert (PREVENTIVE, Origin.PM_SCHEDULE) in pairs
    assert (WorkOrderType.PREDICTIVE, Origin.CONDITION_RULE) in pairs
    assert (WorkOrderType.CORRECTIVE, Origin.INSPECTION_FINDING) in pairs
    assert (WorkOrderType.EMERGENCY, Origin.BREAKDOWN_REPORT) in pairs
    assert {origin for kind, origin in pairs if kind is PREVENTIVE} == {Origin.PM_SCHEDULE}


def test_machines_have_spare_parts_lists_and_pm_kits_name_stocked_parts(demo):
    """Issue 18: the spare-parts list per asset, read both ways, and the PM kits drawn from it
    name parts the store room holds (an unknown number would only sit in the description)."""
    db, _ = demo
    spares = AssetPartsService(db)
    pump = spares.parts_of("BOT-SYR-SUG-P1")
    assert {s.part_number for s in pump} == {"MS-103", "BRG-103", "OR-102"}
    assert next(s for s in pump if s.part_number == "BRG-103").quantity == 2
    seal_users = {s.asset_code for s in spares.where_used("MS-103")}
    assert "BOT-SYR-SUG-P1" in seal_users
    assert len(seal_users) >= 9
    with db.unit_of_work(write=False) as session:
        kit = set(session.execute(select(PMKitLine.part_number)).scalars())
        stocked = set(session.execute(select(Part.number)).scalars())
    assert kit
    assert kit <= stocked


@pytest.mark.both_engines
def test_audit_chain_verifies_after_the_load(demo):
    db, summary = demo
    result = audit.verify(db)
    assert result.ok, result.describe()
    with db.unit_of_work(write=False) as session:
        # The demo's PM schedules and meter readings are audited after the load entry.
        load = session.execute(
            select(AuditEntry).where(AuditEntry.action == "load demo")
        ).scalar_one()
        pm = (
            session.execute(select(AuditEntry.seq).where(AuditEntry.entity_type == "pm_schedule"))
            .scalars()
            .all()
        )
    assert f'"work_orders":{summary.work_orders}' in load.after_json
    assert pm
    assert min(pm) > load.seq


@pytest.mark.both_engines
def test_new_work_order_continues_the_number_sequence(empty_database):
    db = empty_database()
    DemoPlantService(db, fixed_clock).build(seed=3, scale=400, years=2)
    with db.unit_of_work(write=False) as session:
        series = f"WO-{NOW.year}"
        last_number = session.execute(
            select(WorkOrder.number)
            .where(WorkOrder.number.like(f"{series}-%"))
            .order_by(WorkOrder.id.desc())
            .limit(1)
        ).scalar_one()
        counter = session.get(NumberCounter, series)
    assert counter is not None
    assert last_number == f"{series}-{counter.last:06d}"
    asset_code = WorkOrderService(db).get(last_number).row.asset_code
    actor = UserService(db).actor_for("kbrandt")
    created = WorkOrderService(db, fixed_clock).create(
        actor, WorkOrderDraft(title="Check guard after the demo", asset_code=asset_code)
    )
    assert created.work_order.number == f"{series}-{counter.last + 1:06d}"


def test_refuses_a_second_demo_into_a_used_database(demo):
    db, _summary = demo
    with pytest.raises(WrenchbookError, match="fresh"):
        DemoPlantService(db, fixed_clock).build(seed=1, scale=10)
    with db.unit_of_work(write=False) as session:
        assert session.execute(select(func.count(WorkOrder.id))).scalar_one() == SCALE


def test_cli_prints_passwords_once_and_a_rerun_loads_nothing(empty_database, capsys):
    db = empty_database()
    assert cli_main(["--db", db.url, "demo", "--scale", "50", "--seed", "7"]) == 0
    out = capsys.readouterr().out
    assert "shown only now" in out
    assert "mkowalski" in out
    assert "technician" in out
    assert cli_main(["--db", db.url, "demo", "--scale", "50"]) == 0
    out = capsys.readouterr().out
    assert "already loaded" in out
    assert "shown only now" not in out
    with db.unit_of_work(write=False) as session:
        assert session.execute(select(func.count(WorkOrder.id))).scalar_one() == 50
