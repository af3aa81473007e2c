"""Counter readings from OPC UA tags recorded on the asset's meters (the `on_counter` callback).

Called on the plant writer's thread (`RecordWriter`), never the OPC UA thread: `CounterFeed`
only queues the readings there. A reading the meter refuses (a lower value, a meter that does
not exist) is logged and dropped; database errors propagate so the writer can retry them.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from desktop.domain.errors import WrenchbookError
from desktop.domain.meters import MeterKind
from desktop.services.assets.meters import MeterService, ReadingInput

if TYPE_CHECKING:
    from desktop.domain.permissions import Actor
    from desktop.plant.counters import CounterReading
    from desktop.services.assets.meters import MeterView
    from desktop.store.database import Database

_HOUR_UNITS = frozenset({"h", "hr", "hrs", "hour", "hours"})

_log = logging.getLogger(__name__)


def meter_for(meters: list[MeterView], asset_code: str, unit: str) -> MeterView | None:
    """The asset's meter with the tag's unit, else the one of the kind the unit implies."""
    mine = [m for m in meters if m.asset_code == asset_code]
    same_unit = [m for m in mine if m.unit.strip().lower() == unit.strip().lower()]
    if same_unit:
        return same_unit[0]
    kind = MeterKind.RUNTIME_HOURS if unit.strip().lower() in _HOUR_UNITS else MeterKind.CYCLES
    of_kind = [m for m in mine if m.kind is kind]
    return of_kind[0] if len(of_kind) == 1 else None


class MeterFeed:
    def __init__(self, db: Database, actor: Actor) -> None:
        self._meters = MeterService(db)
        self._actor = actor

    def __call__(self, reading: CounterReading) -> None:
        try:
            meter = meter_for(self._meters.meters(), reading.asset_code, reading.unit)
            if meter is None:
                asset, tag = reading.asset_code, reading.tag_name
                _log.warning("no %s meter on %s for tag %s", reading.unit, asset, tag)
                return
            at = datetime.fromtimestamp(reading.ts, UTC)
            source = f"opcua:{reading.tag_name}"
            self._meters.record_readings(
                self._actor, [ReadingInput(meter.code, reading.value, at, source)]
            )
        except WrenchbookError as exc:
            _log.warning("reading of %s refused: %s", reading.tag_name, exc)
