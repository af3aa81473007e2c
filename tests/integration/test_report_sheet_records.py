"""Sheets of finished work print the record, open ones a job card; all on the site's clock."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desktop.domain.enums import ChecklistItemKind, CheckResult, Status, WorkOrderType
from desktop.reports.sheet import print_sheets
from desktop.services.lockout import Signer
from desktop.services.work_order_records import WorkOrderDraft
from desktop.services.work_orders import WorkOrderService
from desktop.store.models import ChecklistTemplate, ChecklistTemplateItem
from tests.conftest import PASSWORD
from tests.integration.workflow import FAILURE_CODES, PATHS, prepare

LONG_TEXT = "\n".join(
    f"Step {n}: loosen the coupling bolts, check the seal faces and log the reading."
    for n in range(1, 200)
)[:10_000]


def _pdftotext(path: Path) -> list[str]:
    """The pages as poppler reads them (what a person copying from a viewer gets)."""
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [" ".join(page.split()) for page in out.split("\f") if page.strip()]


def _lockout_template(db) -> None:
    """Safety steps of every kind: a tick, a line for the lock numbers, a reading, a sign-off."""
    with db.unit_of_work() as session:
        session.add(
            ChecklistTemplate(
                code="CL-LOTO-FULL",
                name="Lock-out, every kind of step",
                safety=True,
                items=[
                    ChecklistTemplateItem(
                        position=1, kind=ChecklistItemKind.CHECK, text="main isolator off"
                    ),
                    ChecklistTemplateItem(
                        position=2, kind=ChecklistItemKind.TEXT, text="lock numbers"
                    ),
                    ChecklistTemplateItem(
                        position=3,
                        kind=ChecklistItemKind.MEASUREMENT,
                        text="residual voltage",
                        unit="V",
                        high=50.0,
                    ),
                    ChecklistTemplateItem(
                        position=4, kind=ChecklistItemKind.SIGNATURE, text="shift leader sign-off"
                    ),
                ],
            )
        )


def _closed(db, clock, actors, description: str = "Drain the casing first.") -> str:
    """A repair taken through the real services to `closed`, with labour and downtime."""
    _lockout_template(db)
    admin = actors["admin"]
    service = WorkOrderService(db, clock)
    clock.now = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # 09:00 in Berlin (CET)
    draft = WorkOrderDraft(
        title="Seal leaking 日本",
        asset_code="P-101",
        type=WorkOrderType.CORRECTIVE,
        description=description,
        checklist_codes=("CL-LOTO-FULL",),
        is_failure=True,
    )
    number = service.create(admin, draft).work_order.number
    # The lock-out is answered before work may start (issue 16).
    service.answer_checklist_item(admin, number, 1, result=CheckResult.PASS)
    service.answer_checklist_item(admin, number, 2, text="L-17, L-18")
    service.answer_checklist_item(admin, number, 3, value=0.0)
    service.answer_checklist_item(admin, number, 4, signer=Signer("admin", PASSWORD))
    for step in PATHS[Status.IN_PROGRESS]:
        prepare(service, admin, number, step, clock)
        clock.advance(minutes=30)
        service.transition(admin, number, step)
    start = clock.advance(minutes=10)
    service.add_downtime(admin, number, start - timedelta(hours=3), start, False, "seal leak")
    version = service.get(number).row.version
    service.update(admin, number, version, {"resolution": "Replaced the seal.\n" + description})
    # What `prepare` does for completion, without overwriting the lock-out answers above.
    service.log_labour(admin, number, "tom", clock().date(), 1.5)
    version = service.get(number).row.version
    service.update(admin, number, version, dict(FAILURE_CODES))
    for step in (Status.COMPLETED, Status.CLOSED):
        clock.advance(hours=1)
        service.transition(admin, number, step)
    return number


def test_a_closed_order_prints_as_its_record_not_as_a_blank_job_card(db, clock, actors, tmp_path):
    """Issue 16: closed orders printed as blank ready-to-work sheets."""
    number = _closed(db, clock, actors)
    detail = WorkOrderService(db).get(number)
    out = tmp_path / "closed.pdf"

    print_sheets(db, [number], out, clock=clock)

    text = " ".join(_pdftotext(out))
    assert "WORK-ORDER RECORD — closed" in text
    for entry in detail.labour:
        assert f"{entry.work_date} {entry.technician} {entry.hours:g}" in text
    assert "L-17, L-18" in text  # the lock numbers as written
    assert "shift leader sign-off" in text
    assert "Ada Admin" in text  # who signed
    assert "reviewed and closed" in text
    assert "unplanned seal leak" in text
    assert "Replaced the seal." in text
    # Nothing left to fill in: no blank parts, labour or sign-off lines of a job card.
    assert "Parts to draw" not in text
    assert "Work done by: name, signature" not in text
    assert "name ________________ time" not in text


def test_an_open_order_is_a_job_card_with_numbered_safety_steps_and_their_inputs(
    db, clock, actors, tmp_path
):
    """Issue 16: safety steps lost their order and inputs on the sheet."""
    _lockout_template(db)
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

    text = " ".join(_pdftotext(out))
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

    text = " ".join(_pdftotext(out))
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
    number = _closed(db, clock, actors, description=LONG_TEXT)
    out = tmp_path / f"long-{paper}.pdf"

    result = print_sheets(db, [number], out, paper=paper, clock=clock)

    pages = _pdftotext(out)
    assert result.pages == len(pages) >= 3
    for index, page in enumerate(pages, start=1):
        assert f"{number} · Page {index} of {len(pages)}" in page
    assert number in pages[1]
    text = " ".join(pages)
    assert text.count(LONG_TEXT.splitlines()[-1][:40]) == 2  # description and resolution
    assert "Seal leaking 日本" in text
    assert "reviewed and closed" in pages[-1]
