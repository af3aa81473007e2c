"""The app prints in the workstation's language: sheets, the audit pack and the failure codes
(issue 18, item 3)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate, QLocale, Qt

from desktop.domain.enums import WorkOrderType
from desktop.services.orders.work_order_records import WorkOrderDraft
from desktop.services.orders.work_orders import WorkOrderService
from tests.conftest import FakeClock
from ui import i18n
from ui.background import SynchronousPool
from ui.reports.panel import ReportsPanel
from ui.reports.sheets import print_sheets
from ui.work_orders.code_picker import CodePicker


@pytest.fixture
def german(qapp) -> Iterator[None]:
    """German for one test, English again after it (the translators are process-wide)."""
    assert i18n.install("de") == "de"
    yield
    i18n.install(i18n.SOURCE_LANGUAGE)


def _raise(app_context) -> str:
    service = WorkOrderService(app_context.db, FakeClock())
    draft = WorkOrderDraft(title="Gland leak", asset_code="P-101", type=WorkOrderType.CORRECTIVE)
    return service.create(app_context.actor, draft).work_order.number


def _text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_the_printed_formats_are_the_screens(german) -> None:
    wording = i18n.print_wording()

    assert wording.language == "de"
    day = date(2026, 12, 5)
    assert wording.day(day) == i18n.show_date(day) == "05.12.2026"
    assert wording.fixed(1234.5, 1) == i18n.show_number(1234.5, 1) == "1.234,5"


def test_a_swiss_workstation_prints_its_own_separators(german) -> None:
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Switzerland))

    wording = i18n.print_wording()

    assert wording.fixed(1234.5, 1) == QLocale().toString(1234.5, "f", 1)
    assert wording.fixed(1234.5, 1) != "1.234,5"


def test_english_prints_iso_dates(qapp) -> None:
    wording = i18n.print_wording()

    assert (wording.language, wording.day(date(2026, 12, 5))) == ("en", "2026-12-05")


def test_sheets_print_in_the_workstation_language(qtbot, app_context, tmp_path, german):
    number = _raise(app_context)
    out = tmp_path / "sheets.pdf"

    print_sheets(app_context, [number], out=out, open_viewer=False)

    text = _text(out)
    assert number in text
    assert "Anweisungen" in text
    assert "Instructions" not in text


def test_the_audit_pack_prints_in_the_workstation_language(qtbot, app_context, tmp_path, german):
    number = _raise(app_context)
    panel = ReportsPanel(app_context, pool=SynchronousPool())
    qtbot.addWidget(panel)
    panel.from_date.setDate(QDate(2026, 3, 1))
    panel.to_date.setDate(QDate(2026, 3, 31))

    qtbot.mouseClick(panel.generate, Qt.MouseButton.LeftButton)
    target = tmp_path / "pack.pdf"
    panel.save_to(target)

    text = _text(target)
    assert number in text
    assert "Auditpaket Instandhaltung" in text
    assert "Maintenance compliance audit pack" not in text


def test_failure_codes_are_offered_by_their_german_names(qtbot, german) -> None:
    picker = CodePicker("failure_mode")
    qtbot.addWidget(picker)

    texts = [picker.itemText(i) for i in range(picker.count())]

    assert "BRD — Ausfall" in texts
    assert "VIB — Vibration" in texts
    assert not [t for t in texts if "Breakdown" in t]
