"""Which events notify whom: event kinds, their audience, the escalation ladder, retry pacing.

Events come from two places: changes in the audit trail (a request raised, an assignment, a hold
for parts, an alarm, a requisition for low stock) and the clock (due soon, overdue, an urgent
order not started in time). Each event has a key that names it uniquely, so every process that
sees it derives the same key and the database keeps it once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from desktop.domain.enums import Role


class EventKind(StrEnum):
    REQUEST_RAISED = "request_raised"
    ASSIGNED = "assigned"
    EMERGENCY = "emergency"
    ON_HOLD_PARTS = "on_hold_parts"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    LOW_STOCK = "low_stock"
    ALARM = "alarm"
    ESCALATED = "escalated"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    EventKind.REQUEST_RAISED: "request raised",
    EventKind.ASSIGNED: "assigned to you",
    EventKind.EMERGENCY: "emergency",
    EventKind.ON_HOLD_PARTS: "on hold for parts",
    EventKind.DUE_SOON: "due soon",
    EventKind.OVERDUE: "overdue",
    EventKind.LOW_STOCK: "low stock",
    EventKind.ALARM: "condition alarm",
    EventKind.ESCALATED: "escalated",
}

_OFFICE = frozenset({Role.PLANNER, Role.SUPERVISOR})

AUDIENCE: dict[EventKind, frozenset[Role]] = {
    EventKind.REQUEST_RAISED: _OFFICE,
    EventKind.ASSIGNED: frozenset(),  # the assignees named in the event only
    EventKind.EMERGENCY: _OFFICE,
    EventKind.ON_HOLD_PARTS: frozenset({Role.PLANNER}),  # planners buy the parts
    EventKind.DUE_SOON: frozenset(),  # the assignees, or the planners when nobody is assigned
    EventKind.OVERDUE: frozenset({Role.PLANNER}),
    EventKind.LOW_STOCK: frozenset({Role.PLANNER}),
    EventKind.ALARM: _OFFICE,
    EventKind.ESCALATED: frozenset({Role.SUPERVISOR}),
}
"""Roles told of each event by default, besides the users an event names itself."""

ESCALATION_LADDER: dict[int, timedelta] = {
    1: timedelta(minutes=30),
    2: timedelta(hours=4),
}
"""Priority → time from request to start after which the supervisors are told."""

DUE_SOON_WINDOW = timedelta(hours=24)
DIGEST_EVERY = timedelta(hours=1)
LEASE = timedelta(seconds=60)
"""How long a process may hold a message it is sending before another may take it over."""


@dataclass(frozen=True)
class Event:
    """Something a person should hear about; `key` is the same in every process that sees it."""

    key: str
    kind: EventKind
    entity_type: str
    entity_id: str
    subject: str
    body: str
    usernames: tuple[str, ...] = ()
    """Users the event names itself (the new assignee, an order's crew)."""
    roles: frozenset[Role] = frozenset()


def _event(
    kind: EventKind,
    key: str,
    entity: tuple[str, str],
    subject: str,
    body: str,
    usernames: tuple[str, ...] = (),
) -> Event:
    return Event(key, kind, entity[0], entity[1], subject, body, usernames, AUDIENCE[kind])


def _order_line(order: dict[str, Any]) -> str:
    return f"{order.get('number', '?')} {order.get('title', '')}".strip()


def events_from_change(
    seq: int,
    action: str,
    entity_type: str,
    entity_id: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> list[Event]:
    """The events one audit entry means; its sequence number makes the keys unique."""
    after = after or {}
    before = before or {}
    if entity_type == "work_order":
        return _work_order_events(seq, action, entity_id, before, after)
    if entity_type == "alarm" and action == "raise":
        subject = f"Alarm: {after.get('message') or after.get('rule') or entity_id}"
        return [
            _event(
                EventKind.ALARM,
                f"alarm:{entity_id}",
                ("alarm", entity_id),
                subject,
                _describe(after),
            )
        ]
    if entity_type == "requisition" and action == "raise requisition":
        part = after.get("part") or after.get("part_number") or entity_id
        subject = f"Low stock: {part}"
        return [
            _event(
                EventKind.LOW_STOCK,
                f"low_stock:{entity_id}",
                ("requisition", entity_id),
                subject,
                _describe(after),
            )
        ]
    return []


def _work_order_events(
    seq: int, action: str, number: str, before: dict[str, Any], after: dict[str, Any]
) -> list[Event]:
    entity = ("work_order", number)
    line = _order_line(after | {"number": number})
    events: list[Event] = []
    if action == "create":
        events.append(
            _event(
                EventKind.REQUEST_RAISED,
                f"request_raised:{number}",
                entity,
                f"New request {line}",
                _describe(after),
            )
        )
        if after.get("priority") == 1 or after.get("type") == "emergency":
            events.append(
                _event(
                    EventKind.EMERGENCY,
                    f"emergency:{number}",
                    entity,
                    f"EMERGENCY {line}",
                    _describe(after),
                )
            )
    if action == "assign":
        added = tuple(
            sorted(set(after.get("assignees") or ()) - set(before.get("assignees") or ()))
        )
        if added:
            events.append(
                _event(
                    EventKind.ASSIGNED,
                    f"assigned:{number}:{seq}",
                    entity,
                    f"Assigned to you: {line}",
                    _describe(after),
                    added,
                )
            )
    held = after.get("status") == "on_hold" and after.get("hold_reason") == "parts"
    was_held = before.get("status") == "on_hold" and before.get("hold_reason") == "parts"
    if held and not was_held:
        events.append(
            _event(
                EventKind.ON_HOLD_PARTS,
                f"on_hold_parts:{number}:{seq}",
                entity,
                f"On hold for parts: {line}",
                _describe(after),
            )
        )
    raised_to_emergency = after.get("priority") == 1 and before.get("priority") not in (None, 1)
    if action != "create" and raised_to_emergency:
        events.append(
            _event(
                EventKind.EMERGENCY,
                f"emergency:{number}",
                entity,
                f"EMERGENCY {line}",
                _describe(after),
            )
        )
    return events


def _describe(values: dict[str, Any]) -> str:
    shown = (
        "number",
        "title",
        "type",
        "priority",
        "status",
        "due_at",
        "hold_reason",
        "message",
        "rule",
        "part",
        "quantity",
        "reason",
        "work_order",
    )
    return "\n".join(f"{key}: {values[key]}" for key in shown if values.get(key) is not None)


@dataclass(frozen=True)
class OpenOrder:
    """What the clock-driven events need of an open order."""

    number: str
    title: str
    priority: int
    status: str
    requested_at: datetime
    due_at: datetime | None
    started_at: datetime | None
    assignees: tuple[str, ...]


def time_events(order: OpenOrder, now: datetime) -> list[Event]:
    """Due soon, overdue and escalation events an open order has reached by `now`.

    Keys carry the due time, so moving the due date makes the order eligible again.
    """
    entity = ("work_order", order.number)
    line = f"{order.number} {order.title}"
    due = order.due_at
    body = f"priority: {order.priority}\nstatus: {order.status}\ndue_at: {due}"
    events: list[Event] = []
    crew = order.assignees
    if due is not None and now >= due:
        events.append(
            _event(
                EventKind.OVERDUE,
                f"overdue:{order.number}:{due.isoformat()}",
                entity,
                f"Overdue: {line}",
                body,
                crew,
            )
        )
    elif due is not None and due - now <= DUE_SOON_WINDOW:
        # Nobody assigned: the planners have to find someone.
        soon = _event(
            EventKind.DUE_SOON,
            f"due_soon:{order.number}:{due.isoformat()}",
            entity,
            f"Due soon: {line}",
            body,
            crew,
        )
        if not crew:
            soon = Event(**{**soon.__dict__, "roles": frozenset({Role.PLANNER})})
        events.append(soon)
    limit = ESCALATION_LADDER.get(order.priority)
    if limit is not None and order.started_at is None and now - order.requested_at >= limit:
        minutes = int(limit.total_seconds() // 60)
        events.append(
            _event(
                EventKind.ESCALATED,
                f"escalated:{order.number}:p{order.priority}",
                entity,
                f"Not started after {minutes} min: {line}",
                f"priority {order.priority} orders should start within {minutes} minutes\n{body}",
            )
        )
    return events


def retry_delay(attempts: int, base: timedelta) -> timedelta:
    """Exponential backoff after the n-th failed attempt, capped at an hour."""
    delay: timedelta = base * (2 ** max(attempts - 1, 0))
    return min(delay, timedelta(hours=1))
