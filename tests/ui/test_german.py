"""The German build: every main page, the work-order editor and the dialogs show no English.

Each page is built in German over the seeded test plant with an order in progress; every text a
user can read is collected (labels, buttons, tooltips, group titles, tabs, combo items,
placeholders, column titles, table cells, KPI chart titles and axis labels, date formats). A
text fails when the catalogue has it as an English source with a German translation (a marked
text shown untranslated), or when it contains a word that the app's English texts use and its
German texts never do."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractListModel, QModelIndex, QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabBar,
    QWidget,
)

from desktop.domain.enums import Status
from desktop.domain.phrases import Amount, Phrase
from desktop.services.admin import credentials
from desktop.services.admin.workstation_settings import DISPLAY_PAGE_IDS
from desktop.services.orders.work_orders import WorkOrderService
from desktop.services.stock.inventory import InventoryService
from tests.conftest import FakeClock
from tests.integration.stock import stock_room
from tests.integration.workflow import drive_to, raise_order
from ui import i18n
from ui.assets.asset_forms import (
    AssetFilesDialog,
    SparePartsDialog,
    edit_asset_dialog,
    move_asset_dialog,
    new_asset_dialog,
    retire_asset_dialog,
)
from ui.inventory.panel import InventoryPanel
from ui.login_dialog import LoginDialog
from ui.main_window import PAGES, MainWindow
from ui.settings.dialog import SettingsDialog
from ui.setup.panel import SetupPanel
from ui.work_orders.lifecycle_bar import TransitionDialog

CATALOGUE = Path(__file__).resolve().parents[2] / "resources" / "i18n" / "wrenchbook_de.ts"
WORD = re.compile(r"[A-Za-zÄÖÜäöüß]{3,}")
KNOWN_ENGLISH = frozenset(
    [
        "the",
        "of",
        "and",
        "by",
        "set",
        "none",
        "last",
        "days",
        "previous",
        "vs",
        "pts",
        "due",
        "title",
        "priority",
        "estimate",
        "planned",
        "description",
        "resolution",
        "number",
        "type",
        "origin",
        "requested",
        "changed",
        "complete",
        "cancel",
        "hold",
        "assignment",
        "checklist",
        "labour",
        "downtime",
        "failure",
        "history",
        "attachments",
        "addenda",
        "parts",
        "lock",
        "out",
        "backlog",
        "over",
        "time",
        "stages",
        "acknowledged",
        "started",
        "completed",
        "asset",
        "back",
        "compliance",
        "availability",
        "overdue",
        "reactive",
        "proactive",
        "emergency",
        "share",
        "cost",
        "connected",
        "progress",
        "preventive",
        "corrective",
        "technician",
        "planner",
        "oct",
        "dec",
    ]
)
"""Words seen shown in English on the German pages before (issue 18); kept even if the
catalogue stops using them."""
ALLOWED = frozenset(
    {"tag", "tags", "pause", "min", "max", "server", "port", "wrenchbook", "status", "details"}
    | {"audit", "sqlite"}
)
"""English words that German uses as they are."""
DATA = frozenset({"seal", "leaking", "feed", "pump", "admin", "line"})
"""Words of the seeded test plant's records (titles, asset names): data, not the app's text."""


def _catalogue() -> tuple[dict[str, str], frozenset[str], frozenset[str]]:
    """German translation by English source, every German text, and the English-only words."""
    translations: dict[str, str] = {}
    german: set[str] = set()
    for message in ET.parse(CATALOGUE).iter("message"):
        source = message.findtext("source") or ""
        translation = message.findtext("translation") or ""
        german.add(translation)
        if translation and translation != source:
            translations[source] = translation
    english_words = {w.lower() for s in translations for w in WORD.findall(s)}
    german_words = {w.lower() for t in german for w in WORD.findall(t)}
    return (
        translations,
        frozenset(german),
        frozenset((english_words - german_words) | KNOWN_ENGLISH),
    )


def _plain(text: str) -> str:
    """A shown text without mnemonics, markup and what is typed as it is: paths, environment
    variables, the control-room display's page names, the credential store's name."""
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"\S*/\S*|\b[A-Z0-9]+(?:_[A-Z0-9]+)+\b", " ", text)
    text = text.replace(", ".join(DISPLAY_PAGE_IDS), " ")
    if credentials.store_available():  # the credential store's own name
        text = text.replace(credentials.store_name(), " ")
    return re.sub(r"&(?!&)", "", text).replace("&&", "&").strip()


def _shown_texts(root: QWidget) -> tuple[list[str], list[str]]:
    """(the app's own texts, table cells) of `root` and every widget in it, hidden ones too."""
    own: list[str] = []
    cells: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        own.append(widget.toolTip())
        if isinstance(widget, (QLabel, QAbstractButton)):
            own.append(widget.text())
        elif isinstance(widget, QGroupBox):
            own.append(widget.title())
        elif isinstance(widget, QTabBar):
            own += [widget.tabText(i) for i in range(widget.count())]
        elif isinstance(widget, QComboBox):
            # Stored values the combo offers: both lists (words and records) are checked.
            cells += [widget.itemText(i) for i in range(widget.count())]
        if isinstance(widget, QLineEdit):
            own.append(widget.placeholderText())
        if isinstance(widget, QDateTimeEdit):
            own.append(widget.displayFormat())
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount()
            own += [
                str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(columns)
            ]
            for row in range(min(model.rowCount(QModelIndex()), 30)):
                cells += [str(model.index(row, c).data() or "") for c in range(columns)]
        if hasattr(widget, "getPlotItem"):  # a pyqtgraph chart: its title and axis labels
            item = widget.getPlotItem()
            own.append(item.titleLabel.text)
            for side in ("left", "bottom"):
                levels = item.getAxis(side)._tickLevels or []
                own += [str(label) for level in levels for _value, label in level]
    return [t for t in map(_plain, own) if t], [t for t in map(_plain, cells) if t]


def _english(own: list[str], cells: list[str]) -> list[str]:
    translations, german, english_words = _catalogue()
    shown = (set(own) | set(cells)) - german - DATA  # "Plan" is English and German
    found = sorted(t for t in shown if t in translations)
    found += sorted(
        t for t in set(own) if {w.lower() for w in WORD.findall(t)} & english_words - ALLOWED - DATA
    )
    found += [t for t in set(own) if "yyyy-MM-dd" in t]  # the ISO date of English
    return sorted(set(found))


@pytest.fixture
def german(qapp) -> Iterator[None]:
    """German for one test, English again after it (the translators are process-wide)."""
    assert i18n.install("de") == "de"
    yield
    i18n.install(i18n.SOURCE_LANGUAGE)


@pytest.fixture
def busy_order(app_context, actors) -> str:
    """An order in progress with labour booked and a stocked store room: every tab of the
    editor and every table of the stock page has something."""
    stock_room(InventoryService(app_context.db, app_context.clock), actors["admin"])
    service = WorkOrderService(app_context.db)
    number = raise_order(service, actors["paula"]).number
    drive_to(service, actors["admin"], number, Status.IN_PROGRESS, FakeClock())
    service.log_labour(actors["admin"], number, "tom", FakeClock()().date(), 1.5)
    return number


def test_the_navigation_is_german(qtbot, app_context, tmp_path, german) -> None:
    settings = QSettings(str(tmp_path / "workstation.ini"), QSettings.Format.IniFormat)
    window = MainWindow(app_context, settings, "SQLite: test", watch=False)
    qtbot.addWidget(window)
    titles = [window.navigation.item(i).text() for i in range(window.navigation.count())]
    assert titles[:4] == ["Tafel", "Arbeitsaufträge", "Anlagen", "Lager"]
    assert "Einrichtung" in titles


def test_the_setup_users_form_is_german(qtbot, app_context, german) -> None:
    panel = SetupPanel(app_context)
    qtbot.addWidget(panel)
    panel.show()
    texts = {w.text() for w in panel.findChildren(QLabel) + panel.findChildren(QPushButton)}
    assert "&Neu: Benutzer" in texts
    assert "&Speichern" in texts
    assert not {"&Save", "Re&vert", "&New user"} & texts


def test_no_english_on_the_main_pages_and_the_editor(
    qtbot, app_context, busy_order, tmp_path, german
) -> None:
    settings = QSettings(str(tmp_path / "workstation.ini"), QSettings.Format.IniFormat)
    window = MainWindow(app_context, settings, "SQLite", watch=False)
    qtbot.addWidget(window)
    window.show()
    own: list[str] = []
    cells: list[str] = []
    for page in PAGES:
        panel = window.show_page(page.key)
        if page.key == "dashboard":
            with qtbot.waitSignal(panel.sig_dashboard_shown, timeout=30_000):
                panel.refresh()
        if page.key == "setup":  # each section is built when first shown
            for row in range(panel.sections.count()):
                panel.sections.setCurrentRow(row)
        texts = _shown_texts(panel)
        own += texts[0]
        cells += texts[1]
    editor = window.open_work_order(busy_order)
    hold = TransitionDialog(busy_order, Status.IN_PROGRESS, Status.ON_HOLD, editor)
    for widget in (editor, hold, window.open_work_order(None), window.statusBar()):
        texts = _shown_texts(widget)
        own += texts[0]
        cells += texts[1]

    assert len(own) > 300
    assert {"Zeitraum", "Speichern", "Titel", "Arbeitszeit"} <= set(own)
    assert not _english(own, cells), "shown in English:\n" + "\n".join(_english(own, cells))


def test_no_english_in_the_asset_and_stock_dialogs(qtbot, app_context, busy_order, german) -> None:
    code = "P-101"
    stock = InventoryPanel(app_context)
    qtbot.addWidget(stock)
    stock.parts_view.selectRow(0)
    dialogs = [
        new_asset_dialog(app_context, code),
        edit_asset_dialog(app_context, code),
        move_asset_dialog(app_context, code),
        retire_asset_dialog(app_context, code),
        SparePartsDialog(app_context, code),
        AssetFilesDialog(app_context, code),
        stock.receive_dialog(),
        stock.adjust_dialog(),
        stock.transfer_dialog(),
    ]
    own: list[str] = []
    cells: list[str] = []
    for dialog in dialogs:
        assert dialog is not None
        qtbot.addWidget(dialog)
        texts = _shown_texts(dialog)
        own += texts[0]
        cells += texts[1]

    assert {"Ebene", "Kritikalität"} <= set(own)
    assert not _english(own, cells), "shown in English:\n" + "\n".join(_english(own, cells))


def test_no_english_in_the_login_and_settings_dialogs(qtbot, app_context, tmp_path, german):
    settings = QSettings(str(tmp_path / "workstation.ini"), QSettings.Format.IniFormat)
    login = LoginDialog(app_context.db, settings, "SQLite")
    settings_dialog = SettingsDialog(settings)
    own: list[str] = []
    cells: list[str] = []
    for dialog in (login, settings_dialog):
        qtbot.addWidget(dialog)
        texts = _shown_texts(dialog)
        own += texts[0]
        cells += texts[1]

    assert {"Benutzername", "Passwort", "Sprache", "Datenbank"} <= set(own)
    assert not _english(own, cells), "shown in English:\n" + "\n".join(_english(own, cells))


def test_the_check_finds_an_english_text() -> None:
    assert _english(["Last 90 days"], []) == ["Last 90 days"]
    assert _english([], ["in progress"]) == ["in progress"]
    assert _english(["dd.MM.yyyy HH:mm", "Speichern"], ["Seal leaking"]) == []
    assert _english(["yyyy-MM-dd HH:mm"], []) == ["yyyy-MM-dd HH:mm"]


def test_a_service_phrase_is_said_in_german_with_german_numbers(german) -> None:
    basis = Phrase("calendar hours less downtime (no running-hours tags)")
    note = Phrase("{assets} assets; {basis}", assets=Amount(1234), basis=basis)
    assert i18n.say(note) == (
        "1.234 Anlagen; Kalenderstunden abzüglich Stillstand (keine Betriebsstunden-Tags)"
    )
    assert i18n.say(Phrase("{value} h", value=Amount(6432.345, 1))) == "6.432,3 h"
