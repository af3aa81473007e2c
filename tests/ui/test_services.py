"""The office app's panels take their services from one place, built with the shared clock."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

from desktop.services.orders.work_order_records import WorkOrderDraft
from ui.context import AppContext

UI = Path(__file__).resolve().parents[2] / "ui"
# Built before a login exists (start, login, first start, self-test), or separate apps with
# their own database handle and clock (the control-room display and the kiosk).
OWN_SERVICES = {
    "services.py",
    "app.py",
    "opening.py",
    "login_dialog.py",
    "first_start.py",
    "self_test.py",
}
OWN_APPS = {"display", "kiosk"}


def _constructions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.relative_to(UI.parent)}:{node.lineno}: {ast.unparse(node.func)}(...)"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id.endswith("Service")
    ]


def test_panels_never_build_a_service_of_their_own():
    found = [
        hit
        for path in sorted(UI.rglob("*.py"))
        if path.name not in OWN_SERVICES and not OWN_APPS & set(path.relative_to(UI).parts)
        for hit in _constructions(path)
    ]
    assert found == [], "take it from context.services instead:\n" + "\n".join(found)


def test_services_date_records_with_the_context_clock_even_after_it_is_replaced(actors, db):
    context = AppContext(db, actors["paula"], Path("."))
    assert context.services.work_orders is context.services.work_orders  # built once
    at = datetime(2031, 5, 4, 8, 0, tzinfo=UTC)
    context.clock = lambda: at

    created = context.services.work_orders.create(
        actors["paula"], WorkOrderDraft("Seal leaks at the flange", "P-101")
    )

    assert context.services.work_orders.get(created.work_order.number).row.requested_at == at
