"""One definition per figure: the dashboard, the asset panel and the audit pack read the same
records and show the same MTTR, MTBF, operating hours, downtime hours and failure Pareto.

The records are test_kpi.py's hand-worked plant plus what the three views once disagreed on: a
failure whose repair overlaps a planned stop of the same pump, a conveyor installed on 5 March,
a downtime period still open at the time of reading and a stop no order took over. The window
is 1 March to now (20 March 12:00) = 468 h, on the line (pump P-101, its motor M-101, conveyor
C-201).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select, update

from desktop.domain.enums import Status, WorkOrderType
from desktop.reports.pack_figures import pack_figures
from desktop.reports.pack_records import load_pack_records
from desktop.reports.pack_scope import PackRequest
from desktop.services.analytics.asset_history import AssetHistoryService
from desktop.services.analytics.kpi import KpiService
from desktop.services.analytics.kpi_records import KpiQuery
from desktop.store.models import Asset, DowntimePeriod, User, WorkOrder
from tests.integration.test_kpi import NOW, _plant, t

START = datetime(2026, 3, 1, tzinfo=UTC)
WINDOW_HOURS = 19 * 24 + 12
CONVEYOR_HOURS = 15 * 24 + 12  # installed on 5 March
# P-101: WO-1 8 h, WO-3 4 h, WO-9 24 h + its 1 h test run, and WO-10 8 h of which 5 h overlap
# WO-9's (11th 10:00 to 12th 14:00 merged: 28 h);
# C-201: WO-11 open since the 19th 12:00, so 24 h by now, and a 2 h jam on the 10th that the
# running tag recorded with no order.
PUMP_DOWN = 8 + 4 + 28
CONVEYOR_DOWN = 24 + 2
# WO-1 8 h, WO-2 26 h (no downtime: request to completion), WO-9 25 h (its first unplanned
# stop to the end of its last stop, the planned test run: KPIS.md's "latest downtime end").
MTTR = (8 + 26 + 25) / 3
OPERATING = (WINDOW_HOURS - PUMP_DOWN) + WINDOW_HOURS + (CONVEYOR_HOURS - CONVEYOR_DOWN)

pytestmark = pytest.mark.both_engines  # each view reads its records with its own SQL


def _more_records(db) -> None:
    with db.unit_of_work() as s:
        assets = dict(s.execute(select(Asset.code, Asset.id)).all())
        paula = s.execute(select(User.id).where(User.username == "paula")).scalar_one()
        s.execute(update(Asset).where(Asset.code == "C-201").values(install_date=date(2026, 3, 5)))

        def order(name: str, kind: WorkOrderType, asset: str, status: Status, **fields) -> int:
            wo = WorkOrder(
                number=name, title=name, type=kind, priority=2, status=status,
                asset_id=assets[asset], requester_id=paula, version=1, updated_at=NOW,
                updated_by_id=paula, **fields,
            )  # fmt: skip
            s.add(wo)
            s.flush()
            return wo.id

        def down(wo: int, asset: str, start: datetime, end: datetime | None, planned: bool):
            s.add(
                DowntimePeriod(
                    work_order_id=wo, asset_id=assets[asset], start=start, end=end, planned=planned
                )
            )

        wo9 = order(
            "WO-9", WorkOrderType.EMERGENCY, "P-101", Status.COMPLETED, is_failure=True,
            failure_mode="BRD", requested_at=t(11, 10), approved_at=t(11, 10),
            started_at=t(11, 11), completed_at=t(12, 10),
        )  # fmt: skip
        down(wo9, "P-101", t(11, 10), t(12, 10), planned=False)
        down(wo9, "P-101", t(12, 10), t(12, 11), planned=True)  # test run after the repair
        wo10 = order(
            "WO-10", WorkOrderType.PREVENTIVE, "P-101", Status.COMPLETED, requested_at=t(11, 12),
            approved_at=t(11, 13), started_at=t(12, 6), completed_at=t(12, 14),
        )  # fmt: skip
        down(wo10, "P-101", t(12, 6), t(12, 14), planned=True)
        wo11 = order(
            "WO-11", WorkOrderType.CORRECTIVE, "C-201", Status.IN_PROGRESS, is_failure=True,
            requested_at=t(19, 12), approved_at=t(19, 12), started_at=t(19, 13),
        )  # fmt: skip
        down(wo11, "C-201", t(19, 12), None, planned=False)
        s.add(
            DowntimePeriod(
                asset_id=assets["C-201"], start=t(10, 8), end=t(10, 10), planned=False,
                reason_code="machine stop", stop_reason="jam",
            )
        )  # fmt: skip


@pytest.fixture
def views(db):
    _plant(db)
    _more_records(db)
    board = KpiService(db, lambda: NOW).dashboard(
        KpiQuery(START, datetime(2026, 3, 21, tzinfo=UTC), area="LINE", buckets=1)
    )
    panel = AssetHistoryService(db, lambda: NOW).history("LINE", since=START)
    records = load_pack_records(
        db,
        PackRequest(START, datetime(2026, 3, 21, tzinfo=UTC), area="LINE"),
        generated_by="test",
        generated_at=NOW,
    )
    return board, panel, pack_figures(records)


def test_mttr_is_the_same_in_every_view(views):
    board, panel, pack = views
    assert board.figure("mttr").value == pytest.approx(MTTR)
    assert panel.mttr_hours == pytest.approx(MTTR)
    assert pack.mttr_hours == pytest.approx(MTTR)
    assert len(board.figure("mttr").work_order_ids) == panel.failures == pack.failures_completed


def test_mtbf_and_operating_hours_count_machines_from_their_install_date(views):
    board, panel, _ = views
    assert sum(c.operating_hours for c in board.by_class) == pytest.approx(OPERATING)
    assert panel.operating_hours == pytest.approx(OPERATING)
    assert board.figure("mtbf").value == pytest.approx(OPERATING / 3)
    assert panel.mtbf_hours == pytest.approx(OPERATING / 3)
    conveyor = next(c for c in board.by_class if c.asset_class == "conveyor")
    assert conveyor.operating_hours == pytest.approx(CONVEYOR_HOURS - CONVEYOR_DOWN)


def test_downtime_merges_overlaps_and_runs_until_now_in_every_view(views):
    board, panel, pack = views
    assert panel.downtime_hours == pytest.approx(PUMP_DOWN + CONVEYOR_DOWN)
    assert pack.downtime_hours == pytest.approx(PUMP_DOWN + CONVEYOR_DOWN)
    measured = WINDOW_HOURS * 2 + CONVEYOR_HOURS
    availability = (measured - PUMP_DOWN - CONVEYOR_DOWN) / measured * 100
    assert board.figure("availability").value == pytest.approx(availability)


def test_failure_pareto_is_the_same_on_the_dashboard_and_the_panel(views):
    board, panel, _ = views
    dashboard = [(p.key, p.failures, p.downtime_hours) for p in board.pareto_by_mode]
    assert dashboard == [("BRD", 2, pytest.approx(8 + 25)), ("NOI", 1, 0.0)]
    assert [(p.code, p.count, p.downtime_hours) for p in panel.pareto] == dashboard
