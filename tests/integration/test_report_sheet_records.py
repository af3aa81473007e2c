"""Sheets of finished work print the record, open ones a job card; all on the site's clock."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from desktop.domain.enums import Status, WorkOrderType
from desktop.reports.sheet import print_sheets
from desktop.services.orders.work_order_records import WorkOrderDraft
from desktop.services.orders.work_orders import WorkOrderService
from tests.integration.finished_orders import closed_order, lockout_template
from tests.integration.pdf_pages import poppler_pages
from tests.integration.workflow import drive_to, raise_order

LONG_TEXT = "\n".join(
    f"Step {n}: loosen the coupling bolts, check the seal faces and log the reading."
    for n in range(1, 200)
)[:10_000]


def test_a_closed_order_prints_as_its_record_not_as_a_blank_job_card(db, clock, actors, tmp_path):
    """Issue 16: closed orders printed as blank ready-to-work sheets."""
    number = closed_order(db, clock, actors)
    detail = WorkOrderService(db).get(number)
    out = tmp_path / "closed.pdf"

    print_sheets(db, [number], out, clock=clock)

    text = " ".join(poppler_pages(out))
    assert "WORK-ORDER RECORD — closed" in text
    for entry in detail.labour:
        assert f"{entry.work_date} {entry.technician} {entry.hours:g}" in text
    assert "L-17, L-18" in text  # the lock numbers as written
    assert "shift leader sign-off" in text
    assert "Ada Admin" in text  # who signed
    assert "reviewed and closed" in text
    assert "unplanned seal leak" in text
    assert "Replaced the seal." in text
    # The files kept with it: name, type, size, who added them and when (site time).
    assert "seal photo.png image/png 2 KB tom 2026-03-02 10:40" in text
    # Nothing left to fill in: no blank parts, labour or sign-off lines of a job card.
    assert "Parts to draw" not in text
    assert "Work done by: name, signature" not in text
    assert "name ________________ time" not in text


def test_an_open_order_is_a_job_card_with_numbered_safety_steps_and_their_inputs(
    db, clock, actors, tmp_path
):
    """Issue 16: safety steps lost their order and inputs on the sheet."""
    lockout_template(db)
    service = WorkOrderService(db, clock)
    draft = WorkOrderDraft(
        title="Seal leaking",
        asset_code="P-101",
        type=WorkOrderType.CORRECTIVE,
        checklist_codes=("CL-LOTO-FULL",),
    )
    number = service.create(actors["paula"], draft).work_order.number
    service.answer_checklist_item(actors["admin"], number, 2, text="L-17")
    out = tmp_path / "open.pdf"

    print_sheets(db, [number], out, clock=clock)

    text = " ".join(poppler_pages(out))
    assert "WORK ORDER" in text
    assert "RECORD" not in text
    assert "☐ 1. main isolator off" in text
    assert "☑ 2. lock numbers (recorded: L-17) — admin 2026-03-02" in text
    assert "☐ 3. residual voltage: ________ V (≤ 50 V)" in text
    assert "☐ 4. shift leader sign-off:" in text
    assert "name ________________ time ________" in text
    assert "Work done by: name, signature" in text


def test_sheet_times_are_on_the_site_clock(db, clock, actors, tmp_path):
    """Issue 16: a Europe/Berlin site read UTC times on its sheets; the database keeps UTC."""
    service = WorkOrderService(db, clock)
    clock.now = datetime(2026, 7, 1, 6, 30, tzinfo=UTC)  # 08:30 in Berlin (CEST)
    draft = WorkOrderDraft(title="Belt", asset_code="C-201", type=WorkOrderType.INSPECTION)
    row = service.create(actors["paula"], draft).work_order
    assert row.requested_at == datetime(2026, 7, 1, 6, 30, tzinfo=UTC)
    out = tmp_path / "berlin.pdf"

    print_sheets(db, [row.number], out, clock=clock)

    text = " ".join(poppler_pages(out))
    assert "Requested 2026-07-01 08:30" in text
    assert "(Europe/Berlin)" in text
    assert "Printed 2026-07-01 08:30 Europe/Berlin" in text
    assert "06:30" not in text


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_a_closed_record_of_ten_thousand_characters_numbers_every_page(
    db, clock, actors, tmp_path, paper
):
    """Issue 16: a 10,000-character description and resolution on a record, on both papers:
    every page says which order and "page x of y"; the CJK title prints as text."""
    number = closed_order(db, clock, actors, description=LONG_TEXT)
    out = tmp_path / f"long-{paper}.pdf"

    result = print_sheets(db, [number], out, paper=paper, clock=clock)

    pages = poppler_pages(out)
    assert result.pages == len(pages) >= 3
    for index, page in enumerate(pages, start=1):
        assert f"{number} · Page {index} of {len(pages)}" in page
    assert number in pages[1]
    text = " ".join(pages)
    assert text.count(LONG_TEXT.splitlines()[-1][:40]) == 2  # description and resolution
    assert "Seal leaking 日本" in text
    assert "reviewed and closed" in pages[-1]


def test_work_in_progress_shows_the_hours_already_booked(db, clock, actors, tmp_path):
    """An open card is a job card, but hours already booked print on it, so nobody books
    them again from the paper."""
    service = WorkOrderService(db, clock)
    admin = actors["admin"]
    number = raise_order(service, admin, "C-201", WorkOrderType.PREVENTIVE).number
    drive_to(service, admin, number, Status.IN_PROGRESS, clock)
    service.log_labour(admin, number, "tom", clock().date(), 1.25)
    out = tmp_path / "wip.pdf"

    print_sheets(db, [number], out, clock=clock)

    text = " ".join(poppler_pages(out))
    assert f"{clock().date()} tom 1.25 booked" in text
    assert "Work done by: name, signature" in text
