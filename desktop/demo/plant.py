"""The demo plant: a bottling site with years of maintenance history, for trials and benches.

Site, assets and users go through their services (validation, password hashing, audit entries).
The history is different: up to a million work orders with their children are generated in
chunks and written with the driver's bulk path (SQLite `executemany`, PostgreSQL `COPY`) inside
one unit of work, because row-at-a-time ORM inserts would take hours (shared/PITFALLS.md). The
load writes one audit entry that counts what it added.
"""

from __future__ import annotations

import heapq
import itertools
import json
import math
import random
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert, select, text

from desktop.demo import inventory as demo_inventory
from desktop.demo.condition import load_demo_condition
from desktop.demo.pm import add_demo_pm
from desktop.domain.enums import (
    AssetLevel,
    ChecklistItemKind,
    CheckResult,
    Criticality,
    HoldReason,
    Origin,
    Priority,
    Role,
    Status,
    WorkOrderType,
)
from desktop.domain.errors import ValidationFailed, WrenchbookError
from desktop.domain.failure_codes import RESOURCES_DIR, code_lists
from desktop.domain.pm_rules import (
    CalendarMode,
    IntervalUnit,
    OccurrenceState,
    OnOpen,
    WorkingDayRule,
)
from desktop.services.admin.users import NewUser, UserService, password_problems
from desktop.services.analytics.kpi_facts import KpiFactStore
from desktop.services.assets.assets import AssetService, NewAsset
from desktop.services.shared import audit
from desktop.services.shared.clock import Clock, utc_now
from desktop.store.models import (
    Assignment,
    AuditEntry,
    ChecklistResult,
    ChecklistTemplate,
    ChecklistTemplateItem,
    DowntimePeriod,
    LabourEntry,
    NumberCounter,
    StatusChange,
    User,
    WorkOrder,
)
from desktop.store.pm_models import PMOccurrence, PMSchedule

if TYPE_CHECKING:
    from sqlalchemy import Table
    from sqlalchemy.orm import Session

    from desktop.domain.permissions import Actor
    from desktop.store.database import Database

PLANT_FILE = RESOURCES_DIR / "demo_plant.json"
DEFAULT_SCALE = 4000
MAX_SCALE = 1_000_000
DEFAULT_YEARS = 3
CHUNK_ORDERS = 2000
"""Work orders generated before their rows are written; bounds memory at any scale."""

HOUR = 3600
DAY = 86400

# Share of each work-order type in the history (the mix of a plant with a working PM programme).
TYPE_SHARES = {
    WorkOrderType.PREVENTIVE: 0.45,
    WorkOrderType.CORRECTIVE: 0.25,
    WorkOrderType.EMERGENCY: 0.08,
    WorkOrderType.PREDICTIVE: 0.07,
    WorkOrderType.INSPECTION: 0.15,
}
_PERIODIC = frozenset({WorkOrderType.PREVENTIVE, WorkOrderType.INSPECTION})

# Open statuses by age band, as shares of the open orders in the band. The two bands hold
# ~17 % of all orders, giving roughly 3 % requested, 3 % approved, 4 % scheduled,
# 2 % in progress, 1 % on hold and 3 % completed overall: a full board.
_OPEN_STATUSES = (
    Status.REQUESTED,
    Status.APPROVED,
    Status.SCHEDULED,
    Status.IN_PROGRESS,
    Status.ON_HOLD,
    Status.COMPLETED,
)
_YOUNG_WEIGHTS = (0.30, 0.15, 0.20, 0.22, 0.03, 0.10)
_OLDER_WEIGHTS = (0.150, 0.200, 0.267, 0.094, 0.073, 0.217)
_YOUNG_BAND = 0.02
_OPEN_BAND = 0.12
_OPEN_SHARE = 0.85
CANCEL_SHARE = 0.02

_CRITICALITY_FAILURES = {Criticality.A: 2.0, Criticality.B: 1.0, Criticality.C: 0.5}
_CRITICALITY_INSPECTIONS = {Criticality.A: 3.0, Criticality.B: 2.0, Criticality.C: 1.0}

# Crafts that work on each asset class, the usual lead craft first.
CRAFTS: dict[str, tuple[str, ...]] = {
    "motor": ("electrical",),
    "transformer": ("electrical",),
    "switchgear": ("electrical",),
    "sensor": ("instrumentation",),
    "inspector": ("instrumentation", "electrical"),
    "coder": ("instrumentation", "electrical"),
    "ro_unit": ("instrumentation", "mechanical"),
    "valve": ("mechanical", "instrumentation"),
    "tank": ("fitter/welder", "mechanical"),
    "heat_exchanger": ("fitter/welder", "mechanical"),
    "boiler": ("HVAC/refrigeration", "fitter/welder"),
    "burner": ("HVAC/refrigeration", "instrumentation"),
    "chiller": ("HVAC/refrigeration",),
    "cooling_tower": ("HVAC/refrigeration", "mechanical"),
    "compressor": ("HVAC/refrigeration", "mechanical"),
    "dryer": ("HVAC/refrigeration",),
    "forklift": ("mechanical", "electrical"),
    "filler": ("mechanical", "instrumentation"),
    "blow_moulder": ("mechanical", "electrical"),
}
_DEFAULT_CRAFTS = ("mechanical", "electrical")

# Classes with vibration, temperature or current sensing, where condition rules raise work.
PREDICTIVE_CLASSES = frozenset(
    {
        "motor",
        "pump",
        "gearbox",
        "compressor",
        "chiller",
        "mixer",
        "conveyor",
        "blow_moulder",
        "filler",
        "boiler",
        "transformer",
        "cooling_tower",
        "heat_exchanger",
        "dryer",
    }
)
_PREDICTIVE_TITLES = (
    "Vibration trend rising on {name}",
    "Bearing temperature above normal on {name}",
    "Motor current drifting high on {name}",
    "Forecast: vibration limit reached within 14 days on {name}",
    "Oil analysis: wear metals up on {name}",
)
_INSPECTION_TITLES = (
    "Routine inspection: {name}",
    "Safety inspection: {name}",
    "Operator-reported check: {name}",
    "Walk-down inspection: {name}",
)
_RESOLUTIONS = {
    WorkOrderType.PREVENTIVE: ("Done as planned.", "Done; minor wear noted.", "Done, all OK."),
    WorkOrderType.INSPECTION: ("No findings.", "Findings noted in checklist.", "All OK."),
    WorkOrderType.CORRECTIVE: (
        "Replaced worn part, tested, handed back to production.",
        "Adjusted and retightened; running normally.",
        "Repaired on site; spare part reordered.",
    ),
    WorkOrderType.EMERGENCY: (
        "Breakdown repaired, line restarted.",
        "Failed part replaced from stores; line restarted.",
        "Temporary repair, permanent fix raised.",
    ),
    WorkOrderType.PREDICTIVE: (
        "Bearing replaced before failure.",
        "Realigned; vibration back in zone A.",
        "Lubricated and monitored; trend normal.",
    ),
}
_CANCEL_REASONS = (
    "Duplicate of another request",
    "Work done under another order",
    "Fault not found on inspection",
    "Asset to be replaced under a project",
    "Requester withdrew the request",
)
_TEXT_ANSWERS = ("No findings", "OK", "Minor wear noted, monitor", "Cleaned", "No remarks")
_HOLD_REASONS = (HoldReason.PARTS, HoldReason.SHUTDOWN, HoldReason.ACCESS, HoldReason.OTHER)
_HOLD_WEIGHTS = (0.5, 0.25, 0.15, 0.10)
_DUE_IN = {int(p): int(p.default_due_in.total_seconds()) for p in Priority}
_KIND = {kind.value: kind.value for kind in ChecklistItemKind}
_S = {status: status.value for status in Status}

# Column orders of the rows the generator builds (tuples, cheaper than dicts at 10^7 rows).
WO_COLUMNS = (
    "id",
    "number",
    "title",
    "description",
    "type",
    "priority",
    "status",
    "origin",
    "asset_id",
    "requester_id",
    "requested_at",
    "approved_at",
    "scheduled_at",
    "started_at",
    "completed_at",
    "closed_at",
    "cancelled_at",
    "due_at",
    "scheduled_start",
    "scheduled_end",
    "estimate_hours",
    "asset_down",
    "is_failure",
    "failure_impact",
    "failure_mode",
    "failure_mechanism",
    "failure_cause",
    "detection_method",
    "activity",
    "resolution",
    "hold_reason",
    "cancel_reason",
    "version",
    "updated_at",
    "updated_by_id",
)
HISTORY_COLUMNS = ("id", "work_order_id", "from_status", "to_status", "at", "user_id", "note")
ASSIGNEE_COLUMNS = ("work_order_id", "user_id", "is_lead")
LABOUR_COLUMNS = (
    "id",
    "work_order_id",
    "technician_id",
    "work_date",
    "hours",
    "rate",
    "note",
    "created_at",
)
DOWNTIME_COLUMNS = ("id", "work_order_id", "asset_id", "start", "end", "planned", "reason_code")
SCHEDULE_COLUMNS = (
    "id",
    "code",
    "asset_id",
    "title",
    "instructions",
    "checklist_code",
    "estimate_hours",
    "craft",
    "priority",
    "calendar_every",
    "calendar_unit",
    "calendar_mode",
    "start_date",
    "lead_days",
    "working_day_rule",
    "on_open",
    "active",
    "version",
    "updated_at",
    "updated_by_id",
)
OCCURRENCE_COLUMNS = (
    "id",
    "schedule_id",
    "cycle",
    "due_date",
    "planned_date",
    "interval_days",
    "state",
    "work_order_id",
    "created_at",
)
CHECKLIST_COLUMNS = (
    "id",
    "work_order_id",
    "template_code",
    "position",
    "kind",
    "text",
    "unit",
    "low",
    "high",
    "required",
    "safety",
    "result",
    "value",
    "text_value",
    "answered_at",
    "answered_by_id",
)
_TABLES: tuple[tuple[Table, tuple[str, ...]], ...] = (
    (WorkOrder.__table__, WO_COLUMNS),  # type: ignore[arg-type]
    (StatusChange.__table__, HISTORY_COLUMNS),  # type: ignore[arg-type]
    (Assignment.__table__, ASSIGNEE_COLUMNS),  # type: ignore[arg-type]
    (LabourEntry.__table__, LABOUR_COLUMNS),  # type: ignore[arg-type]
    (DowntimePeriod.__table__, DOWNTIME_COLUMNS),  # type: ignore[arg-type]
    (ChecklistResult.__table__, CHECKLIST_COLUMNS),  # type: ignore[arg-type]
    (PMSchedule.__table__, SCHEDULE_COLUMNS),  # type: ignore[arg-type]
    (PMOccurrence.__table__, OCCURRENCE_COLUMNS),  # type: ignore[arg-type]
)
_SERIAL_TABLES = (
    "work_orders",
    "status_changes",
    "labour_entries",
    "downtime_periods",
    "work_order_checklist_items",
    "pm_schedules",
    "pm_occurrences",
    "checklist_templates",
    "checklist_template_items",
)

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    password: str


@dataclass(frozen=True)
class DemoSummary:
    """What the load added, and the one-time passwords of the accounts it created."""

    assets: int
    users: int
    checklist_templates: int
    work_orders_by_status: dict[str, int]
    rows: dict[str, int]
    accounts: tuple[DemoAccount, ...]
    seconds: float
    phases: dict[str, float] = field(default_factory=dict)
    """Seconds per phase of the load, for tuning it."""

    @property
    def work_orders(self) -> int:
        return sum(self.work_orders_by_status.values())


def load_plant() -> dict[str, Any]:
    return json.loads(PLANT_FILE.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def random_password(username: str = "") -> str:
    """A password the user service accepts; shown once, so it is never derived from the seed."""
    while True:
        candidate = secrets.token_urlsafe(12)
        if not password_problems(candidate, username):
            return candidate


# -- the plant as the generator sees it ---------------------------------------------------------


@dataclass(frozen=True)
class _Asset:
    id: int
    code: str
    name: str
    asset_class: str
    criticality: Criticality
    age_years: float
    profile: dict[str, Any]
    crafts: tuple[str, ...]
    checklist: str | None


@dataclass(frozen=True)
class _Tech:
    id: int
    full_name: str
    craft: str
    rate: float


@dataclass
class _Stream:
    """One asset's orders of one type: periodic for PM and inspections, Poisson for failures."""

    type: WorkOrderType
    asset: _Asset
    mean_gap: float
    interval_days: float


@dataclass(frozen=True)
class _Job:
    """What an order is, drawn before its timeline."""

    title: str
    priority: int
    estimate: float
    description: str
    origin: str
    due: int
    requester: int
    lead_time: int = 0


@dataclass(frozen=True)
class _Deciders:
    approver: int
    scheduler: int
    closer: int


@dataclass
class _Timeline:
    """An order's stamps in epoch seconds: drawn ideal, then fitted to its status."""

    approved: int | None
    scheduled_at: int | None
    sched_start: int | None
    started: int
    work: int
    hold: tuple[int, int] | None
    completed: int
    closed: int
    cancelled: int | None = None
    cancel_stage: Status = Status.REQUESTED


@dataclass(frozen=True)
class _Reached:
    """Which stamps an order carries in its status."""

    emergency: bool
    approved: bool
    schedule: bool
    start: bool
    done: bool

    @classmethod
    def of(cls, status: Status, cancel_stage: Status, emergency: bool) -> _Reached:
        stage = _STAGE_INDEX[cancel_stage if status is Status.CANCELLED else status]
        if emergency and stage in (1, 2):
            stage = 0  # a breakdown goes straight from the request to the work
        return cls(
            emergency,
            approved=stage >= 1 or (emergency and stage >= 3),
            schedule=stage >= 2 and not emergency,
            start=stage >= 3,
            done=stage >= 4,
        )


_FAILURE_TYPES = (WorkOrderType.CORRECTIVE, WorkOrderType.EMERGENCY, WorkOrderType.PREDICTIVE)
_STAGE_INDEX = {
    Status.REQUESTED: 0,
    Status.APPROVED: 1,
    Status.SCHEDULED: 2,
    Status.IN_PROGRESS: 3,
    Status.ON_HOLD: 3,
    Status.COMPLETED: 4,
    Status.CLOSED: 5,
}


@dataclass
class _HistorySchedule:
    """A demo PM schedule being filled: its id, the due dates it holds and its last cycle."""

    id: int
    due_days: set[Any] = field(default_factory=set)
    cycles: int = 0


@dataclass
class _Buffers:
    rows: dict[str, list[tuple[Any, ...]]] = field(
        default_factory=lambda: {table.name: [] for table, _ in _TABLES}
    )
    written: dict[str, int] = field(default_factory=lambda: {table.name: 0 for table, _ in _TABLES})


class _Writer:
    """Bulk rows through the driver in the caller's transaction: the fastest path each engine has.

    SQLite: `executemany` on the sqlite3 connection (~3.5x SQLAlchemy Core executemany,
    PITFALLS.md), values pre-converted to SQLAlchemy's storage format (datetimes as
    'YYYY-MM-DD HH:MM:SS.ffffff' UTC text, dates as ISO text). PostgreSQL: `COPY FROM STDIN`.
    """

    def __init__(self, session: Session) -> None:
        connection = session.connection()
        self.dialect = connection.dialect.name
        self._driver = connection.connection.driver_connection
        quote = connection.dialect.identifier_preparer.quote
        self._sql: dict[str, str] = {}
        for table, columns in _TABLES:
            names = ", ".join(quote(c) for c in columns)
            if self.dialect == "sqlite":
                marks = ", ".join("?" * len(columns))
                self._sql[table.name] = f"INSERT INTO {table.name} ({names}) VALUES ({marks})"
            else:
                self._sql[table.name] = f"COPY {table.name} ({names}) FROM STDIN"
        self._days: dict[int, tuple[str, date]] = {}
        self.stamp: Callable[[int | None], Any] = (
            self._sqlite_stamp() if self.dialect == "sqlite" else self._python_stamp
        )
        """Epoch seconds as the value the engine stores for a UTC timestamp."""
        self.seconds = 0.0
        """Time spent in the driver, for the summary."""

    def _sqlite_stamp(self) -> Callable[[int | None], Any]:
        """A formatter with the hour prefixes cached: ~10^7 calls at full scale, so it matters."""
        hours: dict[int, str] = {}
        tails = [f"{m:02d}:{s:02d}.000000" for m in range(60) for s in range(60)]

        def stamp(seconds: int | None) -> str | None:
            if seconds is None:
                return None
            hour, rest = divmod(seconds, HOUR)
            prefix = hours.get(hour)
            if prefix is None:
                day_text = self._day(hour // 24)[0]
                prefix = hours[hour] = f"{day_text} {hour % 24:02d}:"
            return prefix + tails[rest]

        return stamp

    @staticmethod
    def _python_stamp(seconds: int | None) -> datetime | None:
        return None if seconds is None else _EPOCH + timedelta(seconds=seconds)

    def day(self, seconds: int) -> Any:
        text_, value = self._day(seconds // DAY)
        return text_ if self.dialect == "sqlite" else value

    def year(self, seconds: int) -> int:
        return self._day(seconds // DAY)[1].year

    def _day(self, day: int) -> tuple[str, date]:
        cached = self._days.get(day)
        if cached is None:
            value = _EPOCH_DATE + timedelta(days=day)
            cached = self._days[day] = (value.isoformat(), value)
        return cached

    def write(self, table: str, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        began = time.perf_counter()
        if self.dialect == "sqlite":
            self._driver.executemany(self._sql[table], rows)
        else:
            with self._driver.cursor() as cursor, cursor.copy(self._sql[table]) as copy:
                for row in rows:
                    copy.write_row(row)
        self.seconds += time.perf_counter() - began


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_DATE = date(1970, 1, 1)


def _quarter(hours: float) -> float:
    return max(0.25, round(hours * 4) / 4)


def _working_hours(seconds: int) -> int:
    """The same instant on the hour, moved into the 06:00-16:00 (UTC) day shift."""
    seconds -= seconds % HOUR
    hour = (seconds // HOUR) % 24
    if hour < 6:
        return seconds + (6 - hour) * HOUR
    if hour >= 16:
        return seconds + (30 - hour) * HOUR
    return seconds


class DemoGenerator:
    """Builds the work-order history for one seed; every random draw comes from one `Random`.

    Requested times are stratified (order i lands in the i-th of N equal slices of the window),
    so the orders come out in time order and can be numbered and written in chunks. Each slot
    goes to the (type, asset) stream that is most overdue, which keeps the type shares exact,
    PM roughly on its interval and failures at each class's MTBF, weighted to critical, old
    assets.
    """

    def __init__(
        self,
        writer: _Writer,
        plant: dict[str, Any],
        assets: list[_Asset],
        techs: list[_Tech],
        office: dict[str, int],
        templates: dict[str, list[tuple[Any, ...]]],
        template_safety: dict[str, bool],
        *,
        seed: int,
        scale: int,
        years: float,
        now: datetime,
    ) -> None:
        self.w = writer
        self.rng = random.Random(seed)
        self.scale = scale
        self.now = int(now.timestamp())
        self.span = int(years * 365.25 * DAY)
        self.start = self.now - self.span
        self.assets = assets
        self.techs_by_craft: dict[str, list[_Tech]] = {}
        for tech in techs:
            self.techs_by_craft.setdefault(tech.craft, []).append(tech)
        self.all_techs = techs
        self.names = {t.id: t.full_name for t in techs}
        self.planners = [office["planner"]]
        self.supervisors = office["supervisors"]
        self.approvers = [*self.planners, *self.supervisors]
        self.templates = templates
        self.template_safety = template_safety
        self.detection_codes = [c.code for c in code_lists()["detection_method"]]
        self.by_status: dict[str, int] = {s.value: 0 for s in Status}
        self.counters: dict[int, int] = {}
        self.buffers = _Buffers()
        # The tables are empty (a demo loads only into a fresh database): ids start at 1, and
        # children refer to their work order without a RETURNING round trip.
        self._history_ids = itertools.count(1)
        self._labour_ids = itertools.count(1)
        self._downtime_ids = itertools.count(1)
        self._checklist_ids = itertools.count(1)
        self._occurrence_ids = itertools.count(1)
        self._schedule_ids = itertools.count(1)
        self._schedules: dict[int, list[_HistorySchedule]] = {}
        self.streams = self._streams()

    # -- streams ------------------------------------------------------------------------------

    def _streams(self) -> list[_Stream]:
        per_second = self.scale / self.span
        streams: list[_Stream] = []
        for kind, share in TYPE_SHARES.items():
            weights = [(a, self._weight(kind, a)) for a in self.assets]
            weights = [(a, w) for a, w in weights if w > 0]
            total = sum(w for _, w in weights)
            for asset, weight in weights:
                rate = share * per_second * weight / total
                interval = float(asset.profile["pm_interval_days"])
                streams.append(_Stream(kind, asset, 1.0 / rate, interval))
        return streams

    @staticmethod
    def _weight(kind: WorkOrderType, asset: _Asset) -> float:
        profile = asset.profile
        failure = (
            _CRITICALITY_FAILURES[asset.criticality]
            * (0.6 + asset.age_years / 15)
            / float(profile["mtbf_days"])
        )
        if kind is WorkOrderType.PREVENTIVE:
            return 1.0 / float(profile["pm_interval_days"])
        if kind is WorkOrderType.CORRECTIVE:
            return failure
        if kind is WorkOrderType.EMERGENCY:
            # Breakdowns concentrate on the critical, highly loaded machines.
            return failure * _CRITICALITY_FAILURES[asset.criticality]
        if kind is WorkOrderType.PREDICTIVE:
            return failure if asset.asset_class in PREDICTIVE_CLASSES else 0.0
        return _CRITICALITY_INSPECTIONS[asset.criticality]

    # -- the run ------------------------------------------------------------------------------

    def run(self, progress: Progress | None = None) -> None:
        rng = self.rng
        heap: list[tuple[float, int]] = []
        for index, stream in enumerate(self.streams):
            if stream.type in _PERIODIC:
                first = self.start + rng.random() * stream.mean_gap
            else:
                first = self.start + rng.expovariate(1.0 / stream.mean_gap)
            heap.append((first, index))
        heapq.heapify(heap)
        slot = self.span / self.scale
        for i in range(self.scale):
            requested = min(self.start + int((i + rng.random()) * slot), self.now - 1)
            due, index = heap[0]
            stream = self.streams[index]
            if stream.type in _PERIODIC:
                gap = stream.mean_gap * rng.uniform(0.9, 1.1)
            else:
                gap = rng.expovariate(1.0 / stream.mean_gap)
            heapq.heapreplace(heap, (due + gap, index))
            self._order(i + 1, requested, stream)
            if (i + 1) % CHUNK_ORDERS == 0:
                self.flush()
                if progress is not None:
                    progress(i + 1, self.scale)
        self.flush()
        if progress is not None and self.scale % CHUNK_ORDERS:
            progress(self.scale, self.scale)

    def flush(self) -> None:
        for table, _ in _TABLES:
            rows = self.buffers.rows[table.name]
            self.w.write(table.name, rows)
            self.buffers.written[table.name] += len(rows)
            rows.clear()

    # -- one work order -----------------------------------------------------------------------

    def _pick_status(self, kind: WorkOrderType, requested: int) -> Status:
        rng = self.rng
        age = self.now - requested
        q = age / self.span
        if age < (4 * HOUR if kind is WorkOrderType.EMERGENCY else 3 * DAY):
            # Too young to have been worked, reviewed and closed already.
            p_open = 1.0
        elif q < _YOUNG_BAND:
            p_open = _OPEN_SHARE
        elif q < _OPEN_BAND:
            p_open = _OPEN_SHARE * (_OPEN_BAND - q) / (_OPEN_BAND - _YOUNG_BAND)
        else:
            p_open = 0.0
        if rng.random() < p_open:
            weights = _YOUNG_WEIGHTS if q < _YOUNG_BAND else _OLDER_WEIGHTS
            status = rng.choices(_OPEN_STATUSES, weights)[0]
            if kind is WorkOrderType.EMERGENCY:
                # A breakdown is worked at once: never left waiting for approval for days.
                if age > 10 * DAY and status is not Status.COMPLETED:
                    return Status.CLOSED
                if status in (Status.APPROVED, Status.SCHEDULED):
                    return Status.IN_PROGRESS
            return status
        if kind is not WorkOrderType.EMERGENCY and rng.random() < CANCEL_SHARE:
            return Status.CANCELLED
        return Status.CLOSED

    def _crew(self, asset: _Asset) -> list[_Tech]:
        rng = self.rng
        crafts = asset.crafts
        lead_pool = self.techs_by_craft.get(crafts[0]) or self.all_techs
        lead = rng.choice(lead_pool)
        if rng.random() < 0.35:
            pool = self.techs_by_craft.get(rng.choice(crafts)) or self.all_techs
            second = rng.choice(pool)
            if second.id != lead.id:
                return [lead, second]
        return [lead]

    def _order(self, wo_id: int, requested: int, stream: _Stream) -> None:
        """One order with its history, crew, labour, downtime, checklists and codes.

        The steps draw from the seed's random stream in a fixed order (what it is, its status,
        crew and deciders, its timeline, ...): reordering them changes every later order.
        """
        rng = self.rng
        kind, asset = stream.type, stream.asset
        emergency = kind is WorkOrderType.EMERGENCY
        job = self._describe(stream, requested)
        status = self._pick_status(kind, requested)
        crew = self._crew(asset)
        deciders = _Deciders(
            approver=rng.choice(self.approvers),
            scheduler=self.planners[0] if rng.random() < 0.8 else rng.choice(self.supervisors),
            closer=rng.choice(self.supervisors),
        )
        times = self._ideal_timeline(job, requested, emergency)
        status, hold_reason = self._fit_to_status(status, times, requested, emergency)
        reached = _Reached.of(status, times.cancel_stage, emergency)
        if status is Status.IN_PROGRESS:
            times.hold = None
        if status is Status.ON_HOLD:
            assert times.hold is not None
        asset_down, is_failure = self._asset_down(kind, reached.start)
        # Who raised it (KPIS.md, proactive work). Taken from the id, not the random stream,
        # so that every other draw of a seed stays as it was.
        origin = job.origin
        if emergency and wo_id % 3 == 0:
            origin = Origin.BREAKDOWN_REPORT.value
        elif kind is WorkOrderType.CORRECTIVE and not is_failure and wo_id % 5 < 2:
            origin = Origin.INSPECTION_FINDING.value

        number = self._number(requested)
        moves = self._moves(status, times, reached, job.requester, crew[0], deciders, requested)
        cancel_reason: str | None = None
        if status is Status.CANCELLED:
            assert times.cancelled is not None
            cancel_reason = rng.choice(_CANCEL_REASONS)
            moves.append(
                (moves[-1][1], _S[Status.CANCELLED], times.cancelled, deciders.approver,
                 cancel_reason)
            )  # fmt: skip
        history = self.buffers.rows["status_changes"]
        for source_status, target, at, user, note in moves:
            history.append(
                (next(self._history_ids), wo_id, source_status, target, self.w.stamp(at), user,
                 note)
            )  # fmt: skip
        last_at, last_user = moves[-1][2], moves[-1][3]
        if reached.schedule or reached.start:
            assignees = self.buffers.rows["work_order_assignees"]
            for position, tech in enumerate(crew):
                assignees.append((wo_id, tech.id, position == 0))
        self._labour(wo_id, crew, times, reached, job.estimate)
        if asset_down:
            self._downtime(wo_id, asset, kind, times, reached.done, requested)
        codes: list[str] = []
        if kind in _PERIODIC and asset.checklist:
            codes.append(asset.checklist)
        if kind is WorkOrderType.PREVENTIVE and asset_down:
            codes.append("CL-LOTO")
        if codes:
            self._checklist(wo_id, codes, reached.done, reached.start, times.started,
                            times.completed, crew)  # fmt: skip
        failure = self._failure_codes(kind, asset, reached.done)
        resolution = rng.choice(_RESOLUTIONS[kind]) if reached.done else ""
        self._write_order(
            wo_id, number, job, kind, status, origin, asset, requested, times, reached,
            asset_down, is_failure, failure, resolution, hold_reason, cancel_reason,
            last_at, last_user,
        )  # fmt: skip
        self.by_status[status.value] += 1
        if kind is WorkOrderType.PREVENTIVE:
            self._link_to_schedule(wo_id, stream, requested, job.due, job.lead_time)

    def _describe(self, stream: _Stream, requested: int) -> _Job:
        """What the order is: title, priority, estimate, who asked and when it is due."""
        rng = self.rng
        kind, asset = stream.type, stream.asset
        profile = asset.profile
        if kind is WorkOrderType.PREVENTIVE:
            priority = 3 if rng.random() < 0.7 else 4
            lead_time = int(min(max(stream.interval_days * 0.2, 1.0), 14.0) * DAY)
            return _Job(
                profile["pm_title"], priority, min(float(profile["pm_hours"]), 24.0),
                f"Planned every {stream.interval_days:g} days on {asset.name}.",
                Origin.PM_SCHEDULE.value, requested + lead_time, self.planners[0], lead_time,
            )  # fmt: skip
        if kind is WorkOrderType.INSPECTION:
            title = rng.choice(_INSPECTION_TITLES).format(name=asset.name)
            priority = 3 if rng.random() < 0.5 else 4
            estimate = rng.choice((0.5, 1.0, 1.0, 1.5, 2.0))
            return _Job(
                title, priority, estimate, f"Inspection round on {asset.code}.",
                Origin.REQUEST.value, requested + _DUE_IN[priority], rng.choice(self.approvers),
            )  # fmt: skip
        if kind is WorkOrderType.PREDICTIVE:
            title = rng.choice(_PREDICTIVE_TITLES).format(name=asset.name)
            priority = 2 if rng.random() < 0.4 else 3
            estimate = _quarter(3.0 * math.exp(rng.gauss(0, 0.4)))
            return _Job(
                title, priority, min(estimate, 24.0),
                f"Raised by a condition rule on {asset.code}; evidence attached.",
                Origin.CONDITION_RULE.value, requested + _DUE_IN[priority], self.planners[0],
            )  # fmt: skip
        title = rng.choice(profile["corrective_titles"])
        if kind is WorkOrderType.EMERGENCY:
            priority = 1
            estimate = _quarter(3.0 * math.exp(rng.gauss(0, 0.5)))
            description = f"Breakdown: {asset.name} stopped; production informed."
        else:
            roll = rng.random()
            priority = 2 if roll < 0.5 else 3 if roll < 0.9 else 4
            if asset.criticality is Criticality.A:
                priority = max(2, priority - 1)
            estimate = _quarter(2.5 * math.exp(rng.gauss(0, 0.6)))
            description = f"Reported on {asset.name} ({asset.code})."
        requester = (
            rng.choice(self.all_techs).id if rng.random() < 0.6 else rng.choice(self.approvers)
        )
        return _Job(
            title, priority, min(estimate, 24.0), description, Origin.REQUEST.value,
            requested + _DUE_IN[priority], requester,
        )  # fmt: skip

    def _ideal_timeline(self, job: _Job, requested: int, emergency: bool) -> _Timeline:
        """The stamps the order would have if nothing were still under way (epoch seconds)."""
        rng = self.rng
        work = int(max(0.25, job.estimate * math.exp(rng.gauss(0, 0.3))) * HOUR)
        hold: tuple[int, int] | None = None
        scheduled_at: int | None = None
        sched_start: int | None = None
        if emergency:
            started = requested + rng.randint(5, 45) * 60
            approved: int = started
        else:
            median = {2: 2, 3: 10, 4: 30}[job.priority] * HOUR
            if job.origin == Origin.PM_SCHEDULE.value:
                median = 4 * HOUR
            approved = requested + int(median * math.exp(rng.gauss(0, 0.8)))
            scheduled_at = approved + int(6 * HOUR * math.exp(rng.gauss(0, 0.9)))
            earliest = scheduled_at + 2 * HOUR
            latest = job.due - int(job.estimate * HOUR)
            if rng.random() < 0.12:
                # Some work starts after its due date: PM compliance is not 100 %.
                target = job.due + int(DAY * math.exp(rng.gauss(0, 0.8)))
            elif latest > earliest:
                target = earliest + int(rng.random() * (latest - earliest))
            else:
                target = earliest + rng.randint(0, DAY)
            sched_start = max(_working_hours(target), earliest)
            started = max(sched_start + rng.randint(-20, 90) * 60, scheduled_at + 60)
            if rng.random() < 0.06:
                on = started + int(work * rng.uniform(0.2, 0.7))
                hold = (on, on + int(1.5 * DAY * math.exp(rng.gauss(0, 0.7))))
        completed = started + work + (hold[1] - hold[0] if hold else 0)
        closed = completed + int((12 if emergency else 20) * HOUR * math.exp(rng.gauss(0, 0.8)))
        return _Timeline(approved, scheduled_at, sched_start, started, work, hold, completed,
                         closed)  # fmt: skip

    def _fit_to_status(
        self, status: Status, times: _Timeline, requested: int, emergency: bool
    ) -> tuple[Status, str | None]:
        """Move the stamps so the status's own stamp lies before now; an order too young for
        its drawn status becomes requested. Returns the status and the hold reason."""
        rng = self.rng
        now = self.now
        t = times
        if status is Status.CLOSED:
            if t.closed > now - 60:
                factor = (now - 60 - requested) / (t.closed - requested)

                def shrink(stamp: int | None) -> int | None:
                    return None if stamp is None else requested + int((stamp - requested) * factor)

                t.approved, t.scheduled_at, t.sched_start = (
                    shrink(t.approved), shrink(t.scheduled_at), shrink(t.sched_start)
                )  # fmt: skip
                t.started, t.completed, t.closed = (
                    int(shrink(t.started) or 0), int(shrink(t.completed) or 0),
                    int(shrink(t.closed) or 0),
                )  # fmt: skip
                if t.hold:
                    t.hold = (int(shrink(t.hold[0]) or 0), int(shrink(t.hold[1]) or 0))
                if emergency:
                    t.approved = t.started
        elif status is Status.CANCELLED:
            t.cancel_stage = rng.choices(
                (Status.REQUESTED, Status.APPROVED, Status.SCHEDULED), (0.4, 0.4, 0.2)
            )[0]
            stage_at = {
                Status.REQUESTED: requested,
                Status.APPROVED: t.approved,
                Status.SCHEDULED: t.scheduled_at,
            }[t.cancel_stage]
            assert stage_at is not None
            if stage_at > now - 120:
                t.cancel_stage, stage_at = Status.REQUESTED, requested
            cancelled = min(stage_at + int(2 * DAY * math.exp(rng.gauss(0, 1))), now - 60)
            t.cancelled = max(cancelled, stage_at)
        elif status in (Status.IN_PROGRESS, Status.ON_HOLD, Status.COMPLETED):
            fitted = self._fit_execution(
                status, requested, t.approved, t.scheduled_at, t.sched_start, t.started, t.work,
                t.hold,
            )  # fmt: skip
            if fitted is None:
                return Status.REQUESTED, None
            t.approved, t.scheduled_at, t.sched_start, t.started, t.hold, t.completed = fitted
            if emergency:
                t.approved = t.started
            if status is Status.ON_HOLD:
                return status, rng.choices(_HOLD_REASONS, _HOLD_WEIGHTS)[0].value
        elif status is Status.SCHEDULED:
            assert t.approved is not None
            assert t.scheduled_at is not None
            if t.scheduled_at > now - 60:
                if now - 60 - requested < 120:
                    return Status.REQUESTED, None
                factor = (now - 60 - requested) / (t.scheduled_at - requested)
                t.approved = requested + int((t.approved - requested) * factor)
                t.scheduled_at = now - 60
            assert t.sched_start is not None
            if t.sched_start < now - 2 * DAY:
                t.sched_start = _working_hours(now + rng.randint(-2 * DAY, 14 * DAY))
            t.sched_start = max(t.sched_start, t.scheduled_at + HOUR)
        elif status is Status.APPROVED:
            assert t.approved is not None
            if t.approved > now - 60:
                if now - 60 - requested < 60:
                    return Status.REQUESTED, None
                t.approved = requested + int(rng.random() * (now - 60 - requested))
        return status, None

    def _asset_down(self, kind: WorkOrderType, started: bool) -> tuple[bool, bool]:
        """Whether the work stopped the asset, and whether it was a failure (KPIS.md:
        emergencies, and corrective work after a loss)."""
        rng = self.rng
        if kind is WorkOrderType.EMERGENCY:
            down = True
        elif kind is WorkOrderType.CORRECTIVE:
            down = started and rng.random() < 0.45
        elif kind is WorkOrderType.PREVENTIVE:
            down = started and rng.random() < 0.3
        elif kind is WorkOrderType.PREDICTIVE:
            down = started and rng.random() < 0.2
        else:
            down = False
        failure = kind is WorkOrderType.EMERGENCY or (kind is WorkOrderType.CORRECTIVE and down)
        return down, failure

    def _number(self, requested: int) -> str:
        year = self.w.year(requested)
        number_in_year = self.counters.get(year, 0) + 1
        self.counters[year] = number_in_year
        return f"WO-{year}-{number_in_year:06d}"

    @staticmethod
    def _moves(
        status: Status,
        t: _Timeline,
        reached: _Reached,
        requester: int,
        lead: _Tech,
        deciders: _Deciders,
        requested: int,
    ) -> list[tuple[str | None, str, int, int, str]]:
        """The status changes up to the order's status (a cancel is added by the caller)."""
        moves: list[tuple[str | None, str, int, int, str]] = [
            (None, _S[Status.REQUESTED], requested, requester, "")
        ]
        if reached.emergency:
            if reached.start:
                moves.append((_S[Status.REQUESTED], _S[Status.IN_PROGRESS], t.started, lead.id, ""))
        else:
            if reached.approved:
                assert t.approved is not None
                moves.append(
                    (_S[Status.REQUESTED], _S[Status.APPROVED], t.approved, deciders.approver, "")
                )
            if reached.schedule:
                assert t.scheduled_at is not None
                moves.append(
                    (_S[Status.APPROVED], _S[Status.SCHEDULED], t.scheduled_at, deciders.scheduler,
                     "")
                )  # fmt: skip
            if reached.start:
                moves.append((_S[Status.SCHEDULED], _S[Status.IN_PROGRESS], t.started, lead.id, ""))
        if t.hold and reached.start:
            note = "waiting for spare parts" if status is not Status.ON_HOLD else ""
            moves.append((_S[Status.IN_PROGRESS], _S[Status.ON_HOLD], t.hold[0], lead.id, note))
            if status is not Status.ON_HOLD:
                moves.append((_S[Status.ON_HOLD], _S[Status.IN_PROGRESS], t.hold[1], lead.id, ""))
        if reached.done:
            moves.append((_S[Status.IN_PROGRESS], _S[Status.COMPLETED], t.completed, lead.id, ""))
        if status is Status.CLOSED:
            moves.append((_S[Status.COMPLETED], _S[Status.CLOSED], t.closed, deciders.closer, ""))
        return moves

    def _labour(
        self, wo_id: int, crew: list[_Tech], t: _Timeline, reached: _Reached, estimate: float
    ) -> None:
        """1-3 entries on done work, one on work under way for more than a few hours."""
        rng, w, now = self.rng, self.w, self.now
        labour = self.buffers.rows["labour_entries"]
        if reached.done:
            pieces = 1 + (rng.random() < 0.45) + (rng.random() < 0.15)
            span = t.completed - t.started
            for k in range(pieces):
                tech = crew[k % len(crew)]
                at = t.started + int(span * (k + 0.5) / pieces)
                hours = min(_quarter(t.work / HOUR / pieces * rng.uniform(0.8, 1.2)), 12.0)
                created = min(t.started + int(span * (k + 1) / pieces), now)
                labour.append(
                    (next(self._labour_ids), wo_id, tech.id, w.day(at), hours, tech.rate, "",
                     w.stamp(created))
                )  # fmt: skip
        elif reached.start and t.started < now - 6 * HOUR:
            lead = crew[0]
            hours = _quarter(rng.uniform(0.5, max(0.5, min(estimate, 4.0))))
            labour.append(
                (next(self._labour_ids), wo_id, lead.id, w.day(t.started), hours, lead.rate, "",
                 w.stamp(t.started + HOUR))
            )  # fmt: skip

    def _downtime(
        self, wo_id: int, asset: _Asset, kind: WorkOrderType, t: _Timeline, done: bool,
        requested: int,
    ) -> None:  # fmt: skip
        """Unplanned for failures, planned for PM and predictive work that stops the asset."""
        rng = self.rng
        emergency = kind is WorkOrderType.EMERGENCY
        planned = not (emergency or kind is WorkOrderType.CORRECTIVE)
        if planned:
            down_start = t.started - rng.randint(0, 20) * 60
            reason = "planned maintenance"
        else:
            # A stopped machine is not left waiting in the backlog for weeks: the stop that
            # needs the repair begins at most a shift before the repair starts.
            jitter = rng.randint(0, 20) * 60
            down_start = max(requested - jitter, t.started - HOUR - 20 * jitter)
            reason = "breakdown" if emergency else "failure"
        down_end = min(t.completed + rng.randint(0, 20) * 60, self.now - 1) if done else None
        self.buffers.rows["downtime_periods"].append(
            (next(self._downtime_ids), wo_id, asset.id, self.w.stamp(down_start),
             self.w.stamp(down_end), planned, reason)
        )  # fmt: skip

    def _failure_codes(
        self, kind: WorkOrderType, asset: _Asset, done: bool
    ) -> tuple[str | None, ...]:
        """Impact, mode and detection when reported; mechanism, cause, activity at completion.
        In the work-order row's order: impact, mode, mechanism, cause, detection, activity."""
        if kind not in (
            WorkOrderType.CORRECTIVE,
            WorkOrderType.EMERGENCY,
            WorkOrderType.PREDICTIVE,
        ):
            return (None,) * 6
        rng = self.rng
        profile = asset.profile
        emergency = kind is WorkOrderType.EMERGENCY
        mechanism = cause = activity = None
        if emergency:
            impact = "CRI"
            detection = rng.choice(("06", "07"))
        elif kind is WorkOrderType.PREDICTIVE:
            impact = "INC"
            detection = rng.choice(("04", "05"))
        else:
            impact = "DEG" if rng.random() < 0.7 else "CRI"
            detection = rng.choice(("03", "07", "06", "02"))
        mode = rng.choice(profile["failure_modes"])
        if done:
            mechanism = rng.choice(profile["failure_mechanisms"])
            cause = rng.choice(profile["failure_causes"])
            activity = rng.choice(("1", "2", "4")) if not emergency else rng.choice(("1", "2"))
        return impact, mode, mechanism, cause, detection, activity

    def _write_order(
        self,
        wo_id: int,
        number: str,
        job: _Job,
        kind: WorkOrderType,
        status: Status,
        origin: str,
        asset: _Asset,
        requested: int,
        t: _Timeline,
        reached: _Reached,
        asset_down: bool,
        is_failure: bool,
        failure: tuple[str | None, ...],
        resolution: str,
        hold_reason: str | None,
        cancel_reason: str | None,
        last_at: int,
        last_user: int,
    ) -> None:
        stamp = self.w.stamp
        scheduled = reached.schedule and t.sched_start is not None
        self.buffers.rows["work_orders"].append(
            (
                wo_id,
                number,
                job.title[:200],
                job.description,
                kind.value,
                job.priority,
                status.value,
                origin,
                asset.id,
                job.requester,
                stamp(requested),
                stamp(t.approved) if reached.approved else None,
                stamp(t.scheduled_at) if reached.schedule else None,
                stamp(t.started) if reached.start else None,
                stamp(t.completed) if reached.done else None,
                stamp(t.closed) if status is Status.CLOSED else None,
                stamp(t.cancelled),
                stamp(job.due),
                stamp(t.sched_start) if reached.schedule else None,
                stamp(t.sched_start + int(math.ceil(job.estimate * 2) * HOUR / 2))
                if scheduled and t.sched_start is not None
                else None,
                job.estimate,
                asset_down,
                is_failure,
                *failure,
                resolution,
                hold_reason,
                cancel_reason,
                1,
                stamp(last_at),
                last_user,
            )
        )

    def _link_to_schedule(
        self, wo_id: int, stream: _Stream, requested: int, due: int, lead_time: int
    ) -> None:
        """Record the PM order as an occurrence of its asset's routine schedule (KPIS.md: the
        PM-compliance grace is a share of the schedule's interval, so every PM order needs it).

        A schedule holds one order per due date; at the largest scales a stream runs faster
        than one a day, and the order goes to the asset's next schedule with that date free.
        """
        asset = stream.asset
        due_day = self.w.day(due)
        schedules = self._schedules.setdefault(asset.id, [])
        schedule = next((s for s in schedules if due_day not in s.due_days), None)
        if schedule is None:
            schedule = self._new_schedule(stream, len(schedules), lead_time)
            schedules.append(schedule)
        schedule.due_days.add(due_day)
        schedule.cycles += 1
        self.buffers.rows["pm_occurrences"].append(
            (
                next(self._occurrence_ids),
                schedule.id,
                schedule.cycles,
                due_day,
                due_day,
                stream.interval_days,
                OccurrenceState.GENERATED.value,
                wo_id,
                self.w.stamp(requested),
            )
        )

    def _new_schedule(self, stream: _Stream, index: int, lead_time: int) -> _HistorySchedule:
        """The retired routine behind an asset's PM history (inactive: `pm run` leaves it be)."""
        asset = stream.asset
        code = f"PMH-{asset.code.removeprefix('BOT-')}"[:28]
        schedule = _HistorySchedule(next(self._schedule_ids))
        self.buffers.rows["pm_schedules"].append(
            (
                schedule.id,
                f"{code}-{index + 1}" if index else code,
                asset.id,
                str(asset.profile["pm_title"])[:200],
                "The routine that produced this asset's PM history; retired.",
                asset.checklist,
                float(asset.profile["pm_hours"]),
                asset.crafts[0],
                3,
                max(1, round(stream.interval_days)),
                IntervalUnit.DAYS.value,
                CalendarMode.FIXED.value,
                self.w.day(self.start),
                max(1, lead_time // DAY),
                WorkingDayRule.KEEP.value,
                OnOpen.STACK.value,
                False,
                1,
                self.w.stamp(self.start),
                self.planners[0],
            )
        )
        return schedule

    def _fit_execution(
        self,
        status: Status,
        requested: int,
        approved: int | None,
        scheduled_at: int | None,
        sched_start: int | None,
        started: int,
        work: int,
        hold: tuple[int, int] | None,
    ) -> tuple[int | None, int | None, int | None, int, tuple[int, int] | None, int] | None:
        """Move the execution so the status's own stamp is recent; None when the order is too young.

        Extra waiting goes into the backlog before the work starts, which is where real work
        orders wait; a young order whose ideal start lies in the future is compressed instead.
        """
        rng = self.rng
        now = self.now
        if status is Status.IN_PROGRESS:
            hold = None
            window = 4 * DAY
        elif status is Status.ON_HOLD:
            if hold is None:
                on = started + int(work * rng.uniform(0.2, 0.7))
                hold = (on, on + DAY)
            window = 20 * DAY
        else:
            window = 21 * DAY
        block_start = min(sched_start, started) if sched_start is not None else started
        completed = started + work + (hold[1] - hold[0] if hold else 0)
        anchor = {Status.IN_PROGRESS: started, Status.COMPLETED: completed}.get(status)
        if anchor is None:
            assert hold is not None
            anchor = hold[0]
        lead_in = anchor - block_start
        pre_end = scheduled_at if scheduled_at is not None else requested
        low = max(now - window, pre_end + lead_in + 60)
        if low > now - 600:
            low = max(now - window, requested + 120 + lead_in + 60)
        high = now - 600
        if low > high:
            return None
        target = low + int(rng.random() * (high - low))
        delta = target - anchor
        shifted_start = block_start + delta
        if scheduled_at is not None and shifted_start < scheduled_at + 60:
            factor = (shifted_start - 60 - requested) / (scheduled_at - requested)
            assert approved is not None
            approved = requested + int((approved - requested) * factor)
            scheduled_at = requested + int((scheduled_at - requested) * factor)

        def move(value: int) -> int:
            return value + delta

        return (
            approved,
            scheduled_at,
            None if sched_start is None else move(sched_start),
            move(started),
            None if hold is None else (move(hold[0]), move(hold[1])),
            move(completed),
        )

    def _checklist(
        self,
        wo_id: int,
        codes: list[str],
        done: bool,
        started_yet: bool,
        started: int,
        completed: int,
        crew: list[_Tech],
    ) -> None:
        rng = self.rng
        stamp = self.w.stamp
        rows = self.buffers.rows["work_order_checklist_items"]
        items = [(code, item) for code in codes for item in self.templates[code]]
        if done:
            answered = len(items)
        elif started_yet:
            answered = rng.randint(0, len(items))
        else:
            answered = 0
        span = max(completed - started, 60) if done else HOUR
        lead = crew[0]
        for position, (code, (kind, item_text, unit, low, high, required)) in enumerate(
            items, start=1
        ):
            result = value = text_value = answered_at = answered_by = None
            if position <= answered:
                answered_at = stamp(
                    min(started + int(span * position / (len(items) + 1)), self.now)
                )
                answered_by = lead.id
                if kind == "check":
                    roll = rng.random()
                    result = "pass" if roll < 0.95 else "fail" if roll < 0.98 else "n/a"
                elif kind == "measurement":
                    lo = 0.0 if low is None else float(low)
                    hi = lo + 100.0 if high is None else float(high)
                    if rng.random() < 0.04:
                        value = round(hi + (hi - lo) * rng.uniform(0.05, 0.3), 1)
                    else:
                        value = round(lo + (hi - lo) * rng.uniform(0.15, 0.8), 1)
                    ok = (low is None or value >= low) and (high is None or value <= high)
                    result = CheckResult.PASS.value if ok else CheckResult.FAIL.value
                elif kind == "text":
                    text_value = rng.choice(_TEXT_ANSWERS)
                else:
                    if "shift leader" in item_text.lower():
                        answered_by = rng.choice(self.supervisors)
                        text_value = self.names.get(answered_by, "")
                    else:
                        text_value = lead.full_name
            rows.append(
                (
                    next(self._checklist_ids),
                    wo_id,
                    code,
                    position,
                    kind,
                    item_text,
                    unit,
                    low,
                    high,
                    required,
                    self.template_safety[code],
                    result,
                    value,
                    text_value,
                    answered_at,
                    answered_by,
                )
            )


# -- the use case -------------------------------------------------------------------------------


LOAD_ACTION = "load demo"
"""The audit action of a demo load; finding it tells a re-run that the demo is there."""


class DemoPlantService:
    """Loads the demo plant into an empty database."""

    def __init__(self, db: Database, clock: Clock = utc_now) -> None:
        self._db = db
        self._clock = clock

    def is_loaded(self) -> bool:
        """Whether this database already holds a demo load (its audit trail says so)."""
        with self._db.unit_of_work(write=False) as session:
            found = session.execute(
                select(AuditEntry.seq).where(AuditEntry.action == LOAD_ACTION).limit(1)
            ).first()
            return found is not None

    def build(
        self,
        *,
        seed: int = 1,
        scale: int = DEFAULT_SCALE,
        years: float = DEFAULT_YEARS,
        progress: Progress | None = None,
    ) -> DemoSummary:
        """Create site, assets, users, checklists and `scale` work orders over `years` years."""
        if not 1 <= scale <= MAX_SCALE:
            raise ValidationFailed({"scale": f"1 to {MAX_SCALE:,} work orders"})
        if not 0 < years <= 20:
            raise ValidationFailed({"years": "more than 0 and at most 20"})
        began = time.perf_counter()
        users = UserService(self._db, self._clock)
        if users.has_users():
            raise WrenchbookError(
                "this database already holds users; load the demo into a fresh one "
                "(give a new --data-dir or --db)"
            )
        plant = load_plant()
        accounts, techs, office = self._users(users, plant)
        admin = users.actor_for("admin")
        assets = self._assets(admin, plant)
        load_demo_condition(self._db, admin, self._clock)
        now = self._clock()
        phases = {"users and assets": time.perf_counter() - began}
        with self._db.unit_of_work() as session:
            templates, safety, template_count = self._checklists(session, plant)
            writer = _Writer(session)
            if writer.dialect == "sqlite":
                # A bigger page cache for the one long transaction: fewer spills of index pages.
                session.connection().exec_driver_sql("PRAGMA cache_size=-262144")
            generator = DemoGenerator(
                writer,
                plant,
                assets,
                techs,
                office,
                templates,
                safety,
                seed=seed,
                scale=scale,
                years=years,
                now=now,
            )
            generator.run(progress)
            phases["history"] = time.perf_counter() - began - phases["users and assets"]
            phases["of which in the driver"] = writer.seconds
            if generator.counters:
                session.execute(
                    insert(NumberCounter),
                    [
                        {"series": f"WO-{year}", "last": last}
                        for year, last in sorted(generator.counters.items())
                    ],
                )
            if writer.dialect == "postgresql":
                for table in _SERIAL_TABLES:
                    session.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                        )
                    )
            rows = dict(generator.buffers.written)
            counts = {
                "seed": seed,
                "scale": scale,
                "years": years,
                "checklist_templates": template_count,
                "work_orders_by_status": dict(generator.by_status),
                **rows,
            }
            counts |= demo_inventory.load(session, self._db, self._clock, admin, seed, now)
            audit.record(session, None, LOAD_ACTION, "database", "demo", None, counts, now)
            user_count = session.execute(select(func.count(User.id))).scalar_one()
            committing = time.perf_counter()
        phases["commit"] = time.perf_counter() - committing
        if writer.dialect == "sqlite":
            checkpoint = time.perf_counter()
            with self._db.engine.connect() as conn:
                # Fold the load's write-ahead log into the file and give its disk space back.
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                conn.exec_driver_sql("PRAGMA optimize")
            phases["checkpoint"] = time.perf_counter() - checkpoint
        add_demo_pm(self._db, self._clock, admin)
        packing = time.perf_counter()
        # The dashboard's packed facts, so the first dashboard need not read every order.
        KpiFactStore(self._db).rebuild_all()
        phases["KPI facts"] = time.perf_counter() - packing
        return DemoSummary(
            assets=len(plant["assets"]),
            users=user_count,
            checklist_templates=template_count,
            work_orders_by_status={k: v for k, v in generator.by_status.items() if v},
            rows=rows,
            accounts=tuple(accounts),
            seconds=time.perf_counter() - began,
            phases=phases,
        )

    def _users(
        self, users: UserService, plant: dict[str, Any]
    ) -> tuple[list[DemoAccount], list[_Tech], dict[str, Any]]:
        accounts: list[DemoAccount] = []
        password = random_password("admin")
        users.create_first_admin("admin", "Demo Administrator", password)
        accounts.append(DemoAccount("admin", Role.ADMIN, password))
        admin = users.actor_for("admin")
        office: dict[str, Any] = {"planner": None, "supervisors": []}
        for person in plant["office_users"]:
            password = random_password(person["username"])
            role = Role(person["role"])
            record = users.create(
                admin, NewUser(person["username"], person["full_name"], role, password)
            )
            accounts.append(DemoAccount(record.username, role, password))
            if role is Role.PLANNER and office["planner"] is None:
                office["planner"] = record.id
            elif role is Role.SUPERVISOR:
                office["supervisors"].append(record.id)
        if office["planner"] is None or not office["supervisors"]:
            raise ValidationFailed({"office_users": "the demo needs a planner and a supervisor"})
        techs: list[_Tech] = []
        for person in plant["technicians"]:
            password = random_password(person["username"])
            record = users.create(
                admin,
                NewUser(
                    person["username"],
                    person["full_name"],
                    Role.TECHNICIAN,
                    password,
                    person["craft"],
                    float(person["hourly_rate"]),
                    float(person["weekly_hours"]),
                ),
            )
            accounts.append(DemoAccount(record.username, Role.TECHNICIAN, password))
            techs.append(_Tech(record.id, record.full_name, person["craft"], record.hourly_rate))
        return accounts, techs, office

    def _assets(self, admin: Actor, plant: dict[str, Any]) -> list[_Asset]:
        service = AssetService(self._db, self._clock)
        site = plant["site"]
        service.ensure_site(admin, site["code"], site["name"], site["timezone"])
        profiles = plant["failure_profiles"]
        checklists = {c["asset_class"]: c["code"] for c in plant["checklists"] if c["asset_class"]}
        today = self._clock().date()
        maintainable: list[_Asset] = []
        with self._db.unit_of_work() as session:
            for raw in plant["assets"]:
                installed = date.fromisoformat(raw["install_date"]) if raw["install_date"] else None
                record = service.insert(
                    session,
                    admin,
                    NewAsset(
                        code=raw["code"],
                        name=raw["name"],
                        level=AssetLevel(raw["level"]),
                        asset_class=raw["asset_class"],
                        criticality=Criticality(raw["criticality"]),
                        parent_code=raw["parent"],
                        maker=raw["maker"],
                        model=raw["model"],
                        serial=raw["serial"],
                        install_date=installed,
                        replacement_value=float(raw["replacement_value"] or 0),
                    ),
                )
                profile = profiles.get(raw["asset_class"])
                if profile is None or record.level in (AssetLevel.AREA, AssetLevel.SYSTEM):
                    continue
                age = (today - installed).days / 365.25 if installed else 10.0
                maintainable.append(
                    _Asset(
                        record.id,
                        record.code,
                        record.name,
                        record.asset_class,
                        record.criticality,
                        max(age, 0.0),
                        profile,
                        CRAFTS.get(record.asset_class, _DEFAULT_CRAFTS),
                        checklists.get(record.asset_class),
                    )
                )
        return maintainable

    @staticmethod
    def _checklists(
        session: Session, plant: dict[str, Any]
    ) -> tuple[dict[str, list[tuple[Any, ...]]], dict[str, bool], int]:
        """Templates from the plant file; returns their items as the generator copies them."""
        first_template = (
            session.execute(select(func.coalesce(func.max(ChecklistTemplate.id), 0))).scalar_one()
            + 1
        )
        first_item = (
            session.execute(
                select(func.coalesce(func.max(ChecklistTemplateItem.id), 0))
            ).scalar_one()
            + 1
        )
        template_rows: list[dict[str, Any]] = []
        item_rows: list[dict[str, Any]] = []
        items_by_code: dict[str, list[tuple[Any, ...]]] = {}
        safety: dict[str, bool] = {}
        for offset, raw in enumerate(plant["checklists"]):
            template_id = first_template + offset
            template_rows.append(
                {
                    "id": template_id,
                    "code": raw["code"],
                    "name": raw["name"],
                    "asset_class": raw["asset_class"],
                    "safety": bool(raw["safety"]),
                    "active": True,
                }
            )
            safety[raw["code"]] = bool(raw["safety"])
            copied: list[tuple[Any, ...]] = []
            for position, item in enumerate(raw["items"], start=1):
                kind = _KIND[item["kind"]]
                low, high = item.get("low"), item.get("high")
                low = None if low is None else float(low)
                high = None if high is None else float(high)
                item_rows.append(
                    {
                        "id": first_item + len(item_rows),
                        "template_id": template_id,
                        "position": position,
                        "kind": kind,
                        "text": item["text"],
                        "unit": item.get("unit"),
                        "low": low,
                        "high": high,
                        "required": True,
                    }
                )
                copied.append((kind, item["text"], item.get("unit"), low, high, True))
            items_by_code[raw["code"]] = copied
        session.execute(insert(ChecklistTemplate), template_rows)
        session.execute(insert(ChecklistTemplateItem), item_rows)
        return items_by_code, safety, len(template_rows)
