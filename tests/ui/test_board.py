"""The lifecycle board as a planner uses it: columns, filters, dragging cards, refusals."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from desktop.domain.enums import HoldReason, Priority, Stage, Status, WorkOrderType
from desktop.services.orders.work_order_records import WorkOrderDraft
from desktop.services.orders.work_orders import WorkOrderService
from tests.integration.workflow import drive_to, raise_order
from tests.ui.board_helpers import drag_card
from ui.board.board_panel import BoardPanel


@pytest.fixture
def service(db, clock):
    return WorkOrderService(db, clock)


@pytest.fixture
def board(qtbot, app_context):
    panel = BoardPanel(app_context)
    qtbot.addWidget(panel)
    panel.resize(1400, 800)
    panel.show()
    return panel


def _numbers(board, stage):
    return [card.number for card in board.columns[stage].model.cards]


def test_each_stage_shows_its_orders_and_count(qtbot, service, actors, clock, app_context):
    admin = actors["admin"]
    requested = raise_order(service, admin).number
    approved = raise_order(service, admin, "C-201").number
    service.transition(admin, approved, Status.APPROVED)
    on_hold = raise_order(service, admin, "M-101").number
    drive_to(service, admin, on_hold, Status.ON_HOLD, clock)
    board = BoardPanel(app_context)
    qtbot.addWidget(board)
    assert _numbers(board, Stage.REQUEST) == [requested]
    assert _numbers(board, Stage.APPROVAL) == [approved]
    assert _numbers(board, Stage.EXECUTE) == [on_hold]
    assert board.columns[Stage.EXECUTE].header.text().startswith("Execution  ·  1")
    card = board.card(on_hold)
    assert card.waiting_for_parts  # held for parts: the card carries the flag
    assert card.assignee_initials == ("TO",)


def test_dragging_a_card_moves_the_work_order(qtbot, board, service, actors):
    number = raise_order(service, actors["admin"]).number
    board.refresh()
    drag_card(board, number, Stage.APPROVAL)
    assert service.get(number).row.status is Status.APPROVED
    assert _numbers(board, Stage.APPROVAL) == [number]
    assert _numbers(board, Stage.REQUEST) == []


def test_refused_drag_lists_what_is_missing_and_card_goes_back(qtbot, board, service, actors):
    number = raise_order(service, actors["admin"]).number
    service.transition(actors["admin"], number, Status.APPROVED)
    board.refresh()
    drag_card(board, number, Stage.SCHEDULE)
    box = board.last_message
    assert isinstance(box, QMessageBox)
    assert f"Cannot schedule {number}" in box.text()
    assert "no technician assigned" in box.text()
    assert "no scheduled start" in box.text()
    assert "no estimate hours" in box.text()
    box.close()
    assert service.get(number).row.status is Status.APPROVED
    assert _numbers(board, Stage.APPROVAL) == [number]
    assert _numbers(board, Stage.SCHEDULE) == []


def test_technician_cannot_approve_by_dragging(qtbot, app_context, service, actors):
    number = raise_order(service, actors["admin"]).number
    app_context.actor = actors["tom"]
    board = BoardPanel(app_context)
    qtbot.addWidget(board)
    drag_card(board, number, Stage.APPROVAL)
    assert "tom is a technician" in board.last_message.text()
    assert service.get(number).row.status is Status.REQUESTED


def test_search_as_you_type_and_pickers_filter_the_cards(qtbot, board, service, actors, clock):
    admin = actors["admin"]
    pump = service.create(admin, WorkOrderDraft("Pump seal weeping", "P-101")).work_order.number
    emergency = WorkOrderDraft(
        "Belt torn", "C-201", WorkOrderType.EMERGENCY, priority=Priority.EMERGENCY
    )
    conveyor = service.create(admin, emergency).work_order.number
    board.refresh()
    qtbot.keyClicks(board.filters.search, "seal")
    assert _numbers(board, Stage.REQUEST) == [pump]
    board.filters.search.clear()
    assert sorted(_numbers(board, Stage.REQUEST)) == sorted([pump, conveyor])
    board.filters.type.setCurrentIndex(board.filters.type.findData(WorkOrderType.EMERGENCY))
    assert _numbers(board, Stage.REQUEST) == [conveyor]
    board.filters.type.setCurrentIndex(0)
    board.filters.asset.setCurrentIndex(board.filters.asset.findData("P-101"))
    assert _numbers(board, Stage.REQUEST) == [pump]
    board.filters.asset.setCurrentIndex(board.filters.asset.findData("LINE"))  # subtree
    assert sorted(_numbers(board, Stage.REQUEST)) == sorted([pump, conveyor])
    board.filters.asset.setCurrentIndex(0)
    clock.advance(hours=5)  # the emergency was due in 4 hours, the corrective in 7 days
    board.filters.overdue.setChecked(True)
    assert _numbers(board, Stage.REQUEST) == [conveyor]


def test_closed_orders_only_when_asked(qtbot, board, service, actors, clock):
    number = raise_order(service, actors["admin"]).number
    drive_to(service, actors["admin"], number, Status.CLOSED, clock)
    board.refresh()
    assert board.columns[Stage.REVIEW].model.cards == ()
    board.filters.closed.setChecked(True)
    assert _numbers(board, Stage.REVIEW) == [number]


def test_hold_from_the_card_menu_and_resume_by_dragging(qtbot, board, service, actors, clock):
    number = raise_order(service, actors["admin"]).number
    drive_to(service, actors["admin"], number, Status.IN_PROGRESS, clock)
    board.refresh()
    assert board.move(board.card(number), Status.ON_HOLD, HoldReason.ACCESS)
    assert service.get(number).row.status is Status.ON_HOLD
    drag_card(board, number, Stage.COMPLETE)  # must resume first
    assert "on_hold, which can move to in_progress" in board.last_message.text()
    board.last_message.close()


def test_enter_on_a_card_opens_it(qtbot, board, service, actors):
    number = raise_order(service, actors["admin"]).number
    board.refresh()
    view = board.columns[Stage.REQUEST].view
    view.setFocus()
    view.setCurrentIndex(view.model().index(0))
    with qtbot.waitSignal(board.sig_work_order_opened) as opened:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert opened.args == [number]


def test_scheduled_order_short_of_parts_carries_the_flag(qtbot, board, service, actors, clock):
    from desktop.services.stock.inventory import InventoryService
    from tests.integration.stock import stock_room

    admin = actors["admin"]
    inventory = InventoryService(service._db, clock)
    stock_room(inventory, admin)  # P-1003 belts: none in stock
    number = raise_order(service, admin).number
    inventory.plan_part(admin, number, "P-1003", 2)
    drive_to(service, admin, number, Status.SCHEDULED, clock)
    board.refresh()
    assert board.card(number).waiting_for_parts
    assert board.stage_of(number) is Stage.SCHEDULE
