"""The control-room display's and the monitoring service's own small database logins.

Each is made once by an administrator with the migrator login (README "Trust boundary on
PostgreSQL"): a login in the group `wrenchbook_display` or `wrenchbook_monitor`. They do
their work through the services, and a SQL client holding their password can do no more.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from desktop.domain.condition import Direction, Quality, RuleKind, RuleSpec, Sample
from desktop.domain.enums import Status, WorkOrderType
from desktop.plant.downtime_feed import DowntimeFeed, DowntimeRecorder
from desktop.plant.historian import write_samples
from desktop.plant.monitor import ConditionMonitor
from desktop.services.admin.users import UserService
from desktop.services.condition.alarms import AlarmService, Evidence
from desktop.services.condition.plant_tags import PlantTagService, RuleDraft, TagDraft
from desktop.services.orders.breakdown_requests import BreakdownRequest, BreakdownRequestService
from desktop.services.orders.machine_downtime import MachineDowntimeService
from desktop.services.orders.work_orders import SearchFilter, WorkOrderService
from desktop.services.shared import audit
from desktop.store.database import Database
from tests.integration.workflow import drive_to, raise_order

pytest_plugins = ["tests.per_user"]

pytestmark = [
    pytest.mark.parametrize("db_url", ["postgresql"], indirect=True),
    pytest.mark.usefixtures("password_auth"),
]

NS = "urn:example:plant"
AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PIN = "4711"


@pytest.fixture
def rule(db, actors):
    tags = PlantTagService(db)
    tags.import_tags(
        actors["paula"], [TagDraft("P-101.Vibration", "P-101", NS, "s=P-101.Vibration", "mm/s")]
    )
    spec = RuleSpec(RuleKind.THRESHOLD, 7.1, Direction.ABOVE, hysteresis=0.5, on_delay_s=5)
    return tags.add_rule(
        actors["paula"], RuleDraft("P-101 vibration high", "P-101.Vibration", spec)
    )


def _tables(db) -> dict[str, list[tuple]]:
    with db.engine.connect() as conn:
        return {
            table: conn.execute(text(f"SELECT * FROM {table} ORDER BY 1")).all()
            for table in ("work_orders", "labour_entries", "users", "stock_levels", "audit_log")
        }


def _refused(db, attacker: Database, statement: str) -> str:
    before = _tables(db)
    with pytest.raises(DBAPIError) as caught, attacker.engine.begin() as conn:
        conn.execute(text(statement))
    assert _tables(db) == before, "a refused attempt changed the tables"
    return str(caught.value.orig)


def test_the_display_records_what_people_do_there_in_their_names(
    db, actors, clock, rule, service_login
):
    display = service_login("display")
    UserService(db, clock).set_pin(actors["vic"], "vic", PIN)
    alarm = AlarmService(db, clock).raise_alarm(
        actors["tom"], rule.id, AT, 7.4, "7.4 above 7.1", Evidence(b"t,v\n")
    )
    request = BreakdownRequestService(display, clock).raise_request(
        "vic", PIN, BreakdownRequest("P-101", alarm.id)
    )
    tina = UserService(display, clock).authenticate("tina", "correct-horse-1")
    acked = AlarmService(display, clock).acknowledge(tina, alarm.id)
    assert acked.acknowledged_by == "tina"
    assert WorkOrderService(db).get(request.work_order.number).requester == "vic"
    assert audit.verify(db).ok


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE work_orders SET status = 'approved' WHERE status = 'requested'",
        "DELETE FROM work_orders",
        "UPDATE labour_entries SET hours = 99",
        "UPDATE stock_levels SET on_hand = 0",
        "UPDATE users SET role = 'admin'",
        "INSERT INTO users (username, full_name, role, password_hash, active, created_at) "
        "VALUES ('eve', 'Eve', 'admin', 'x', true, now())",
    ],
)
@pytest.mark.parametrize("kind", ["display", "monitor"])
def test_a_service_login_can_do_no_more_than_its_job(
    db, actors, clock, service_login, kind, statement
):
    service = WorkOrderService(db, clock)
    raise_order(service, actors["admin"])
    drive_to(
        service,
        actors["admin"],
        raise_order(service, actors["admin"]).number,
        Status.COMPLETED,
        clock,
    )
    _refused(db, service_login(kind), statement)


def test_the_monitor_stores_samples_and_raises_a_predictive_order(db, actors, rule, service_login):
    monitoring = service_login("monitor")
    t0 = AT.timestamp()
    climbing = [Sample(rule.tag_id, t0 + i, 6.0 + i * 0.05, Quality.GOOD) for i in range(60)]
    events = ConditionMonitor(monitoring, actors["paula"], [rule]).process(climbing)
    kept = write_samples(monitoring, climbing)
    assert [e.event.change.value for e in events] == ["raised"]
    orders = WorkOrderService(db).search(SearchFilter(types=(WorkOrderType.PREDICTIVE,)))
    assert len(orders) == 1
    with db.engine.connect() as conn:
        stored = conn.execute(
            text("SELECT count(*) FROM hist_points WHERE tag_id = :t"), {"t": rule.tag_id}
        ).scalar_one()
        who = (
            conn.execute(
                text("SELECT DISTINCT db_user FROM row_audit WHERE table_name = 'work_orders'")
            )
            .scalars()
            .all()
        )
    assert stored == kept > 0
    assert "monitoring" in who
    assert audit.verify(db).ok


def test_the_monitor_records_a_stop_and_the_display_codes_it(db, actors, clock, service_login):
    from tests.integration.test_plant_downtime import _states, _tags

    tags = _tags(db, actors)
    UserService(db, clock).set_pin(actors["vic"], "vic", PIN)
    recorder = DowntimeRecorder(service_login("monitor"), actors["sam"])
    feed = DowntimeFeed(list(tags.values()), recorder, 0.0, 0.0)
    feed.put_batch(_states(tags["P-101.Running"].id, [(0, 1), (60, 0)]))
    downtime = MachineDowntimeService(service_login("display"), clock)
    coded = downtime.code_stop("vic", PIN, downtime.stops()[0].id, "changeover")
    assert (coded.reason, coded.coded_by) == ("changeover", "vic")
    assert audit.verify(db).ok
