"""Desktop notices for the logged-in planner, and the outbox dialog."""

from __future__ import annotations

from desktop.domain.notifications import EventKind
from desktop.services.admin.notifications import Notice
from desktop.services.orders.work_order_records import WorkOrderDraft
from desktop.services.orders.work_orders import WorkOrderService
from ui.notices import NoticeWatcher, OutboxDialog, summary


def test_a_request_by_a_technician_reaches_the_planner_once(qtbot, app_context, actors, clock):
    number = (
        WorkOrderService(app_context.db, clock)
        .create(actors["tom"], WorkOrderDraft("Pump leaks", "P-101"))
        .work_order.number
    )
    watcher = NoticeWatcher(app_context)
    with qtbot.waitSignal(watcher.sig_notices_arrived) as arrived:
        watcher.poll()
    (notice,) = arrived.args[0]
    assert notice.kind is EventKind.REQUEST_RAISED
    assert number in notice.subject
    with qtbot.assertNotEmitted(watcher.sig_notices_arrived):
        watcher.poll()
    dialog = OutboxDialog(app_context)
    qtbot.addWidget(dialog)
    shown = {
        (dialog.table.item(r, 1).text(), dialog.table.item(r, 3).text())
        for r in range(dialog.table.rowCount())
    }
    assert shown == {("paula", "request_raised"), ("sam", "request_raised")}


def test_many_notices_are_counted_by_kind():
    notices = [
        Notice(EventKind.OVERDUE, f"Overdue: WO-{n}", "", "work_order", str(n)) for n in range(5)
    ]
    notices.append(Notice(EventKind.ALARM, "Alarm: vibration", "", "alarm", "1"))
    assert summary(notices) == ("6 notifications", "5 overdue, 1 condition alarm")
    assert summary(notices[:1]) == ("Overdue: WO-0", "Overdue: WO-0")
