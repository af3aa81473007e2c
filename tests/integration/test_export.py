"""The KPI export: the tables and columns KPIS.md names, with the values that were recorded."""

from __future__ import annotations

import csv
from datetime import timedelta

import pandas as pd
import pytest

from desktop.cli import main
from desktop.domain.enums import Status, WorkOrderType
from desktop.services.analytics.export import WORKBOOK_NAME, export
from desktop.services.orders.work_order_records import WorkOrderDraft
from desktop.services.orders.work_orders import WorkOrderService

# Copied from KPIS.md ("Export"), plus the stock ledger and status changes named in the brief.
EXPECTED_HEADERS = {
    "work_orders": "number,type,priority,status,asset,is_failure,requested_at,approved_at,"
    "scheduled_at,started_at,completed_at,closed_at,due_at,scheduled_start,scheduled_end,"
    "estimate_hours,pm_schedule,pm_interval_days,origin,failure_mode",
    "downtime": "work_order,asset,start,end,planned,reason",
    "labour": "work_order,technician,date,hours,rate",
    "assets": "code,name,parent,level,class,criticality,replacement_value,installed_on",
    "technicians": "name,craft,weekly_hours,active",
    "stock_ledger": "part,location,bin,movement,quantity,unit_cost,work_order,user,at",
    "status_changes": "work_order,from_status,to_status,at,user",
}
FAILURE_CODES = {
    "failure_mode": "BRD",
    "failure_mechanism": "1.1",
    "failure_cause": "1.1",
    "activity": "1",
}


@pytest.fixture
def recorded(db, actors, clock):
    """An emergency repaired and closed on P-101, and an inspection approved on C-201."""
    service = WorkOrderService(db, clock)
    repair = service.create(
        actors["tom"],
        WorkOrderDraft("Pump seized", "P-101", WorkOrderType.EMERGENCY, estimate_hours=4),
    ).work_order.number
    down_at = clock()
    clock.advance(minutes=30)
    service.transition(actors["tom"], repair, Status.IN_PROGRESS)
    clock.advance(hours=3)
    service.add_downtime(actors["tom"], repair, down_at, clock(), False, "seized")
    service.log_labour(actors["tom"], repair, "tom", clock().date(), 2.5)
    version = service.get(repair).row.version
    service.update(actors["paula"], repair, version, FAILURE_CODES)
    service.transition(actors["tom"], repair, Status.COMPLETED)
    clock.advance(hours=1)
    service.transition(actors["sam"], repair, Status.CLOSED)
    inspection = service.create(
        actors["paula"], WorkOrderDraft("Belt check", "C-201", WorkOrderType.INSPECTION)
    ).work_order.number
    clock.advance(minutes=5)
    service.transition(actors["paula"], inspection, Status.APPROVED)
    return repair, inspection


def read_csv(path):
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def as_dicts(rows):
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_csv_headers_match_kpis_md_exactly(db, tmp_path):
    result = export(db, tmp_path)

    assert sorted(p.name for p in result.files) == sorted(f"{n}.csv" for n in EXPECTED_HEADERS)
    for name, header in EXPECTED_HEADERS.items():
        assert read_csv(tmp_path / f"{name}.csv")[0] == header.split(",")
    assert read_csv(tmp_path / "stock_ledger.csv") == [EXPECTED_HEADERS["stock_ledger"].split(",")]


@pytest.mark.both_engines
def test_csv_values_are_what_was_recorded(db, recorded, tmp_path):
    repair, inspection = recorded

    export(db, tmp_path)

    orders = {r["number"]: r for r in as_dicts(read_csv(tmp_path / "work_orders.csv"))}
    assert orders[repair] | {"due_at": ""} == {
        "number": repair,
        "type": "emergency",
        "priority": "3",
        "status": "closed",
        "asset": "P-101",
        "is_failure": "true",
        "requested_at": "2026-03-02T08:00:00+00:00",
        "approved_at": "2026-03-02T08:30:00+00:00",
        "scheduled_at": "",
        "started_at": "2026-03-02T08:30:00+00:00",
        "completed_at": "2026-03-02T11:30:00+00:00",
        "closed_at": "2026-03-02T12:30:00+00:00",
        "due_at": "",
        "scheduled_start": "",
        "scheduled_end": "",
        "estimate_hours": "4",
        "pm_schedule": "",
        "pm_interval_days": "",
        "origin": "request",
        "failure_mode": "BRD",
    }
    assert orders[repair]["due_at"] == "2026-03-09T08:00:00+00:00"
    assert orders[inspection]["is_failure"] == "false"
    assert orders[inspection]["status"] == "approved"
    assert orders[inspection]["failure_mode"] == ""
    assert as_dicts(read_csv(tmp_path / "downtime.csv")) == [
        {
            "work_order": repair,
            "asset": "P-101",
            "start": "2026-03-02T08:00:00+00:00",
            "end": "2026-03-02T11:30:00+00:00",
            "planned": "false",
            "reason": "seized",
        }
    ]
    assert as_dicts(read_csv(tmp_path / "labour.csv")) == [
        {
            "work_order": repair,
            "technician": "tom",
            "date": "2026-03-02",
            "hours": "2.5",
            "rate": "40",
        }
    ]
    moves = [
        (r["work_order"], r["from_status"], r["to_status"], r["user"])
        for r in as_dicts(read_csv(tmp_path / "status_changes.csv"))
    ]
    assert moves == [
        (repair, "", "requested", "tom"),
        (repair, "requested", "in_progress", "tom"),
        (repair, "in_progress", "completed", "tom"),
        (repair, "completed", "closed", "sam"),
        (inspection, "", "requested", "paula"),
        (inspection, "requested", "approved", "paula"),
    ]


def test_assets_and_technicians_are_exported(db, tmp_path):
    export(db, tmp_path)

    assets = {r["code"]: r for r in as_dicts(read_csv(tmp_path / "assets.csv"))}
    assert assets["M-101"] == {
        "code": "M-101",
        "name": "Feed pump motor",
        "parent": "P-101",
        "level": "component",
        "class": "motor",
        "criticality": "B",
        "replacement_value": "0",
        "installed_on": "",
    }
    assert assets["AREA"]["parent"] == ""
    assert as_dicts(read_csv(tmp_path / "technicians.csv")) == [
        {"name": "tina", "craft": "mechanical", "weekly_hours": "40", "active": "true"},
        {"name": "tom", "craft": "mechanical", "weekly_hours": "40", "active": "true"},
    ]


@pytest.mark.both_engines
def test_pandas_reads_the_times_as_utc(db, recorded, tmp_path):
    export(db, tmp_path)

    orders = pd.read_csv(tmp_path / "work_orders.csv", parse_dates=["requested_at", "closed_at"])
    repair = orders.set_index("number").loc[recorded[0]]
    assert repair["closed_at"] - repair["requested_at"] == timedelta(hours=4, minutes=30)
    assert str(repair["closed_at"].tz) == "UTC"


def test_xlsx_holds_the_same_tables_as_sheets(db, recorded, tmp_path):
    result = export(db, tmp_path, xlsx=True)

    assert [p.name for p in result.files] == [WORKBOOK_NAME]
    sheets = pd.read_excel(tmp_path / WORKBOOK_NAME, sheet_name=None, dtype=str)
    assert list(sheets) == list(EXPECTED_HEADERS)
    for name, header in EXPECTED_HEADERS.items():
        assert list(sheets[name].columns) == header.split(",")
    orders = sheets["work_orders"].set_index("number")
    assert orders.loc[recorded[0], "closed_at"] == "2026-03-02 12:30:00"
    assert len(sheets["labour"]) == 1


def test_cli_export_needs_no_login(db_url, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("WRENCHBOOK_USER", raising=False)

    code = main(["export", "--db", db_url, "--out", str(tmp_path / "out")])

    assert code == 0
    assert "work_orders" in capsys.readouterr().out
    assert (tmp_path / "out" / "work_orders.csv").exists()


def test_cli_export_to_a_file_path_fails_cleanly(db_url, tmp_path, capsys):
    blocker = tmp_path / "taken"
    blocker.write_text("a file, not a folder")

    code = main(["export", "--db", db_url, "--out", str(blocker)])

    assert code == 1
    assert capsys.readouterr().err.startswith(f"error: cannot write to {blocker}")
