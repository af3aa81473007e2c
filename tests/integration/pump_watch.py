"""The demo pump the plant tests watch: its vibration tag mapped and an alarm on it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.domain.condition import Direction, RuleKind, RuleSpec
from desktop.plant.simulator import NAMESPACE_URI
from desktop.services.condition.plant_tags import PlantTagService, RuleDraft, TagDraft

if TYPE_CHECKING:
    from desktop.domain.permissions import Actor
    from desktop.store.database import Database

PUMP = "BOT-SYR-SUG-P1"
VIBRATION = TagDraft("P1.Vibration", "P-101", NAMESPACE_URI, f"s={PUMP}.Vibration", "mm/s")


def watch_pump_vibration(db: Database, actor: Actor, *more: TagDraft) -> PlantTagService:
    """`VIBRATION` (and `more`) mapped, and a rule raising a predictive order above 7.1 mm/s:
    the simulator's wearing bearing passes it soon after the plant starts (how soon depends
    on the simulator's speed)."""
    tags = PlantTagService(db)
    tags.import_tags(actor, [VIBRATION, *more])
    spec = RuleSpec(RuleKind.THRESHOLD, 7.1, Direction.ABOVE, hysteresis=0.5)
    tags.add_rule(actor, RuleDraft("P1 vibration high", "P1.Vibration", spec))
    return tags
