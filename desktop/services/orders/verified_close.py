"""Verified close: gathers the signal after the repair for the completion guard, and keeps it.

An order raised by a condition rule's alarm completes only once the rule's tag has stayed in
band for the rule's `verify_minutes` after the repair (desktop.domain.verified_close decides);
on completion that "after" window is attached beside the "before" evidence of the alarm.

The samples are read and the PNG drawn by `prepare`, before the completion's write transaction
opens, and the read is bounded (the verify time, or the last `AFTER_TREND_S` for the trend):
a write lock held while thousands of samples are read and the trend is drawn holds up every
other writer, the historian among them. Inside the transaction `settle_source` (one small
query, no samples) checks that what the window was read for has not changed meanwhile.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from desktop.domain.condition import DataKind, Quality, RuleKind, RuleSpec
from desktop.domain.verified_close import MAX_SILENCE_S, check_signal, window_start
from desktop.services.shared import attachments
from desktop.services.shared.trend_files import trend_csv, trend_png
from desktop.store.condition_models import Alarm, ConditionRule, Tag
from desktop.store.models import WorkOrder

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.orm import Session

    from desktop.domain.permissions import Actor
    from desktop.domain.verified_close import SignalCheck
    from desktop.services.shared.trend_files import Point
    from desktop.store.database import Database
    from desktop.store.history import HistoryStore

# The after trend is thinned to this many samples so a long repair stays a small attachment.
AFTER_MAX_POINTS = 20_000
# ... and shows at most this much before the completion (the historian keeps raw samples for
# spans this long), unless the verify time itself is longer.
AFTER_TREND_S = 2 * 3600.0


class SettleChanged(Exception):
    """The alarm, rule or repair start changed between the read and the write: read again."""


@dataclass(frozen=True)
class SettleSource:
    """What the after window depends on, read without touching the samples."""

    alarm_id: int
    tag_id: int
    tag_name: str
    unit: str
    spec: RuleSpec
    verify_s: float
    repair_ts: float
    max_silence_s: float
    """Silence longer than this is a gap: a steady signal is stored once per maximum interval."""


@dataclass(frozen=True)
class AfterWindow:
    """The rule's signal from the repair (at most `AFTER_TREND_S`) to now, and the verdict."""

    tag_name: str
    unit: str
    limit: float | None
    repair_ts: float
    points: list[Point]
    check: SignalCheck


@dataclass(frozen=True)
class PreparedSettle:
    """Read and drawn outside the write transaction; `files` only when the check passed."""

    source: SettleSource
    window: AfterWindow
    files: tuple[tuple[str, bytes], ...]


def settle_source(session: Session, wo: WorkOrder) -> SettleSource | None:
    """None when the order was not raised by an alarm, or its rule asks for no verification."""
    found = session.execute(
        select(Alarm.id, Alarm.raised_at, ConditionRule, Tag)
        .join(ConditionRule, ConditionRule.id == Alarm.rule_id)
        .join(Tag, Tag.id == ConditionRule.tag_id)
        .where(Alarm.work_order_id == wo.id)
        .order_by(Alarm.id.desc())
        .limit(1)
    ).first()
    if found is None:
        return None
    alarm_id, raised_at, rule, tag = found
    if rule.verify_minutes <= 0:
        return None
    # The repair starts when work on the order started, never before the alarm itself.
    repair = max(wo.started_at, raised_at) if wo.started_at else raised_at
    spec = RuleSpec(
        rule.kind,
        rule.limit,
        rule.direction,
        rule.hysteresis,
        rule.on_delay_s,
        rule.window_s,
        rule.horizon_s,
    )
    # Here, not at the top: the compression loads numpy, and every start imports this module
    # with the work-order service (about 0.15 s before the board could show).
    from desktop.domain.compression import default_spec

    stored_every = default_spec(tag.unit, DataKind(tag.kind), tag.deviation, tag.max_interval_s)
    return SettleSource(
        alarm_id,
        tag.id,
        tag.name,
        tag.unit,
        spec,
        rule.verify_minutes * 60,
        repair.timestamp(),
        MAX_SILENCE_S + stored_every.max_interval_s,
    )


def read_window(history: HistoryStore, source: SettleSource, now: datetime) -> AfterWindow:
    """The stored points the verdict and the after trend need, and no more. Between kept
    points the series is a straight line, so its extremes (what the band check looks at) are
    among them."""
    now_ts = now.timestamp()
    verdict_from = window_start(
        source.spec, source.repair_ts, now_ts, source.verify_s, source.max_silence_s
    )
    read_from = min(verdict_from, max(source.repair_ts, now_ts - AFTER_TREND_S))
    pts = history.points(source.tag_id, read_from, now_ts).between(read_from, now_ts + 1e-6)
    check = check_signal(
        source.tag_name,
        source.spec,
        pts.ts,
        pts.values,
        source.repair_ts,
        now_ts,
        source.verify_s,
        source.max_silence_s,
        read_from=read_from,
    )
    step = max(1, -(-len(pts.ts) // AFTER_MAX_POINTS))
    points: list[Point] = [
        (float(t), None if math.isnan(v) else float(v), Quality(int(q)).name.lower())
        for t, v, q in zip(pts.ts[::step], pts.values[::step], pts.quality[::step], strict=True)
    ]
    limit = None if source.spec.kind is RuleKind.RATE_OF_CHANGE else source.spec.limit
    return AfterWindow(source.tag_name, source.unit, limit, source.repair_ts, points, check)


def prepare(db: Database, number: str, now: datetime) -> PreparedSettle | None:
    """Before the completion's write transaction: read the window (read-only) and, when the
    signal passes, draw the files to keep. None when the order needs no verification."""
    with db.unit_of_work(write=False) as session:
        wo = session.execute(select(WorkOrder).where(WorkOrder.number == number)).scalar()
        source = settle_source(session, wo) if wo is not None else None
    if source is None:
        return None
    from desktop.store.history import history_store  # numpy: not at start-up

    window = read_window(history_store(db), source, now)
    files = after_files(number, window, now) if window.check.verified else ()
    return PreparedSettle(source, window, files)


def after_files(number: str, window: AfterWindow, now: datetime) -> tuple[tuple[str, bytes], ...]:
    """The after window as CSV and PNG (drawing it: keep it out of any transaction)."""
    stem = f"{window.tag_name}-after-{now.strftime('%Y%m%dT%H%M%SZ')}"
    title = f"{number}: {window.tag_name} after the repair"
    files = [(f"{stem}.csv", trend_csv(window.tag_name, window.unit, window.points))]
    if window.points:
        png = trend_png(title, window.unit, window.points, window.limit, window.repair_ts, "repair")
        files.append((f"{stem}.png", png))
    return tuple(files)


def confirm(session: Session, wo: WorkOrder, prepared: PreparedSettle | None) -> None:
    """Inside the write transaction: raise `SettleChanged` when the window was read for an
    alarm, rule or repair start that is no longer the order's."""
    if settle_source(session, wo) != (prepared.source if prepared else None):
        raise SettleChanged(wo.number)


def attach_after_trend(
    session: Session, actor: Actor, wo: WorkOrder, prepared: PreparedSettle, now: datetime
) -> None:
    """Keep the files drawn beforehand with the order, in the completion's unit of work."""
    for filename, content in prepared.files:
        attachments.store(session, actor, wo, filename, content, now)
