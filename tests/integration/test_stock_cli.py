"""`stock` and `po` on the command line, imports of vendors, parts and opening stock."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.domain.enums import Status
from desktop.services.orders.work_orders import WorkOrderService
from desktop.services.shared import audit
from desktop.services.stock.inventory import InventoryService
from tests.conftest import PASSWORD
from tests.integration.stock import ledger_matches
from tests.integration.test_import import write_csv, write_xlsx
from tests.integration.workflow import drive_to, raise_order

ROOT = Path(__file__).resolve().parents[2]
VENDORS = [
    ["code", "name", "lead_time_days", "contact"],
    ["ACME", "Acme Bearings", "14", "Ann"],
    ["FAST", "Fast Parts", "2", ""],
]
PARTS = [
    ["number", "description", "unit", "category", "vendor", "unit_cost"],
    ["P-1001", "Bearing 6205", "each", "bearings", "ACME", "10.00"],
    ["P-1002", "Seal 40x62", "", "seals", "ACME", "4"],
]
OPENING = [
    ["part", "bin", "location", "quantity", "unit_cost", "min", "max", "reorder_qty"],
    ["P-1001", "A-12", "MAIN", "5", "10", "2", "10", ""],
    ["P-1002", "A-13", "MAIN", "20", "", "", "", ""],
]


@pytest.fixture
def cli(db_url, monkeypatch, capsys):
    monkeypatch.setenv("WRENCHBOOK_USER", "paula")
    monkeypatch.setenv("WRENCHBOOK_PASSWORD", PASSWORD)

    def run(*argv: str) -> tuple[int, str, str]:
        code = main([*argv, "--db", db_url])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def imported(cli, tmp_path):
    assert cli("stock", "import", "vendors", str(write_csv(tmp_path / "v.csv", VENDORS)))[0] == 0
    assert cli("stock", "import", "parts", str(write_xlsx(tmp_path / "p.xlsx", PARTS)))[0] == 0
    code, out, err = cli("stock", "import", "opening", str(write_csv(tmp_path / "o.csv", OPENING)))
    assert (code, err) == (0, "")
    assert out == f"imported 2 stock lines from {tmp_path / 'o.csv'}\n"


@pytest.fixture
def work_order(db, actors, clock):
    orders = WorkOrderService(db, clock)
    number = raise_order(orders, actors["admin"]).number
    drive_to(orders, actors["admin"], number, Status.APPROVED, clock)
    return number


def test_import_then_list_as_json(db, cli, imported):
    code, out, _ = cli("stock", "list", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert [(r["part"], r["bin"], r["location"], r["on_hand"], r["available"]) for r in rows] == [
        ("P-1001", "A-12", "MAIN", 5, 5),
        ("P-1002", "A-13", "MAIN", 20, 20),
    ]
    assert rows[0]["min"] == 2
    part = InventoryService(db).parts("P-1002")[0]
    assert (part.unit, part.average_cost, part.vendor) == ("each", 4.0, "ACME")
    assert ledger_matches(db) == []
    assert audit.verify(db).ok


def test_issue_return_ledger_round_trip(db, cli, imported, work_order):
    code, out, _ = cli(
        "stock", "issue", "P-1001", "--qty", "2", "--bin", "A-12", "--wo", work_order
    )
    assert (code, out) == (0, f"issue 2 P-1001 from A-12 at 10.00 for {work_order}\n")
    code, _, err = cli(
        "stock", "issue", "P-1001", "--qty", "5", "--bin", "A-12", "--wo", work_order
    )
    assert (code, err) == (1, "error: cannot issue P-1001: only 3 of 5 available in bin A-12\n")
    assert (
        cli("stock", "return", "P-1001", "--qty", "1", "--bin", "A-12", "--wo", work_order)[0] == 0
    )
    assert (
        cli("stock", "transfer", "P-1002", "--qty", "4", "--from", "A-13", "--to", "A-12")[0] == 0
    )
    code, _, err = cli("stock", "adjust", "P-1002", "--qty", "-1", "--bin", "A-13", "--reason", "")
    assert (code, err) == (1, "error: reason: required (e.g. stock count, damaged, found)\n")
    assert (
        cli("stock", "adjust", "P-1002", "--qty", "-1", "--bin", "A-13", "--reason", "count")[0]
        == 0
    )
    code, out, _ = cli("stock", "ledger", "P-1001", "--format", "json")
    ledger = json.loads(out)
    assert [(m["movement"], m["quantity"], m["balance"]) for m in ledger] == [
        ("return", 1, 4),
        ("issue", -2, 3),
        ("receipt", 5, 5),
    ]
    code, out, _ = cli("stock", "wo", work_order)
    assert "parts cost 10.00" in out
    assert ledger_matches(db) == []


def test_purchase_order_through_the_cli(db, cli, imported, work_order):
    cli("stock", "issue", "P-1001", "--qty", "3", "--bin", "A-12", "--wo", work_order)
    code, out, _ = cli("stock", "requisitions", "--format", "json")
    assert [(r["part"], r["quantity"], r["status"]) for r in json.loads(out)] == [
        ("P-1001", 8, "open")
    ]
    code, out, _ = cli("po", "create", "ACME")
    number = out.split()[1]
    assert number.startswith("PO-")
    assert cli("po", "send", number)[1] == f"{number} is now sent\n"
    code, out, _ = cli("stock", "receive", "P-1001", "--qty", "8", "--bin", "A-12", "--po", number)
    assert code == 0
    code, out, _ = cli("po", "show", number, "--format", "json")
    assert json.loads(out)[0]["outstanding"] == 0
    code, out, _ = cli("po", "list", "--format", "json")
    assert [(po["number"], po["status"]) for po in json.loads(out)] == [(number, "received")]


def test_bad_import_names_rows_and_columns_and_imports_nothing(db, cli, tmp_path):
    assert cli("stock", "import", "vendors", str(write_csv(tmp_path / "v.csv", VENDORS)))[0] == 0
    bad = [
        PARTS[0],
        ["P-1", "Bearing", "each", "", "NOPE", "abc"],
        ["P-1", "", "each", "", "", "-1"],
    ]
    code, _, err = cli("stock", "import", "parts", str(write_csv(tmp_path / "p.csv", bad)))
    assert code == 1
    assert "row 2, column vendor: no vendor NOPE: import the vendors first" in err
    assert "row 2, column unit_cost: 'abc' is not a plain number" in err
    assert "row 3, column number: P-1 is also on row 2" in err
    assert "row 3, column description: required" in err
    assert "nothing was imported" in err
    assert InventoryService(db).parts() == []


def test_bad_opening_stock_is_refused_whole(db, cli, imported, tmp_path):
    bad = [
        OPENING[0],
        ["P-1002", "C-01", "", "3", "", "", "", ""],
        ["P-9999", "A-12", "", "-3", "", "5", "2", ""],
        ["P-1001", "A-12", "", "1", "", "", "", ""],
    ]
    code, _, err = cli("stock", "import", "opening", str(write_csv(tmp_path / "o2.csv", bad)))
    assert code == 1
    assert "row 2, column location: bin C-01 is new: name its store room" in err
    assert "row 3, column part: no part P-9999: import the parts first" in err
    assert "row 3, column quantity: must not be negative" in err
    assert "row 3, column max: must be at least the minimum" in err
    assert "row 4, column bin: P-1001 already has stock in A-12; use stock adjust" in err
    assert [r.bin for r in InventoryService(db).stock()] == ["A-12", "A-13"]


@pytest.mark.both_engines
def test_several_cli_processes_issue_from_one_bin(db, db_url, imported, work_order):
    """Four `stock issue --qty 2` at once on 5 in stock: two succeed, two are refused."""
    env = {**os.environ, "WRENCHBOOK_USER": "tom", "WRENCHBOOK_PASSWORD": PASSWORD}
    command = [sys.executable, str(ROOT / "main.py"), "stock", "issue", "P-1001", "--qty", "2"]
    command += ["--bin", "A-12", "--wo", work_order, "--db", db_url]
    running = [
        subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    outcomes = [(p.wait(timeout=120), p.stderr.read()) for p in running]
    for process in running:
        process.stdout.close()
        process.stderr.close()
    assert sorted(code for code, _ in outcomes) == [0, 0, 1, 1]
    refused = {err for code, err in outcomes if code == 1}
    assert refused == {"error: cannot issue P-1001: only 1 of 2 available in bin A-12\n"}
    assert InventoryService(db).stock("P-1001")[0].on_hand == 1
    assert ledger_matches(db) == []
