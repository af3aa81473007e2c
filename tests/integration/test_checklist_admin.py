"""Checklist templates changed and retired; orders raised before keep the items they copied."""

from __future__ import annotations

import pytest

from desktop.domain.enums import ChecklistItemKind
from desktop.domain.errors import ConflictError, PermissionDenied, ValidationFailed
from desktop.services.orders.checklist_templates import (
    ChecklistTemplateService,
    NewTemplate,
    TemplateItem,
)
from desktop.services.orders.work_orders import WorkOrderService
from tests.integration.workflow import raise_order

pytestmark = pytest.mark.both_engines

STEPS = (
    TemplateItem(ChecklistItemKind.CHECK, "no leaks"),
    TemplateItem(ChecklistItemKind.MEASUREMENT, "bearing temperature", "°C", 10, 70),
    TemplateItem(ChecklistItemKind.SIGNATURE, "technician sign-off"),
)


def test_a_changed_template_reaches_new_orders_only(db, clock, actors):
    service = ChecklistTemplateService(db, clock)
    work = WorkOrderService(db, clock)
    before = raise_order(work, actors["paula"], checklist_codes=("CL-PUMP",))
    revision = service.revisions()["CL-PUMP"]

    view = service.update(
        actors["paula"], "CL-PUMP", revision, NewTemplate("CL-PUMP", "Pump check", STEPS, "pump")
    )

    assert view.items == STEPS
    after = raise_order(work, actors["paula"], "C-201", checklist_codes=("CL-PUMP",))
    assert [i.text for i in work.get(before.number).checklist][:2] == [
        "no leaks",
        "bearing temperature",
    ]
    assert len(work.get(before.number).checklist) == 4
    assert [i.text for i in work.get(after.number).checklist] == [s.text for s in STEPS]
    with pytest.raises(ConflictError):
        service.update(actors["paula"], "CL-PUMP", revision, NewTemplate("CL-PUMP", "x", STEPS))


def test_refusals_and_retiring(db, clock, actors):
    service = ChecklistTemplateService(db, clock)
    revision = service.revisions()["CL-PUMP"]
    bad = (TemplateItem(ChecklistItemKind.MEASUREMENT, "speed", "rpm", 90, 10),)
    with pytest.raises(ValidationFailed) as refused:
        service.update(actors["paula"], "CL-PUMP", revision, NewTemplate("CL-PUMP", "", bad))
    assert refused.value.problems == {
        "name": "required",
        "item 1": '"speed": the low limit is above the high limit',
    }
    with pytest.raises(PermissionDenied):
        service.set_active(actors["tom"], "CL-PUMP", revision, False)
    service.set_active(actors["paula"], "CL-PUMP", revision, False)
    assert "CL-PUMP" not in [t.code for t in service.list()]
