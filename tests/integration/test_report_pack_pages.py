"""The audit pack's pages as an auditor holds them: each names its order, on the site's clock."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from desktop.domain.enums import Status
from desktop.reports.audit_pack import build_audit_pack
from desktop.reports.pack_figures import pack_figures
from desktop.reports.pack_records import load_pack_records
from desktop.reports.pack_scope import PackRequest
from desktop.services.orders.work_orders import WorkOrderService
from tests.integration.finished_orders import closed_order
from tests.integration.pdf_pages import poppler_pages
from tests.integration.workflow import drive_to, raise_order

BERLIN = ZoneInfo("Europe/Berlin")
MARCH = PackRequest(
    datetime(2026, 3, 1, tzinfo=BERLIN).astimezone(UTC),
    datetime(2026, 4, 1, tzinfo=BERLIN).astimezone(UTC),
)
LONG_TEXT = "\n".join(
    f"Step {n}: isolate, drain, open the casing and check the impeller for wear."
    for n in range(1, 200)
)[:10_000]


def test_every_page_of_a_long_record_names_its_order_in_site_time(db, clock, actors, tmp_path):
    """Issue 16: a record's second page carried no order number; times printed in UTC for a
    Europe/Berlin site; 日本 printed as boxes. A 10,000-character description and resolution."""
    number = closed_order(db, clock, actors, description=LONG_TEXT)
    detail = WorkOrderService(db).get(number)
    clock.now = datetime(2026, 4, 2, tzinfo=UTC)
    out = tmp_path / "pack.pdf"

    result = build_audit_pack(db, actors["paula"], MARCH, out, clock=clock)

    pages = poppler_pages(out)
    assert result.pages == len(pages)
    for index, page in enumerate(pages, start=1):
        assert f"Page {index} of {len(pages)}" in page
    trail = next(i for i, page in enumerate(pages) if "previous hash:" in page)
    record = [i for i, page in enumerate(pages[:trail]) if "Step 100: isolate" in page]
    assert record  # the description runs over several pages of the record...
    for index in range(record[0] - 1, record[-1] + 2):
        assert f"Work order {number}" in pages[index]  # ...each one naming the order
    text = " ".join(pages)
    records = " ".join(pages[:trail])
    assert records.count(LONG_TEXT.splitlines()[-1][:40]) == 2  # description and resolution
    assert "Seal leaking 日本" in text
    assert "2026-03-01 00:00 to 2026-04-01 00:00 Europe/Berlin" in pages[0]
    requested = detail.row.requested_at
    assert requested == datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    assert f"{requested.astimezone(BERLIN):%Y-%m-%d %H:%M} by" in text  # 09:00 CET
    assert "2026-03-02 08:00 by" not in text
    # The lock-out answers as entered, with who gave them.
    assert "L-17, L-18" in text
    assert "Ada Admin" in text


def test_the_audit_trail_prints_each_instant_exactly_as_hashed(db, clock, actors, tmp_path):
    """The trail's times read on the site's clock, and the UTC instant the hash covers is on
    the page too, so an entry can be recomputed by hand."""
    number = closed_order(db, clock, actors)
    clock.now = datetime(2026, 4, 2, tzinfo=UTC)
    out = tmp_path / "trail.pdf"

    build_audit_pack(db, actors["paula"], MARCH, out, clock=clock)

    text = " ".join(poppler_pages(out))
    created = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    assert "2026-03-02 09:00 Europe/Berlin" in text
    assert f"at: {created.isoformat(timespec='microseconds')}" in text
    assert number in text


def test_totals_come_from_the_period_s_own_records_on_site_days(db, clock, actors):
    """Issue 16: the labour and downtime totals were far below what the database holds for
    the period. An order raised in March and worked across the month's end counts in April
    with April's labour and the April part of its downtime; April is a Berlin April."""
    admin = actors["admin"]
    service = WorkOrderService(db, clock)
    clock.now = datetime(2026, 3, 30, 8, 0, tzinfo=UTC)
    number = raise_order(service, admin, "P-101").number
    drive_to(service, admin, number, Status.IN_PROGRESS, clock)
    clock.now = datetime(2026, 4, 2, 8, 0, tzinfo=UTC)
    service.log_labour(admin, number, "tom", date(2026, 3, 31), 2.0)
    service.log_labour(admin, number, "tom", date(2026, 4, 1), 3.0)
    service.add_downtime(
        admin,
        number,
        datetime(2026, 3, 31, 20, 0, tzinfo=BERLIN),
        datetime(2026, 4, 1, 2, 0, tzinfo=BERLIN),
        False,
        "seal leak",
    )
    clock.now = datetime(2026, 5, 2, tzinfo=UTC)
    april = PackRequest(
        datetime(2026, 4, 1, tzinfo=BERLIN).astimezone(UTC),
        datetime(2026, 5, 1, tzinfo=BERLIN).astimezone(UTC),
    )

    records = load_pack_records(db, april, generated_by="test", generated_at=clock())
    figures = pack_figures(records)

    assert [o.row.number for o in records.orders] == [number]
    assert figures.labour_hours == 3.0  # 31 March is March's, though 22:00 UTC is April's eve
    assert figures.downtime_hours == 2.0  # midnight to 02:00 Berlin of a 6-hour stop
