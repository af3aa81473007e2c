"""Work done by other OS processes in the condition-monitoring tests (importable by spawn)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from desktop.services.admin.users import UserService
from desktop.services.condition.alarms import AlarmService, Evidence
from desktop.store.database import Database

if TYPE_CHECKING:
    from multiprocessing.synchronize import Barrier


def raise_alarm(url: str, username: str, rule_id: int, barrier: Barrier) -> str | None:
    """One monitoring workstation raising the rule's alarm; the work order number or None."""
    db = Database(url)
    try:
        actor = UserService(db).actor_for(username)
        barrier.wait()
        alarm = AlarmService(db).raise_alarm(
            actor, rule_id, datetime.now(UTC), 7.5, f"seen by {username}", Evidence(b"t,v\n")
        )
        return None if alarm is None else alarm.work_order_number
    finally:
        db.dispose()
