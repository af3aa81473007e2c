"""Why a machine stopped: the codes an operator picks in one touch on the display.

Planned stops (changeover, cleaning, planned maintenance) still count against availability
(SMRP 2.2 subtracts planned and unplanned downtime alike) but not as failures in MTTR.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StopReason:
    code: str
    label: str
    planned: bool


STOP_REASONS: tuple[StopReason, ...] = (
    StopReason("breakdown", "Breakdown", False),
    StopReason("jam", "Jam / blockage", False),
    StopReason("material", "No material", False),
    StopReason("operator", "No operator", False),
    StopReason("quality", "Quality problem", False),
    StopReason("changeover", "Changeover", True),
    StopReason("cleaning", "Cleaning", True),
    StopReason("planned_maintenance", "Planned maintenance", True),
    StopReason("other", "Other", False),
)

BY_CODE = {reason.code: reason for reason in STOP_REASONS}
