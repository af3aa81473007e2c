"""Anyone can recompute the KPIs: plain pandas over `export` gives the service's figures.

The recomputation below follows shared/KPIS.md from the exported CSV files alone, written
independently of `desktop.domain.kpis`, on the hand-worked plant of test_kpi.py.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import update

from desktop.services.analytics.export import export
from desktop.store.models import Asset
from tests.integration.test_kpi import NOW, PERIOD, _board, _plant

pytestmark = pytest.mark.both_engines  # KPIs are SQL aggregations

HOUR = np.timedelta64(1, "h")


@pytest.fixture
def recomputed(db, tmp_path):
    _plant(db)
    with db.unit_of_work() as s:
        # The conveyor came into service in the period: it ran from then on only.
        s.execute(update(Asset).where(Asset.code == "C-201").values(install_date=date(2026, 3, 5)))
    export(db, tmp_path)
    times = ["requested_at", "approved_at", "scheduled_at", "started_at", "completed_at", "due_at"]
    orders = pd.read_csv(tmp_path / "work_orders.csv", parse_dates=times)
    down = pd.read_csv(tmp_path / "downtime.csv", parse_dates=["start", "end"])
    labour = pd.read_csv(tmp_path / "labour.csv", parse_dates=["date"])
    assets = pd.read_csv(tmp_path / "assets.csv")
    techs = pd.read_csv(tmp_path / "technicians.csv")
    start, end = pd.Timestamp(PERIOD.start), pd.Timestamp(PERIOD.end)
    hours = (end - start) / HOUR
    for frame, column in ((orders, "is_failure"), (down, "planned"), (techs, "active")):
        frame[column] = frame[column].astype(str).str.lower().isin(["true", "1"])

    figures = {}
    done = orders[(orders["completed_at"] >= start) & (orders["completed_at"] < end)]
    failures = done[done["is_failure"]].set_index("number")
    spans = down.groupby("work_order").agg(
        first=("start", lambda s: s[~down.loc[s.index, "planned"]].min()), last=("end", "max")
    )
    failures = failures.join(spans)
    repair = failures["last"].fillna(failures["completed_at"]) - failures["first"].fillna(
        failures["requested_at"]
    )
    figures["mttr"] = (repair / HOUR).mean()

    measured = assets[assets["level"].isin(["equipment", "component"])].set_index("code")
    ran_from = pd.to_datetime(measured["installed_on"], utc=True).fillna(start).clip(lower=start)
    existed = ((end - ran_from) / HOUR).clip(lower=0).sum()
    clipped = down["end"].clip(upper=end) - down["start"].clip(lower=start)
    downtime = (clipped / HOUR).clip(lower=0).sum()
    operating = existed - downtime
    figures["mtbf"] = operating / len(failures)
    figures["availability"] = operating / existed * 100

    booked = labour[
        (labour["date"] >= start.tz_localize(None)) & (labour["date"] < end.tz_localize(None))
    ]
    booked = booked.merge(orders, left_on="work_order", right_on="number")
    total = booked["hours"].sum()
    planned = booked["scheduled_at"].notna() & booked["estimate_hours"].notna()
    planned &= booked["started_at"].isna() | (booked["scheduled_at"] <= booked["started_at"])
    figures["planned_work"] = booked.loc[planned, "hours"].sum() / total * 100
    week = booked["started_at"].dt.floor("D") - pd.to_timedelta(
        booked["started_at"].dt.day_of_week, unit="D"
    )
    broke_in = booked["started_at"].notna() & (
        booked["scheduled_at"].isna() | (booked["scheduled_at"] >= week)
    )
    reactive = (booked["type"] == "emergency") | broke_in
    figures["reactive_work"] = booked.loc[reactive, "hours"].sum() / total * 100
    proactive = booked["type"].isin(["preventive", "predictive", "inspection"]) | booked[
        "origin"
    ].isin(["pm_schedule", "condition_rule", "inspection_finding"])
    figures["proactive_work"] = booked.loc[proactive, "hours"].sum() / total * 100
    figures["emergency_share"] = (
        booked.loc[booked["type"] == "emergency", "hours"].sum() / total * 100
    )
    active = techs[techs["active"]]
    # Labour is booked by date: set against the period's days.
    figures["utilisation"] = total / (active["weekly_hours"].sum() * (hours / 24) / 7) * 100

    costed = labour[labour["work_order"].isin(done["number"])]
    figures["cost"] = (costed["hours"] * costed["rate"]).sum()
    days = hours / 24
    figures["cost_rav"] = figures["cost"] * 365.25 / days / assets["replacement_value"].sum() * 100

    # Backlog and overdue at the period's end, which the orders' statuses still show at NOW.
    open_ = orders[orders["status"].isin(["approved", "scheduled", "in_progress", "on_hold"])]
    logged = labour.groupby("work_order")["hours"].sum()
    remaining = (open_["estimate_hours"].fillna(0) - open_["number"].map(logged).fillna(0)).clip(
        lower=0
    )
    figures["backlog"] = remaining.sum() / (active["weekly_hours"].sum())
    still_open = ~orders["status"].isin(["completed", "closed", "cancelled"])
    figures["overdue"] = float((still_open & (orders["due_at"] < end)).sum())
    return figures


KEYS = (
    "mttr", "mtbf", "availability", "planned_work", "reactive_work", "proactive_work",
    "emergency_share", "utilisation", "cost", "cost_rav", "backlog", "overdue",
)  # fmt: skip


def test_each_kpi_recomputed_from_the_export_matches_the_service(db, recomputed):
    assert PERIOD.end < NOW
    board = _board(db)
    for key in KEYS:
        assert board.figure(key).value == pytest.approx(recomputed[key]), key
