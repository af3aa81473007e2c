"""The engine's refusals in German: a German form shows a service's message beside the field,
in the banner, in a message box and on the login dialog in German with German numbers; the
English app still shows the engine's own English text (issue 18, item 3)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import QSettings, Qt

from desktop.domain.enums import HoldReason, Status
from desktop.domain.errors import PermissionDenied, TransitionRefused
from desktop.domain.permissions import Action, require
from desktop.domain.phrases import Amount, Listing, Phrase
from desktop.services.orders.work_orders import WorkOrderService
from desktop.services.stock.inventory import InventoryService
from tests.integration.stock import stock_room
from tests.integration.workflow import drive_to, raise_order
from ui import i18n, messages
from ui.assets.asset_panel import AssetPanel
from ui.background import SynchronousPool
from ui.context import AppContext
from ui.forms.record_page import RecordPage
from ui.inventory.work_order_parts import WorkOrderPartsWidget
from ui.login_dialog import LoginDialog
from ui.setup.users import UserKind


@pytest.fixture
def german(qapp) -> Iterator[None]:
    """German for one test, English again after it (the translators are process-wide)."""
    assert i18n.install("de") == "de"
    yield
    i18n.install(i18n.SOURCE_LANGUAGE)


def type_into(qtbot, widget, text: str) -> None:
    widget.clear()
    qtbot.keyClicks(widget, text)


def duplicate_asset_code(qtbot, app_context) -> str:
    """The asset form's error beside Code after creating a second asset coded LINE."""
    panel = AssetPanel(app_context, pool=SynchronousPool())
    qtbot.addWidget(panel)
    panel.select_asset("LINE")
    dialog = panel.new_asset()
    inputs = dialog.form.inputs
    type_into(qtbot, inputs["code"], "LINE")
    type_into(qtbot, inputs["name"], "Second line")
    type_into(qtbot, inputs["asset_class"], "line")
    assert not dialog.submit()
    return dialog.form.errors.text("code")


def test_a_german_asset_form_shows_a_duplicate_code_in_german_beside_the_field(
    qtbot, app_context, german
) -> None:
    assert duplicate_asset_code(qtbot, app_context) == "LINE gibt es schon"


def test_the_english_asset_form_still_shows_the_engine_s_english(qtbot, app_context) -> None:
    assert duplicate_asset_code(qtbot, app_context) == "LINE exists already"


@pytest.fixture
def parts(qtbot, app_context, actors, clock) -> WorkOrderPartsWidget:
    """The parts tab of an approved order over a stocked store room (20 seals in A-13)."""
    stock_room(InventoryService(app_context.db, clock), actors["admin"])
    orders = WorkOrderService(app_context.db, clock)
    number = raise_order(orders, actors["admin"]).number
    drive_to(orders, actors["admin"], number, Status.APPROVED, clock)
    widget = WorkOrderPartsWidget(app_context, number)
    qtbot.addWidget(widget)
    return widget


def draw_too_many(widget: WorkOrderPartsWidget) -> str:
    widget.part.setCurrentText("P-1002")
    widget.bin.setCurrentText("A-13")
    widget.quantity.setValue(3)
    widget.issue_button.click()
    widget.quantity.setValue(30)
    widget.issue_button.click()
    return widget.error.text()


def test_a_german_stock_draw_beyond_the_stock_is_refused_in_german(parts, german) -> None:
    assert draw_too_many(parts) == (
        "Entnahme von P-1002 nicht möglich: nur 17 von 30 verfügbar in Lagerplatz A-13"
    )


def test_an_english_stock_draw_beyond_the_stock_is_refused_in_english(parts) -> None:
    assert draw_too_many(parts) == "cannot issue P-1002: only 17 of 30 available in bin A-13"


def test_german_password_rules_are_listed_in_german_beside_the_field(
    qtbot, app_context, actors, german
) -> None:
    admin = AppContext(app_context.db, actors["admin"], app_context.data_dir, app_context.clock)
    page = RecordPage(UserKind(admin))
    qtbot.addWidget(page)
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    inputs = page.form.inputs
    type_into(qtbot, inputs["username"], "j mueller")
    type_into(qtbot, inputs["password"], "short")
    type_into(qtbot, inputs["repeat"], "short")

    assert not page.save()
    errors = page.form.errors
    assert errors.text("username") == "nur Buchstaben, Ziffern, '.', '_' oder '-', nicht leer"
    assert errors.text("full_name") == "Pflicht"
    assert errors.text("password").startswith(
        "braucht mindestens 10 Zeichen und Buchstaben und mindestens eine Ziffer"
    )


def test_a_german_login_refusal_is_german(qtbot, app_context, tmp_path, german) -> None:
    settings = QSettings(str(tmp_path / "login.ini"), QSettings.Format.IniFormat)
    dialog = LoginDialog(app_context.db, settings, "SQLite: test")
    qtbot.addWidget(dialog)
    type_into(qtbot, dialog.username, "tina")
    type_into(qtbot, dialog.password, "not her password")
    dialog._on_login_clicked()
    assert dialog.error.text() == "Unbekannter Benutzer oder falsches Passwort"


def test_a_german_lifecycle_refusal_lists_what_is_missing_in_german(
    app_context, actors, clock, german
) -> None:
    orders = WorkOrderService(app_context.db, clock)
    number = raise_order(orders, actors["admin"]).number
    drive_to(orders, actors["admin"], number, Status.IN_PROGRESS, clock)
    with pytest.raises(TransitionRefused) as refused:
        orders.transition(actors["admin"], number, Status.COMPLETED)
    shown = messages.explain(refused.value)
    assert "• keine Arbeitszeit erfasst" in shown.splitlines()
    assert "labour" not in shown

    orders.transition(actors["admin"], number, Status.ON_HOLD, hold_reason=HoldReason.PARTS)
    with pytest.raises(TransitionRefused) as refused:
        orders.transition(actors["admin"], number, Status.COMPLETED)
    assert "• er ist zurückgestellt; möglich ist nur: in Arbeit, storniert" in messages.explain(
        refused.value
    )


def test_a_phrase_says_its_values_in_german_numbers_words_and_lists(german) -> None:
    phrase = Phrase(
        "{number} is {status}: no more parts can be booked on it",
        number="WO-2026-000001",
        status=Status.CLOSED,
    )
    assert i18n.say(phrase) == (
        "WO-2026-000001 ist geschlossen: darauf können keine Teile mehr gebucht werden"
    )
    rule = Phrase("needs {rules}", rules=Listing(("no user name in it", "later"), " and "))
    assert i18n.say(rule) == "braucht keinen Benutzernamen darin und später"
    wraps = Phrase(
        "the counter wraps at {rollover}: a reading must be below it", rollover=Amount(2.5, None)
    )
    assert str(wraps) == "the counter wraps at 2.5: a reading must be below it"
    assert i18n.say(wraps) == "der Zähler springt bei 2,5 zurück: ein Stand muss darunter liegen"


def test_a_refused_role_names_the_action_in_the_user_s_language(actors, german) -> None:
    with pytest.raises(PermissionDenied) as refused:
        require(actors["tina"], Action.MANAGE_USERS)
    assert str(refused.value) == "tina (technician) may not manage users"
    assert i18n.say_error(refused.value) == "tina (Techniker) darf nicht: Benutzer verwalten"


def test_a_date_in_a_refusal_is_shown_in_the_locale_s_format(german) -> None:
    refusal = Phrase(
        "no working day within a year of {day}: check the site calendar", day=date(2026, 12, 5)
    )
    assert str(refusal) == "no working day within a year of 2026-12-05: check the site calendar"
    assert i18n.say(refusal).startswith("kein Arbeitstag innerhalb eines Jahres ab 05.12.2026")
