"""What the control-room display shows, read in one short unit of work per refresh.

The display polls this every few seconds from a worker thread and whenever the audit chain
moves, so it reads only grouped counts and short lists: the board as counts per stage and
priority, the open overdue and emergency orders, the alarms someone still has to see, and the
mapped tags with their rule limits (the live feed subscribes to those). KPI tiles cost a
pandas pass over the period and are read separately, less often.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, or_, select

from desktop.domain.condition import RuleKind
from desktop.domain.enums import STAGE_OF_STATUS, Priority, Stage, Status, WorkOrderType
from desktop.domain.lifecycle import OPEN_STATUSES
from desktop.services.analytics.kpi import KpiService, utc_day
from desktop.services.analytics.kpi_records import KpiQuery
from desktop.services.orders import lockout
from desktop.services.orders.machine_downtime import MachineDowntimeService, StopView
from desktop.services.orders.shift_handover import HandoverView, ShiftHandoverService
from desktop.services.shared.audit import HEAD_ID
from desktop.services.shared.clock import Clock, utc_now
from desktop.store.condition_models import Alarm, ConditionRule, Tag
from desktop.store.models import Asset, AuditHead, WorkOrder

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from desktop.services.analytics.kpi_records import PmComplianceSource, RunningHoursSource
    from desktop.store.database import Database

CLOSED_SHOWN_DAYS = 7
STOPS_SHOWN = timedelta(hours=12)
"""A stop older than a shift and a half is coded from the office, not asked on the display."""
STOP_LIMIT = 50
HANDOVER_SHOWN = timedelta(hours=12)
"""The review column counts closed orders completed this many days back (completions count
in the period they were completed, KPIS.md); older closed work is history."""
WORK_LIST_LIMIT = 40
"""More rows than a full-screen list shows at three metres; the count beside it is exact."""
ALARM_LIMIT = 50
KPI_DAYS = 30
KPI_KEYS = (
    "mttr",
    "mtbf",
    "availability",
    "backlog",
    "overdue",
    "pm_compliance",
    "schedule_compliance",
    "emergency_share",
)
"""The tiles of the display's KPI page, in reading order."""


@dataclass(frozen=True)
class StageCount:
    """One board column: how many orders per priority (1 emergency … 4 low)."""

    stage: Stage
    by_priority: tuple[tuple[Priority, int], ...]

    @property
    def total(self) -> int:
        return sum(count for _priority, count in self.by_priority)

    def count(self, priority: Priority) -> int:
        return dict(self.by_priority).get(priority, 0)


@dataclass(frozen=True)
class WorkItem:
    """An open order on the overdue-and-emergency list."""

    number: str
    title: str
    asset_code: str
    type: WorkOrderType
    priority: Priority
    status: Status
    requested_at: datetime
    due_at: datetime | None
    overdue: bool

    @property
    def emergency(self) -> bool:
        return self.priority is Priority.EMERGENCY or self.type is WorkOrderType.EMERGENCY


@dataclass(frozen=True)
class ActiveAlarm:
    """An alarm not yet acknowledged or still active (not cleared)."""

    id: int
    rule_name: str
    tag_id: int
    tag_name: str
    asset_code: str
    asset_name: str
    priority: Priority
    raised_at: datetime
    measure: float
    message: str
    cleared: bool
    acknowledged: bool
    work_order_number: str | None


@dataclass(frozen=True)
class SafetyAlarm:
    """A tag reading energised while a verified lock is on its machine (issue 16). It stays
    up until the lock is removed: nobody may be working behind it any more by then."""

    work_order_number: str
    asset_code: str
    position: int
    lock_point: str
    tag_name: str
    reading: float
    at: datetime
    message: str
    acknowledged: bool = False
    """Someone acknowledged it with their PIN or password (stored, audited): it no longer
    flashes on any display, and the order's record names who."""


@dataclass(frozen=True)
class TagInfo:
    """A mapped tag the live feed subscribes to, with the limits of its level rules."""

    id: int
    name: str
    asset_code: str
    asset_name: str
    unit: str
    namespace_uri: str
    node_id: str
    limits: tuple[float, ...]


@dataclass(frozen=True)
class Snapshot:
    """Everything the display's pages draw from, as of `taken_at` and audit `sequence`."""

    taken_at: datetime
    sequence: int
    stages: tuple[StageCount, ...]
    closed_days: int
    overdue_count: int
    emergency_count: int
    urgent_count: int
    """Open orders that are overdue or emergencies: the full length of `work_list`."""
    work_list: tuple[WorkItem, ...]
    alarms: tuple[ActiveAlarm, ...]
    tags: tuple[TagInfo, ...]
    safety_alarms: tuple[SafetyAlarm, ...] = ()
    """Machines re-energised behind a verified lock-out: shown above every other alarm."""
    stops: tuple[StopView, ...] = ()
    """Machine stops of the last hours that nobody has coded yet, or that are offered as a
    breakdown request (`offered`), newest first: an operator answers each in one touch."""
    offered: frozenset[int] = frozenset()
    """Ids of the stops that are long stops of criticality-A assets without an order."""
    handovers: tuple[HandoverView, ...] = ()
    """Shift handovers the incoming shift has not acknowledged yet."""

    def stage(self, stage: Stage) -> StageCount:
        return next(s for s in self.stages if s.stage is stage)


@dataclass(frozen=True)
class KpiTileView:
    key: str
    label: str
    text: str
    unit: str
    source: str
    change: float | None
    higher_is_better: bool | None


class ControlRoomService:
    """Read-only; every method is safe to call from a worker thread (one session each)."""

    def __init__(
        self,
        db: Database,
        clock: Clock = utc_now,
        *,
        running_hours: RunningHoursSource | None = None,
        pm_compliance: PmComplianceSource | None = None,
    ) -> None:
        self._db = db
        self._clock = clock
        self._kpis = KpiService(db, clock, running_hours=running_hours, pm_compliance=pm_compliance)

    def snapshot(self) -> Snapshot:
        now = self._clock()
        closed_since = now - timedelta(days=CLOSED_SHOWN_DAYS)
        urgent = or_(
            WorkOrder.due_at < now,
            WorkOrder.priority == int(Priority.EMERGENCY),
            WorkOrder.type == WorkOrderType.EMERGENCY,
        )
        with self._db.unit_of_work(write=False) as session:
            sequence = (
                session.execute(
                    select(AuditHead.seq).where(AuditHead.id == HEAD_ID)
                ).scalar_one_or_none()
                or 0
            )
            # The open stages come from the board's covering index (6 ms at 100k orders); one
            # query with the closed ones OR-ed in scanned every order (200 ms).
            counted: list[Any] = list(
                session.execute(
                    select(WorkOrder.status, WorkOrder.priority, func.count(WorkOrder.id))
                    .where(WorkOrder.status.in_([*OPEN_STATUSES, Status.COMPLETED]))
                    .group_by(WorkOrder.status, WorkOrder.priority)
                )
            )
            # A week's completions are a few hundred rows: fetched through the completion-time
            # index and counted here. Grouped in SQL, or filtered on the status there, SQLite
            # walks a status index over every closed order instead (180 ms at 100k orders).
            closed = Counter(
                priority
                for status, priority in session.execute(
                    select(WorkOrder.status, WorkOrder.priority).where(
                        WorkOrder.completed_at >= closed_since
                    )
                )
                if status is Status.CLOSED
            )
            counted += [(Status.CLOSED, priority, n) for priority, n in closed.items()]
            overdue_count, emergency_count, urgent_count = session.execute(
                select(
                    func.count(WorkOrder.id).filter(WorkOrder.due_at < now),
                    func.count(WorkOrder.id).filter(
                        or_(
                            WorkOrder.priority == int(Priority.EMERGENCY),
                            WorkOrder.type == WorkOrderType.EMERGENCY,
                        )
                    ),
                    func.count(WorkOrder.id).filter(urgent),
                ).where(WorkOrder.status.in_(OPEN_STATUSES))
            ).one()
            listed = session.execute(
                select(WorkOrder, Asset.code)
                .join(Asset, Asset.id == WorkOrder.asset_id)
                .where(WorkOrder.status.in_(OPEN_STATUSES), urgent)
                .order_by(WorkOrder.priority, WorkOrder.due_at, WorkOrder.id)
                .limit(WORK_LIST_LIMIT)
            ).all()
            alarm_rows = session.execute(
                select(Alarm, ConditionRule, Tag, Asset, WorkOrder.number)
                .join(ConditionRule, ConditionRule.id == Alarm.rule_id)
                .join(Tag, Tag.id == ConditionRule.tag_id)
                .join(Asset, Asset.id == Tag.asset_id)
                .outerjoin(WorkOrder, WorkOrder.id == Alarm.work_order_id)
                .where(or_(Alarm.acknowledged_at.is_(None), Alarm.cleared_at.is_(None)))
                .order_by(Alarm.id.desc())
                .limit(ALARM_LIMIT)
            ).all()
            tag_rows = session.execute(
                select(Tag, Asset.code, Asset.name)
                .join(Asset, Asset.id == Tag.asset_id)
                .where(Tag.active.is_(True))
                .order_by(Tag.id)
            ).all()
            limit_rows = session.execute(
                select(ConditionRule.tag_id, ConditionRule.limit).where(
                    ConditionRule.enabled.is_(True), ConditionRule.kind != RuleKind.RATE_OF_CHANGE
                )
            ).all()
        return Snapshot(
            taken_at=now,
            sequence=int(sequence),
            stages=_stages(counted),
            closed_days=CLOSED_SHOWN_DAYS,
            overdue_count=int(overdue_count),
            emergency_count=int(emergency_count),
            urgent_count=int(urgent_count),
            work_list=tuple(
                WorkItem(
                    wo.number,
                    wo.title,
                    code,
                    wo.type,
                    Priority(wo.priority),
                    wo.status,
                    wo.requested_at,
                    wo.due_at,
                    wo.due_at is not None and wo.due_at < now,
                )
                for wo, code in listed
            ),
            alarms=tuple(
                ActiveAlarm(
                    alarm.id,
                    rule.name,
                    tag.id,
                    tag.name,
                    asset.code,
                    asset.name,
                    Priority(rule.priority),
                    alarm.raised_at,
                    alarm.measure,
                    alarm.message,
                    alarm.cleared_at is not None,
                    alarm.acknowledged_at is not None,
                    number,
                )
                for alarm, rule, tag, asset, number in alarm_rows
            ),
            tags=_tags(tag_rows, limit_rows),
            safety_alarms=self._safety_alarms(),
            **self._operator_work(now),
        )

    def _safety_alarms(self) -> tuple[SafetyAlarm, ...]:
        return tuple(
            SafetyAlarm(
                number,
                asset_code,
                step.position,
                step.lock_point,
                step.tag_name or "",
                step.reenergised_reading or 0.0,
                step.reenergised_at or self._clock(),
                step.safety_alarm,
                step.acknowledged_at is not None,
            )
            for number, asset_code, step in lockout.safety_alarms(self._db, self._clock)
        )

    def _operator_work(self, now: datetime) -> dict[str, Any]:
        """The stops to code or report and the handovers to acknowledge, for the display."""
        downtime = MachineDowntimeService(self._db, self._clock)
        offered = frozenset(stop.id for stop in downtime.stops_to_offer())
        stops = tuple(
            stop
            for stop in downtime.stops(since=now - STOPS_SHOWN, limit=STOP_LIMIT)
            if stop.reason is None or stop.id in offered
        )
        handovers = tuple(
            handover
            for handover in ShiftHandoverService(self._db, self._clock).recent(limit=6)
            if handover.acknowledged_at is None and handover.shift_end >= now - HANDOVER_SHOWN
        )
        return {"stops": stops, "offered": offered, "handovers": handovers}

    def kpi_tiles(self) -> tuple[KpiTileView, ...]:
        """The display's tiles over the last `KPI_DAYS` whole days up to tomorrow."""
        today = self._clock().date()
        query = KpiQuery(
            utc_day(today - timedelta(days=KPI_DAYS - 1)), utc_day(today + timedelta(1))
        )
        dashboard = self._kpis.dashboard(query)
        tiles = []
        for key in KPI_KEYS:
            figure = dashboard.figure(key)
            tiles.append(
                KpiTileView(
                    key,
                    figure.label,
                    figure.text,
                    figure.unit,
                    figure.source,
                    figure.change,
                    figure.higher_is_better,
                )
            )
        return tuple(tiles)


def _stages(counted: Sequence[Any]) -> tuple[StageCount, ...]:
    tally: dict[Stage, dict[Priority, int]] = {stage: {} for stage in Stage}
    for status, priority, count in counted:
        stage = STAGE_OF_STATUS[status]
        key = Priority(priority)
        tally[stage][key] = tally[stage].get(key, 0) + int(count)
    return tuple(
        StageCount(stage, tuple((p, tally[stage].get(p, 0)) for p in Priority)) for stage in Stage
    )


def _tags(tag_rows: Sequence[Any], limit_rows: Sequence[Any]) -> tuple[TagInfo, ...]:
    limits: dict[int, list[float]] = {}
    for tag_id, limit in limit_rows:
        limits.setdefault(tag_id, []).append(float(limit))
    return tuple(
        TagInfo(
            tag.id,
            tag.name,
            code,
            asset_name,
            tag.unit,
            tag.namespace_uri,
            tag.node_id,
            tuple(sorted(limits.get(tag.id, ()))),
        )
        for tag, code, asset_name in tag_rows
    )
