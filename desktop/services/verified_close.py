"""Verified close: gathers the signal after the repair for the completion guard, and keeps it.

An order raised by a condition rule's alarm completes only once the rule's tag has stayed in
band for the rule's `verify_minutes` after the repair (desktop.domain.verified_close decides);
on completion that "after" window is attached beside the "before" evidence of the alarm.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from desktop.domain.compression import default_spec
from desktop.domain.condition import Quality, RuleKind, RuleSpec
from desktop.domain.verified_close import MAX_SILENCE_S, check_signal
from desktop.services import attachments
from desktop.services.trend_files import trend_csv, trend_png
from desktop.store.condition_models import Alarm, ConditionRule, Tag

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.orm import Session

    from desktop.domain.permissions import Actor
    from desktop.domain.verified_close import SignalCheck
    from desktop.services.trend_files import Point
    from desktop.store.history import HistoryStore
    from desktop.store.models import WorkOrder

# The after trend is thinned to this many samples so a long repair stays a small attachment.
AFTER_MAX_POINTS = 20_000


@dataclass(frozen=True)
class AfterWindow:
    """The rule's signal from the repair to now, and the verdict on it."""

    tag_name: str
    unit: str
    limit: float | None
    repair_ts: float
    points: list[Point]
    check: SignalCheck


def after_window(
    session: Session, history: HistoryStore, wo: WorkOrder, now: datetime
) -> AfterWindow | None:
    """None when the order was not raised by an alarm, or its rule asks for no verification."""
    found = session.execute(
        select(Alarm.raised_at, ConditionRule, Tag)
        .join(ConditionRule, ConditionRule.id == Alarm.rule_id)
        .join(Tag, Tag.id == ConditionRule.tag_id)
        .where(Alarm.work_order_id == wo.id)
        .order_by(Alarm.id.desc())
        .limit(1)
    ).first()
    if found is None:
        return None
    raised_at, rule, tag = found
    if rule.verify_minutes <= 0:
        return None
    # The repair starts when work on the order started, never before the alarm itself.
    repair = max(wo.started_at, raised_at) if wo.started_at else raised_at
    repair_ts, now_ts = repair.timestamp(), now.timestamp()
    # The kept points: the series between them is a straight line, so its extremes, what
    # the band check looks at, are among them.
    pts = history.points(tag.id, repair_ts, now_ts).between(repair_ts, now_ts + 1e-6)
    ts, values = pts.ts, pts.values
    spec = RuleSpec(
        rule.kind,
        rule.limit,
        rule.direction,
        rule.hysteresis,
        rule.on_delay_s,
        rule.window_s,
        rule.horizon_s,
    )
    # A steady signal is stored once per maximum interval: only silence beyond that is a gap.
    stored_every = default_spec(tag.unit, tag.kind, tag.deviation, tag.max_interval_s)
    check = check_signal(
        tag.name,
        spec,
        ts,
        values,
        repair_ts,
        now_ts,
        rule.verify_minutes * 60,
        MAX_SILENCE_S + stored_every.max_interval_s,
    )
    step = max(1, -(-len(ts) // AFTER_MAX_POINTS))
    points = [
        (float(t), None if math.isnan(v) else float(v), Quality(int(q)).name.lower())
        for t, v, q in zip(ts[::step], values[::step], pts.quality[::step], strict=True)
    ]
    limit = None if rule.kind is RuleKind.RATE_OF_CHANGE else rule.limit
    return AfterWindow(tag.name, tag.unit, limit, repair_ts, points, check)


def attach_after_trend(
    session: Session, actor: Actor, wo: WorkOrder, window: AfterWindow, now: datetime
) -> None:
    """Keep the after window with the order, as CSV and PNG, in the completion's unit of work."""
    stem = f"{window.tag_name}-after-{now.strftime('%Y%m%dT%H%M%SZ')}"
    title = f"{wo.number}: {window.tag_name} after the repair"
    files = [(f"{stem}.csv", trend_csv(window.tag_name, window.unit, window.points))]
    if window.points:
        png = trend_png(title, window.unit, window.points, window.limit, window.repair_ts, "repair")
        files.append((f"{stem}.png", png))
    for filename, content in files:
        attachments.store(session, actor, wo, filename, content, now)
