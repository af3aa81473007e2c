"""The Reports page as an office user drives it, and printing sheets from a selection."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from pypdf import PdfReader
from PySide6.QtCore import QDate, Qt

from desktop.domain.enums import WorkOrderType
from desktop.services.orders.work_order_records import WorkOrderDraft
from desktop.services.orders.work_orders import WorkOrderService
from tests.conftest import FakeClock
from ui.background import SynchronousPool
from ui.reports.panel import ReportsPanel
from ui.reports.sheets import print_sheets


class HeldPool(list):
    """Holds the jobs started, for the test to run when it chooses."""

    def start(self, runnable) -> None:
        self.append(runnable)


def _march(panel: ReportsPanel) -> None:
    panel.from_date.setDate(QDate(2026, 3, 1))
    panel.to_date.setDate(QDate(2026, 3, 31))


def _raise(app_context, title="Gland leak", asset="P-101", wo_type=WorkOrderType.CORRECTIVE):
    service = WorkOrderService(app_context.db, FakeClock())
    draft = WorkOrderDraft(title=title, asset_code=asset, type=wo_type)
    return service.create(app_context.actor, draft).work_order.number


def test_generated_pack_is_previewed_page_by_page_and_saved(qtbot, app_context, tmp_path):
    number = _raise(app_context)
    panel = ReportsPanel(app_context, pool=SynchronousPool())
    qtbot.addWidget(panel)
    _march(panel)

    qtbot.mouseClick(panel.generate, Qt.MouseButton.LeftButton)

    assert panel.status.text().startswith("1 work orders on ")
    assert "Audit chain intact" in panel.status.text()
    assert panel.progress.value() == panel.progress.maximum()
    assert panel.preview.page_count > 5
    assert panel.preview.current_page == 1
    qtbot.mouseClick(panel.preview._next, Qt.MouseButton.LeftButton)
    assert panel.preview.current_page == 2
    assert panel.save.isEnabled()
    target = tmp_path / "march.pdf"
    panel.save_to(target)
    reader = PdfReader(target)
    assert len(reader.pages) == panel.preview.page_count
    assert number in "".join(page.extract_text() for page in reader.pages)
    panel.resize(1100, 800)
    panel.grab().save(str(tmp_path / "reports-panel.png"))


def test_cancel_stops_the_pack_and_writes_nothing(qtbot, app_context):
    _raise(app_context)
    started = HeldPool()
    panel = ReportsPanel(app_context, pool=started)
    qtbot.addWidget(panel)
    _march(panel)

    qtbot.mouseClick(panel.generate, Qt.MouseButton.LeftButton)
    assert not panel.generate.isEnabled()
    assert panel.cancel.isEnabled()
    qtbot.mouseClick(panel.cancel, Qt.MouseButton.LeftButton)
    started[0].run()

    assert panel.status.text() == "Cancelled; nothing was written."
    assert panel.generate.isEnabled()
    assert not panel.save.isEnabled()
    assert list((app_context.data_dir / "reports").iterdir()) == []


def test_pack_is_built_on_a_worker_thread(qtbot, app_context):
    _raise(app_context)
    panel = ReportsPanel(app_context)
    qtbot.addWidget(panel)
    _march(panel)

    qtbot.mouseClick(panel.generate, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.generate.isEnabled(), timeout=120_000)

    assert "Audit chain intact" in panel.status.text()
    assert panel.preview.page_count > 5


def test_form_choices_become_the_request(qtbot, app_context):
    panel = ReportsPanel(app_context, pool=SynchronousPool())
    qtbot.addWidget(panel)
    _march(panel)
    panel.area.setCurrentIndex(panel.area.findData("LINE"))
    for i in range(panel.types.count()):
        item = panel.types.item(i)
        keep = item.data(Qt.ItemDataRole.UserRole) == WorkOrderType.INSPECTION.value
        item.setCheckState(Qt.CheckState.Checked if keep else Qt.CheckState.Unchecked)

    request = panel.request()

    berlin = ZoneInfo("Europe/Berlin")  # the test site's days, midnight to midnight there
    assert request.start == datetime(2026, 3, 1, tzinfo=berlin)
    assert request.end == datetime(2026, 4, 1, tzinfo=berlin)
    assert request.area == "LINE"
    assert request.types == (WorkOrderType.INSPECTION,)


def test_no_type_chosen_is_refused_before_any_work(qtbot, app_context):
    started = HeldPool()
    panel = ReportsPanel(app_context, pool=started)
    qtbot.addWidget(panel)
    for i in range(panel.types.count()):
        panel.types.item(i).setCheckState(Qt.CheckState.Unchecked)

    qtbot.mouseClick(panel.generate, Qt.MouseButton.LeftButton)

    assert started == []
    assert panel.status.text() == "Choose at least one work-order type."


def test_print_sheets_writes_one_page_per_selected_order(qtbot, app_context, tmp_path):
    first = _raise(app_context)
    second = _raise(app_context, "Belt check", "C-201", WorkOrderType.INSPECTION)
    out = tmp_path / "sheets.pdf"

    written = print_sheets(app_context, [first, second], out=out, open_viewer=False)

    assert written == out
    pages = PdfReader(out).pages
    assert [first in pages[0].extract_text(), second in pages[1].extract_text()] == [True, True]


def test_a_failing_build_is_reported_and_the_bar_does_not_hang(qtbot, app_context, monkeypatch):
    """Issue 16: an error the job did not expect left the progress bar at 98 % for ever."""
    import desktop.reports.audit_pack as audit_pack

    _raise(app_context)

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(audit_pack, "_write", broken)
    panel = ReportsPanel(app_context, pool=SynchronousPool())
    qtbot.addWidget(panel)
    _march(panel)

    qtbot.mouseClick(panel.generate, Qt.MouseButton.LeftButton)

    assert "disk on fire" in panel.status.text()
    assert panel.generate.isEnabled()
    assert panel.progress.value() == 0
    assert list((app_context.data_dir / "reports").iterdir()) == []
