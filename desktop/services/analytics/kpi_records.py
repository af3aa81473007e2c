"""What the KPI service takes and returns: queries, plug-in sources and frozen results."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from desktop.domain.kpis import MttrStart

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from datetime import datetime

    import numpy as np

    from desktop.domain.enums import Criticality

MAX_BUCKETS = 12


@dataclass(frozen=True)
class KpiQuery:
    """The period [start, end) and the asset filters every figure is computed for.

    `area` is an asset code: that asset and everything below it. The previous period is the
    same length just before `start`; the period is cut into `buckets` equal slices (whole
    days) for the sparklines.
    """

    start: datetime
    end: datetime
    area: str | None = None
    asset_classes: tuple[str, ...] = ()
    criticalities: tuple[Criticality, ...] = ()
    buckets: int = MAX_BUCKETS


@dataclass(frozen=True)
class KpiSettings:
    """The variants KPIS.md makes settings, at their defaults."""

    mttr_start: MttrStart = MttrStart.FAILURE
    indirect_hours_per_week: float = 0.0
    """Crew hours a week spent on meetings, training and the like (SMRP 5.4.8 capacity)."""


@dataclass(frozen=True)
class AssetRunTime:
    """Running and idle hours of one asset over a span, from its running-state or hours tag."""

    running_hours: float
    idle_hours: float


class RunningHoursSource(Protocol):
    """Where MTBF and availability get machine hours (the OPC UA historian plugs in here)."""

    def run_times(
        self, asset_ids: Sequence[int], edges: Sequence[datetime]
    ) -> Sequence[Mapping[int, AssetRunTime]]:
        """Hours in each span [edges[k], edges[k + 1]) of the assets that have a tag; assets
        left out of a span have none there. All spans at once: a historian reads each tag's
        history once for the dashboard's buckets instead of once per bucket."""
        ...


@dataclass(frozen=True)
class PmDue:
    """One preventive or predictive order due in a span, and whether it was done in grace."""

    work_order_id: int
    asset_id: int
    due_at: datetime
    done_in_grace: bool


class PmComplianceSource(Protocol):
    """Where PM compliance gets its orders (the PM schedules with their intervals plug in)."""

    def pm_due(self, start: datetime, end: datetime) -> Sequence[PmDue]:
        """PM orders due in [start, end) with the schedule's grace already applied."""
        ...


@dataclass(frozen=True)
class OrderIds:
    """The distinct ids of the orders behind a figure, ascending, as one array: a cost or
    labour tile stands on up to 460,000 orders over a million, so they become Python numbers
    (and numbers to list) only when the tile is clicked."""

    ids: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    def as_tuple(self) -> tuple[int, ...]:
        return tuple(self.ids.tolist())


@dataclass(frozen=True)
class KpiFigure:
    """One tile: the figure, the previous period's, the sparkline and the orders behind it."""

    key: str
    label: str
    unit: str
    source: str
    formula: str
    value: float | None
    text: str
    previous: float | None
    trend: tuple[float | None, ...]
    note: str
    order_ids: OrderIds = field(repr=False, compare=False)
    higher_is_better: bool | None = None

    @property
    def work_order_ids(self) -> tuple[int, ...]:
        """The orders behind the figure (what a tile click lists), in id order."""
        return self.order_ids.as_tuple()

    @property
    def change(self) -> float | None:
        """Value minus the previous period's value; None when either is missing."""
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


@dataclass(frozen=True)
class StageHours:
    """One stage of the repair time (derived): mean hours over the period's failure orders."""

    stage: str
    hours: float | None


@dataclass(frozen=True)
class ClassReliability:
    """MTBF and MTTR of one asset class in the period."""

    asset_class: str
    assets: int
    failures: int
    operating_hours: float
    mtbf_hours: float | None
    mttr_hours: float | None


@dataclass(frozen=True)
class AssetCost:
    """Maintenance cost of one asset in the period: its own orders and its whole subtree."""

    code: str
    name: str
    labour_cost: float
    parts_cost: float
    own_cost: float
    rolled_up_cost: float
    replacement_value: float


@dataclass(frozen=True)
class ParetoRow:
    """Failure orders and their downtime hours for one failure mode or one asset."""

    key: str
    label: str
    failures: int
    downtime_hours: float


@dataclass(frozen=True)
class BacklogPoint:
    at: datetime
    orders: int
    remaining_hours: float
    weeks: float | None


@dataclass(frozen=True)
class PmMonth:
    month: str
    due: int
    done_in_grace: int
    percent: float | None


@dataclass(frozen=True)
class Dashboard:
    """Every figure of the dashboard for one query, computed at `computed_at`."""

    query: KpiQuery
    computed_at: datetime
    bucket_ends: tuple[datetime, ...]
    figures: tuple[KpiFigure, ...]
    mttr_stages: tuple[StageHours, ...]
    by_class: tuple[ClassReliability, ...]
    cost_by_asset: tuple[AssetCost, ...]
    pareto_by_mode: tuple[ParetoRow, ...]
    pareto_by_asset: tuple[ParetoRow, ...]
    backlog_over_time: tuple[BacklogPoint, ...]
    pm_by_month: tuple[PmMonth, ...] | None
    mtbf_basis: str

    def figure(self, key: str) -> KpiFigure:
        return next(f for f in self.figures if f.key == key)
