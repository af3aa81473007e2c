"""The work-order table: lazy paging, sorting and filtering in the query, bulk actions."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from desktop.domain.enums import Status
from desktop.services.orders.work_orders import WorkOrderService
from tests.integration.workflow import raise_order
from ui.work_orders.table_model import PAGE_SIZE, WorkOrderTableModel
from ui.work_orders.table_panel import WorkOrderTablePanel


@pytest.fixture
def service(db, clock):
    return WorkOrderService(db, clock)


@pytest.fixture
def panel(qtbot, app_context):
    widget = WorkOrderTablePanel(app_context)
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    widget.show()
    return widget


def _select(panel, rows):
    selection = panel.table.selectionModel()
    selection.clearSelection()
    for row in rows:
        selection.select(
            panel.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )


def test_model_passes_qt_model_tester(qtmodeltester, service, actors, clock):
    for _ in range(3):
        raise_order(service, actors["admin"])
    model = WorkOrderTableModel(service, clock)
    model.load()
    qtmodeltester.check(model)


def test_sorting_by_a_header_click_reorders_in_the_query(qtbot, panel, service, actors, clock):
    first = raise_order(service, actors["admin"], "P-101").number
    clock.advance(hours=1)
    second = raise_order(service, actors["admin"], "C-201").number
    panel.refresh()
    assert [panel.model.row_at(r).number for r in range(2)] == [second, first]  # newest first
    panel.table.sortByColumn(5, Qt.SortOrder.AscendingOrder)  # asset code
    assert [panel.model.row_at(r).number for r in range(2)] == [second, first]  # C-201, P-101
    panel.table.sortByColumn(5, Qt.SortOrder.DescendingOrder)
    assert [panel.model.row_at(r).number for r in range(2)] == [first, second]


def test_bulk_move_reports_each_refusal(qtbot, panel, service, actors):
    numbers = [raise_order(service, actors["admin"]).number for _ in range(3)]
    service.transition(actors["admin"], numbers[0], Status.APPROVED)
    panel.refresh()
    _select(panel, range(3))
    assert panel.assign_button.isEnabled()
    box = panel.move_rows(panel.selected_rows(), Status.APPROVED)
    assert box.text().startswith("Moved 2 of 3 to approved")
    assert f"Cannot move to approved {numbers[0]}" in box.text()
    assert "it is approved, which can move to scheduled" in box.text()
    assert {service.get(n).row.status for n in numbers} == {Status.APPROVED}


def test_bulk_assign_warns_of_double_booking(qtbot, panel, service, actors, clock):
    from datetime import timedelta

    admin = actors["admin"]
    numbers = [raise_order(service, admin).number for _ in range(2)]
    start = clock() + timedelta(hours=1)
    for number in numbers:
        row = service.get(number).row
        service.update(
            admin,
            number,
            row.version,
            {"scheduled_start": start, "scheduled_end": start + timedelta(hours=2)},
        )
    busy = raise_order(service, admin, "C-201").number
    row = service.get(busy).row
    plan = {
        "scheduled_start": start,
        "scheduled_end": start + timedelta(hours=2),
        "estimate_hours": 2.0,
    }
    row = service.update(admin, busy, row.version, plan)
    service.assign(admin, busy, row.version, ["tom"])
    service.transition(admin, busy, Status.APPROVED)
    service.transition(admin, busy, Status.SCHEDULED)
    panel.refresh()
    rows = [r for r in (panel.model.row_at(i) for i in range(3)) if r.number in numbers]
    box = panel.assign_rows(rows, ["tom", "tina"], "tina")
    assert box.text().startswith("Assigned 2 of 2")
    assert f"tom is already booked on {busy} at that time" in box.text()
    lead = [a for a in service.get(numbers[0]).assignees if a.is_lead]
    assert [a.username for a in lead] == ["tina"]


def test_viewer_bulk_assign_is_refused_by_the_service(qtbot, app_context, service, actors):
    number = raise_order(service, actors["admin"]).number
    app_context.actor = actors["vic"]
    panel = WorkOrderTablePanel(app_context)
    qtbot.addWidget(panel)
    box = panel.assign_rows([panel.model.row_at(0)], ["tom"], None)
    assert box.text().startswith("Assigned 0 of 1")
    assert service.get(number).assignees == ()


def test_status_filter_and_search(qtbot, panel, service, actors):
    admin = actors["admin"]
    keep = raise_order(service, admin).number
    other = raise_order(service, admin, "C-201").number
    service.transition(admin, other, Status.APPROVED)
    panel.filters.status.setCurrentIndex(panel.filters.status.findData(Status.APPROVED))
    assert panel.model.total == 1
    assert panel.model.row_at(0).number == other
    panel.filters.status.setCurrentIndex(0)
    qtbot.keyClicks(panel.filters.search, keep[-4:])
    assert [panel.model.row_at(r).number for r in range(panel.model.rowCount())] == [keep]
    assert panel.count.text() == "1 work orders"


def test_header_layout_is_remembered(qtbot, app_context, tmp_path):
    from PySide6.QtCore import QSettings

    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    first = WorkOrderTablePanel(app_context)
    qtbot.addWidget(first)
    first.table.setColumnWidth(1, 420)
    first.table.sortByColumn(7, Qt.SortOrder.AscendingOrder)
    first.save_state(settings)
    second = WorkOrderTablePanel(app_context)
    qtbot.addWidget(second)
    second.restore_state(settings)
    assert second.table.columnWidth(1) == 420
    assert (second.model.sort_key, second.model.descending) == ("due", False)


def test_a_hundred_thousand_orders_page_in_lazily(qtbot, big_demo_context):
    panel = WorkOrderTablePanel(big_demo_context)
    qtbot.addWidget(panel)
    panel.filters.closed.setChecked(True)
    model = panel.model
    assert model.total >= 100_000
    assert model.rowCount() == PAGE_SIZE
    assert model.canFetchMore()
    panel.table.scrollToBottom()
    model.fetchMore()
    assert model.rowCount() >= 2 * PAGE_SIZE
    numbers = [model.row_at(r).number for r in range(model.rowCount())]
    assert numbers == sorted(numbers, reverse=True)  # one order across pages
    panel.table.sortByColumn(7, Qt.SortOrder.AscendingOrder)  # due, over all 100k in SQL
    dues = [model.row_at(r).due_at for r in range(model.rowCount()) if model.row_at(r).due_at]
    assert dues == sorted(dues)
    qtbot.keyClicks(panel.filters.search, "bearing")
    assert 0 < model.total < 100_000
    assert all(
        "bearing" in (model.row_at(r).title + model.row_at(r).number).lower()
        or "bearing" in model.row_at(r).asset_code.lower()
        for r in range(model.rowCount())
    )


def _chosen(panel) -> list[str]:
    return [row.number for row in panel.selected_rows()]


def test_another_workstations_edit_keeps_the_selection_and_shows_the_change(
    qtbot, panel, service, actors
):
    numbers = [raise_order(service, actors["admin"]).number for _ in range(3)]
    panel.refresh()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in (0, 2):
        panel.table.selectionModel().select(panel.model.index(row, 0), flags)
    panel.table.selectionModel().setCurrentIndex(
        panel.model.index(2, 1), QItemSelectionModel.SelectionFlag.NoUpdate
    )
    chosen = _chosen(panel)
    edited = panel.model.row_at(1)
    resets = []
    panel.model.modelReset.connect(lambda: resets.append(True))

    service.update(actors["sam"], edited.number, edited.version, {"title": "Renamed elsewhere"})
    panel.refresh()

    assert resets == []  # updated in place, not rebuilt
    assert _chosen(panel) == chosen
    assert panel.table.currentIndex().row() == 2
    assert panel.model.row_at(1).title == "Renamed elsewhere"
    assert sorted(chosen) == sorted([numbers[0], numbers[2]])


def test_a_new_order_elsewhere_rebuilds_the_list_but_reselects_by_number(
    qtbot, panel, service, actors
):
    for _ in range(3):
        raise_order(service, actors["admin"])
    panel.refresh()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    panel.table.selectionModel().select(panel.model.index(1, 0), flags)
    chosen = _chosen(panel)

    newest = raise_order(service, actors["sam"]).number  # sorts first: newest number on top
    panel.refresh()

    assert panel.model.row_at(0).number == newest
    assert _chosen(panel) == chosen
    assert panel.model.row_of(chosen[0]) == 2
