"""Machine running hours for the KPIs, from the running-state tags' stored history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from desktop.domain.condition import DataKind
from desktop.services.analytics.kpi_records import AssetRunTime
from desktop.store.condition_models import Tag
from desktop.store.history import history_store, tag_specs

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from desktop.store.database import Database


class HistorianRunTime:
    """KPIS.md: MTBF over running hours where an asset has a running-state tag.

    An asset counts only when its tag's stored history reaches back to the span's start (to
    the minute); otherwise its calendar hours stand, so a tag mapped last week cannot shrink a
    quarter's MTBF to a week's running time. Running time is the time integral of the stored
    state (1 running, 0 stopped, each held until the next change); idle is the rest of the
    time the state is known.
    """

    def __init__(self, db: Database) -> None:
        self._db = db

    def run_times(
        self, asset_ids: Sequence[int], edges: Sequence[datetime]
    ) -> list[dict[int, AssetRunTime]]:
        """Hours per span between consecutive edges; the tags' history is read once for
        all spans (a dashboard's buckets), so each tag's first stored time is read once too."""
        lo = [edge.timestamp() for edge in edges]
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
        found: list[dict[int, AssetRunTime]] = [{} for _ in lo[1:]]
        if not tags:
            return found
        specs = tag_specs(self._db)
        totals = history_store(self._db).integrals_between({t: specs[t] for t in tags}, lo)
        for tag_id, (spans, first) in sorted(totals.items()):
            for span, start, (running_s, known_s) in zip(found, lo[:-1], spans, strict=True):
                if first // 60 * 60 > start:
                    continue
                span.setdefault(
                    tags[tag_id],
                    AssetRunTime(running_s / 3600, max(known_s - running_s, 0.0) / 3600),
                )
        return found
