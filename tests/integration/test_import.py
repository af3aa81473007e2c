"""Asset and user import from CSV and Excel: all or nothing, each problem named by row, column."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from desktop.cli import main
from desktop.domain.enums import AssetLevel, AssetStatus, Criticality, Role
from desktop.domain.errors import PermissionDenied
from desktop.services.admin.importing import ImportRefused, ImportService
from desktop.services.admin.users import UserService
from desktop.services.assets.assets import AssetService
from desktop.services.shared import audit
from desktop.store.database import Database
from desktop.store.models import Asset, AuditEntry, User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.both_engines  # imports: bulk writes and all-or-nothing rollback per engine

ASSET_HEADER = ["code", "name", "parent", "level", "class", "criticality"]
GOOD_ASSETS = [
    # Children before their parent: the import orders them itself.
    ["M-301", "Mixer motor", "MX-301", "component", "motor", "b"],
    ["MX-301", "Mixer", "LINE", "Equipment", "mixer", "A"],
    ["G-301", "Mixer gearbox", "MX-301", "component", "gearbox", "C"],
]


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        csv.writer(handle).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def counts(db: Database) -> tuple[int, int, int]:
    with db.unit_of_work(write=False) as session:
        return tuple(  # type: ignore[return-value]
            session.execute(select(func.count()).select_from(model)).scalar_one()
            for model in (Asset, User, AuditEntry)
        )


def refused(db: Database, call: object, *args: object) -> ImportRefused:
    """Run an import that must fail, check nothing was written, return the error."""
    before = counts(db)
    with pytest.raises(ImportRefused) as caught:
        call(*args)  # type: ignore[operator]
    assert counts(db) == before
    return caught.value


def test_csv_import_creates_assets_parents_first_with_audit_entries(db, actors, tmp_path):
    path = write_csv(tmp_path / "assets.csv", [ASSET_HEADER, *GOOD_ASSETS])
    before = counts(db)

    result = ImportService(db).assets(actors["paula"], path)

    assert result.created == ("MX-301", "M-301", "G-301")
    assets = {a.code: a for a in AssetService(db).list()}
    assert assets["M-301"].parent_code == "MX-301"
    assert assets["M-301"].criticality is Criticality.B
    assert assets["MX-301"].level is AssetLevel.EQUIPMENT
    assert assets["MX-301"].status is AssetStatus.IN_SERVICE
    assert counts(db) == (before[0] + 3, before[1], before[2] + 3)
    assert audit.verify(db).ok


def test_xlsx_import_reads_excel_date_and_number_cells(db, actors, tmp_path):
    header = [*ASSET_HEADER, "Install Date", "replacement_value", "status"]
    path = write_xlsx(
        tmp_path / "assets.xlsx",
        [
            header,
            ["MX-301", "Mixer", "LINE", "equipment", "mixer", "A", datetime(2019, 6, 3), 125000.5],
            ["MX-302", "Mixer 2", "LINE", "equipment", "mixer", "B", "2020-01-31", 900, "Standby"],
        ],
    )

    ImportService(db).assets(actors["paula"], path)

    assets = {a.code: a for a in AssetService(db).list()}
    assert assets["MX-301"].install_date.isoformat() == "2019-06-03"
    assert assets["MX-301"].replacement_value == 125000.5
    assert assets["MX-302"].status is AssetStatus.STANDBY
    assert audit.verify(db).ok


def test_windows_1252_csv_is_decoded(db, actors, tmp_path):
    rows = [ASSET_HEADER, ["MX-301", "Mélangeur", "LINE", "equipment", "mixer", "A"]]
    path = write_csv(tmp_path / "assets.csv", rows, encoding="cp1252")

    ImportService(db).assets(actors["paula"], path)

    assert {a.code: a.name for a in AssetService(db).list()}["MX-301"] == "Mélangeur"


def _assets_with(*rows: list[str], header: list[str] = ASSET_HEADER) -> list[list[str]]:
    return [header, *rows]


BAD_ASSET_FILES = {
    "enum value": (
        _assets_with(GOOD_ASSETS[1], ["X-1", "X", "LINE", "equipment", "pump", "D"]),
        "row 3, column criticality: 'D' is not one of A, B, C",
    ),
    "missing columns": (
        [["code", "name", "parent"], ["X-1", "X", "LINE"]],
        "row 1: missing required column(s) level, class, criticality (found: code, name, parent)",
    ),
    "unknown column": (
        _assets_with(GOOD_ASSETS[1], header=[*ASSET_HEADER[:5], "critcality"]),
        "row 1, column critcality: unknown column: did you mean criticality?",
    ),
    "duplicate in file": (
        _assets_with(GOOD_ASSETS[1], GOOD_ASSETS[1]),
        "row 3, column code: MX-301 is also on row 2",
    ),
    "duplicate in database": (
        _assets_with(["P-101", "Pump", "LINE", "equipment", "pump", "A"]),
        "row 2, column code: P-101 exists already",
    ),
    "bad number": (
        _assets_with([*GOOD_ASSETS[1], "1,500"], header=[*ASSET_HEADER, "replacement_value"]),
        "row 2, column replacement_value: '1,500' is not a plain number",
    ),
    "bad date": (
        _assets_with([*GOOD_ASSETS[1], "03.06.2019"], header=[*ASSET_HEADER, "install_date"]),
        "row 2, column install_date: '03.06.2019' is not a date (YYYY-MM-DD)",
    ),
    "unknown parent": (
        _assets_with(["X-1", "X", "NOWHERE", "equipment", "pump", "A"]),
        "row 2, column parent: no asset NOWHERE in the database or in this file",
    ),
    "level below parent": (
        _assets_with(["X-1", "X", "P-101", "system", "pump", "A"]),
        "row 2, column level: a system cannot sit under an equipment",
    ),
    "huge cell": (
        _assets_with(["X-1", "x" * 5000, "LINE", "equipment", "pump", "A"]),
        "row 2, column name: 5,000 characters; at most 200",
    ),
    "header only": (_assets_with(), "no data rows below the header"),
}


@pytest.mark.parametrize("case", list(BAD_ASSET_FILES), ids=list(BAD_ASSET_FILES))
def test_bad_asset_file_is_refused_with_row_and_column(db, actors, tmp_path, case):
    rows, expected = BAD_ASSET_FILES[case]
    path = write_csv(tmp_path / "assets.csv", rows)

    error = refused(db, ImportService(db).assets, actors["paula"], path)

    assert any(expected in str(problem) for problem in error.problems)
    assert str(error).startswith(f"cannot import {path}: ")
    assert str(error).splitlines()[0].endswith("nothing was imported")


def test_parent_cycle_is_reported_once(db, actors, tmp_path):
    rows = _assets_with(
        ["C-1", "one", "C-2", "component", "x", "A"],
        ["C-2", "two", "C-1", "component", "x", "A"],
    )
    path = write_csv(tmp_path / "assets.csv", rows)

    error = refused(db, ImportService(db).assets, actors["paula"], path)

    cycles = [str(p) for p in error.problems if "cycle" in p.text]
    assert cycles == ["row 2, column parent: cycle C-1 → C-2 → C-1"]


def test_every_problem_is_listed_on_its_own_line(db, actors, tmp_path):
    rows = _assets_with(
        ["X-1", "", "LINE", "gadget", "pump", "A"], ["X-2", "Y", "LINE", "equipment", "", "Q"]
    )
    path = write_csv(tmp_path / "assets.csv", rows)

    error = refused(db, ImportService(db).assets, actors["paula"], path)

    assert str(error).splitlines() == [
        f"cannot import {path}: 4 problems, nothing was imported",
        "  row 2, column name: required",
        "  row 2, column level: 'gadget' is not one of area, system, equipment, component",
        "  row 3, column class: required (e.g. pump, motor, conveyor)",
        "  row 3, column criticality: 'Q' is not one of A, B, C",
    ]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.csv", b"", "the file is empty"),
        ("assets.txt", b"code\n", "not a CSV or Excel (.xlsx) file"),
        ("assets.xls", b"\xd0\xcf", "old Excel format (.xls): save it as .xlsx or CSV"),
        ("binary.csv", b"code\n\x81\x8d\x8f", "cannot decode the text (tried utf-8-sig, cp1252)"),
        ("fake.xlsx", b"not a zip", "not a readable Excel workbook"),
    ],
)
def test_unreadable_file_is_refused(db, actors, tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)

    error = refused(db, ImportService(db).assets, actors["paula"], path)

    assert expected in str(error.problems[0])


def test_missing_file_is_refused(db, actors, tmp_path):
    error = refused(db, ImportService(db).assets, actors["paula"], tmp_path / "nope.csv")
    assert str(error.problems[0]) == "no such file"


def test_technician_may_not_import(db, actors, tmp_path):
    path = write_csv(tmp_path / "assets.csv", [ASSET_HEADER, *GOOD_ASSETS])
    users = write_csv(tmp_path / "users.csv", [["username", "full_name", "role"]])
    before = counts(db)

    with pytest.raises(PermissionDenied):
        ImportService(db).assets(actors["tom"], path)
    with pytest.raises(PermissionDenied):
        ImportService(db).users(actors["paula"], users)
    assert counts(db) == before


USER_HEADER = ["username", "full_name", "role", "craft", "hourly_rate", "weekly_hours"]


def test_user_import_returns_passwords_that_log_in(db, actors, tmp_path):
    path = write_xlsx(
        tmp_path / "users.xlsx",
        [
            USER_HEADER,
            ["ed", "Ed Electric", "Technician", "electrical", 42.5, 38],
            ["pia", "Pia Planner", "PLANNER", None, None, None],
        ],
    )
    before = counts(db)

    result = ImportService(db).users(actors["admin"], path)

    assert [name for name, _ in result.passwords] == ["ed", "pia"]
    users = UserService(db)
    for name, password in result.passwords:
        assert users.authenticate(name, password).username == name
    ed = next(u for u in users.list() if u.username == "ed")
    assert (ed.role, ed.craft, ed.hourly_rate, ed.weekly_hours) == (
        Role.TECHNICIAN,
        "electrical",
        42.5,
        38.0,
    )
    assert counts(db) == (before[0], before[1] + 2, before[2] + 2)
    assert audit.verify(db).ok


def test_bad_user_rows_are_refused(db, actors, tmp_path):
    rows = [
        USER_HEADER,
        ["Tom", "Other Tom", "technician", "", "", ""],
        ["new.one", "New", "boss", "", "", ""],
        ["twin", "Twin", "viewer", "", "-5", "90"],
        ["TWIN", "Twin again", "viewer", "", "", ""],
    ]
    path = write_csv(tmp_path / "users.csv", rows)

    error = refused(db, ImportService(db).users, actors["admin"], path)

    assert [str(p) for p in error.problems] == [
        "row 2, column username: Tom is taken",
        "row 3, column role: 'boss' is not one of viewer, technician, planner, supervisor, admin",
        "row 4, column hourly_rate: must not be negative",
        "row 4, column weekly_hours: must be between 0 and 80",
        "row 5, column username: TWIN is also on row 4",
    ]


def test_password_column_is_refused(db, actors, tmp_path):
    path = write_csv(
        tmp_path / "users.csv",
        [["username", "full_name", "role", "password"], ["ed", "Ed", "viewer", "secret-123"]],
    )

    error = refused(db, ImportService(db).users, actors["admin"], path)

    assert "passwords do not belong in spreadsheets" in str(error)


def test_cli_import_of_bad_file_exits_1_listing_problems(db_url, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("WRENCHBOOK_USER", "paula")
    monkeypatch.setenv("WRENCHBOOK_PASSWORD", PASSWORD)
    rows = _assets_with(
        ["X-1", "X", "LINE", "equipment", "pump", "D"],
        ["X-2", "Y", "NOWHERE", "equipment", "pump", "A"],
    )
    path = write_csv(tmp_path / "assets.csv", rows)

    code = main(["--db", db_url, "import", "assets", str(path)])

    err = capsys.readouterr().err
    assert code == 1
    assert err.splitlines() == [
        f"error: cannot import {path}: 2 problems, nothing was imported",
        "  row 2, column criticality: 'D' is not one of A, B, C",
        "  row 3, column parent: no asset NOWHERE in the database or in this file",
    ]


def test_cli_import_of_missing_file_says_so(db_url, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("WRENCHBOOK_USER", "paula")
    monkeypatch.setenv("WRENCHBOOK_PASSWORD", PASSWORD)

    code = main(["import", "assets", str(tmp_path / "nope.csv"), "--db", db_url])

    assert code == 1
    assert "no such file" in capsys.readouterr().err


def test_cli_user_import_prints_the_passwords_once(db_url, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("WRENCHBOOK_USER", "admin")
    monkeypatch.setenv("WRENCHBOOK_PASSWORD", PASSWORD)
    path = write_csv(tmp_path / "users.csv", [USER_HEADER, ["ed", "Ed", "viewer", "", "", ""]])

    code = main(["--db", db_url, "import", "users", str(path)])

    out = capsys.readouterr().out
    assert code == 0
    assert "imported 1 users" in out
    assert out.splitlines()[-1].split()[0] == "ed"
