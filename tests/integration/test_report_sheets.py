"""Printed work-order sheets: what a technician reads on paper, and a QR code that scans."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, LETTER

from desktop.domain.enums import Role, Status, WorkOrderType
from desktop.domain.errors import NotFound
from desktop.domain.failure_codes import code_lists
from desktop.reports.parts import PartLine
from desktop.reports.sheet import print_sheets
from desktop.reports.wording import wording
from desktop.services.admin.users import NewUser, UserService
from desktop.services.orders.work_order_records import WorkOrderDraft
from desktop.services.orders.work_orders import WorkOrderService
from tests.conftest import PASSWORD
from tests.integration.pdf_pages import page_image, page_texts, qr_codes
from tests.integration.workflow import PATHS, prepare

TRICKY_TITLE = "<b>Łożysko</b> & Größe — İğne şaftı"


def _raise(service, actor, title, asset="P-101", wo_type=WorkOrderType.CORRECTIVE, **fields):
    draft = WorkOrderDraft(title=title, asset_code=asset, type=wo_type, **fields)
    return service.create(actor, draft).work_order


@pytest.mark.parametrize(("paper", "size"), [("a4", A4), ("letter", LETTER)])
def test_each_order_prints_on_its_own_page_with_a_qr_code_of_its_number(
    db, clock, actors, tmp_path, paper, size
):
    service = WorkOrderService(db, clock)
    pump = _raise(
        service,
        actors["paula"],
        "Seal leaking",
        checklist_codes=("CL-LOTO", "CL-PUMP"),
        description="Drain the casing first.",
        estimate_hours=2.5,
    )
    belt = _raise(service, actors["paula"], "Belt tracking", "C-201", WorkOrderType.INSPECTION)
    out = tmp_path / f"sheets-{paper}.pdf"

    result = print_sheets(db, [pump.number, belt.number], out, paper=paper, clock=clock)

    assert (result.orders, result.pages) == (2, 2)
    for page in PdfReader(out).pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(size)
    first, second = page_texts(out)
    for expected in (
        pump.number,
        "Seal leaking",
        "P-101 — Feed pump",
        "AREA › LINE › P-101",
        "SAFETY / LOCK-OUT",
        "☐ 1. isolator locked",
        "Drain the casing first.",
        "Estimate: 2.5 h",
        "bearing temperature",
        "10 – 80 °C",
        "☐ pass ☐ fail ☐ n/a",
        "Parts to draw",
        "No parts reserved",
        "Failure codes and downtime",
        "required to complete this order",
        "Work done by: name, signature",
        "Reviewed by supervisor: name, signature",
    ):
        assert expected in first
    assert belt.number in second
    assert "C-201 — Conveyor" in second
    assert "if a fault was found" in second
    assert pump.number not in second
    for page, number in ((1, pump.number), (2, belt.number)):
        assert qr_codes(page_image(out, page, tmp_path)) == [number]


def test_user_text_and_names_print_as_typed(db, clock, actors, tmp_path):
    admin = actors["admin"]
    UserService(db, clock).create(
        admin,
        NewUser("lukasz", "Łukasz Żółć-Güneş", Role.TECHNICIAN, PASSWORD, "mechanical", 40, 40),
    )
    service = WorkOrderService(db, clock)
    order = _raise(service, admin, TRICKY_TITLE, description="Torque < 40 Nm & check <i>all</i>")
    service.assign(admin, order.number, service.get(order.number).row.version, ["lukasz"])

    print_sheets(db, [order.number], tmp_path / "sheet.pdf", clock=clock)

    (text,) = page_texts(tmp_path / "sheet.pdf")
    assert TRICKY_TITLE in text
    assert "Torque < 40 Nm & check <i>all</i>" in text
    assert "Łukasz Żółć-Güneş (lukasz) — lead" in text


class ShelfParts:
    """Parts as the inventory service will hand them over: per work-order number."""

    def __init__(self, number: str) -> None:
        self.number = number

    def parts_for(self, numbers: Sequence[str]) -> dict[str, list[PartLine]]:
        line = PartLine("BRG-6205-2RS", "Deep-groove ball bearing", 2, "pcs", "A-03-2")
        return {self.number: [line]} if self.number in numbers else {}


def test_parts_from_the_stock_records_print_with_their_bins(db, clock, actors, tmp_path):
    from desktop.services.stock.inventory import InventoryService
    from tests.integration.stock import stock_room

    inventory = InventoryService(db, clock)
    stock_room(inventory, actors["admin"])
    order = _raise(WorkOrderService(db, clock), actors["paula"], "Replace seals")
    inventory.plan_part(actors["paula"], order.number, "P-1002", 3)

    print_sheets(db, [order.number], tmp_path / "p.pdf")

    (text,) = page_texts(tmp_path / "p.pdf")
    assert "P-1002" in text
    assert "Seal 40x62" in text
    assert "A-13" in text
    assert "No parts reserved" not in text


def test_reserved_parts_print_with_their_bins(db, clock, actors, tmp_path):
    service = WorkOrderService(db, clock)
    order = _raise(service, actors["paula"], "Replace bearings")

    print_sheets(db, [order.number], tmp_path / "p.pdf", parts=ShelfParts(order.number))

    (text,) = page_texts(tmp_path / "p.pdf")
    assert "BRG-6205-2RS" in text
    assert "Deep-groove ball bearing" in text
    assert "2 pcs" in text
    assert "A-03-2" in text
    assert "No parts reserved" not in text


def test_unknown_number_is_refused_by_name_and_nothing_is_written(db, clock, actors, tmp_path):
    service = WorkOrderService(db, clock)
    order = _raise(service, actors["paula"], "Seal leaking")
    out = tmp_path / "none.pdf"

    with pytest.raises(NotFound, match="WO-1999-000042"):
        print_sheets(db, [order.number, "WO-1999-000042"], out)
    assert not out.exists()


LONG_TEXT = "\n".join(
    f"Step {n}: loosen the coupling bolts, check the seal faces and log the reading."
    for n in range(1, 200)
)[:10_000]


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_a_long_procedure_flows_over_pages_each_numbered_with_the_order(
    db, clock, actors, tmp_path, paper
):
    """Issue 16: 10,000 characters of description stopped the sheet with a LayoutError."""
    service = WorkOrderService(db, clock)
    long = _raise(service, actors["paula"], "Overhaul", description=LONG_TEXT)
    short = _raise(service, actors["paula"], "Belt tracking", "C-201", WorkOrderType.INSPECTION)
    out = tmp_path / f"long-{paper}.pdf"

    result = print_sheets(db, [long.number, short.number], out, paper=paper, clock=clock)

    pages = page_texts(out)
    assert result.pages == len(pages) > 2
    long_pages = [p for p in pages if long.number in p]
    assert len(long_pages) == len(pages) - 1
    for index, page in enumerate(long_pages, start=1):
        assert f"{long.number} · Page {index} of {len(long_pages)}" in " ".join(page.split())
    assert f"{short.number} · Page 1 of 1" in " ".join(pages[-1].split())
    flat = " ".join("\n".join(long_pages).split())
    assert "Step 1: loosen" in flat
    assert LONG_TEXT.splitlines()[-1][:40] in flat


def test_japanese_text_prints_in_a_cjk_font_not_as_boxes(db, clock, actors, tmp_path):
    """Issue 16: 日本 printed as boxes (DejaVu has no CJK glyphs)."""
    import subprocess

    service = WorkOrderService(db, clock)
    order = _raise(service, actors["paula"], "日本 ポンプ seal", description="軸受を交換する")
    out = tmp_path / "cjk.pdf"

    print_sheets(db, [order.number], out, clock=clock)

    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "日本 ポンプ seal" in text
    assert "軸受を交換する" in text
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout
    assert "DroidSansFallback" in fonts  # embedded, so any viewer shows it


ENGLISH_SHEET_WORDS = (
    "Instructions",
    "Parts to draw",
    "Labour",
    "Failure codes and downtime",
    "Work done / remarks",
    "Work done by",
    "Reviewed by supervisor",
    "Requested",
    "Due ",
    "Scheduled",
    "Page ",
    "Printed",
    "SAFETY / LOCK-OUT",
    "Location",
    "Technician",
    "Estimate",
    "required to complete",
    "No parts reserved",
    "priority",
    "status",
    "corrective",
    "Limits",
    "Result",
    "☐ pass",
)


def test_a_german_sheet_reads_german_on_the_site_clock(db, clock, actors, tmp_path):
    clock.now = datetime(2026, 12, 5, 13, 30, tzinfo=UTC)  # 14:30 in Berlin, the site's zone
    pump = _raise(
        WorkOrderService(db, clock),
        actors["paula"],
        "Seal leaking",
        checklist_codes=("CL-LOTO", "CL-PUMP"),
        description="Drain the casing first.",
        estimate_hours=1234.5,
    )
    out = tmp_path / "de.pdf"

    print_sheets(db, [pump.number], out, clock=clock, wording=wording("de"))

    (text,) = page_texts(out)
    for german in (
        "ARBEITSAUFTRAG",
        "Störung",
        "Priorität 3 (mittel)",
        "Status angefordert",
        "Angefordert 05.12.2026 14:30",
        "Europe/Berlin",
        "SICHERHEIT / FREISCHALTEN",
        "Anweisungen",
        "Schätzung: 1.234,5 h",
        "Zu entnehmende Teile",
        "Arbeitszeit",
        "Fehlercodes und Stillstand",
        "zum Abschließen dieses Auftrags nötig",
        "☐ i. O.",
        "10 – 80 °C",
        "Ausgeführt von: Name, Unterschrift",
        "Seite 1 von 1",
        "Gedruckt 05.12.2026 14:30 Europe/Berlin von Wrenchbook",
    ):
        assert german in text, german
    found = [word for word in ENGLISH_SHEET_WORDS if word in text]
    assert not found, f"English left on the German sheet: {found}"


def test_an_english_sheet_keeps_iso_dates_and_english_words(db, clock, actors, tmp_path):
    clock.now = datetime(2026, 12, 5, 13, 30, tzinfo=UTC)
    pump = _raise(
        WorkOrderService(db, clock), actors["paula"], "Seal leaking", estimate_hours=1234.5
    )
    out = tmp_path / "en.pdf"

    print_sheets(db, [pump.number], out, clock=clock)

    (text,) = page_texts(out)
    assert "Requested 2026-12-05 14:30" in text
    assert "Estimate: 1234.5 h" in text
    assert "Page 1 of 1" in text
    assert "status requested" in text


def test_a_german_record_names_the_failure_codes_in_german(db, clock, actors, tmp_path):
    service = WorkOrderService(db, clock)
    number = _raise(service, actors["admin"], "Seal leaking", is_failure=True).number
    for step in PATHS[Status.COMPLETED]:
        prepare(service, actors["admin"], number, step, clock)
        clock.advance(hours=1)
        service.transition(actors["admin"], number, step)
    codes = service.get(number).failure_codes
    out = tmp_path / "record.pdf"

    print_sheets(db, [number], out, clock=clock, wording=wording("de"))

    text = " ".join(page_texts(out))
    assert "AUFTRAGSNACHWEIS — abgeschlossen, Prüfung ausstehend" in text
    for field, code in codes.items():
        if code:
            listed = next(c for c in code_lists()[field] if c.code == code)
            assert listed.name("de") in text, (field, code)
