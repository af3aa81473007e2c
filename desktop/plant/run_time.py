"""Machine running hours for the KPIs, from the running-state tags' minute aggregates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func, select

from desktop.domain.condition import DataKind
from desktop.services.kpi_records import AssetRunTime
from desktop.store.condition_models import MinuteAggregate, Tag

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from desktop.store.database import Database


class HistorianRunTime:
    """KPIS.md: MTBF over running hours where an asset has a running-state tag.

    An asset counts only when its tag's stored history reaches back to the span's start;
    otherwise its calendar hours stand, so a tag mapped last week cannot shrink a quarter's
    MTBF to a week's running time. A minute's running share is its average state (0 or 1);
    minutes with a sample but not running are idle.
    """

    def __init__(self, db: Database) -> None:
        self._db = db

    def run_time(
        self, asset_ids: Sequence[int], start: datetime, end: datetime
    ) -> dict[int, AssetRunTime]:
        lo, hi = int(start.timestamp()) // 60 * 60, int(end.timestamp()) // 60 * 60
        with self._db.unit_of_work(write=False) as session:
            tags = dict(
                session.execute(
                    select(Tag.id, Tag.asset_id).where(
                        Tag.kind == DataKind.STATE,
                        Tag.active.is_(True),
                        Tag.asset_id.in_(asset_ids),
                    )
                ).all()
            )
            if not tags:
                return {}
            first = dict(
                session.execute(
                    select(MinuteAggregate.tag_id, func.min(MinuteAggregate.minute))
                    .where(MinuteAggregate.tag_id.in_(tags))
                    .group_by(MinuteAggregate.tag_id)
                ).all()
            )
            covered = [tag for tag, minute in first.items() if minute <= lo]
            if not covered:
                return {}
            totals = session.execute(
                select(
                    MinuteAggregate.tag_id,
                    func.sum(MinuteAggregate.vsum / MinuteAggregate.count),
                    func.count(),
                )
                .where(
                    MinuteAggregate.tag_id.in_(covered),
                    MinuteAggregate.minute >= lo,
                    MinuteAggregate.minute < hi,
                )
                .group_by(MinuteAggregate.tag_id)
            ).all()
        found: dict[int, AssetRunTime] = {}
        for tag_id, running_minutes, minutes in totals:
            running = float(running_minutes or 0.0)
            found.setdefault(
                tags[tag_id], AssetRunTime(running / 60, max(minutes - running, 0.0) / 60)
            )
        return found
