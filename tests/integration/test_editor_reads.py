"""What the work-order editor reads besides the order: its audit entries and the templates."""

from __future__ import annotations

from desktop.services.orders.checklist_templates import ChecklistTemplateService
from desktop.services.orders.work_orders import WorkOrderService
from desktop.services.shared import audit
from tests.integration.workflow import raise_order


def test_audit_entries_of_one_work_order_name_the_changed_fields(db, actors, clock):
    service = WorkOrderService(db, clock)
    number = raise_order(service, actors["paula"]).number
    other = raise_order(service, actors["paula"], asset="C-201").number
    version = service.get(number).row.version
    clock.advance(minutes=5)
    service.update(actors["sam"], number, version, {"title": "Seal leaking badly"})

    entries = audit.entries_for(db, "work_order", number)

    assert [(e.action, e.username) for e in entries] == [("create", "paula"), ("update", "sam")]
    assert entries[0].seq < entries[1].seq
    assert entries[1].at == clock()
    assert entries[1].changes == {"title": ("Seal leaking", "Seal leaking badly")}
    assert entries[0].changes["title"] == (None, "Seal leaking")
    assert all(e.action == "create" for e in audit.entries_for(db, "work_order", other))


def test_changed_fields_of_an_entry_without_before_lists_the_new_values():
    assert audit.changed_fields(None, {"hours": 1.5}) == {"hours": (None, 1.5)}
    assert audit.changed_fields({"a": 1, "b": 2}, {"a": 1, "b": 3}) == {"b": (2, 3)}


def test_lists_active_checklist_templates_with_their_size(db):
    templates = ChecklistTemplateService(db).list()
    assert [(t.code, t.item_count, t.safety) for t in templates] == [
        ("CL-LOTO", 1, True),
        ("CL-PUMP", 4, False),
    ]
    assert templates[1].asset_class == "pump"
