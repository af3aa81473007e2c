"""Every dashboard KPI against figures worked out by hand, on SQLite and PostgreSQL.

The plant is the seeded one: P-101 (pump, equipment), M-101 (its motor, component) and C-201
(conveyor, equipment) are the measured assets; tom and tina are the technicians, 40 h a week
each. The period is 1-15 March 2026 in two 7-day buckets; the previous period is 15 Feb-1 Mar.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import numpy as np
import pytest
from sqlalchemy import select, update

from desktop.cli import main
from desktop.domain.enums import Origin, Status, WorkOrderType
from desktop.services.analytics.kpi import KpiService
from desktop.services.analytics.kpi_records import AssetRunTime, KpiQuery, PmDue
from desktop.services.analytics.reliability import ReliabilityService, fit_weibull
from desktop.store.models import Asset, DowntimePeriod, LabourEntry, User, WorkOrder

pytest_plugins = ["tests.per_user"]

pytestmark = pytest.mark.both_engines  # KPIs are SQL aggregations

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
PERIOD = KpiQuery(datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 15, tzinfo=UTC), buckets=2)


def t(day: int, hour: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def _plant(db) -> dict[str, int]:
    """The hand-worked history; returns work-order ids by name."""
    with db.unit_of_work() as s:
        assets = dict(s.execute(select(Asset.code, Asset.id)).all())
        users = dict(s.execute(select(User.username, User.id)).all())
        for code, value in (("P-101", 100_000.0), ("M-101", 10_000.0), ("C-201", 50_000.0)):
            s.execute(update(Asset).where(Asset.code == code).values(replacement_value=value))
        ids: dict[str, int] = {}

        def order(name: str, kind: WorkOrderType, asset: str, status: Status, **times) -> int:
            wo = WorkOrder(
                number=name,
                title=name,
                type=kind,
                priority=2,
                status=status,
                asset_id=assets[asset],
                requester_id=users["paula"],
                version=1,
                updated_at=NOW,
                updated_by_id=users["paula"],
                **times,
            )
            s.add(wo)
            s.flush()
            ids[name] = wo.id
            return wo.id

        def labour(wo: int, who: str, day: int, hours: float, rate: float) -> None:
            s.add(
                LabourEntry(
                    work_order_id=wo,
                    technician_id=users[who],
                    work_date=date(2026, 3, day),
                    hours=hours,
                    rate=rate,
                    created_at=NOW,
                )
            )

        def down(wo: int, asset: str, start: datetime, end: datetime, planned: bool) -> None:
            s.add(
                DowntimePeriod(
                    work_order_id=wo, asset_id=assets[asset], start=start, end=end, planned=planned
                )
            )

        # WO-1 breakdown of the pump: down 07:00-15:00 (8 h), 5 h of tom's labour at 40.
        wo1 = order(
            "WO-1", WorkOrderType.EMERGENCY, "P-101", Status.CLOSED, is_failure=True,
            failure_mode="BRD", requested_at=t(2, 8), approved_at=t(2, 9), started_at=t(2, 9),
            completed_at=t(2, 14), closed_at=t(2, 16),
        )  # fmt: skip
        down(wo1, "P-101", t(2, 7), t(2, 15), planned=False)
        labour(wo1, "tom", 2, 5, 40)
        # WO-2 conveyor failure without downtime recorded: request 9th 10:00 to completion
        # 10th 12:00 = 26 h. 4 h of tina's at 50.
        wo2 = order(
            "WO-2", WorkOrderType.CORRECTIVE, "C-201", Status.COMPLETED, is_failure=True,
            failure_mode="NOI", requested_at=t(9, 10), approved_at=t(9, 12), started_at=t(10, 8),
            completed_at=t(10, 12),
        )  # fmt: skip
        labour(wo2, "tina", 10, 4, 50)
        # WO-3 PM on the weekly schedule of Mon 2 March (scheduled 25 Feb), done on the 3rd,
        # planned downtime 08:00-12:00. 4 h of tom's.
        wo3 = order(
            "WO-3", WorkOrderType.PREVENTIVE, "P-101", Status.CLOSED, estimate_hours=4.0,
            requested_at=t(20, 8, 2), approved_at=t(20, 9, 2), scheduled_at=t(25, 10, 2),
            scheduled_start=t(3, 8), started_at=t(3, 8), completed_at=t(3, 12),
        )  # fmt: skip
        down(wo3, "P-101", t(3, 8), t(3, 12), planned=True)
        labour(wo3, "tom", 3, 4, 40)
        # WO-4 follow-up of an inspection finding (not a failure) on the motor, scheduled on
        # the 6th and started the same day: planned but it broke into the week. 3 h of tina's.
        wo4 = order(
            "WO-4", WorkOrderType.CORRECTIVE, "M-101", Status.COMPLETED, estimate_hours=3.0,
            origin=Origin.INSPECTION_FINDING,
            requested_at=t(5, 8), approved_at=t(5, 9), scheduled_at=t(6, 9),
            scheduled_start=t(6, 10), started_at=t(6, 10), completed_at=t(6, 13),
        )  # fmt: skip
        labour(wo4, "tina", 6, 3, 50)
        # WO-5 open across the period: approved 21 Feb, due 10 March, started unscheduled on
        # the 12th with 2 h of tom's; estimate 10 h.
        wo5 = order(
            "WO-5", WorkOrderType.CORRECTIVE, "C-201", Status.IN_PROGRESS, estimate_hours=10.0,
            requested_at=t(20, 8, 2), approved_at=t(21, 8, 2), started_at=t(12, 8),
            due_at=t(10, 0),
        )  # fmt: skip
        labour(wo5, "tom", 12, 2, 40)
        # WO-6 approved on the 4th, 6 h estimate, due at the end of March.
        order(
            "WO-6", WorkOrderType.CORRECTIVE, "P-101", Status.APPROVED, estimate_hours=6.0,
            requested_at=t(4, 8), approved_at=t(4, 9), due_at=t(30, 0),
        )  # fmt: skip
        # WO-7 raised 10 Feb, never approved, due 12 Feb: overdue, but not backlog.
        order(
            "WO-7", WorkOrderType.INSPECTION, "C-201", Status.REQUESTED,
            requested_at=t(10, 8, 2), due_at=t(12, 0, 2),
        )  # fmt: skip
        # WO-8 approved then cancelled before the period: in neither figure.
        order(
            "WO-8", WorkOrderType.CORRECTIVE, "C-201", Status.CANCELLED, estimate_hours=5.0,
            requested_at=t(10, 8, 2), approved_at=t(11, 8, 2), cancelled_at=t(20, 8, 2),
            due_at=t(12, 0, 2),
        )  # fmt: skip
    return ids


@pytest.fixture
def plant(db):
    return _plant(db)


def _board(db, query=PERIOD, **kwargs):
    return KpiService(db, lambda: NOW, **kwargs).dashboard(query)


def test_mttr_is_the_mean_repair_time_of_the_failures_completed(db, plant):
    board = _board(db)
    mttr = board.figure("mttr")
    # WO-1: 07:00 down to 15:00 up = 8 h; WO-2: no downtime, request to completion = 26 h.
    assert mttr.value == pytest.approx((8 + 26) / 2)
    assert mttr.trend == pytest.approx((8.0, 26.0))
    assert mttr.previous is None
    assert set(mttr.work_order_ids) == {plant["WO-1"], plant["WO-2"]}


def test_mttr_stages_show_where_the_time_goes(db, plant):
    stages = {s.stage: s.hours for s in _board(db).mttr_stages}
    assert stages["raised to acknowledged"] == pytest.approx((1 + 2) / 2)  # 08->09, 10->12
    assert stages["acknowledged to started"] == pytest.approx((0 + 20) / 2)  # 9th 12 -> 10th 8
    assert stages["started to completed"] == pytest.approx((5 + 4) / 2)
    assert stages["completed to asset back up"] == pytest.approx((1 + 0) / 2)  # 14 -> 15


def test_mttr_variant_from_technician_start(db, plant):
    from desktop.domain.kpis import MttrStart
    from desktop.services.analytics.kpi_records import KpiSettings

    board = _board(db, settings=KpiSettings(mttr_start=MttrStart.TECHNICIAN_START))
    # WO-1: started 09:00, up 15:00 = 6 h; WO-2: started 10th 08:00, completed 12:00 = 4 h.
    assert board.figure("mttr").value == pytest.approx((6 + 4) / 2)


def test_mtbf_over_calendar_hours_less_downtime(db, plant):
    board = _board(db)
    mtbf = board.figure("mtbf")
    # 3 measured assets x 14 days x 24 h = 1008 h, less 8 h + 4 h of downtime on P-101.
    assert mtbf.value == pytest.approx((1008 - 12) / 2)
    # Bucket 1: 504 - 12 h and WO-1; bucket 2: 504 h and WO-2.
    assert mtbf.trend == pytest.approx((492.0, 504.0))
    assert mtbf.previous is None
    assert "calendar hours" in board.mtbf_basis


def test_no_failures_reads_as_operating_hours_not_a_number(db, plant):
    before = KpiQuery(datetime(2026, 2, 15, tzinfo=UTC), datetime(2026, 3, 1, tzinfo=UTC))
    mtbf = _board(db, before).figure("mtbf")
    assert mtbf.value is None
    assert mtbf.text == f"no failures in {3 * 14 * 24:,} operating hours"
    assert _board(db, before).figure("mttr").text == "n/a"


def test_mtbf_uses_running_hours_where_a_tag_gives_them(db, plant):
    with db.unit_of_work() as s:
        pump = s.execute(select(Asset.id).where(Asset.code == "P-101")).scalar_one()

    class Tags:
        def run_times(self, asset_ids, edges):
            return [{pump: AssetRunTime(running_hours=100.0, idle_hours=50.0)} for _ in edges[1:]]

    board = _board(db, running_hours=Tags())
    # Per bucket the pump runs 100 h; M-101 and C-201 stay on calendar hours (168 each).
    assert board.figure("mtbf").value == pytest.approx((2 * 100 + 2 * 2 * 168) / 2)
    assert board.mtbf_basis.startswith("running hours from tags for 1 of 3 assets")
    # Availability: (1008 - 2 x 50 idle - 12 down) / (1008 - 100).
    assert board.figure("availability").value == pytest.approx((1008 - 100 - 12) / 908 * 100)


def test_availability_counts_planned_and_unplanned_downtime(db, plant):
    availability = _board(db).figure("availability")
    assert availability.value == pytest.approx((1008 - 12) / 1008 * 100)
    assert availability.previous == pytest.approx(100.0)


def test_a_stop_with_no_work_order_counts_against_availability(db, plant):
    with db.unit_of_work() as s:
        conveyor = s.execute(select(Asset.id).where(Asset.code == "C-201")).scalar_one()
        # Recorded by the running tag; nobody raised an order for it.
        s.add(DowntimePeriod(asset_id=conveyor, start=t(10, 6), end=t(10, 9), planned=False))

    availability = _board(db).figure("availability")

    assert availability.value == pytest.approx((1008 - 12 - 3) / 1008 * 100)
    assert all(isinstance(i, int) for i in availability.work_order_ids)  # none for the stop


def test_backlog_in_crew_weeks_at_each_bucket_end(db, plant):
    board = _board(db)
    backlog = board.figure("backlog")
    # 15 March: WO-5 10 h - 2 h logged = 8 h, WO-6 6 h; crew 2 x 40 h a week.
    assert backlog.value == pytest.approx((8 + 6) / 80)
    # 8 March: WO-5 10 h + WO-6 6 h. 1 March: WO-5 10 h + WO-3 4 h (scheduled, not started);
    # WO-8 was cancelled in February.
    assert backlog.trend == pytest.approx((16 / 80, 14 / 80))
    assert backlog.previous == pytest.approx((10 + 4) / 80)
    assert set(backlog.work_order_ids) == {plant["WO-5"], plant["WO-6"]}
    assert backlog.note.startswith("2 orders")
    assert [p.orders for p in board.backlog_over_time] == [2, 2, 2]


def test_overdue_counts_open_orders_past_due(db, plant):
    overdue = _board(db).figure("overdue")
    assert overdue.value == 2  # WO-5 (due 10 March) and WO-7 (due 12 Feb)
    assert overdue.trend == (1.0, 2.0)
    assert overdue.previous == 1


def test_labour_shares_by_entry_date(db, plant):
    board = _board(db)
    total = 5 + 4 + 4 + 3 + 2  # WO-1, WO-2, WO-3, WO-4, WO-5
    assert board.figure("planned_work").value == pytest.approx((4 + 3) / total * 100)
    # Emergency WO-1, WO-4 scheduled in its own week, WO-2 and WO-5 never scheduled.
    assert board.figure("reactive_work").value == pytest.approx((5 + 3 + 4 + 2) / total * 100)
    # PM WO-3 and WO-4, raised by an inspection finding. WO-5 is not a failure either, but
    # it was reported (a request): not proactive by that alone (KPIS.md, origin).
    assert board.figure("proactive_work").value == pytest.approx((4 + 3) / total * 100)
    assert board.figure("emergency_share").value == pytest.approx(5 / total * 100)


def test_utilisation_is_logged_over_available_hours(db, plant):
    utilisation = _board(db).figure("utilisation")
    assert utilisation.value == pytest.approx(18 / (80 * 2) * 100)
    assert utilisation.previous == pytest.approx(0.0)


@pytest.mark.usefixtures("logins_changed")
def test_zero_available_hours_gives_no_figure(db, plant):
    with db.unit_of_work() as s:
        s.execute(update(User).values(active=False).where(User.username.in_(["tom", "tina"])))
    board = _board(db)
    assert board.figure("utilisation").value is None
    assert board.figure("utilisation").text == "n/a"
    assert board.figure("backlog").value is None


def test_schedule_compliance_counts_orders_on_the_week_schedule(db, plant):
    compliance = _board(db).figure("schedule_compliance")
    # Only WO-3 was `scheduled` when its week began; it was done that week.
    assert compliance.value == pytest.approx(100.0)
    assert compliance.work_order_ids == (plant["WO-3"],)


def test_cost_per_asset_and_against_replacement_value(db, plant):
    board = _board(db)
    # Labour of the orders completed in the period: 5x40 + 4x50 + 4x40 + 3x50.
    assert board.figure("cost").value == pytest.approx(200 + 200 + 160 + 150)
    assert board.figure("cost_rav").value == pytest.approx(710 * 365.25 / 14 / 160_000 * 100)
    costs = {c.code: c for c in board.cost_by_asset}
    assert costs["P-101"].own_cost == pytest.approx(360)
    assert costs["P-101"].rolled_up_cost == pytest.approx(360 + 150)  # its motor M-101
    assert costs["LINE"].rolled_up_cost == pytest.approx(710)
    assert board.cost_by_asset[0].code == "P-101"


def test_failure_pareto_largest_first(db, plant):
    board = _board(db)
    assert [(p.key, p.failures, p.downtime_hours) for p in board.pareto_by_mode] == [
        ("BRD", 1, 8.0),
        ("NOI", 1, 0.0),
    ]
    assert [p.key for p in board.pareto_by_asset] == ["P-101", "C-201"]


def test_mtbf_and_mttr_by_asset_class_include_assets_without_downtime(db, plant):
    by_class = {c.asset_class: c for c in _board(db).by_class}
    assert by_class["pump"].mtbf_hours == pytest.approx(336 - 12)
    assert by_class["conveyor"].mtbf_hours == pytest.approx(336)
    assert by_class["conveyor"].mttr_hours == pytest.approx(26)
    assert by_class["motor"].failures == 0
    assert by_class["motor"].mtbf_hours is None
    assert by_class["motor"].operating_hours == pytest.approx(336)


def test_area_and_class_filters(db, plant):
    pumps = _board(db, KpiQuery(PERIOD.start, PERIOD.end, asset_classes=("pump",), buckets=2))
    assert pumps.figure("mttr").value == pytest.approx(8)
    assert pumps.figure("mtbf").value == pytest.approx(336 - 12)
    subtree = _board(db, KpiQuery(PERIOD.start, PERIOD.end, area="P-101", buckets=2))
    assert subtree.figure("cost").value == pytest.approx(360 + 150)


def test_pm_compliance_comes_from_the_pm_source(db, plant):
    assert _board(db).figure("pm_compliance").value is None
    assert _board(db).pm_by_month is None

    class Schedules:
        def pm_due(self, start, end):
            wo3 = plant["WO-3"]
            with db.unit_of_work() as s:
                pump = s.execute(select(Asset.id).where(Asset.code == "P-101")).scalar_one()
            return [
                PmDue(wo3, pump, t(3, 8), True),
                PmDue(wo3 + 100, pump, t(10, 8), False),
                PmDue(wo3 + 101, pump, t(20, 8, 2), True),
            ]

    board = _board(db, pm_compliance=Schedules())
    assert board.figure("pm_compliance").value == pytest.approx(50.0)
    assert board.figure("pm_compliance").previous == pytest.approx(100.0)
    assert [(m.month, m.due, m.done_in_grace) for m in board.pm_by_month] == [("2026-03", 2, 1)]


def test_tile_orders_resolve_to_numbers(db, plant):
    board = _board(db)
    numbers = KpiService(db).work_order_numbers(board.figure("mttr").work_order_ids)
    assert numbers == ["WO-1", "WO-2"]


def test_cli_prints_the_dashboard_figures(db, db_url, plant, capsys, tmp_path):
    out = tmp_path / "kpi.xlsx"
    code = main(
        [
            "--db",
            db_url,
            "kpi",
            "--from",
            "2026-03-01",
            "--to",
            "2026-03-14",
            "--format",
            "json",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    text = capsys.readouterr().out
    data = json.loads(text[: text.rindex("}") + 1])
    cost = next(k for k in data["kpis"] if k["key"] == "cost")
    assert cost["value"] == pytest.approx(710)
    assert out.exists()


def test_cli_fits_weibull_per_class(db_url, plant, capsys):
    code = main(
        [
            "--db",
            db_url,
            "kpi",
            "--from",
            "2026-03-01",
            "--to",
            "2026-03-14",
            "--weibull",
            "asset_class",
            "--format",
            "json",
        ]
    )
    assert code == 0
    fits = json.loads(capsys.readouterr().out)["weibull"]
    assert {f["group"] for f in fits} == {"pump", "conveyor"}
    assert all(f["reading"].startswith("too few failures") for f in fits)


def test_cli_refuses_a_reversed_period(db_url, capsys):
    assert main(["--db", db_url, "kpi", "--from", "2026-03-10", "--to", "2026-03-01"]) == 1
    assert "--from" in capsys.readouterr().err


def test_weibull_recovers_a_known_wear_out_shape():
    rng = np.random.default_rng(7)
    lives = 100 * rng.weibull(2.0, 400)
    failures, suspensions = lives[lives < 120], np.full((lives >= 120).sum(), 120.0)
    fit = fit_weibull("pumps", failures, suspensions)
    assert fit.beta_bounds[0] < 2.0 < fit.beta_bounds[1]
    assert fit.eta_bounds[0] < 100 < fit.eta_bounds[1]
    assert fit.reading.startswith("wear-out")
    assert fit.rank_regression is None


def test_weibull_reading_follows_the_bounds_of_beta():
    from desktop.domain.kpis import weibull_reading

    assert weibull_reading(0.8, (0.7, 0.95)).startswith("early-life")
    assert weibull_reading(0.8, (0.6, 1.05)).startswith("random")
    assert weibull_reading(1.6, (1.2, 2.0)).startswith("wear-out")


def test_weibull_small_samples_show_rank_regression_and_refuse_one_failure():
    few = fit_weibull("fans", np.array([50.0, 80.0, 120.0, 200.0]), np.array([150.0]))
    assert few.rank_regression is not None
    assert few.beta is not None
    assert fit_weibull("one", np.array([10.0]), np.array([])).beta is None


def test_weibull_per_class_from_stored_failures(db, plant):
    fits = ReliabilityService(db).weibull(PERIOD)
    # Each asset has one failure in the period: no run between two restorations is known.
    assert all(f.failures == 0 for f in fits)


def test_parts_issued_less_returned_count_in_the_maintenance_cost(db, plant, actors):
    from desktop.domain.inventory import MovementKind
    from desktop.services.stock.inventory import InventoryService
    from desktop.store.inventory_models import Part, StockLevel, StockMovement
    from tests.integration.stock import stock_room

    stock_room(InventoryService(db, lambda: NOW), actors["admin"])
    with db.unit_of_work() as session:
        part, level = session.execute(
            select(Part.id, StockLevel.id)
            .join(StockLevel, StockLevel.part_id == Part.id)
            .where(Part.number == "P-1002")
        ).one()
        # WO-4 on the motor: 3 seals issued at 4.00, 1 returned: 8.00 of parts.
        for kind, quantity in ((MovementKind.ISSUE, -3.0), (MovementKind.RETURN, 1.0)):
            session.add(
                StockMovement(
                    at=NOW, kind=kind, part_id=part, stock_level_id=level, quantity=quantity,
                    unit_cost=4.0, work_order_id=plant["WO-4"], user_id=actors["admin"].user_id,
                )
            )  # fmt: skip
    board = _board(db)
    assert board.figure("cost").value == pytest.approx(710 + 8)
    costs = {c.code: c for c in board.cost_by_asset}
    assert costs["M-101"].own_cost == pytest.approx(150 + 8)


def test_failure_pareto_merges_overlapping_downtime_of_one_asset(db, plant):
    """Two breakdowns of the pump reported one after the other while it was still down: the
    hours it stood still count once (KPIS.md, failure Pareto)."""
    with db.unit_of_work() as s:
        pump = s.execute(select(Asset.id).where(Asset.code == "P-101")).scalar_one()
        wo = s.get(WorkOrder, plant["WO-1"])
        second = WorkOrder(
            number="WO-1b", title="seized again", type=WorkOrderType.EMERGENCY, priority=1,
            status=Status.CLOSED, is_failure=True, failure_mode="BRD", asset_id=pump,
            requester_id=wo.requester_id, requested_at=t(2, 12), started_at=t(2, 12),
            completed_at=t(2, 14), version=1, updated_at=NOW, updated_by_id=wo.requester_id,
        )  # fmt: skip
        s.add(second)
        s.flush()
        # 12:00-17:00 overlaps WO-1's 07:00-15:00: the pump was down 07:00-17:00, 10 h.
        s.add(DowntimePeriod(work_order_id=second.id, asset_id=pump, start=t(2, 12),
                             end=t(2, 17), planned=False))  # fmt: skip
    board = _board(db)
    brd = board.pareto_by_mode[0]
    assert (brd.key, brd.failures, brd.downtime_hours) == ("BRD", 2, pytest.approx(10.0))
    assert board.pareto_by_asset[0].downtime_hours == pytest.approx(10.0)


def test_utilisation_of_a_period_ending_today_counts_booked_days(db, plant):
    """Labour is booked by date: a morning's reading sets today's entries against today's
    hours, not against the few hours since midnight (which read several hundred per cent)."""
    morning = datetime(2026, 3, 20, 3, 0, tzinfo=UTC)
    with db.unit_of_work() as s:
        tom = s.execute(select(User.id).where(User.username == "tom")).scalar_one()
        s.add(
            LabourEntry(
                work_order_id=plant["WO-5"],
                technician_id=tom,
                work_date=date(2026, 3, 20),
                hours=8.0,
                rate=40.0,
                created_at=morning,
            )
        )
    today = KpiQuery(datetime(2026, 3, 20, tzinfo=UTC), datetime(2026, 3, 21, tzinfo=UTC))
    utilisation = KpiService(db, lambda: morning).dashboard(today).figure("utilisation")
    # Tom and tina, 40 h a week each: 80 / 7 h available on a day.
    assert utilisation.value == pytest.approx(8 / (80 / 7) * 100)


def test_failure_pareto_keeps_a_mode_outside_the_shipped_list(db, plant):
    """A failure mode the code list does not hold (kept from an older import) is listed under
    its own text, not lost; a failure with no mode is "not coded"."""
    with db.unit_of_work() as s:
        s.execute(update(WorkOrder).where(WorkOrder.id == plant["WO-1"]).values(failure_mode="X9"))
        s.execute(update(WorkOrder).where(WorkOrder.id == plant["WO-2"]).values(failure_mode=None))
    board = _board(db)
    assert [(p.key, p.label, p.failures, p.downtime_hours) for p in board.pareto_by_mode] == [
        ("X9", "", 1, 8.0),
        ("-", "not coded", 1, 0.0),
    ]


def test_an_order_after_a_gap_in_the_ids_counts_like_any_other(db, plant):
    """Order ids need not follow on (a PostgreSQL sequence skips the ids of rolled-back
    inserts): a failure far past the others counts in MTTR, the Pareto and the cost."""
    cost_before = _board(db).figure("cost").value
    with db.unit_of_work() as s:
        users = dict(s.execute(select(User.username, User.id)).all())
        conveyor = s.execute(select(Asset.id).where(Asset.code == "C-201")).scalar_one()
        far = max(plant.values()) + 500
        s.add(
            WorkOrder(
                id=far, number="WO-9", title="WO-9", type=WorkOrderType.CORRECTIVE, priority=2,
                status=Status.COMPLETED, asset_id=conveyor, requester_id=users["paula"],
                version=1, updated_at=NOW, updated_by_id=users["paula"], is_failure=True,
                failure_mode="NOI", requested_at=t(11, 8), approved_at=t(11, 8),
                started_at=t(11, 9), completed_at=t(11, 12),
            )
        )  # fmt: skip
        s.flush()
        s.add(
            LabourEntry(
                work_order_id=far, technician_id=users["tina"], work_date=date(2026, 3, 11),
                hours=2, rate=50, created_at=NOW,
            )
        )  # fmt: skip
        # Down 09:00-11:00: 2 h from the failure to the restart.
        s.add(
            DowntimePeriod(
                work_order_id=far, asset_id=conveyor, start=t(11, 9), end=t(11, 11), planned=False
            )
        )
    board = _board(db)
    mttr = board.figure("mttr")
    assert mttr.value == pytest.approx((8 + 26 + 2) / 3)
    assert set(mttr.work_order_ids) == {plant["WO-1"], plant["WO-2"], far}
    assert board.figure("cost").value == pytest.approx(cost_before + 2 * 50)
    by_mode = {p.key: (p.failures, p.downtime_hours) for p in board.pareto_by_mode}
    assert by_mode["NOI"] == (2, pytest.approx(2.0))
