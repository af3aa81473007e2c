"""The parts tab of the work-order editor: plan, reserve on scheduling, issue, refusals."""

from __future__ import annotations

import pytest

from desktop.domain.enums import Status
from desktop.services.orders.work_orders import WorkOrderService
from desktop.services.stock.inventory import InventoryService
from tests.integration.stock import stock_room
from tests.integration.workflow import drive_to, prepare, raise_order
from ui.inventory.work_order_parts import WorkOrderPartsWidget


@pytest.fixture
def number(app_context, actors, clock):
    stock_room(InventoryService(app_context.db, clock), actors["admin"])
    orders = WorkOrderService(app_context.db, clock)
    number = raise_order(orders, actors["admin"]).number
    drive_to(orders, actors["admin"], number, Status.APPROVED, clock)
    return number


@pytest.fixture
def widget(qtbot, app_context, number):
    parts = WorkOrderPartsWidget(app_context, number)
    qtbot.addWidget(parts)
    return parts


def test_planned_parts_are_reserved_when_scheduled(qtbot, widget, app_context, actors, clock):
    qtmodel = widget.model
    widget.part.setCurrentText("P-1001")
    widget.quantity.setValue(7)
    with qtbot.waitSignal(widget.sig_parts_changed):
        widget.plan_button.click()
    assert (qtmodel.row_at(0).planned, qtmodel.row_at(0).reserved) == (7, 0)
    orders = WorkOrderService(app_context.db, clock)
    prepare(orders, actors["admin"], widget.number, Status.SCHEDULED, clock)
    orders.transition(actors["admin"], widget.number, Status.SCHEDULED)
    widget.refresh()
    assert (qtmodel.row_at(0).reserved, qtmodel.row_at(0).missing) == (5, 2)
    assert widget.summary.text() == "Parts cost 0.00; waiting for parts"


def test_issue_shows_cost_and_a_refusal_in_words(widget):
    widget.part.setCurrentText("P-1002")
    widget.bin.setCurrentText("A-13")
    widget.quantity.setValue(3)
    widget.issue_button.click()
    assert widget.summary.text() == "Parts cost 12.00"
    widget.quantity.setValue(30)
    widget.issue_button.click()
    assert widget.error.text() == "cannot issue P-1002: only 17 of 30 available in bin A-13"
    assert widget.model.row_at(0).issued == 3


def test_model_passes_the_model_tester(qtmodeltester, widget):
    widget.part.setCurrentText("P-1002")
    widget.plan_button.click()
    qtmodeltester.check(widget.model)
