"""The PM, meter and calendar commands as a planner drives them."""

from __future__ import annotations

import json

import pytest

from desktop.cli import main
from tests.conftest import PASSWORD


@pytest.fixture
def as_paula(monkeypatch):
    monkeypatch.setenv("WRENCHBOOK_USER", "paula")
    monkeypatch.setenv("WRENCHBOOK_PASSWORD", PASSWORD)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_schedule_add_list_and_generate_once(db_url, capsys, as_paula):
    code, out, err = run(
        capsys, "calendar", "set", "--db", db_url, "--country", "DE", "--subdivision", "BY"
    )
    assert (code, err) == (0, "")
    code, out, err = run(
        capsys, "pm", "add", "--db", db_url, "--code", "PM-1", "--asset", "P-101",
        "--title", "Pump round", "--start", "2030-04-19", "--every", "1", "--unit", "weeks",
        "--checklist", "CL-PUMP", "--part", "SEAL-40=2", "--part", "GREASE=0.5",
        "--blackout", "2030-04-22..2030-04-26:campaign", "--lead-days", "10",
    )  # fmt: skip
    assert code == 0, err
    # Good Friday 19 April 2030, the weekend, Easter Monday and the blackout week after it
    # move the first due date to Monday the 29th.
    assert out.strip() == "added PM-1: every 1 week (fixed); next due 2030-04-29"
    code, out, _ = run(capsys, "pm", "list", "--db", db_url, "--format", "json")
    (listed,) = json.loads(out)
    assert (listed["code"], listed["next_due"]) == ("PM-1", "2030-04-29")
    code, out, _ = run(capsys, "pm", "run", "--db", db_url, "--until", "2030-04-20")
    assert code == 0
    assert out.strip().endswith("created 1 work orders, skipped 1 (until 2030-04-20)")
    code, out, _ = run(
        capsys, "pm", "run", "--db", db_url, "--until", "2030-04-20", "--format", "json"
    )
    assert json.loads(out) == []


def test_run_json_lists_the_created_orders(db_url, capsys, as_paula):
    run(
        capsys, "pm", "add", "--db", db_url, "--code", "PM-2", "--asset", "C-201",
        "--title", "Belt check", "--start", "2030-01-07", "--every", "2", "--unit", "weeks",
        "--on-open", "stack",
    )  # fmt: skip
    _, out, _ = run(
        capsys, "pm", "run", "--db", db_url, "--until", "2030-01-21", "--format", "json"
    )
    records = json.loads(out)
    assert [(r["due_date"], r["state"]) for r in records] == [
        ("2030-01-07", "generated"),
        ("2030-01-21", "generated"),
    ]
    assert all(r["number"].startswith("WO-") for r in records)
    code, out, _ = run(
        capsys, "pm", "compliance", "--db", db_url, "--from", "2030-01-01", "--to", "2030-01-31"
    )
    assert code == 0
    assert out.strip().endswith("PM compliance 0.0 %: 0 of 2 on time (grace ten_percent)")


def test_calendar_shutdown_shows_as_days_off(db_url, capsys, as_paula):
    code, out, _ = run(
        capsys, "calendar", "shutdown", "2030-08-05", "2030-08-09", "Summer shutdown",
        "--db", db_url,
    )  # fmt: skip
    assert (code, out.strip()) == (0, "added Summer shutdown: 2030-08-05 to 2030-08-09")
    _, out, _ = run(
        capsys, "calendar", "show", "--db", db_url, "--from", "2030-08-09", "--days", "4"
    )
    assert out.splitlines()[1:] == [
        "2030-08-09 Fri  off: Summer shutdown",
        "2030-08-10 Sat  off: Saturday",
        "2030-08-11 Sun  off: Sunday",
        "2030-08-12 Mon  8 h",
    ]


def test_meter_read_reports_the_usage_and_refuses_a_lower_value(db_url, capsys, as_paula):
    assert run(
        capsys, "meter", "add", "P-101-RH", "--db", db_url, "--asset", "P-101",
        "--name", "Pump hours",
    )[0] == 0  # fmt: skip
    run(capsys, "meter", "read", "P-101-RH", "100", "--db", db_url, "--at", "2026-03-01T08:00Z")
    code, out, _ = run(
        capsys, "meter", "read", "P-101-RH", "110", "--db", db_url, "--at", "2026-03-01T20:00Z"
    )
    assert out.strip() == "P-101-RH: 110 (normal, +10, total 10)"
    code, _, err = run(
        capsys, "meter", "read", "P-101-RH", "5", "--db", db_url, "--at", "2026-03-02T08:00Z"
    )
    assert code == 1
    assert "record it as a reset" in err
    code, out, _ = run(
        capsys, "meter", "read", "P-101-RH", "5", "--reset", "--db", db_url,
        "--at", "2026-03-02T08:00Z",
    )  # fmt: skip
    assert "reset, +5, total 15" in out


def test_bad_schedule_arguments_are_named(db_url, capsys, as_paula):
    code, _, err = run(
        capsys, "pm", "add", "--db", db_url, "--code", "PM-3", "--asset", "P-101",
        "--title", "x", "--start", "2030-01-07", "--part", "SEAL",
    )  # fmt: skip
    assert code == 1
    assert "PART=QUANTITY" in err
    code, _, err = run(
        capsys, "pm", "add", "--db", db_url, "--code", "PM-3", "--asset", "P-101",
        "--title", "x", "--start", "2030-01-07",
    )  # fmt: skip
    assert code == 1
    assert "give a calendar interval, a meter interval, or both" in err


def test_checklist_import_is_all_or_nothing_and_names_the_fix(db_url, capsys, as_paula, tmp_path):
    good = {
        "code": "CL-GBX",
        "name": "Gearbox check",
        "asset_class": "gearbox",
        "items": [
            {"kind": "check", "text": "No oil leaks"},
            {"kind": "measurement", "text": "Oil temperature", "unit": "°C", "low": 10, "high": 85},
            {"kind": "signature", "text": "Technician sign-off"},
        ],
    }
    bad = {"code": "CL-BAD", "name": "Bad", "items": [{"kind": "measurement", "text": "Temp"}]}
    path = tmp_path / "checklists.json"
    path.write_text(json.dumps([good, bad]), encoding="utf-8")
    code, _, err = run(capsys, "checklist", "import", str(path), "--db", db_url)
    assert code == 1
    assert 'CL-BAD: item 1: "Temp" is a measurement: give its unit' in err
    path.write_text(json.dumps([good]), encoding="utf-8")
    code, out, _ = run(capsys, "checklist", "import", str(path), "--db", db_url)
    assert (code, out.strip()) == (0, "added checklist CL-GBX (3 items)")
    _, out, _ = run(capsys, "checklist", "list", "--db", db_url, "--format", "json")
    assert [t["code"] for t in json.loads(out)] == ["CL-GBX", "CL-LOTO", "CL-PUMP"]
