"""KPI service: every dashboard figure for a period and an asset filter (shared/KPIS.md).

`kpi_reading` fetches the records of the period and the one before it; this module applies
the definitions of `desktop.domain.kpis` to them and sums the parts of each KPI per bucket
before dividing, so a reader can redo every division by hand.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from sqlalchemy import select

from desktop.domain import kpis
from desktop.domain.failure_codes import code_lists
from desktop.domain.phrases import Amount, Phrase
from desktop.services.analytics.kpi_facts import KpiFactStore
from desktop.services.analytics.kpi_reading import ID_CHUNK, make_window, read_records
from desktop.services.analytics.kpi_records import (
    AssetCost,
    BacklogPoint,
    ClassReliability,
    Dashboard,
    KpiFigure,
    KpiQuery,
    KpiSettings,
    OrderIds,
    ParetoRow,
    PmComplianceSource,
    PmMonth,
    RunningHoursSource,
    StageHours,
)
from desktop.services.shared.clock import Clock, utc_now
from desktop.store.models import WorkOrder

if TYPE_CHECKING:
    from collections.abc import Sequence

    from desktop.services.analytics.kpi_reading import KpiRecords, Window
    from desktop.store.database import Database


class KpiService:
    """Read-only figures for the dashboard, the CLI and the export check."""

    def __init__(
        self,
        db: Database,
        clock: Clock = utc_now,
        *,
        settings: KpiSettings | None = None,
        running_hours: RunningHoursSource | None = None,
        pm_compliance: PmComplianceSource | None = None,
    ) -> None:
        self._db = db
        self._clock = clock
        self._settings = settings or KpiSettings()
        self._running_hours = running_hours
        self._pm_compliance = pm_compliance

    def dashboard(self, query: KpiQuery) -> Dashboard:
        """All figures of the period, the previous period and the sparkline buckets."""
        now = self._clock()
        window = make_window(query, now)
        facts = KpiFactStore(self._db).read()
        with self._db.engine.connect() as conn:
            records = read_records(conn, query, window, facts)
        return _Calculation(window, self._settings, records).dashboard(
            query, self._running_hours, self._pm_compliance
        )

    def work_order_numbers(self, work_order_ids: Sequence[int]) -> list[str]:
        """The numbers of the orders behind a figure, in id order (what a tile click lists)."""
        found: list[str] = []
        with self._db.engine.connect() as conn:
            for begin in range(0, len(work_order_ids), ID_CHUNK):
                part = list(work_order_ids[begin : begin + ID_CHUNK])
                found += conn.execute(
                    select(WorkOrder.number).where(WorkOrder.id.in_(part)).order_by(WorkOrder.id)
                ).scalars()
        return found


class _Calculation:
    """The pandas half of one dashboard computation (runs on the caller's thread)."""

    def __init__(self, window: Window, settings: KpiSettings, records: KpiRecords) -> None:
        self.w = window
        self.settings = settings
        self.assets = records.assets
        self.selected = records.selected
        self.measured = self.selected[
            self.selected["level"].isin([level.value for level in kpis.MEASURED_LEVELS])
        ]
        orders = self.orders = records.orders
        self.labour = records.labour
        self.downtime = kpis.close_open_periods(records.downtime, window.now)
        self.crew = records.crew
        self.parts = records.parts
        self.n = window.n
        self.current = range(1, self.n + 1)
        orders["completed_bucket"] = window.code(orders["completed_at"])
        self.ids = orders.index.to_numpy(dtype="int64")

    def dashboard(
        self,
        query: KpiQuery,
        running_hours: RunningHoursSource | None,
        pm_source: PmComplianceSource | None,
    ) -> Dashboard:
        failures = self._failures()
        operating, basis = self._operating(running_hours)
        figures = [
            self._mttr(failures),
            self._mtbf(failures, operating, basis),
            self._availability(operating),
            *self._backlog_and_overdue(),
            self._pm(pm_source),
            self._schedule(),
            *self._labour_shares(),
            self._utilisation(),
            *self._cost(),
        ]
        backlog = self._backlog_points
        return Dashboard(
            query=query,
            computed_at=self.w.now,
            bucket_ends=self.w.edges[2:],
            figures=tuple(figures),
            mttr_stages=self._stages(failures),
            by_class=self._by_class(failures, operating),
            cost_by_asset=self._cost_by_asset,
            pareto_by_mode=self._pareto(failures, "failure_mode"),
            pareto_by_asset=self._pareto(failures, "asset_id"),
            backlog_over_time=backlog,
            pm_by_month=self._pm_months,
            mtbf_basis=basis,
        )

    # Building blocks

    def _figure(
        self,
        key: str,
        parts: pd.DataFrame,
        formula: Any,
        ids: Any,
        note: str = "",
        text: Any = None,
    ) -> KpiFigure:
        """A tile from a frame of KPI parts indexed by bucket code (0 previous, 1..n now).

        The current value applies `formula` to the parts summed over the period's buckets,
        never to an average of bucket ratios.
        """
        definition = kpis.DEFINITION_BY_KEY[key]
        parts = parts.reindex(range(0, self.n + 1), fill_value=0.0)
        value = _plain(formula(parts.loc[list(self.current)].sum()))
        previous = _plain(formula(parts.loc[0]))
        trend = tuple(_plain(formula(parts.loc[b])) for b in self.current)
        shown = text(value, parts.loc[list(self.current)].sum()) if text else None
        return KpiFigure(
            key=key,
            label=definition.label,
            unit=definition.unit,
            source=definition.source,
            formula=definition.formula,
            value=value,
            text=shown or _format(value, definition.unit),
            previous=previous,
            trend=trend,
            note=note,
            order_ids=self._order_ids(ids),
            higher_is_better=definition.higher_is_better,
        )

    def _order_ids(self, chosen: Any) -> OrderIds:
        """The distinct orders behind a figure: `chosen` is a mask over the orders frame (rows in
        id order) or the chosen ids themselves, in any order and repeated."""
        if isinstance(chosen, np.ndarray) and chosen.dtype == bool:
            return OrderIds(self.ids[chosen])
        values = np.asarray(chosen, dtype="int64")
        if np.all(values[1:] > values[:-1]):  # already distinct and ascending
            return OrderIds(values)
        # Ids are small positive keys: a table of those present beats sorting them.
        present = np.zeros(int(values.max(initial=0)) + 1, dtype=bool)
        present[values] = True
        return OrderIds(np.flatnonzero(present))

    def _rows_mask(self, rows: np.ndarray) -> np.ndarray:
        """A mask over the orders frame with `rows` set (a hash-free distinct of many rows)."""
        mask = np.zeros(len(self.ids), dtype=bool)
        mask[rows] = True
        return mask

    def _failures(self) -> pd.DataFrame:
        """Failure orders completed in the window, with their repair span (SMRP 3.5.2)."""
        orders = self.orders
        done = orders[orders["is_failure"] & orders["completed_bucket"].between(0, self.n)]
        spans = kpis.repair_spans(done, self.downtime, self.settings.mttr_start)
        return done.join(spans)

    def _operating(self, running: RunningHoursSource | None) -> tuple[pd.DataFrame, Phrase]:
        """Operating, idle and downtime hours per measured asset and bucket (SMRP 3.5.1, 2.2).

        Calendar hours less downtime (`kpis.asset_hours`), unless a running-hours tag of the
        asset gives its running and idle hours.
        """
        edges = self.w.edges[: self.n + 2]
        measured = self.downtime[self.downtime["asset_id"].isin(self.measured.index)]
        operating = kpis.asset_hours(
            self.measured, kpis.merge_periods(measured), edges, self.w.now
        ).rename(columns={"window": "bucket"})
        operating["idle_hours"] = 0.0
        operating = operating.set_index(["asset_id", "bucket"])
        tagged: set[int] = set()
        # The buckets that have begun (the future has no hours), read in one call.
        begun = [b for b in range(0, self.n + 1) if self.w.elapsed_hours(b) > 0]
        if running is not None and begun:
            spans = running.run_times(
                list(self.measured.index),
                [self.w.snapshot(edge) for edge in range(begun[-1] + 2)],
            )
            found = pd.DataFrame(
                [
                    (asset_id, bucket, run.running_hours, run.idle_hours)
                    for bucket in begun
                    for asset_id, run in spans[bucket].items()
                ],
                columns=["asset_id", "bucket", "operating_hours", "idle_hours"],
            ).set_index(["asset_id", "bucket"])
            # One assignment: cell by cell cost a millisecond each, 600 on a plant's dashboard.
            operating.loc[found.index, found.columns] = found.to_numpy()
            tagged.update(found.index.get_level_values("asset_id"))
        operating = operating.reset_index(level="bucket").rename_axis(None)
        if tagged:
            basis = Phrase(
                "running hours from tags for {tagged} of {assets} assets, "
                "calendar hours less downtime for the rest",
                tagged=Amount(len(tagged)),
                assets=Amount(len(self.measured)),
            )
        else:
            basis = Phrase("calendar hours less downtime (no running-hours tags)")
        return operating, basis

    # Reliability

    def _mttr(self, failures: pd.DataFrame) -> KpiFigure:
        parts = failures.groupby("completed_bucket").agg(
            hours=("repair_hours", "sum"), count=("repair_hours", "size")
        )
        variant = (
            Phrase("from the failure")
            if self.settings.mttr_start is kpis.MttrStart.FAILURE
            else Phrase("from technician start")
        )
        current = failures[failures["completed_bucket"].between(1, self.n)]
        return self._figure(
            "mttr",
            parts,
            lambda p: kpis.mttr_hours(p["hours"], int(p["count"])),
            current.index,
            note=Phrase(
                "{failures} failures; {variant}", failures=Amount(len(current)), variant=variant
            ),
        )

    def _mtbf(self, failures: pd.DataFrame, operating: pd.DataFrame, basis: Phrase) -> KpiFigure:
        parts = pd.DataFrame(
            {
                "hours": operating.groupby("bucket")["operating_hours"].sum(),
                "count": failures.groupby("completed_bucket").size(),
            }
        ).fillna(0.0)
        current = failures[failures["completed_bucket"].between(1, self.n)]

        def text(value: float | None, total: pd.Series) -> str | None:
            if value is None:
                return Phrase(
                    "no failures in {hours} operating hours", hours=Amount(total["hours"])
                )
            return None

        return self._figure(
            "mtbf",
            parts,
            lambda p: kpis.mtbf_hours(p["hours"], int(p["count"])),
            current.index,
            note=Phrase("{assets} assets; {basis}", assets=Amount(len(self.measured)), basis=basis),
            text=text,
        )

    def _availability(self, operating: pd.DataFrame) -> KpiFigure:
        parts = operating.groupby("bucket")[["period_hours", "idle_hours", "downtime_hours"]].sum()
        lo, hi = self.w.snapshot(1), self.w.snapshot(self.n + 1)
        down = self.downtime
        behind = down[
            down["asset_id"].isin(self.measured.index) & (down["start"] < hi) & (down["end"] > lo)
        ]
        return self._figure(
            "availability",
            parts,
            lambda p: kpis.availability_percent(
                p["period_hours"], p["idle_hours"], p["downtime_hours"]
            ),
            behind["work_order_id"].dropna(),  # a stop with no order has none to list
            note=Phrase(
                "{assets} assets; planned and unplanned downtime",
                assets=Amount(len(self.measured)),
            ),
        )

    def _stages(self, failures: pd.DataFrame) -> tuple[StageHours, ...]:
        current = failures[failures["completed_bucket"].between(1, self.n)]
        stages = kpis.mttr_stages(
            current["requested_at"],
            current["approved_at"],
            current["started_at"],
            current["completed_at"],
            current["restored"],
        )
        return tuple(
            StageHours(name, None if hours.dropna().empty else float(hours.mean()))
            for name, hours in stages.items()
        )

    def _by_class(
        self, failures: pd.DataFrame, operating: pd.DataFrame
    ) -> tuple[ClassReliability, ...]:
        current_ops = operating[operating["bucket"].between(1, self.n)]
        hours = current_ops.groupby(level=0)["operating_hours"].sum()
        classes = self.measured["asset_class"]
        current = failures[failures["completed_bucket"].between(1, self.n)]
        current = current[current["asset_id"].isin(self.measured.index)]
        by_class = current.groupby(current["asset_id"].map(classes)).agg(
            count=("repair_hours", "size"), repair=("repair_hours", "sum")
        )
        result = []
        for asset_class, members in classes.groupby(classes):
            operating_hours = float(hours.reindex(members.index, fill_value=0.0).sum())
            count = int(by_class["count"].get(asset_class, 0))
            repair = float(by_class["repair"].get(asset_class, 0.0))
            result.append(
                ClassReliability(
                    str(asset_class),
                    len(members),
                    count,
                    operating_hours,
                    kpis.mtbf_hours(operating_hours, count),
                    kpis.mttr_hours(repair, count),
                )
            )
        result.sort(key=lambda c: (-c.failures, c.asset_class))
        return tuple(result)

    def _pareto(self, failures: pd.DataFrame, by: str) -> tuple[ParetoRow, ...]:
        current = failures[failures["completed_bucket"].between(1, self.n)]
        keys = current[by].fillna("") if by == "failure_mode" else current[by]
        grouped = pd.DataFrame(
            {
                "failures": keys.groupby(keys).size(),
                "downtime": kpis.pareto_hours(keys, self.downtime),
            }
        ).fillna({"downtime": 0.0})
        grouped = grouped.sort_values(["failures", "downtime"], ascending=False)
        labels = _mode_labels() if by == "failure_mode" else self.assets["name"].to_dict()
        codes = None if by == "failure_mode" else self.assets["code"].to_dict()
        rows = []
        for key, row in grouped.iterrows():
            shown = str(key) if codes is None else str(codes[key])
            label = labels.get(key, "not coded" if key == "" else "")
            rows.append(
                ParetoRow(shown or "-", label, int(row["failures"]), float(row["downtime"]))
            )
        return tuple(rows)

    # Workload

    def _backlog_and_overdue(self) -> list[KpiFigure]:
        """Backlog (SMRP 5.4.8) and overdue orders, as snapshots at each bucket's end."""
        orders = self.orders
        snapshots = [self.w.snapshot(edge) for edge in range(1, self.n + 2)]
        stamps = np.array([at.as_unit("ns").value for at in snapshots], dtype="int64")

        # An order is open at the snapshots from the first at or after its request to the
        # last before it was completed or cancelled; in the backlog from the first at or after
        # it was also approved, scheduled or started; overdue from the first after its due
        # time. As positions in `stamps` (the earliest of two times has the earliest position),
        # small integers: a million orders' times are never copied.
        def first_at(*names: str, side: Literal["left", "right"] = "left") -> np.ndarray:
            found = [_position(stamps, orders[name], side) for name in names]
            return found[0] if len(found) == 1 else np.minimum.reduce(found)

        opened = first_at("requested_at")
        until = first_at("completed_at", "cancelled_at")
        in_backlog_from = np.maximum(opened, first_at("approved_at", "scheduled_at", "started_at"))
        overdue_from = np.maximum(opened, first_at("due_at", side="right"))
        last = len(stamps) - 1
        ever = np.flatnonzero(in_backlog_from < until)  # rows in the backlog at some snapshot
        backlog_from, backlog_until = in_backlog_from[ever], until[ever]
        # Hours logged before each edge: cumulative over bucket codes, for backlog orders only.
        width = self.n + 3  # bucket codes -1 .. n + 1
        slot = np.full(len(orders), -1, dtype="int64")
        slot[ever] = np.arange(len(ever))
        rows = self.labour["order_row"].to_numpy()
        mine = slot[rows] >= 0
        logged = np.bincount(
            slot[rows[mine]] * width + self.labour["bucket"].to_numpy()[mine] + 1,
            self.labour["hours"].to_numpy(dtype="float64")[mine],
            minlength=len(ever) * width,
        ).reshape(-1, width)
        cumulative = logged.cumsum(axis=1)
        estimates = orders["estimate_hours"].to_numpy()[ever]
        capacity = kpis.weekly_capacity(
            self.crew.weekly_hours, self.settings.indirect_hours_per_week
        )
        # Overdue over the snapshots from `overdue_from` to before `until`: a count that rises
        # at the one and falls at the other.
        ever_overdue = overdue_from < until
        overdue_counts = np.bincount(overdue_from[ever_overdue], minlength=last + 2)
        overdue_counts -= np.bincount(until[ever_overdue], minlength=last + 2)
        overdue_counts = overdue_counts.cumsum()
        # Each (order, snapshot) pair of the backlog, the rule applied to all pairs at once.
        # Column k + 1 of `cumulative` holds the hours of bucket codes up to k, the edge's - 1.
        snapshot = np.arange(len(stamps))
        pair_row, pair_at = np.nonzero(
            (backlog_from[:, None] <= snapshot) & (backlog_until[:, None] > snapshot)
        )
        remaining_by_pair = kpis.remaining_hours(
            pd.Series(estimates[pair_row]), pd.Series(cumulative[pair_row, pair_at + 1])
        )
        remaining_at = np.bincount(pair_at, remaining_by_pair.to_numpy(), minlength=len(stamps))
        count_at = np.bincount(pair_at, minlength=len(stamps))
        backlog_rows, overdue_rows, points = {}, {}, []
        for k, at in enumerate(snapshots):
            remaining, count = float(remaining_at[k]), int(count_at[k])
            backlog_rows[k] = {"hours": remaining, "count": count}
            overdue_rows[k] = {"count": float(overdue_counts[k])}
            points.append(
                BacklogPoint(
                    at.to_pydatetime(),
                    count,
                    float(remaining),
                    kpis.backlog_weeks(float(remaining), capacity),
                )
            )
        backlog_ids = self.ids[ever[(backlog_from <= last) & (backlog_until > last)]]
        overdue_ids = self.ids[(overdue_from <= last) & (until > last)]
        # The orders behind the tiles (above): those of the last snapshot, the period's end.
        self._backlog_points = tuple(points)
        # A snapshot is not a sum: bucket b's parts are the state at its end, and the
        # period's figure is the state at the period's end (the last bucket).
        backlog = self._snapshot_figure(
            "backlog",
            backlog_rows,
            lambda p: kpis.backlog_weeks(p["hours"], capacity),
            backlog_ids,
            note_of=lambda p: Phrase(
                "{orders} orders, {hours} h remaining; crew {crew} h/week",
                orders=Amount(int(p["count"])),
                hours=Amount(p["hours"], 1),
                crew=Amount(capacity, 1),
            ),
        )
        overdue_figure = self._snapshot_figure(
            "overdue",
            overdue_rows,
            lambda p: float(p["count"]),
            overdue_ids,
            note_of=lambda p: Phrase("open orders past their due time"),
        )
        return [backlog, overdue_figure]

    def _snapshot_figure(
        self, key: str, rows: dict[int, dict[str, float]], formula: Any, ids: Any, note_of: Any
    ) -> KpiFigure:
        definition = kpis.DEFINITION_BY_KEY[key]
        parts = pd.DataFrame.from_dict(rows, orient="index")
        value = _plain(formula(parts.loc[self.n]))
        return KpiFigure(
            key=key,
            label=definition.label,
            unit=definition.unit,
            source=definition.source,
            formula=definition.formula,
            value=value,
            text=_format(value, definition.unit),
            previous=_plain(formula(parts.loc[0])),
            trend=tuple(_plain(formula(parts.loc[b])) for b in self.current),
            note=note_of(parts.loc[self.n]),
            order_ids=self._order_ids(ids),
            higher_is_better=definition.higher_is_better,
        )

    def _pm(self, source: PmComplianceSource | None) -> KpiFigure:
        definition = kpis.DEFINITION_BY_KEY["pm_compliance"]
        if source is None:
            self._pm_months = None
            return KpiFigure(
                key="pm_compliance",
                label=definition.label,
                unit=definition.unit,
                source=definition.source,
                formula=definition.formula,
                value=None,
                text=Phrase("not available"),
                previous=None,
                trend=(),
                note=Phrase(
                    "needs the PM schedules (their intervals set the grace); not connected"
                ),
                order_ids=self._order_ids(()),
                higher_is_better=definition.higher_is_better,
            )
        keep = set(self.selected.index)
        due = pd.DataFrame(
            [
                (d.work_order_id, d.due_at, d.done_in_grace)
                for d in source.pm_due(self.w.start, self.w.end)
                if d.asset_id in keep
            ],
            columns=["work_order_id", "due_at", "done"],
        )
        due["due_at"] = pd.to_datetime(due["due_at"], utc=True)
        due["bucket"] = self.w.code(due["due_at"])
        parts = due.groupby("bucket").agg(done=("done", "sum"), due=("done", "size"))
        current = due[due["bucket"].between(1, self.n)]
        months = current.groupby(current["due_at"].dt.strftime("%Y-%m")).agg(
            done=("done", "sum"), due=("done", "size")
        )
        self._pm_months = tuple(
            PmMonth(
                str(m),
                int(r["due"]),
                int(r["done"]),
                kpis.pm_compliance_percent(int(r["done"]), int(r["due"])),
            )
            for m, r in months.iterrows()
        )
        return self._figure(
            "pm_compliance",
            parts,
            lambda p: kpis.pm_compliance_percent(int(p["done"]), int(p["due"])),
            current["work_order_id"],
            note=Phrase("{orders} PM orders due", orders=Amount(len(current))),
        )

    def _schedule(self) -> KpiFigure:
        """SMRP 5.4.4 over the weeks that began in each bucket and have ended by now."""
        # Only the columns the rule reads, of the orders with a scheduled start.
        times = ["scheduled_start", "scheduled_at", "started_at", "completed_at", "cancelled_at"]
        at = np.flatnonzero(self.orders["scheduled_start"].notna().to_numpy())
        orders = pd.DataFrame(
            {name: self.orders[name].array.take(at) for name in times}, copy=False
        )
        week = kpis.week_start(orders["scheduled_start"])
        on_schedule = kpis.on_week_schedule(
            week,
            orders["scheduled_at"],
            orders["started_at"],
            orders["completed_at"],
            orders["cancelled_at"],
        )
        ended = week + np.timedelta64(7, "D") <= pd.Timestamp(self.w.now)
        on = (on_schedule & ended).to_numpy()
        done = on & kpis.completed_in_week(week, orders["completed_at"]).to_numpy()
        bucket = self.w.code(week)
        counted = on & (bucket >= 0) & (bucket <= self.n)
        parts = pd.DataFrame(
            {
                "done": np.bincount(bucket[counted], done[counted], minlength=self.n + 1),
                "on": np.bincount(bucket[counted], minlength=self.n + 1),
            }
        )
        current = self.ids[at[counted & (bucket >= 1)]]
        return self._figure(
            "schedule_compliance",
            parts,
            lambda p: kpis.schedule_compliance_percent(int(p["done"]), int(p["on"])),
            current,
            note=Phrase(
                "{orders} orders on weekly schedules that have ended", orders=Amount(len(current))
            ),
        )

    def _labour_shares(self) -> list[KpiFigure]:
        """The order rules decide once per order; each entry takes its order's verdict and the
        hours are summed per bucket of the entry date (KPIS.md: labour counts by entry date)."""
        orders = self.orders
        verdicts = {
            "planned_work": kpis.is_planned_work(
                orders["scheduled_at"], orders["started_at"], orders["estimate_hours"]
            ),
            "reactive_work": kpis.is_reactive_work(
                orders["type"], orders["scheduled_at"], orders["started_at"]
            ),
            "proactive_work": kpis.is_proactive_work(orders["type"], orders["origin"]),
            "emergency_share": kpis.is_emergency_work(orders["type"]),
        }
        bucket, rows, hours = self._booked
        # Each order's four verdicts as one small number, looked up once per entry: hours per
        # bucket and verdict combination, then per verdict the combinations that hold it.
        combination = np.zeros(len(orders), dtype=np.uint8)
        for bit, verdict in enumerate(verdicts.values()):
            combination |= verdict.to_numpy(dtype=bool).view(np.uint8) << np.uint8(bit)
        width = 1 << len(verdicts)
        by_combination = np.bincount(
            bucket * width + combination[rows], hours, minlength=(self.n + 1) * width
        ).reshape(self.n + 1, width)
        total = by_combination.sum(axis=1)  # every entry has one combination
        figures = []
        for bit, (key, verdict) in enumerate(verdicts.items()):
            holds = (np.arange(width) >> bit) & 1 == 1
            parts = pd.DataFrame({"share": by_combination[:, holds].sum(axis=1), "hours": total})
            figures.append(
                self._figure(
                    key,
                    parts,
                    lambda p: kpis.labour_share_percent(p["share"], p["hours"]),
                    self._booked_now & verdict.to_numpy(dtype=bool),
                    note=Phrase(
                        "of {hours} labour hours (by entry date)",
                        hours=Amount(float(total[1:].sum()), 1),
                    ),
                )
            )
        return figures

    @cached_property
    def _booked_now(self) -> np.ndarray:
        """Orders (a mask over the frame) with labour dated in the period itself."""
        bucket, rows, _ = self._booked
        return self._rows_mask(rows[bucket >= 1])

    @cached_property
    def _booked(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Bucket, order row and hours of the entries dated in the window (buckets 0..n)."""
        labour = self.labour
        bucket = labour["bucket"].to_numpy()
        inside = (bucket >= 0) & (bucket <= self.n)
        return (
            bucket[inside],
            labour["order_row"].to_numpy()[inside],
            labour["hours"].to_numpy(dtype="float64")[inside],
        )

    def _utilisation(self) -> KpiFigure:
        """Labour counts by the date of the entry, so it is set against whole days: each day of
        the bucket that has begun, today included (a day's entries against the hours since
        midnight read several hundred per cent in the morning)."""
        available = {
            b: kpis.available_hours(self.crew.weekly_hours, self.w.begun_days(b))
            for b in range(0, self.n + 1)
        }
        parts = pd.DataFrame(
            {
                "logged": pd.Series(self.crew.logged_by_bucket, dtype=float),
                "available": pd.Series(available, dtype=float),
            }
        ).fillna(0.0)
        now = parts.reindex(list(self.current), fill_value=0.0).sum()
        return self._figure(
            "utilisation",
            parts,
            lambda p: kpis.utilisation_percent(p["logged"], p["available"]),
            self._booked_now,
            note=Phrase(
                "{booked} h booked of {available} h; "
                "{technicians} active technicians, site-wide, absences not recorded",
                booked=Amount(now["logged"]),
                available=Amount(now["available"]),
                technicians=Amount(self.crew.technicians),
            ),
        )

    # Cost

    def _cost(self) -> list[KpiFigure]:
        """Cost of orders completed in each bucket (KPIS.md: costs count at completion)."""
        orders = self.orders
        done = orders["completed_bucket"].between(0, self.n).to_numpy()
        # Every entry of the order counts, whenever it was booked (costs count at completion).
        labour_cost = np.bincount(
            self.labour["order_row"].to_numpy(),
            self.labour["cost"].to_numpy(dtype="float64"),
            minlength=len(orders),
        )
        per_order = pd.DataFrame(
            {
                "bucket": orders["completed_bucket"].to_numpy()[done],
                "asset_id": orders["asset_id"].to_numpy()[done],
                "labour": labour_cost[done],
                "parts": self.parts.reindex(orders.index, fill_value=0.0).to_numpy()[done],
            },
            index=orders.index[done],
            copy=False,  # fresh columns: stacking them into one 2-D block would copy them again
        )
        per_order["cost"] = kpis.maintenance_cost(per_order["labour"], per_order["parts"], 0.0, 0.0)
        parts = pd.DataFrame(
            {
                "cost": np.bincount(
                    per_order["bucket"].to_numpy(), per_order["cost"].to_numpy(), self.n + 1
                )
            }
        )
        current = per_order[per_order["bucket"].to_numpy() >= 1]  # the period: codes 1..n
        self._cost_by_asset = self._asset_costs(current)
        rav = float(self.selected["replacement_value"].sum())
        cost = self._figure(
            "cost",
            parts,
            lambda p: float(p["cost"]),
            current.index,
            note=Phrase(
                "{orders} orders completed; labour, parts issued (no external cost field)",
                orders=Amount(len(current)),
            ),
        )
        days = {b: self.w.elapsed_hours(b) / 24.0 for b in range(0, self.n + 1)}
        parts = parts.reindex(range(0, self.n + 1), fill_value=0.0)
        parts["days"] = pd.Series(days)
        ratio = self._figure(
            "cost_rav",
            parts,
            lambda p: kpis.cost_to_rav_percent(p["cost"], p["days"], rav),
            current.index,
            note=Phrase("annualised; replacement value {value}", value=Amount(rav)),
        )
        return [cost, ratio]

    def _asset_costs(self, current: pd.DataFrame) -> tuple[AssetCost, ...]:
        # Plain dicts: a few hundred assets, each looked up several times, cost more through
        # pandas' indexing than the million orders' sums before it.
        assets = current["asset_id"].to_numpy()
        costed = np.flatnonzero(np.bincount(assets))  # the assets with orders completed
        own = {
            name: dict(
                zip(
                    costed.tolist(),
                    np.bincount(assets, current[name])[costed].tolist(),
                    strict=True,
                )
            )
            for name in ("labour", "parts", "cost")
        }
        rolled = dict(own["cost"])
        parents = self.assets["parent_id"].to_dict()
        for asset_id, cost in own["cost"].items():
            parent = parents.get(asset_id)
            while parent is not None and not pd.isna(parent):
                rolled[int(parent)] = rolled.get(int(parent), 0.0) + cost
                parent = parents.get(int(parent))
        codes, names = self.assets["code"].to_dict(), self.assets["name"].to_dict()
        values, selected = self.assets["replacement_value"].to_dict(), set(self.selected.index)
        rows = [
            AssetCost(
                code=str(codes[asset_id]),
                name=str(names[asset_id]),
                labour_cost=float(own["labour"].get(asset_id, 0.0)),
                parts_cost=float(own["parts"].get(asset_id, 0.0)),
                own_cost=float(own["cost"].get(asset_id, 0.0)),
                rolled_up_cost=float(total),
                replacement_value=float(values[asset_id]),
            )
            for asset_id, total in rolled.items()
            if asset_id in selected
        ]
        rows.sort(key=lambda r: (-r.own_cost, -r.rolled_up_cost, r.code))
        return tuple(rows)


def _position(stamps: np.ndarray, times: pd.Series, side: Literal["left", "right"]) -> np.ndarray:
    """Each time's position among the ascending `stamps` (numpy's searchsorted), a missing
    time past them all (never reached), as the smallest integer type that holds them."""
    values: np.ndarray = times.dt.as_unit("ns").array.asi8
    found = np.searchsorted(stamps, values, side=side).astype(np.min_scalar_type(len(stamps)))
    found[values == np.iinfo("int64").min] = len(stamps)
    return found


def _plain(value: Any) -> float | None:
    """A figure as a Python float (never numpy's), None when it has no value."""
    return None if value is None or pd.isna(value) else float(value)


def _mode_labels() -> dict[str, str]:
    return {c.code: c.label for c in code_lists()["failure_mode"]}


def _format(value: float | None, unit: str) -> Phrase:
    if value is None:
        return Phrase("n/a")
    if unit == "%":
        return Phrase("{value} %", value=Amount(value, 1))
    if unit in ("orders", "cost"):
        return Phrase("{value}", value=Amount(value))
    if unit == "weeks":
        return Phrase("{value} weeks", value=Amount(value, 1))
    return Phrase("{value} h", value=Amount(value, 1))


def utc_day(day: date) -> datetime:
    """Midnight UTC of a calendar day: how the CLI turns --from/--to into a period."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)
