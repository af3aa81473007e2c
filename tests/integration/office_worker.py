"""An office workstation as a real OS process, driven line by line by the multi-workstation test.

`python -m tests.integration.office_worker DATA_DIR USER` finds its database the way the
desktop app does (DATA_DIR/workstation.ini), then answers one JSON command per input line
with one JSON line, so the test decides when each change happens.
"""

from __future__ import annotations

import json
import signal
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from desktop.domain.enums import HoldReason, Status
from desktop.domain.errors import ConflictError
from desktop.services.admin import workstation_settings
from desktop.services.admin.users import UserService
from desktop.services.orders.work_order_records import WorkOrderDraft
from desktop.services.orders.work_orders import WorkOrderService
from desktop.store.database import Database, redact_url


def handle(service: WorkOrderService, actor: Any, command: dict[str, Any]) -> dict[str, Any]:
    op, number = command["op"], command.get("number", "")
    if op == "create":
        row = service.create(actor, WorkOrderDraft(command["title"], command["asset"])).work_order
        return {"number": row.number, "version": row.version, "status": row.status.value}
    if op == "open":
        row = service.get(number).row
        return {"version": row.version, "title": row.title}
    if op == "schedule":
        row = service.get(number).row
        start = datetime.now(UTC) + timedelta(hours=1)
        row = service.update(
            actor,
            number,
            row.version,
            {
                "scheduled_start": start,
                "scheduled_end": start + timedelta(hours=2),
                "estimate_hours": 2.0,
            },
        )
        service.assign(actor, number, row.version, ["tom"])
        row = service.transition(actor, number, Status.SCHEDULED)
        return {"status": row.status.value, "version": row.version}
    if op == "move":
        target = Status(command["status"])
        hold = HoldReason.PARTS if target is Status.ON_HOLD else None
        row = service.transition(actor, number, target, note="by the office", hold_reason=hold)
        return {"status": row.status.value, "version": row.version}
    if op == "save_title":
        try:
            row = service.update(actor, number, command["version"], {"title": command["title"]})
        except ConflictError as conflict:
            return {
                "result": "conflict",
                "changed_by": conflict.changed_by,
                "message": str(conflict),
            }
        return {"result": "saved", "version": row.version}
    raise ValueError(f"unknown command {op!r}")


def main(data_dir: Path, username: str) -> None:
    # Started by a CI shell's background job, the process inherits SIGINT ignored; the test
    # stops it with SIGINT.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    settings = workstation_settings.load(data_dir)
    choice = workstation_settings.choose_database(None, data_dir, settings)
    db = Database(choice.url)
    try:
        service = WorkOrderService(db)
        actor = UserService(db).actor_for(username)
        print(json.dumps({"ready": redact_url(choice.url)}), flush=True)
        for line in sys.stdin:
            command = json.loads(line)
            if command["op"] == "quit":
                break
            print(json.dumps(handle(service, actor, command)), flush=True)
    finally:
        db.dispose()


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
