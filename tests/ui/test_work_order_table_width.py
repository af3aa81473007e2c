"""The Work orders page fits a 1280 px laptop window in German without clipping a filter: the
filter row wraps onto a second line instead of widening the window (issue 18)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

from desktop.domain.enums import Role
from desktop.services.admin.users import NewUser, UserService
from ui import i18n
from ui.main_window import MainWindow
from ui.work_orders.table_panel import WorkOrderTablePanel

LAPTOP = (1280, 720)
NEW_PASSWORD = "Gl4sses-on-the-bench"


@pytest.fixture
def german(qapp) -> Iterator[None]:
    assert i18n.install("de") == "de"
    yield
    i18n.install(i18n.SOURCE_LANGUAGE)


@pytest.fixture
def long_names(app_context, actors) -> None:
    """A technician with a long name, as the demo plant has: the assignee filter grows."""
    UserService(app_context.db).create(
        actors["admin"],
        NewUser(
            "mwisniewska",
            "Małgorzata Wiśniewska-Kowalczyk",
            Role.TECHNICIAN,
            NEW_PASSWORD,
            craft="mechanical",
        ),
    )


def clipped(filters: QWidget) -> list[str]:
    """Filter widgets narrower than they ask for, or reaching past the row's right edge."""
    found = []
    for widget in filters.findChildren(QWidget):
        if widget.parentWidget() is not filters or not widget.isVisible():
            continue
        wanted = min(widget.sizeHint().width(), widget.maximumWidth())
        geometry = widget.geometry()
        if geometry.width() < wanted or geometry.right() > filters.width():
            found.append(f"{type(widget).__name__} {geometry.width()} of {wanted}")
    return found


def test_the_german_work_orders_page_asks_for_at_most_1280_px(
    qtbot, app_context, long_names, german
) -> None:
    panel = WorkOrderTablePanel(app_context)
    qtbot.addWidget(panel)
    assert panel.minimumSizeHint().width() <= LAPTOP[0]


@pytest.mark.parametrize("width", [1280, 1366])
def test_the_german_work_orders_page_fits_a_laptop_window_unclipped(
    qtbot, app_context, long_names, german, tmp_path, width
) -> None:
    settings = QSettings(str(tmp_path / "workstation.ini"), QSettings.Format.IniFormat)
    window = MainWindow(app_context, settings, "SQLite: test", watch=False)
    qtbot.addWidget(window)
    window.resize(width, LAPTOP[1])
    window.show()
    panel = window.show_page("work_orders")
    QApplication.processEvents()  # the combos' first-show sizes reach the layout

    assert window.width() == width
    assert not clipped(panel.filters)
    # The filters took a second line rather than the window's width.
    assert panel.filters.status.y() < panel.filters.closed.y()


def test_the_filters_stay_one_line_on_a_wide_english_screen(
    qtbot, app_context, long_names, tmp_path
) -> None:
    settings = QSettings(str(tmp_path / "workstation.ini"), QSettings.Format.IniFormat)
    window = MainWindow(app_context, settings, "SQLite: test", watch=False)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    filters = window.show_page("work_orders").filters
    QApplication.processEvents()
    assert not clipped(filters)
    centres = {
        w.geometry().center().y() for w in (filters.search, filters.assignee, filters.closed)
    }
    assert max(centres) - min(centres) <= 1
