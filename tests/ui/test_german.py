"""The German build: the navigation, the Setup page and a record form read in German."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QLabel, QPushButton

from ui import i18n
from ui.main_window import MainWindow
from ui.setup.panel import SetupPanel


@pytest.fixture
def german(qapp) -> Iterator[None]:
    """German for one test, English again after it (the translators are process-wide)."""
    assert i18n.install("de") == "de"
    yield
    i18n.install(i18n.SOURCE_LANGUAGE)


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
