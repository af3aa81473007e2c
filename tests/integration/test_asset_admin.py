"""Keeping the asset register up: edit, move in the hierarchy, retire, spare parts, files."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.domain.enums import AssetLevel, AssetStatus, Criticality, Status
from desktop.domain.errors import ConflictError, PermissionDenied, ValidationFailed
from desktop.domain.pm_rules import IntervalUnit
from desktop.reports.sheet import print_sheets
from desktop.services.assets.asset_files import AssetFileService
from desktop.services.assets.asset_parts import AssetPartsService
from desktop.services.assets.assets import AssetChanges, AssetService, NewAsset
from desktop.services.orders.work_orders import WorkOrderService
from desktop.services.pm.pm_schedules import NewSchedule, PMScheduleService
from desktop.services.stock.inventory import InventoryService
from tests.integration.pdf_pages import page_texts, squeeze
from tests.integration.stock import stock_room
from tests.integration.workflow import drive_to, raise_order

pytestmark = pytest.mark.both_engines

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _record(service, code):
    return next(r for r in service.list() if r.code == code)


def _changes(record, **changed):
    values = {
        "name": record.name,
        "level": record.level,
        "asset_class": record.asset_class,
        "criticality": record.criticality,
        "status": record.status,
        "maker": record.maker,
        "model": record.model,
        "serial": record.serial,
        "location": record.location,
        "install_date": record.install_date,
        "replacement_value": record.replacement_value,
    } | changed
    return AssetChanges(**values)


def test_edits_the_name_plate_and_refuses_a_stale_save(db, clock, actors):
    service = AssetService(db, clock)
    revision = service.revisions()["P-101"]
    pump = _record(service, "P-101")

    saved = service.update(
        actors["paula"],
        "P-101",
        revision,
        _changes(pump, maker="KSB", serial="SN-778", install_date=date(2019, 5, 2)),
    )

    assert (saved.maker, saved.serial, saved.install_date) == ("KSB", "SN-778", date(2019, 5, 2))
    with pytest.raises(ConflictError) as stale:
        service.update(actors["sam"], "P-101", revision, _changes(pump, name="Other"))
    assert stale.value.changed_by == "paula"
    with pytest.raises(ValidationFailed) as bad:
        service.update(
            actors["paula"],
            "P-101",
            service.revisions()["P-101"],
            _changes(pump, name="", level=AssetLevel.COMPONENT, replacement_value=-5),
        )
    assert set(bad.value.problems) == {"name", "level", "replacement_value"}
    with pytest.raises(PermissionDenied):
        service.update(actors["tom"], "P-101", service.revisions()["P-101"], _changes(pump))


def test_moves_a_branch_and_refuses_a_loop_or_a_wrong_level(db, clock, actors):
    service = AssetService(db, clock)
    service.create(
        actors["paula"],
        NewAsset("LINE2", "Line 2", AssetLevel.SYSTEM, "line", Criticality.B, "AREA"),
    )

    moved = service.move(actors["paula"], "P-101", service.revisions()["P-101"], "LINE2")

    assert moved.parent_code == "LINE2"
    assert sorted(service.subtree_ids("LINE2")) == sorted(
        r.id for r in service.list() if r.code in ("LINE2", "P-101", "M-101")
    )
    with pytest.raises(ValidationFailed, match="itself or below it"):
        service.move(actors["paula"], "LINE2", service.revisions()["LINE2"], "M-101")
    with pytest.raises(ValidationFailed, match="cannot sit under"):
        service.move(actors["paula"], "C-201", service.revisions()["C-201"], "P-101")
    with pytest.raises(ValidationFailed, match="needs a parent"):
        service.move(actors["paula"], "C-201", service.revisions()["C-201"], None)


def test_retire_names_the_open_work_then_retires_the_branch_and_pauses_its_pm(db, clock, actors):
    service = AssetService(db, clock)
    work = WorkOrderService(db, clock)
    order = raise_order(work, actors["paula"], "M-101")
    PMScheduleService(db, clock).create(
        actors["paula"],
        NewSchedule("PM-P101", "P-101", "Pump service", date(2026, 1, 1), 3, IntervalUnit.MONTHS),
    )

    with pytest.raises(ValidationFailed) as refused:
        service.retire(actors["paula"], "P-101", service.revisions()["P-101"], "replaced")
    assert (
        refused.value.problems["reason"] == f"finish or cancel its open work first: {order.number}"
    )

    drive_to(work, actors["admin"], order.number, Status.CANCELLED, clock)
    result = service.retire(actors["paula"], "P-101", service.revisions()["P-101"], "replaced")

    assert result.retired == ("M-101", "P-101")
    assert result.paused_schedules == ("PM-P101",)
    assert _record(service, "M-101").status is AssetStatus.DECOMMISSIONED
    assert not PMScheduleService(db).get("PM-P101").active
    with pytest.raises(ValidationFailed, match="say why"):
        service.retire(actors["paula"], "C-201", service.revisions()["C-201"], " ")


def test_spare_parts_read_both_ways(db, clock, actors):
    stock_room(InventoryService(db, clock), actors["admin"])
    spares = AssetPartsService(db, clock)

    spares.set_part(actors["paula"], "P-101", "P-1001", 2, "drive end and non-drive end")
    spares.set_part(actors["paula"], "P-101", "P-1002", 1)
    spares.set_part(actors["paula"], "C-201", "P-1001", 4)
    spares.set_part(actors["paula"], "P-101", "P-1002", 3)

    assert [(p.part_number, p.quantity) for p in spares.parts_of("P-101")] == [
        ("P-1001", 2),
        ("P-1002", 3),
    ]
    assert [(p.asset_code, p.quantity) for p in spares.where_used("P-1001")] == [
        ("C-201", 4),
        ("P-101", 2),
    ]
    spares.remove_part(actors["paula"], "P-101", "P-1001")
    assert [p.asset_code for p in spares.where_used("P-1001")] == ["C-201"]
    with pytest.raises(ValidationFailed) as bad:
        spares.set_part(actors["paula"], "P-101", "NOPE", 0)
    assert set(bad.value.problems) == {"quantity"}
    with pytest.raises(ValidationFailed, match="no part NOPE"):
        spares.set_part(actors["paula"], "P-101", "NOPE", 1)
    with pytest.raises(PermissionDenied):
        spares.set_part(actors["tom"], "P-101", "P-1001", 1)


def test_keeps_a_manual_with_the_asset_and_refuses_a_program(db, clock, actors):
    files = AssetFileService(db, clock)

    kept = files.add(actors["paula"], "P-101", "pump manual.pdf", PDF)

    assert [(f.filename, f.mime_type) for f in files.files("P-101")] == [
        ("pump manual.pdf", "application/pdf")
    ]
    assert files.content(kept.id) == ("pump manual.pdf", PDF)
    with pytest.raises(ValidationFailed, match="Windows program"):
        files.add(actors["paula"], "P-101", "setup.pdf", b"MZ" + b"\x00" * 200)
    assert len(files.files("P-101")) == 1


def test_the_work_order_sheet_lists_the_asset_spare_parts(db, clock, actors, tmp_path):
    stock_room(InventoryService(db, clock), actors["admin"])
    AssetPartsService(db, clock).set_part(actors["paula"], "P-101", "P-1001", 2, "drive end")
    order = raise_order(WorkOrderService(db, clock), actors["paula"], "P-101")
    out = tmp_path / "sheet.pdf"

    result = print_sheets(db, [order.number], out, clock=clock)

    assert result.pages == 1
    assert squeeze("Spare parts of this asset: P-1001 Bearing 6205 × 2 (drive end)") in squeeze(
        page_texts(out)[0]
    )
