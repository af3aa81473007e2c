"""Demo condition monitoring: the simulator's tags mapped to the demo plant, and a few rules.

The mapping lies in `resources/demo_plant_tags.csv` (what `plant browse --out` proposes for
the simulator); the rules watch the pump whose bearing the simulator wears out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.domain.condition import Direction, RuleKind, RuleSpec
from desktop.domain.enums import Priority
from desktop.domain.failure_codes import RESOURCES_DIR
from desktop.services.condition.plant_tags import PlantTagService, RuleDraft

if TYPE_CHECKING:
    from desktop.domain.permissions import Actor
    from desktop.services.shared.clock import Clock
    from desktop.store.database import Database

TAGS_FILE = RESOURCES_DIR / "demo_plant_tags.csv"
PUMP = "BOT-SYR-SUG-P1"
# ISO 10816-3 zone C/D boundary for a medium machine on a rigid foundation: 7.1 mm/s RMS.
RULES = (
    RuleDraft(
        f"{PUMP} vibration high",
        f"{PUMP}.Vibration",
        RuleSpec(RuleKind.THRESHOLD, 7.1, Direction.ABOVE, hysteresis=0.7, on_delay_s=30),
        Priority.HIGH,
    ),
    RuleDraft(
        f"{PUMP} bearing hot",
        f"{PUMP}.BearingTemperature",
        RuleSpec(RuleKind.THRESHOLD, 85.0, Direction.ABOVE, hysteresis=3.0, on_delay_s=60),
        Priority.HIGH,
    ),
    RuleDraft(
        f"{PUMP} vibration trend",
        f"{PUMP}.Vibration",
        RuleSpec(
            RuleKind.FORECAST, 7.1, Direction.ABOVE, hysteresis=600, window_s=900, horizon_s=3600
        ),
        Priority.MEDIUM,
    ),
)


def load_demo_condition(db: Database, admin: Actor, clock: Clock) -> None:
    service = PlantTagService(db, clock)
    service.import_file(admin, TAGS_FILE)
    for rule in RULES:
        service.add_rule(admin, rule)
