"""Four work orders on the seeded line with hand-timed labour and downtime, for history tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from desktop.domain.enums import Status, WorkOrderType
from desktop.domain.permissions import Actor
from desktop.services.orders.work_orders import WorkOrderService
from desktop.store.database import Database
from tests.conftest import FakeClock
from tests.integration.workflow import drive_to, raise_order

# Seeded technicians tom and tina both earn 40.0 an hour; drive_to books 1.5 h for tom on
# completion and sets failure mode ELP on failure orders.
RATE = 40.0


def build_plant(db: Database, actors: dict[str, Actor], clock: FakeClock) -> dict[str, Any]:
    """Four orders on the seeded line, timed by hand (clock starts 2026-03-02 08:00 UTC).

    A  P-101  corrective failure, raised 08:00; unplanned down 09:00-13:00 (4 h), planned down
              14:00-15:00 (1 h); labour tina 2 h + tom 1.5 h; completed 18:20; mode ELP.
    B  M-101  emergency (a failure), raised 18:20, completed 18:40, no downtime; tom 1.5 h;
              mode changed to VIB after completion.
    C  P-101  preventive, raised 18:40, in progress from 18:55; tina 1 h; planned down from 18:55,
              still open.
    D  C-201  corrective failure, raised 18:55, completed 19:15, no downtime; tom 1.5 h; ELP.
    The clock then stands at 19:55, so C's open period has lasted exactly 1 h.
    """
    service = WorkOrderService(db, clock)
    admin = actors["admin"]
    t0 = clock()
    a = raise_order(service, admin, "P-101", is_failure=True).number
    clock.now = t0 + timedelta(hours=10)
    service.add_downtime(admin, a, t0 + timedelta(hours=1), t0 + timedelta(hours=5), False, "leak")
    service.add_downtime(admin, a, t0 + timedelta(hours=6), t0 + timedelta(hours=7), True, "swap")
    service.log_labour(admin, a, "tina", t0.date(), 2.0)
    drive_to(service, admin, a, Status.COMPLETED, clock)

    b = raise_order(service, admin, "M-101", WorkOrderType.EMERGENCY).number
    row = drive_to(service, admin, b, Status.COMPLETED, clock)
    service.update(admin, b, row.version, {"failure_mode": "VIB"})

    c = raise_order(service, admin, "P-101", WorkOrderType.PREVENTIVE).number
    drive_to(service, admin, c, Status.IN_PROGRESS, clock)
    service.log_labour(admin, c, "tina", t0.date(), 1.0)
    service.add_downtime(admin, c, clock(), None, True, "planned stop")

    d = raise_order(service, admin, "C-201", is_failure=True).number
    drive_to(service, admin, d, Status.COMPLETED, clock)
    clock.now = t0 + timedelta(hours=11, minutes=55)
    return {"t0": t0, "A": a, "B": b, "C": c, "D": d}
