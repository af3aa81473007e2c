"""Spreadsheets in and out: exported text never runs as a formula; oversized imports are refused."""

from __future__ import annotations

import csv
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from desktop.domain.enums import AssetLevel, Criticality
from desktop.services.admin import importing
from desktop.services.admin.importing import ImportRefused, ImportService
from desktop.services.analytics.export import WORKBOOK_NAME, export
from desktop.services.assets.assets import AssetService, NewAsset

FORMULAS = ('=HYPERLINK("http://evil.example","Open")', "+1+1", "-2+3", "@SUM(A1:A9)")


@pytest.fixture
def booby_trapped(db, actors):
    service = AssetService(db)
    for number, name in enumerate(FORMULAS):
        service.create(
            actors["admin"],
            NewAsset(f"EV-{number}", name, AssetLevel.EQUIPMENT, "pump", Criticality.C, "LINE"),
        )


def test_csv_cells_that_start_a_formula_are_escaped(db, booby_trapped, tmp_path):
    export(db, tmp_path)
    with (tmp_path / "assets.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    names = {row["name"] for row in rows}
    assert {f"'{formula}" for formula in FORMULAS} <= names
    assert "Feed pump" in names, "ordinary text is left alone"


def test_xlsx_cells_that_start_a_formula_are_stored_as_text(db, booby_trapped, tmp_path):
    export(db, tmp_path, xlsx=True)
    sheet = load_workbook(tmp_path / WORKBOOK_NAME)["assets"]
    column = [cell.value for cell in sheet[1]].index("name")
    cells = {row[column].value: row[column].data_type for row in sheet.iter_rows(min_row=2)}
    assert all(cells[formula] == "s" for formula in FORMULAS)


def _workbook(path, rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def _refusal(db, actors, path) -> str:
    with pytest.raises(ImportRefused) as caught:
        ImportService(db).assets(actors["paula"], path)
    return str(caught.value)


def test_malformed_workbook_gets_a_clear_error(db, actors, tmp_path):
    path = tmp_path / "assets.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a workbook")
    assert "damaged or not .xlsx" in _refusal(db, actors, path)


def test_workbook_that_unpacks_too_large_is_refused_before_parsing(
    db, actors, tmp_path, monkeypatch
):
    path = tmp_path / "assets.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "0" * 2_000_000)  # ~2 kB compressed
    monkeypatch.setattr(importing, "XLSX_MAX_UNCOMPRESSED", 1_000_000)
    assert "unpacks to 2 MB" in _refusal(db, actors, path)


def test_workbook_with_too_many_rows_is_refused(db, actors, tmp_path, monkeypatch):
    path = _workbook(tmp_path / "assets.xlsx", [["code", "name"]] + [["X", "Y"]] * 30)
    monkeypatch.setattr(importing, "XLSX_MAX_ROWS", 20)
    assert "31 rows" in _refusal(db, actors, path)
