"""Audit-pack throughput: a 1,000-order pack against a bare ReportLab table document of the
same page count, built in the same run."""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, SimpleDocTemplate, Table, TableStyle

from desktop.demo.plant import DemoPlantService
from desktop.reports.audit_pack import build_audit_pack
from desktop.reports.fonts import SANS, register_fonts
from desktop.reports.pack_scope import PackRequest
from desktop.reports.sheet import print_sheets
from desktop.services.admin.users import UserService
from desktop.services.orders.work_orders import SearchFilter, WorkOrderService
from desktop.store.database import Database
from desktop.store.migrate import upgrade
from tests.bench import Figure

BENCH = "reports"
ORDERS = 1000
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
EVERYTHING = PackRequest(datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
ROWS_PER_PAGE = 40
SHEETS = 200
WIDTHS = [26 * mm, 18 * mm, 16 * mm, 28 * mm, 50 * mm, 26 * mm, 10 * mm]


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="wb-bench-") as folder:
        root = Path(folder)
        db = Database(f"sqlite:///{root / 'bench.sqlite3'}")
        upgrade(db)
        DemoPlantService(db, lambda: NOW).build(seed=1, scale=ORDERS, years=1)
        try:
            actor = UserService(db).actor_for("admin")
            began = time.perf_counter()
            result = build_audit_pack(db, actor, EVERYTHING, root / "pack.pdf", clock=lambda: NOW)
            pack_seconds = time.perf_counter() - began
            bare_seconds = _bare_tables(root / "bare.pdf", result.pages)
            numbers = [r.number for r in WorkOrderService(db).search(SearchFilter(), limit=SHEETS)]
            began = time.perf_counter()
            sheets = print_sheets(db, numbers, root / "sheets.pdf")
            sheet_seconds = time.perf_counter() - began
            bare_sheet_seconds = _bare_tables(root / "bare-sheets.pdf", sheets.pages)
        finally:
            db.dispose()
    print(f"   audit pack: {result.orders:,} orders on {result.pages:,} pages", flush=True)
    return [
        Figure(
            BENCH,
            f"audit pack of {ORDERS:,} orders ({result.pages:,} pages), read + lay out + write",
            result.pages / pack_seconds,
            "pages/s",
            baseline=result.pages / bare_seconds,
            target=">= 0.25x a bare ReportLab table document",
            limit_ratio=0.25,
            higher_is_better=True,
        ),
        Figure(
            BENCH,
            f"work-order sheets, {sheets.pages} pages (QR code, boxes, tables)",
            sheets.pages / sheet_seconds,
            "pages/s",
            baseline=sheets.pages / bare_sheet_seconds,
            target=">= 0.25x a bare ReportLab table document",
            limit_ratio=0.25,
            higher_is_better=True,
        ),
    ]


def _bare_tables(path: Path, pages: int) -> float:
    """Seconds to build `pages` pages, each one plain 40-row table in the same embedded font."""
    register_fonts()
    style = TableStyle(
        [("FONT", (0, 0), (-1, -1), SANS, 7.5), ("GRID", (0, 0), (-1, -1), 0.4, (0, 0, 0))]
    )
    began = time.perf_counter()
    story = []
    for page in range(pages):
        rows = [
            [f"WO-2026-{page * ROWS_PER_PAGE + r:06d}", "corrective", "closed", "BOT-FIL-L1-CAP",
             "Capper torque check & head service", "2026-03-02 08:00", "1.5"]
            for r in range(ROWS_PER_PAGE)
        ]  # fmt: skip
        table = Table(rows, colWidths=WIDTHS)
        table.setStyle(style)
        story += [table, PageBreak()]
    doc = SimpleDocTemplate(str(path), pagesize=A4)
    doc.build(story[:-1])
    built = doc.page
    seconds = time.perf_counter() - began
    assert built == pages, f"bare document has {built} pages, wanted {pages}"
    return seconds
