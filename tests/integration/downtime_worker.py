"""A second monitoring process feeding running-state samples (importable by spawn)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.domain.condition import Quality, Sample
from desktop.plant.downtime_feed import DowntimeFeed, DowntimeRecorder
from desktop.services.admin.users import UserService
from desktop.services.condition.plant_tags import PlantTagService
from desktop.store.database import Database

if TYPE_CHECKING:
    from multiprocessing.synchronize import Barrier


def feed_states(
    url: str, username: str, states: list[tuple[float, float]], barrier: Barrier
) -> None:
    """Feed (ts, state) samples of every running-state tag, as one monitoring workstation."""
    db = Database(url)
    try:
        actor = UserService(db).actor_for(username)
        tags = PlantTagService(db).tags()
        feed = DowntimeFeed(tags, DowntimeRecorder(db, actor), on_delay_s=0.0, off_delay_s=0.0)
        barrier.wait()
        for tag in tags:
            feed.put_batch([Sample(tag.id, ts, value, Quality.GOOD) for ts, value in states])
    finally:
        db.dispose()
