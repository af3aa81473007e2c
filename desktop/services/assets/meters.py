"""Meters on assets and their readings, typed in by hand or fed from an OPC UA tag."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from desktop.domain.errors import NotFound, ValidationFailed
from desktop.domain.meters import (
    MeterKind,
    ReadingKind,
    ReadingRefused,
    usage_between,
    usage_rate_per_day,
)
from desktop.domain.permissions import Action, Actor, require
from desktop.domain.phrases import Phrase, message_of
from desktop.services.shared import audit
from desktop.services.shared.clock import Clock, utc_now
from desktop.store.models import Asset
from desktop.store.pm_models import Meter, MeterReading

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.orm import Session

    from desktop.store.database import Database

USAGE_WINDOW = timedelta(days=30)
"""How far back the usage rate looks: recent enough to follow a change of shift pattern."""


@dataclass(frozen=True)
class NewMeter:
    code: str
    asset_code: str
    name: str
    kind: MeterKind = MeterKind.RUNTIME_HOURS
    unit: str = "h"
    rollover: float | None = None


@dataclass(frozen=True)
class MeterView:
    code: str
    asset_code: str
    name: str
    kind: MeterKind
    unit: str
    rollover: float | None
    last_value: float | None
    last_reading_at: datetime | None
    total: float


@dataclass(frozen=True)
class ReadingInput:
    """One counter value as read; what a tag feed hands over, many at a time."""

    meter_code: str
    value: float
    at: datetime
    source: str = "manual"
    reset: bool = False


@dataclass(frozen=True)
class ReadingView:
    meter_code: str
    at: datetime
    value: float
    delta: float
    total: float
    kind: ReadingKind
    source: str


def _meter_view(meter: Meter) -> MeterView:
    return MeterView(
        meter.code,
        meter.asset.code,
        meter.name,
        meter.kind,
        meter.unit,
        meter.rollover,
        meter.last_value,
        meter.last_reading_at,
        meter.total,
    )


def usage_rate(session: Session, meter_id: int, until: datetime | None = None) -> float | None:
    """Usage per day over the readings of the last USAGE_WINDOW before `until` (or the last)."""
    query = select(MeterReading.at, MeterReading.total).where(MeterReading.meter_id == meter_id)
    if until is not None:
        query = query.where(MeterReading.at <= until)
    last = session.execute(query.order_by(MeterReading.at.desc()).limit(1)).first()
    if last is None:
        return None
    points = session.execute(
        query.where(MeterReading.at >= last.at - USAGE_WINDOW).order_by(MeterReading.at)
    ).all()
    return usage_rate_per_day([(p.at, p.total) for p in points])


def total_at(session: Session, meter_id: int, at: datetime) -> float | None:
    """The meter's running total at the last reading taken at or before `at`."""
    return session.execute(
        select(MeterReading.total)
        .where(MeterReading.meter_id == meter_id, MeterReading.at <= at)
        .order_by(MeterReading.at.desc())
        .limit(1)
    ).scalar_one_or_none()


def reached_at(session: Session, meter_id: int, target: float) -> datetime | None:
    """When the running total first reached `target`, if it has."""
    return session.execute(
        select(MeterReading.at)
        .where(MeterReading.meter_id == meter_id, MeterReading.total >= target)
        .order_by(MeterReading.at)
        .limit(1)
    ).scalar_one_or_none()


class MeterService:
    def __init__(self, db: Database, clock: Clock = utc_now) -> None:
        self._db = db
        self._clock = clock

    def create(self, actor: Actor, new: NewMeter) -> MeterView:
        require(actor, Action.MANAGE_PM)
        problems: dict[str, str] = {}
        if not new.code.strip() or len(new.code) > 64 or any(c.isspace() for c in new.code):
            problems["code"] = "1-64 characters without spaces"
        if not new.name.strip():
            problems["name"] = "required"
        if new.rollover is not None and not (math.isfinite(new.rollover) and new.rollover > 0):
            problems["rollover"] = "the value the counter wraps at, more than 0"
        with self._db.unit_of_work() as session:
            asset = session.execute(
                select(Asset).where(Asset.code == new.asset_code)
            ).scalar_one_or_none()
            if asset is None:
                problems["asset"] = Phrase("no asset {asset_code}", asset_code=new.asset_code)
            if session.execute(select(Meter.id).where(Meter.code == new.code)).first():
                problems["code"] = Phrase("a meter {code} exists already", code=new.code)
            if problems:
                raise ValidationFailed(problems)
            meter = Meter(
                code=new.code,
                asset=asset,
                name=new.name.strip(),
                kind=new.kind,
                unit=new.unit,
                rollover=new.rollover,
                total=0.0,
            )
            session.add(meter)
            session.flush()
            view = _meter_view(meter)
            after = {"asset": new.asset_code, "kind": new.kind.value, "rollover": new.rollover}
            audit.record(session, actor, "create", "meter", new.code, None, after, self._clock())
            return view

    def record_reading(
        self,
        actor: Actor,
        meter_code: str,
        value: float,
        at: datetime | None = None,
        *,
        reset: bool = False,
        source: str = "manual",
    ) -> ReadingView:
        """Record one reading typed in by hand (time defaults to now)."""
        reading = ReadingInput(meter_code, value, at or self._clock(), source, reset)
        return self.record_readings(actor, [reading])[0]

    def record_readings(self, actor: Actor, readings: Sequence[ReadingInput]) -> list[ReadingView]:
        """Record readings in time order, all or nothing, in one unit of work.

        Made for a tag feed: a batch per poll, and a reading it sends again (same meter, time
        and value, e.g. after a reconnect) is accepted once and otherwise ignored. A counter
        that wraps is counted through its rollover point; a lower value on a meter without one
        is refused unless marked as a reset.
        """
        require(actor, Action.RECORD_READINGS)
        problems: dict[str, str] = {}
        for n, reading in enumerate(readings, start=1):
            if reading.at.tzinfo is None:
                problems[f"reading {n}"] = "the time needs a time zone"
            elif reading.at > self._clock() + timedelta(minutes=5):
                problems[f"reading {n}"] = "the time is in the future"
        if problems:
            raise ValidationFailed(problems)
        views: list[ReadingView] = []
        with self._db.unit_of_work() as session:
            meters: dict[str, Meter] = {}
            for n, reading in enumerate(sorted(readings, key=lambda r: r.at), start=1):
                meter = meters.get(reading.meter_code) or self._lock(session, reading.meter_code)
                meters[meter.code] = meter
                if meter.last_reading_at == reading.at and meter.last_value == reading.value:
                    continue
                view = self._apply(session, actor, meter, reading, n)
                views.append(view)
            if views:
                after = [
                    {
                        "meter": v.meter_code,
                        "at": v.at.isoformat(),
                        "value": v.value,
                        "kind": v.kind.value,
                        "total": v.total,
                        "source": v.source,
                    }
                    for v in views
                ]
                entity = views[0].meter_code if len(meters) == 1 else "several"
                audit.record(session, actor, "read", "meter", entity, None, after, self._clock())
        return views

    def _apply(
        self, session: Session, actor: Actor, meter: Meter, reading: ReadingInput, n: int
    ) -> ReadingView:
        previous = (
            (meter.last_reading_at, meter.last_value)
            if meter.last_reading_at is not None and meter.last_value is not None
            else None
        )
        try:
            usage = usage_between(
                meter.kind,
                previous,
                reading.at,
                reading.value,
                rollover=meter.rollover,
                reset=reading.reset,
            )
        except ReadingRefused as exc:
            raise ValidationFailed({f"{meter.code} reading {n}": message_of(exc)}) from None
        meter.total += usage.delta
        meter.last_value = reading.value
        meter.last_reading_at = reading.at
        session.add(
            MeterReading(
                meter_id=meter.id,
                at=reading.at,
                value=reading.value,
                delta=usage.delta,
                total=meter.total,
                kind=usage.kind,
                source=reading.source,
                entered_by_id=actor.user_id,
            )
        )
        return ReadingView(
            meter.code,
            reading.at,
            reading.value,
            usage.delta,
            meter.total,
            usage.kind,
            reading.source,
        )

    @staticmethod
    def _lock(session: Session, code: str) -> Meter:
        """The meter row, locked so two feeds cannot both add usage to the same old total."""
        meter = session.execute(
            select(Meter).where(Meter.code == code).with_for_update()
        ).scalar_one_or_none()
        if meter is None:
            raise NotFound(Phrase("no meter {code}", code=code))
        return meter

    def meters(self) -> list[MeterView]:
        with self._db.unit_of_work(write=False) as session:
            return [
                _meter_view(m)
                for m in session.execute(select(Meter).order_by(Meter.code)).scalars()
            ]

    def readings(self, meter_code: str, limit: int = 100) -> list[ReadingView]:
        """The newest readings of a meter, newest first."""
        with self._db.unit_of_work(write=False) as session:
            meter = session.execute(
                select(Meter).where(Meter.code == meter_code)
            ).scalar_one_or_none()
            if meter is None:
                raise NotFound(Phrase("no meter {meter_code}", meter_code=meter_code))
            rows = session.execute(
                select(MeterReading)
                .where(MeterReading.meter_id == meter.id)
                .order_by(MeterReading.at.desc())
                .limit(limit)
            ).scalars()
            return [
                ReadingView(meter.code, r.at, r.value, r.delta, r.total, r.kind, r.source)
                for r in rows
            ]

    def usage_rate(self, meter_code: str) -> float | None:
        """Recent usage per day, or None with fewer than two readings."""
        with self._db.unit_of_work(write=False) as session:
            meter_id = session.execute(
                select(Meter.id).where(Meter.code == meter_code)
            ).scalar_one_or_none()
            if meter_id is None:
                raise NotFound(Phrase("no meter {meter_code}", meter_code=meter_code))
            return usage_rate(session, meter_id)
