"""Import files fuzzed: wrong types, missing, extra and doubled columns, huge cells, odd
encodings, binary junk. Each is imported whole or refused with the problems named, and a
refused file changes nothing."""

from __future__ import annotations

import csv
import io
import re

import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st
from openpyxl import Workbook

from desktop.services.admin.importing import (
    ASSET_COLUMNS,
    USER_COLUMNS,
    ImportRefused,
    ImportResult,
    ImportService,
)
from desktop.services.stock.inventory import InventoryService
from desktop.services.stock.inventory_import import (
    OPENING_COLUMNS,
    PART_COLUMNS,
    VENDOR_COLUMNS,
    InventoryImportService,
)
from tests.integration.stock import ledger_matches, stock_room
from tests.reliability.fuzzing import FUZZ, ODD_TEXT, refused_or_done

pytestmark = pytest.mark.both_engines  # imports: all-or-nothing rollback per engine

KINDS = {
    "assets": [c.name for c in ASSET_COLUMNS],
    "users": [c.name for c in USER_COLUMNS],
    "vendors": [c.name for c in VENDOR_COLUMNS],
    "parts": [c.name for c in PART_COLUMNS],
    "opening": [c.name for c in OPENING_COLUMNS],
}
PLAUSIBLE = st.sampled_from(
    [
        "P-101",
        "LINE",
        "AREA",
        "area",
        "Equipment",
        "A",
        "c",
        "pump",
        "ACME",
        "P-1001",
        "A-12",
        "MAIN",
        "technician",
        "viewer",
        "2024-01-31",
        "2024-02-30",
        "31.01.2024",
        "12.5",
        "1,5",
        "-5",
        "0",
        "nan",
        "inf",
        "-inf",
        "1e999",
        "1e-999",
        "0x1F",
        "TRUE",
        "=1+1",
        "each",
        "",
    ]
)
CELLS = PLAUSIBLE | ODD_TEXT | st.builds(lambda n: "9" * n, st.integers(30, 70_000))
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "latin-1", "cp1252"])
# openpyxl refuses control characters in cells; a real workbook cannot hold them either.
_ILLEGAL_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@st.composite
def tables(draw: st.DrawFn, kind: str) -> list[list[str]]:
    """A header built from the right names, some missing, doubled or unknown, and rows."""
    names = KINDS[kind]
    header = draw(
        st.lists(
            st.sampled_from([*names, *names[:2], "extra", "Password", "", " Code "]),
            max_size=len(names) + 2,
        )
        | st.permutations(names).map(list)
    )
    width = len(header)
    rows = draw(
        st.lists(st.lists(CELLS, min_size=max(0, width - 1), max_size=width + 1), max_size=4)
    )
    return [header, *rows]


def _csv(cells: list[list[str]], encoding: str, dialect_sep: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=dialect_sep, lineterminator="\r\n").writerows(cells)
    return buffer.getvalue().encode(encoding, errors="replace")


def _xlsx(cells: list[list[str]], typed: bool) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in cells:
        values: list[object] = []
        for cell in row:
            text = _ILLEGAL_IN_XLSX.sub("", cell)[:32_000]
            # Typed cells as Excel holds them: numbers as numbers, not text.
            values.append(_number(text) if typed else text)
        sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _number(text: str) -> object:
    try:
        return float(text) if text.strip() else None
    except ValueError:
        return text


FILES = st.one_of(
    st.tuples(st.just("csv"), ENCODINGS, st.sampled_from([",", ";", "\t"])),
    st.tuples(st.just("xlsx"), st.booleans(), st.just("")),
    st.tuples(
        st.sampled_from(["junk.csv", "junk.xlsx", "empty.csv", "empty.xlsx"]),
        st.binary(max_size=3000),
        st.just(""),
    ),
)


def _write(tmp_path, kind, cells, how) -> object:
    form, option, sep = how
    if form == "csv":
        path, data = tmp_path / f"{kind}.csv", _csv(cells, option, sep)
    elif form == "xlsx":
        path, data = tmp_path / f"{kind}.xlsx", _xlsx(cells, option)
    else:
        path, data = tmp_path / form, b"" if form.startswith("empty") else option
    path.write_bytes(data)
    return path


@pytest.fixture
def importers(db, actors):
    stock_room(InventoryService(db), actors["admin"])
    plain, stock = ImportService(db), InventoryImportService(db)
    return {
        "assets": plain.assets,
        "users": plain.users,
        "vendors": stock.vendors,
        "parts": stock.parts,
        "opening": stock.opening,
    }


@FUZZ
@given(data=st.data(), kind=st.sampled_from(sorted(KINDS)), how=FILES)
@example(data=None, kind="assets", how=("csv", "utf-16", "\t"))
@example(data=None, kind="vendors", how=("csv", "cp1252", ";"))
@example(data=None, kind="parts", how=("csv", "utf-16-le", ","))
def test_import_files(db, actors, importers, tmp_path, data, kind, how):
    # The explicit examples (no data) are sound files of their kind in an odd encoding.
    sound = [KINDS[kind][:2], ["NEW-1", "Ærø Ünïcode"]]
    cells = sound if data is None else data.draw(tables(kind))
    path = _write(tmp_path, kind, cells, how)
    outcome = refused_or_done(db, lambda: importers[kind](actors["admin"], path))
    event(f"{kind} {how[0]}: {type(outcome).__name__}")
    if isinstance(outcome, ImportRefused):
        assert outcome.problems
        assert all(str(problem).strip() for problem in outcome.problems)
        assert "nothing was imported" in str(outcome)
    else:
        assert isinstance(outcome, ImportResult)
    assert ledger_matches(db) == []
