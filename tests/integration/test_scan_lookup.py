"""Scan to open, on the engine: an order by any spelling of its number, an asset by its label."""

from __future__ import annotations

import pytest

from desktop.cli import main
from desktop.domain.enums import Status
from desktop.domain.errors import NotFound
from desktop.domain.scanning import asset_label
from desktop.reports.asset_labels import print_asset_labels
from desktop.services.assets.assets import AssetService
from desktop.services.orders.work_orders import WorkOrderService
from tests.conftest import PASSWORD
from tests.integration.pdf_pages import page_image, page_texts, qr_codes
from tests.integration.workflow import drive_to, raise_order

pytestmark = pytest.mark.both_engines


def test_finds_a_closed_order_by_any_spelling_of_its_number(db, clock, actors):
    service = WorkOrderService(db, clock)
    first = raise_order(service, actors["paula"])
    closed = raise_order(service, actors["paula"], "C-201")
    drive_to(service, actors["admin"], closed.number, Status.CLOSED, clock)
    serial = int(closed.number.rsplit("-", 1)[1])
    year = closed.number.split("-")[1]

    for typed in (
        closed.number,
        closed.number.lower(),
        f"wo-{year}-{serial}",
        f"]Q1{closed.number}\r",
        str(serial),
    ):
        assert service.find_number(typed) == closed.number
    assert service.find_number(first.number.lower()) == first.number
    for unknown in ("WO-1999-000001", "pump", str(serial + 50), ""):
        assert service.find_number(unknown) is None


def test_finds_an_asset_by_its_label_or_code_in_any_case(db):
    service = AssetService(db)
    for typed in (
        asset_label("P-101"),
        "WRENCHBOOK:ASSET:p-101",
        "p-101",
        f"{asset_label('P-101')}#",
    ):
        assert service.find_code(typed).code == "P-101"
    with pytest.raises(NotFound):
        service.find_code(asset_label("NOPE"))


def test_label_sheet_has_a_scannable_label_per_asset(db, tmp_path):
    out = tmp_path / "labels.pdf"

    result = print_asset_labels(db, out, under="LINE")

    assert (result.labels, result.pages) == (4, 1)
    codes = qr_codes(page_image(out, 1, tmp_path, dpi=200))
    assert sorted(codes) == sorted(asset_label(c) for c in ("LINE", "P-101", "M-101", "C-201"))
    text = page_texts(out)[0]
    for expected in ("P-101", "Feed pump", "motor · B", "conveyor · C"):
        assert expected in text


def test_cli_shows_an_order_typed_in_lower_case(
    db_url, db, clock, actors, capsys, monkeypatch, tmp_path
):
    number = raise_order(WorkOrderService(db, clock), actors["paula"]).number
    monkeypatch.setenv("WRENCHBOOK_USER", "paula")
    monkeypatch.setenv("WRENCHBOOK_PASSWORD", PASSWORD)

    assert main(["wo", "show", number.lower(), "--db", db_url]) == 0
    assert capsys.readouterr().out.startswith(f"{number}  Seal leaking")
    assert main(["wo", "show", "wo-1999-1", "--db", db_url]) == 1
    assert "no work order wo-1999-1" in capsys.readouterr().err

    out = tmp_path / "labels.pdf"
    assert main(["report", "asset-labels", "C-201", "--db", db_url, "--out", str(out)]) == 0
    assert "1 labels on 1 pages" in capsys.readouterr().out
    assert qr_codes(page_image(out, 1, tmp_path, dpi=200)) == [asset_label("C-201")]
