"""One incident, one order: which alarms belong together and when no rule order may open."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

# Alarms on one machine within this time are one incident: a failing pump trips vibration,
# temperature and current rules within minutes of each other (issue 16: duplicated work).
INCIDENT_WINDOW = timedelta(hours=8)


def asset_family(asset_id: int, parents: Mapping[int, int | None]) -> frozenset[int]:
    """The asset, its ancestors and its whole subtree: an alarm on a pump's motor and one on
    the pump itself are the same machine's trouble."""
    family = {asset_id}
    parent = parents.get(asset_id)
    while parent is not None and parent not in family:
        family.add(parent)
        parent = parents.get(parent)
    children: dict[int, list[int]] = {}
    for child, up in parents.items():
        if up is not None:
            children.setdefault(up, []).append(child)
    stack = [asset_id]
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in family:
                family.add(child)
                stack.append(child)
    return frozenset(family)


def ancestors_and_self(asset_id: int, parents: Mapping[int, int | None]) -> frozenset[int]:
    """A lock-out or planned stop on a line covers every machine under it."""
    found = {asset_id}
    parent = parents.get(asset_id)
    while parent is not None and parent not in found:
        found.add(parent)
        parent = parents.get(parent)
    return frozenset(found)
