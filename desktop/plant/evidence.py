"""Evidence attached to a predictive work order: the samples around the trigger as CSV and PNG."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.domain.condition import RuleKind
from desktop.services.condition.alarms import Evidence
from desktop.services.shared.trend_files import trend_csv, trend_png

if TYPE_CHECKING:
    from collections.abc import Sequence

    from desktop.domain.condition import RuleSpec
    from desktop.services.shared.trend_files import Point


def build_evidence(
    title: str,
    tag_name: str,
    unit: str,
    points: Sequence[Point],
    spec: RuleSpec,
    trigger_ts: float,
) -> Evidence:
    # A rate rule's limit is a slope, not a value that could be drawn on the trend.
    limit = None if spec.kind is RuleKind.RATE_OF_CHANGE else spec.limit
    png = trend_png(title, unit, points, limit, trigger_ts, "alarm")
    return Evidence(trend_csv(tag_name, unit, points), png)
