"""Which roles may do what: one table, checked by every service before it writes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from desktop.domain.enums import Role
from desktop.domain.errors import PermissionDenied
from desktop.domain.phrases import Listing, Phrase


class Action(StrEnum):
    READ = "read"
    CREATE_WORK_ORDER = "create work orders"
    EDIT_WORK_ORDER = "edit work orders"
    LOG_WORK = "log labour, checklists, downtime and attachments"
    ASSIGN = "assign technicians"
    SET_FAILURE_FLAG = "change the failure flag"
    ADD_ADDENDUM = "add addenda to closed work orders"
    MANAGE_ASSETS = "manage assets"
    MANAGE_CHECKLISTS = "manage checklist templates"
    MANAGE_USERS = "manage users"
    # Preventive maintenance (issue 5)
    MANAGE_PM = "manage PM schedules, meters and the site calendar"
    RUN_PM = "generate preventive work orders"
    RECORD_READINGS = "record meter readings"
    # Inventory and purchasing.
    ISSUE_PARTS = "issue parts to work orders and return them"
    MOVE_STOCK = "receive, adjust and transfer stock"
    MANAGE_PARTS = "manage parts, vendors, bins and stock levels"
    PURCHASE = "raise requisitions and purchase orders"
    # Condition monitoring (issue 6): OPC UA tags, rules and alarms.
    MANAGE_TAGS = "manage OPC UA tags and condition rules"
    ACKNOWLEDGE_ALARMS = "acknowledge alarms"
    # Reliability (issue 11): a restore replaces every record of every user.
    RESTORE_BACKUP = "restore the database from a backup"
    # Control-room display (issue 9)
    RAISE_BREAKDOWN_REQUEST = "raise a breakdown request with an operator PIN"


_ALL = frozenset(Role)
_CREW = frozenset({Role.TECHNICIAN, Role.PLANNER, Role.SUPERVISOR, Role.ADMIN})
_PLANNERS = frozenset({Role.PLANNER, Role.SUPERVISOR, Role.ADMIN})
_SUPERVISORS = frozenset({Role.SUPERVISOR, Role.ADMIN})

ALLOWED_ROLES: dict[Action, frozenset[Role]] = {
    Action.READ: _ALL,
    Action.CREATE_WORK_ORDER: _CREW,
    Action.EDIT_WORK_ORDER: _PLANNERS,
    Action.LOG_WORK: _CREW,
    Action.ASSIGN: _PLANNERS,
    Action.SET_FAILURE_FLAG: _PLANNERS,
    Action.ADD_ADDENDUM: _CREW,
    Action.MANAGE_ASSETS: _PLANNERS,
    Action.MANAGE_CHECKLISTS: _PLANNERS,
    Action.MANAGE_USERS: frozenset({Role.ADMIN}),
    # Preventive maintenance (issue 5)
    Action.MANAGE_PM: _PLANNERS,
    Action.RUN_PM: _PLANNERS,
    Action.RECORD_READINGS: _CREW,
    # Inventory and purchasing.
    Action.ISSUE_PARTS: _CREW,
    Action.MOVE_STOCK: _PLANNERS,
    Action.MANAGE_PARTS: _PLANNERS,
    Action.PURCHASE: _PLANNERS,
    # Condition monitoring (issue 6).
    Action.MANAGE_TAGS: _PLANNERS,
    Action.ACKNOWLEDGE_ALARMS: _CREW,
    # Reliability (issue 11).
    Action.RESTORE_BACKUP: frozenset({Role.ADMIN}),
    # Control-room display (issue 9): plant operators are viewers; the PIN identifies them.
    Action.RAISE_BREAKDOWN_REQUEST: _ALL,
}


@dataclass(frozen=True)
class Actor:
    """The logged-in user on whose behalf a service acts."""

    user_id: int
    username: str
    role: Role


def require(actor: Actor, action: Action) -> None:
    """Raise PermissionDenied unless the actor's role allows the action."""
    if actor.role not in ALLOWED_ROLES[action]:
        raise PermissionDenied(
            Phrase(
                "{username} ({role}) may not {action}",
                username=actor.username,
                role=actor.role,
                action=action,
            )
        )


def require_role(actor: Actor, roles: frozenset[Role], what: str) -> None:
    if actor.role not in roles:
        allowed = Listing(tuple(sorted(roles)))
        raise PermissionDenied(
            Phrase(
                "{username} ({role}) may not {what} ({allowed})",
                username=actor.username,
                role=actor.role,
                what=what,
                allowed=allowed,
            )
        )
